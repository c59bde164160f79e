/**
 * The REST surface's types (/api/v1), generated from the OpenAPI document by openapi-typescript.
 * Do not edit: run `npm run api:types` (scripts/generate-api-types.ts).
 */

export interface paths {
  "/agreement-tests/{agreementTestId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A test send and its answer */
    get: operations["agreement-test"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/agreements": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The realm's sharing agreements
     * @description Outgoing (proposed by this realm) and incoming (proposed to it), newest first, with the channel's status and counters. Pages with `cursor` (the previous page's `nextCursor`).
     */
    get: operations["agreement-list"];
    put?: never;
    /**
     * Propose a sharing agreement
     * @description This realm's VM may send to the other organization's VM (by name) over Argo. The answer is the same whether or not that organization and VM exist; an owner of the other realm accepts it.
     */
    post: operations["agreement-propose"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/agreements/{agreementId}/accept": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Accept a proposal made to this realm
     * @description The named VM is resolved inside this realm; the worker then opens the channel on the host. Only the other realm's proposal can be accepted here.
     */
    post: operations["agreement-accept"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/agreements/{agreementId}/decline": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Decline a proposal made to this realm */
    post: operations["agreement-decline"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/agreements/{agreementId}/revoke": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Revoke an agreement (either side, at any moment)
     * @description The worker closes the channel on the host at its next poll; queued messages are dropped and the next send is denied by FLASK.
     */
    post: operations["agreement-revoke"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/agreements/{agreementId}/test-sends": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send a test message over the agreement
     * @description Run by the worker on the VMs' host through the agreement's Argo bridge; poll the test for the answer (delivered, or the hypervisor's refusal with AVC lines). Unanswered tests fail after 30 s.
     */
    post: operations["agreement-sendTest"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/audit": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The realm's audit trail, newest first
     * @description One row per action: its phases (authorized → applied or failed), `actor` in words (a member, an API token and its member, an operator under break-glass, or system), the action and reason in words with the raw rule and AVC lines. Filters: actor, action, target, decision, layer, from, to. Pages with `cursor`/`before` (the previous page's `nextCursor`: older) or `after` (`prevCursor`: newer).
     */
    get: operations["realm-audit"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/audit/verify": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Verify the realm's audit chain
     * @description Checks each record's MAC, the hash chain and its tags against the signed checkpoints, and names the first bad record. For a file, download `/audit/export` and verify it offline (`realmgate audit verify --file`).
     */
    get: operations["realm-auditVerify"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/backends": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List the backends available to the realm
     * @description The platform's storage and network backends (trusted, on the first page only, outside `limit`), then the realm's driver domains (untrusted), oldest first. Pages with `cursor` (the previous page's `nextCursor`).
     */
    get: operations["backend-list"];
    put?: never;
    /**
     * Create a driver domain
     * @description An untrusted backend domain of the realm, built on the host of the VM named; it can serve only this realm's VMs.
     */
    post: operations["backend-create"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/backends/{backendId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Remove a driver domain
     * @description Only one that serves no disk or network; destroyed on its host by the worker. An NDVM (a network's driver domain) is refused unless `confirm` is true (see the removal preview): confirmed, its networks go back to the platform's backend and the interfaces it serves are detached; remove again once they are.
     */
    delete: operations["backend-remove"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/backends/{backendId}/removal-preview": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * What removing a driver domain disconnects
     * @description The networks it is the NDVM of and the VMs whose interfaces it serves.
     */
    get: operations["backend-removalPreview"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/consoles/{consoleId}/close": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Close a console
     * @description Audited (vm.console.close) the first time.
     */
    post: operations["vm-console-close"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/consoles/{consoleId}/input": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Type into a console
     * @description Keystrokes as the terminal sends them (a line ends with \r); at most 1,024 characters a call.
     */
    post: operations["vm-console-send"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/consoles/{consoleId}/output": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A console's output after a cursor */
    get: operations["vm-console-read"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/disks": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List the realm's disks
     * @description Oldest first, each with the VM it is attached to. Pages with `cursor` (the previous page's `nextCursor`).
     */
    get: operations["disk-list"];
    put?: never;
    /**
     * Create a disk
     * @description Counts against the realm's disk quota (GiB).
     */
    post: operations["disk-create"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/disks/{diskId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Delete a disk
     * @description Only a detached disk.
     */
    delete: operations["disk-delete"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/flow-tests/{flowTestId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A flow test and its verdict
     * @description pending until the worker ran it on the NDVM's host; then the verdict, the deciding layer and rule, and AVC lines for a FLASK refusal.
     */
    get: operations["network-flowTest"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/invitations": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List pending invitations
     * @description Newest first. Pages with `cursor` (the previous page's `nextCursor`).
     */
    get: operations["realm-invitations-list"];
    put?: never;
    /**
     * Invite someone
     * @description The link is in this answer only (and in the invitee's email). No idempotency key: a replay would have to store the link.
     */
    post: operations["realm-invitations-create"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/invitations/{invitationId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke a pending invitation */
    delete: operations["realm-invitations-revoke"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/members": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List the organization's members
     * @description Oldest membership first. Pages with `cursor` (the previous page's `nextCursor`, a member's `userId`).
     */
    get: operations["realm-members-list"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/members/{userId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Remove a member
     * @description Ends the member's access and its API tokens at once.
     */
    delete: operations["realm-members-remove"];
    options?: never;
    head?: never;
    /**
     * Change a member's role
     * @description Owners and admins; an admin cannot touch owners or promote anyone to owner; the last owner stays.
     */
    patch: operations["realm-members-changeRole"];
    trace?: never;
  };
  "/network-rules": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The realm's network rules
     * @description Allow rules in the order the NDVMs evaluate them (default deny between VMs on NDVM networks), with counters per rule. Pages with `cursor` (the previous page's `nextCursor`); `defaultDeny` and `layers` count over every NDVM of the realm and are the same on every page.
     */
    get: operations["network-rules"];
    put?: never;
    /**
     * Allow a flow
     * @description From a VM or network to a VM, a network or the uplink, on a protocol and port range. The platform's rules still apply (a platform deny beats a realm allow).
     */
    post: operations["network-addRule"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/network-rules/{ruleId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove a network rule */
    delete: operations["network-removeRule"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/networks": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List the realm's networks
     * @description Oldest first, each with the VMs on it. Pages with `cursor` (the previous page's `nextCursor`).
     */
    get: operations["network-list"];
    put?: never;
    /**
     * Create a network
     * @description Counts against the realm's network quota.
     */
    post: operations["network-create"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/networks/{networkId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Delete a network
     * @description Only a network no VM is on.
     */
    delete: operations["network-delete"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/networks/{networkId}/flow-tests": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Test a flow through the network's NDVM
     * @description Run by the worker on the NDVM's host: FLASK, then the NDVM's rules, then the platform's. Poll the flow test for the verdict.
     */
    post: operations["network-testFlow"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/networks/{networkId}/ndvm": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Give a network an NDVM
     * @description Guests' interfaces on the network are then served by the driver domain, which enforces the realm's network rules. Only while no VM is on the network through another backend.
     */
    put: operations["network-setNdvm"];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/networks/ndvms": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The realm's NDVM networks
     * @description Each network served by an NDVM, with the NDVM and the rule set it reported it enforces; oldest first. Pages with `cursor` (the previous page's `nextCursor`, a network id).
     */
    get: operations["network-ndvms"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operations/{operationId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get an operation
     * @description Status, steps, timings and result. With `?wait=<seconds>` (at most 60) the answer comes once the operation is done or the time is up.
     */
    get: operations["operation-get"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/activity": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Activity over time: denials by layer and realm, operations and their latency, policy-drift alarms
     * @description One window (1h, 6h, 24h or 7d) ending now, or at `before` for an earlier one (the previous answer's `from` pages back).
     */
    get: operations["operator-activity"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/agreements": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Every sharing agreement
     * @description Newest first, both parties named, with the channel's status and counters. Pages with `cursor` (the previous page's `nextCursor`).
     */
    get: operations["operator-agreements-list"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/alarms": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Policy-drift alarms, newest first
     * @description The hypervisor refused what the upper layers allowed. Pages with `cursor` (the previous page's `nextCursor`, an event id).
     */
    get: operations["operator-alarms"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/audit/checkpoints": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Write an audit checkpoint now
     * @description Signs every chain's head (Ed25519) and appends it to the checkpoint store.
     */
    post: operations["operator-audit-checkpoint"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/audit/public-key": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The audit checkpoints' public key
     * @description Ed25519, 32 raw bytes in base64.
     */
    get: operations["operator-audit-publicKey"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/audit/trail": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The audit trail across realms, newest first
     * @description One row per action with its phases; filters: realmId, againstRealmId, actor, action, target, decision, layer, from, to. Denials caused by a foreign id name the realm that owns the target.
     */
    get: operations["operator-trail"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/audit/verify": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Verify the audit trail
     * @description Checks record MACs, the hash chains and their tags against the signed checkpoints; names each chain's first bad record.
     */
    get: operations["operator-audit-verify"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/break-glass": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Break-glass grants, newest first
     * @description Pages with `cursor` (the previous page's `nextCursor`, a grant's id).
     */
    get: operations["operator-breakGlass-list"];
    put?: never;
    /**
     * Request a break-glass grant
     * @description Acts in one realm for at most 4 hours, with a reason, recorded in the realm's own trail. Needs a second factor.
     */
    post: operations["operator-breakGlass-request"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/break-glass/{grantId}/revoke": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Revoke a break-glass grant */
    post: operations["operator-breakGlass-revoke"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/conflicts": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Conflict sets (realms that never share a host)
     * @description Newest first. Pages with `cursor` (the previous page's `nextCursor`: `realmA/realmB` of the last set).
     */
    get: operations["operator-conflicts-list"];
    put?: never;
    /**
     * Declare two realms in conflict
     * @description They never share a physical host again (ACM Chinese Wall). If they share one now the wall is refused (412, naming the co-located VMs and the plan) unless `onViolation` is `migrate` (queue the plan's migrations) or `pending` (store it; the violation is an alarm until it is gone).
     */
    post: operations["operator-conflicts-add"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/conflicts/{realmA}/{realmB}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Remove a conflict set
     * @description Needs a `reason` (at least 10 characters), recorded in the platform's trail.
     */
    delete: operations["operator-conflicts-remove"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/conflicts/plan": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * What a wall between two realms would meet now
     * @description The VMs of the two realms that share a host now, and the migrations that would satisfy the wall (capacity and every other wall respected), or why none exists.
     */
    get: operations["operator-conflicts-plan"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/conflicts/violations": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Walls violated now (alarms)
     * @description Each wall whose two realms share a host now, with the co-located VMs. By realm pair; pages with `cursor` (the previous page's `nextCursor`).
     */
    get: operations["operator-conflicts-violations"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/denials": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Denials across realms, newest first
     * @description Which layer refused, by which rule, with the hypervisor's AVC lines. Pages with `cursor` (the previous page's `nextCursor`, an event id).
     */
    get: operations["operator-denials"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/explain": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Could this user do this to this VM, and why not?
     * @description Per layer (tRPC role, database row-level security, hypervisor policy), without doing it.
     */
    get: operations["operator-explain"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/explain/argo": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * May VM x send to VM y over Argo, and why?
     * @description The host's FLASK decision: the same realm, an active sharing agreement's bridge (named as the reason), or MCS's denial with the AVC line.
     */
    get: operations["operator-explainArgo"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/fleet": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Fleet map: which realm runs where
     * @description Hosts by name with their realms, capacity and broken Chinese Walls. Pages with `cursor` (a host's id).
     */
    get: operations["operator-fleet"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/hosts": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Hosts: status, capacity and use
     * @description By name. Pages with `cursor` (the previous page's `nextCursor`, a host's id).
     */
    get: operations["operator-hosts"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/network-rules": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The platform's network rules
     * @description Deny rules towards the uplink, oldest first. Pages with `cursor` (the previous page's `nextCursor`, a rule's id).
     */
    get: operations["operator-networkRules-list"];
    put?: never;
    /**
     * Deny a flow to the uplink for every realm
     * @description e.g. tcp/25 (outbound mail), or any protocol to the metadata address. A platform deny beats a realm allow.
     */
    post: operations["operator-networkRules-add"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/network-rules/{ruleId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove a platform network rule */
    delete: operations["operator-networkRules-remove"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/organizations": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Organizations, newest first, with their realm's status
     * @description Pages with `cursor` (the previous page's `nextCursor`, an organization's id).
     */
    get: operations["operator-organizations-list"];
    put?: never;
    /**
     * Onboard an organization
     * @description Allocates its realm's category pair and requests its management VM; the realm is ready once that VM runs.
     */
    post: operations["operator-organizations-create"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/organizations/{orgId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * An organization, with its trail's last 30 records
     * @description Readable after decommissioning too.
     */
    get: operations["operator-organizations-get"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/organizations/{orgId}/audit": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A realm's whole trail, 1,000 records a page, oldest first
     * @description Page with `afterId` (the last id read) until `done`. The console's NDJSON export reads the same pages.
     */
    get: operations["operator-organizations-auditPage"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/organizations/{orgId}/decommission": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Decommission an organization
     * @description `confirmSlug` must repeat its slug. Ends every member's access at once; the worker tears the realm down; the trail stays.
     */
    post: operations["operator-organizations-decommission"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/organizations/{orgId}/owner-invitation": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Invite an organization's first owner
     * @description Only while it has no owner. The link is in this answer only. Needs a second factor.
     */
    post: operations["operator-invitations-inviteOwner"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/organizations/{orgId}/retry": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Retry a failed provisioning */
    post: operations["operator-organizations-retry"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/policy": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The fleet's FLASK policy: versions, rollout, what each host runs
     * @description The newest 50 versions with their validation (every version, a page at a time: GET /operator/policy/versions); the current rollout; per host the assigned version, the load outcome and decision comparison, the sha256 it reports, a drift alarm (`driftSince`) when that is not the assigned version's, and its booleans.
     */
    get: operations["operator-policy-overview"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/policy/hosts/{hostId}/booleans": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Set a FLASK boolean on one host
     * @description `xl setbool` through the host's agent (by the worker); the name must be a boolean the host's policy declares. Audited.
     */
    post: operations["operator-policy-setBoolean"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/policy/rollback": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Roll back to the previous version
     * @description Every host is assigned the version the fleet ran before the current rollout, at once.
     */
    post: operations["operator-policy-rollback"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/policy/rollouts": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Start a rollout: load a validated version on one host (the canary)
     * @description The worker loads it there; the host compares its decisions old vs new (the golden cases and its domains' label pairs), shown in the overview. Refused (412) for a version that failed validation.
     */
    post: operations["operator-policy-canary"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/policy/rollouts/{rolloutId}/continue": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Continue a rollout after its canary
     * @description `manual`: the next host (by name); `automatic`: host by host without asking, stopping at the first host that refuses. Refused (412) until the canary loaded the version.
     */
    post: operations["operator-policy-continue"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/policy/versions": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Every FLASK policy version, newest first
     * @description With its validation and its diff against the fleet's policy when uploaded. Pages with `cursor` (the previous page's `nextCursor`, a version's id).
     */
    get: operations["operator-policy-versions"];
    put?: never;
    /**
     * Upload a FLASK policy version
     * @description Policy text (policy.conf) or checkpolicy's binary (policy.30), base64, at most 256 KiB. Validated at once and stored either way: compiles (errors name file:line), declares what the realm model needs, passes the golden decisions, and no realm loses access to its own VMs. The same bytes again answer with the stored version (`existing`).
     */
    post: operations["operator-policy-upload"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/quotas": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Every realm's quota and usage, and the defaults new realms get
     * @description Realms oldest first. Pages with `cursor` (the previous page's `nextCursor`, a realm's id).
     */
    get: operations["operator-quotas-list"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/quotas/{realmId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Set a realm's limits
     * @description The limits given; the rest stay. Needs a reason; audited in the realm's trail (an override above the defaults as such).
     */
    patch: operations["operator-quotas-set"];
    trace?: never;
  };
  "/operator/realms": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Every realm's boundary
     * @description Category, management VM and guest count of each realm, oldest first. Pages with `cursor` (the previous page's `nextCursor`, a realm's id).
     */
    get: operations["operator-realms"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/search/users": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Find users by name or email
     * @description Prefix match, case-insensitive, by email; pages with `cursor` (a user's id).
     */
    get: operations["operator-search-users"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/search/vms": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Find VMs by name in every realm
     * @description Prefix match, case-insensitive, by name; each with its realm's organization. Pages with `cursor` (a VM's id).
     */
    get: operations["operator-search-vms"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/tokens": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * API tokens of every realm, newest first
     * @description With `orgId`, one organization's. Each with its member's email and its organization. Pages with `cursor` (the previous page's `nextCursor`).
     */
    get: operations["operator-tokens-list"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/operator/tokens/{tokenId}/revoke": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Revoke any realm's API token
     * @description A leak reported to the platform. The reason is recorded in the token's realm trail.
     */
    post: operations["operator-tokens-revoke"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/realm": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The caller's realm
     * @description Its organization, the caller's role and permissions, its category and management VM.
     */
    get: operations["realm-get"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/realm/measured-usage": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** What the realm's running VMs use now, as measured */
    get: operations["vm-measuredUsage"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/realm/quota": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The realm's quota and usage */
    get: operations["realm-quota"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/templates": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List the templates VMs are created from
     * @description By name. Pages with `cursor` (the previous page's `nextCursor`).
     */
    get: operations["template-list"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/tokens": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List API tokens
     * @description Yours; with `all=true` (owners) every member's in the realm. Newest first; pages with `cursor` (the previous page's `nextCursor`).
     */
    get: operations["token-list"];
    put?: never;
    /**
     * Create an API token
     * @description Needs a signed-in session (a token cannot create tokens). The secret (`token`) is in this answer only.
     */
    post: operations["token-create"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/tokens/{tokenId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Revoke an API token
     * @description Yours, or (owners) any member's.
     */
    delete: operations["token-revoke"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List the realm's VMs
     * @description The management VM first, then by creation. Pages with `cursor` (the previous page's `nextCursor`).
     */
    get: operations["vm-list"];
    put?: never;
    /**
     * Create a VM from a template
     * @description Placed on a host by capacity and the realm's Chinese Wall; built, then left stopped.
     */
    post: operations["vm-create"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a VM */
    get: operations["vm-get"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/clone": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Clone a stopped VM
     * @description A new VM with the source's template and size and a copy of each of its disks, placed like a create; the VM and the disks count against the realm's quota.
     */
    post: operations["vm-clone"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/console": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Open a running VM's serial console
     * @description Audited (vm.console.open). The worker opens it at the VM's host; read the boot log and answers with GET /consoles/{consoleId}/output. Closed after REALMGATE_CONSOLE_IDLE_MS (default ten minutes) without input or an open stream.
     */
    post: operations["vm-console-open"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/destroy": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Destroy a VM and its domain */
    post: operations["vm-destroy"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/disks": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Attach a disk of the realm to a VM */
    post: operations["vm-attachDisk"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/disks/{diskId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Detach a disk from a VM */
    delete: operations["vm-detachDisk"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/metrics": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A VM's metrics, last hour
     * @description One point per sample (the worker samples every host every 10 s by default), with rates computed from the hypervisor's counters.
     */
    get: operations["vm-metrics"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/migrate": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Live-migrate a VM
     * @description `destinationHostId`: one of `GET /vms/{vmId}/migration-hosts`; without it, placement chooses (capacity, Chinese Wall). A host placement does not allow is refused (412), whatever the reason.
     */
    post: operations["vm-migrate"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/migration-hosts": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Hosts a VM may migrate to
     * @description The hosts placement allows for the VM now (online, capacity, Chinese Wall), most free memory first; pass one's id as `destinationHostId` to migrate, or none for automatic.
     */
    get: operations["vm-migrationHosts"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/networks": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Attach a VM to a network of the realm */
    post: operations["vm-attachNetwork"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/networks/{networkId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Detach a VM from a network */
    delete: operations["vm-detachNetwork"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/operations": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A VM's operations, newest first
     * @description Pages with `cursor` (the previous page's `nextCursor`: older operations); `limit` per page (default 50).
     */
    get: operations["vm-history"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/operations/in-flight": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A VM's operation in flight, or null */
    get: operations["vm-inFlight"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/pause": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Pause a running VM */
    post: operations["vm-pause"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/reboot": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reboot a running VM */
    post: operations["vm-reboot"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/rename": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Rename a VM
     * @description Any state; the name must be unused in the realm.
     */
    post: operations["vm-rename"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/resize": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Resize a VM (vCPUs, memory)
     * @description A stopped VM takes any size within the realm's quota. A running or paused one keeps its domain: memory down to 256 MiB and back up to what it booted with, vCPUs up to its max_vcpus (the host refuses beyond, naming the field). What a resize adds is reserved at once.
     */
    post: operations["vm-resize"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/resume": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Resume a paused VM */
    post: operations["vm-resume"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/snapshots": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List a VM's snapshots
     * @description Newest first. Pages with `cursor` (the previous page's `nextCursor`).
     */
    get: operations["vm-snapshots"];
    put?: never;
    /**
     * Take a snapshot
     * @description Of a running, paused or stopped VM (it keeps running). Its storage (memory in whole GiB plus a copy of each disk) counts against the realm's disk quota.
     */
    post: operations["vm-snapshot"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/snapshots/{snapshotId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Delete a snapshot
     * @description Its storage goes back to the realm's quota once the host discarded it.
     */
    delete: operations["vm-deleteSnapshot"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/snapshots/{snapshotId}/revert": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Revert a VM to a snapshot
     * @description The VM ends in the state it was saved in (a running VM reverted to a stopped snapshot stops); it must be the size it was then.
     */
    post: operations["vm-revert"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/start": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Start a stopped VM */
    post: operations["vm-start"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/vms/{vmId}/stop": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Stop a VM
     * @description `mode`: clean (the guest shuts down) or hard (the domain is destroyed and rebuilt, stopped).
     */
    post: operations["vm-stop"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    Accepted: {
      /** @description Present with ?wait=: the operation once done, or as it was when the wait ran out */
      operation?: components["schemas"]["Operation"];
      /** Format: uuid */
      operationId: string;
    };
    Activity: {
      buckets: components["schemas"]["ActivityBucket"][];
      bucketSeconds: number;
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      from: string;
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      to: string;
      topDeniedRealms: {
        count: number;
        org: string | null;
        realmId: string | null;
      }[];
      totals: {
        alarms: number;
        denials: number;
        failed: number;
        operations: number;
      };
    };
    ActivityBucket: {
      /** @description Operations accepted */
      accepted: number;
      /** @description Policy-drift alarms */
      alarms: number;
      /** @description Denials by layer */
      denials: {
        auth: number;
        database: number;
        hypervisor: number;
        other: number;
        trpc: number;
        worker: number;
      };
      failed: number;
      /** @description Median time from accepted to finished, of those that finished */
      p50Ms: number | null;
      p95Ms: number | null;
      succeeded: number;
      /**
       * Format: date-time
       * @description The bucket's start
       */
      t: string;
    };
    Agreement: {
      /** @description The Argo bridge on the host, as the worker last saw it: open, or waiting (with the reason: a VM not running, the VMs on different hosts), with its counters */
      channel: {
        delivered: number;
        firstUsedAt: string | null;
        reason: string | null;
        refused: number;
        /** @enum {string} */
        status: "none" | "waiting" | "open" | "closed";
        syncedAt: string | null;
      };
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      decidedAt: string | null;
      /** @enum {string} */
      direction: "outgoing" | "incoming";
      endedAt: string | null;
      endedBy: ("this realm" | "the other realm") | null;
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      expiresAt: string;
      from: {
        name: string;
        org: string;
        /** @description Shown to the VM's own realm only */
        vmId: string | null;
      };
      /** Format: uuid */
      id: string;
      /** @description The other organization's handle */
      peer: string;
      port: number;
      /** @enum {string} */
      state: "proposed" | "active" | "revoked" | "expired" | "declined";
      to: {
        name: string;
        org: string;
        /** @description Shown to the VM's own realm only */
        vmId: string | null;
      };
      twoWay: boolean;
    };
    AgreementPage: {
      items: components["schemas"]["Agreement"][];
      nextCursor: string | null;
    };
    AgreementTest: {
      /** Format: uuid */
      agreementId: string;
      avc: string[];
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      decidedAt: string | null;
      delivered: boolean | null;
      /** Format: uuid */
      id: string;
      reason: string | null;
      reverse: boolean;
      /** @enum {string} */
      status: "pending" | "done" | "failed";
    };
    ApiToken: {
      allowedCidr: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      expiresAt: string;
      /** Format: uuid */
      id: string;
      lastUsedAddress: string | null;
      lastUsedAt: string | null;
      /** @description The token's public part: rgt_<lookupId>_… */
      lookupId: string;
      name: string;
      /** @description The member's email */
      owner: string;
      permissions: string[];
      revokedAt: string | null;
      revokeReason: string | null;
      /** @enum {string} */
      status: "active" | "expired" | "revoked";
      /** Format: uuid */
      userId: string;
    };
    ApiTokenPage: {
      items: components["schemas"]["ApiToken"][];
      nextCursor: string | null;
    };
    ArgoExplanation: {
      agreement: {
        /**
         * Format: date-time
         * @description ISO 8601 date-time
         */
        expiresAt: string;
        from: string;
        /** Format: uuid */
        id: string;
        port: number;
        to: string;
        twoWay: boolean;
      } | null;
      allowed: boolean;
      answer: string;
      avc: string[];
      reason: string;
    };
    AuditEvent: {
      action: string;
      /** @description The action in words ("Start VM") */
      actionWords: string;
      /** @description Who, in words: a member's email, "token <name> of <email>", "<email> (break-glass)", or "system" */
      actor: string;
      /** @description The acting user's id; null: the system */
      actorId: string | null;
      /** @enum {string} */
      actorKind: "user" | "token" | "operator" | "break-glass" | "system";
      /** @description The actor by name: name <email>, token <name (owner)> of …, (break-glass), system */
      actorName: string;
      avc: string[];
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      /**
       * @description The root event's decision
       * @enum {string}
       */
      decision: "allow" | "deny";
      /** @description A positive integer, as a string: the action's root event */
      id: string;
      /** @description trpc, database, hypervisor, worker or auth */
      layer: string;
      /**
       * @description deny when the root or any phase was denied
       * @enum {string}
       */
      outcome: "allow" | "deny";
      /** @description authorized (an action with phases), denied, or recorded */
      phase: string;
      /** @description The follow-up phases, oldest first */
      phases: components["schemas"]["AuditPhase"][];
      reason: string;
      /** @description The reason in plain words */
      reasonWords: string;
      requestId: string;
      /** @description The raw rule, when the words differ from it */
      rule: string | null;
      /** @description Where the action stands: its last phase (applied, failed), authorized, denied, recorded */
      status: string;
      targetId: string | null;
      /** @description The target's name (its last known one if deleted and recorded); null: unknown */
      targetName: string | null;
      targetType: string;
    };
    AuditExportPage: {
      /** @description No records after these: the last page */
      done: boolean;
      rows: {
        action: string;
        actorId: string | null;
        /**
         * Format: date-time
         * @description ISO 8601 date-time
         */
        createdAt: string;
        /** @enum {string} */
        decision: "allow" | "deny";
        /** @description JSON as the layer recorded it (AVC lines, before/after…), or null */
        details: unknown;
        id: string;
        layer: string;
        reason: string;
        requestId: string;
        targetId: string | null;
        targetType: string;
      }[];
      slug: string;
    };
    AuditFirstBadRecord: {
      /** @description What is wrong, in plain words */
      detail: string;
      eventId: string | null;
      /** @enum {string} */
      kind: "edited" | "deleted" | "inserted" | "swapped" | "truncated" | "rewritten" | "unsealed" | "malformed";
      /** @description The chain position of the first bad record; null for an event outside the chain */
      seq: string | null;
    };
    AuditPage: {
      items: components["schemas"]["AuditEvent"][];
      nextCursor: string | null;
      prevCursor: string | null;
    };
    AuditPhase: {
      /** @description The hypervisor's AVC lines */
      avc: string[];
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      /** @enum {string} */
      decision: "allow" | "deny";
      id: string;
      layer: string;
      /** @description applied, failed, or recorded */
      phase: string;
      reason: string;
      reasonWords: string;
    };
    AuditVerifyReport: {
      chains: {
        checkpointSeq: string | null;
        firstBad: components["schemas"]["AuditFirstBadRecord"] | null;
        headSeq: string;
        /** @description Records written before record MACs existed */
        legacyRecords: number;
        ok: boolean;
        /** @description The realm's organization; null: the platform's own chain */
        org: string | null;
        /** @description null: the platform's own chain */
        realmId: string | null;
        recordsVerified: number;
      }[];
      checkedMacs: boolean;
      checkedTags: boolean;
      checkpoints: {
        invalid: {
          name: string;
          reason: string;
        }[];
        valid: number;
      };
      note: string;
      ok: boolean;
      /** @description Denials caused by a foreign id: their target-realm records checked against the seal in each event (with the audit secret only) */
      targetRealms?: {
        checked: number;
        /** @description Rows written before target realms were sealed (not checked) */
        legacy: number;
        problems: {
          detail: string;
          eventId: string;
          /** @enum {string} */
          kind: "deleted" | "edited" | "inserted";
        }[];
      };
    };
    Backend: {
      domid: number | null;
      host: {
        /** Format: uuid */
        id: string;
        name: string;
      } | null;
      /** @description The driver domain's id; null for the platform's backends (chosen by leaving backendId out) */
      id: string | null;
      /** @description Trusted backends see plaintext; through an untrusted one every block is sealed (AES-GCM) with a realm key it never holds */
      isTrusted: boolean;
      /** @enum {string} */
      kind: "platform-storage" | "platform-network" | "driver-domain";
      name: string;
      serves: ("disk" | "network")[];
      /** @enum {string} */
      state: "running" | "creating" | "failed" | "removing";
      stateReason: string | null;
    };
    BackendPage: {
      items: components["schemas"]["Backend"][];
      nextCursor: string | null;
    };
    BreakGlassGrant: {
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      expiresAt: string;
      /** Format: uuid */
      id: string;
      operator: {
        email: string;
        name: string;
      };
      realm: {
        /** Format: uuid */
        id: string;
        org: {
          name: string;
          slug: string;
        };
      };
      reason: string;
      revokedAt: string | null;
      /** @enum {string} */
      role: "owner" | "admin" | "operator" | "viewer";
    };
    BreakGlassGrantPage: {
      items: components["schemas"]["BreakGlassGrant"][];
      nextCursor: string | null;
    };
    CloneAccepted: {
      diskIds: string[];
      /** @description Present with ?wait=: the operation once done, or as it was when the wait ran out */
      operation?: components["schemas"]["Operation"];
      /** Format: uuid */
      operationId: string;
      /** Format: uuid */
      vmId: string;
    };
    CoLocatedVm: {
      host: string;
      /** @enum {string} */
      kind: "guest" | "management";
      name: string;
      observedState: string;
      org: string;
      /** Format: uuid */
      realmId: string;
      /** Format: uuid */
      vmId: string;
    };
    ConflictSet: {
      a: {
        category: string;
        org: string;
      };
      b: {
        category: string;
        org: string;
      };
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      /** Format: uuid */
      realmA: string;
      /** Format: uuid */
      realmB: string;
      reason: string;
    };
    ConflictSetPage: {
      items: components["schemas"]["ConflictSet"][];
      nextCursor: string | null;
    };
    ConsoleOpened: {
      /** Format: uuid */
      consoleId: string;
    };
    ConsoleOutput: {
      chunks: {
        data: string;
        id: string;
      }[];
      closeReason: string | null;
      /** @description Pass as `after` to read what follows */
      cursor: string;
      /** @enum {string} */
      status: "opening" | "open" | "closed";
    };
    CreatedInvitation: {
      email: string;
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      expiresAt: string;
      /** Format: uuid */
      invitationId: string;
      /** @description The invitation link: shown once, usable once */
      link: string;
      /** @enum {string} */
      role: "owner" | "admin" | "operator" | "viewer";
    };
    Disk: {
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      /** Format: uuid */
      id: string;
      name: string;
      sizeGb: number;
      /** @description The VM it is attached to (or being attached to) */
      vm: {
        /** Format: uuid */
        id: string;
        name: string;
      } | null;
    };
    DiskPage: {
      items: components["schemas"]["Disk"][];
      nextCursor: string | null;
    };
    /**
     * Invalid input data error (400)
     * @description The error information
     * @example {
     *       "code": "BAD_REQUEST",
     *       "message": "Invalid input data",
     *       "issues": []
     *     }
     */
    "error.BAD_REQUEST": {
      /**
       * @description The error code
       * @example BAD_REQUEST
       */
      code: string;
      /**
       * @description An array of issues that were responsible for the error
       * @example []
       */
      issues?: {
        message: string;
      }[];
      /**
       * @description The error message
       * @example Invalid input data
       */
      message: string;
    };
    /**
     * Insufficient access error (403)
     * @description The error information
     * @example {
     *       "code": "FORBIDDEN",
     *       "message": "Insufficient access",
     *       "issues": []
     *     }
     */
    "error.FORBIDDEN": {
      /**
       * @description The error code
       * @example FORBIDDEN
       */
      code: string;
      /**
       * @description An array of issues that were responsible for the error
       * @example []
       */
      issues?: {
        message: string;
      }[];
      /**
       * @description The error message
       * @example Insufficient access
       */
      message: string;
    };
    /**
     * Internal server error error (500)
     * @description The error information
     * @example {
     *       "code": "INTERNAL_SERVER_ERROR",
     *       "message": "Internal server error",
     *       "issues": []
     *     }
     */
    "error.INTERNAL_SERVER_ERROR": {
      /**
       * @description The error code
       * @example INTERNAL_SERVER_ERROR
       */
      code: string;
      /**
       * @description An array of issues that were responsible for the error
       * @example []
       */
      issues?: {
        message: string;
      }[];
      /**
       * @description The error message
       * @example Internal server error
       */
      message: string;
    };
    /**
     * Not found error (404)
     * @description The error information
     * @example {
     *       "code": "NOT_FOUND",
     *       "message": "Not found",
     *       "issues": []
     *     }
     */
    "error.NOT_FOUND": {
      /**
       * @description The error code
       * @example NOT_FOUND
       */
      code: string;
      /**
       * @description An array of issues that were responsible for the error
       * @example []
       */
      issues?: {
        message: string;
      }[];
      /**
       * @description The error message
       * @example Not found
       */
      message: string;
    };
    /**
     * Authorization not provided error (401)
     * @description The error information
     * @example {
     *       "code": "UNAUTHORIZED",
     *       "message": "Authorization not provided",
     *       "issues": []
     *     }
     */
    "error.UNAUTHORIZED": {
      /**
       * @description The error code
       * @example UNAUTHORIZED
       */
      code: string;
      /**
       * @description An array of issues that were responsible for the error
       * @example []
       */
      issues?: {
        message: string;
      }[];
      /**
       * @description The error message
       * @example Authorization not provided
       */
      message: string;
    };
    Explanation: {
      allowed: boolean;
      /** @description The verdict in words, naming the first layer that denies */
      answer: string;
      layers: {
        allowed: boolean;
        avc?: string[];
        /** @enum {string} */
        layer: "trpc" | "database" | "hypervisor";
        reason: string;
      }[];
    };
    /** @description Counts added/removed: declared types, classes, allow rules (source, target, class), granted permissions, booleans */
    FlaskPolicyDiff: {
      booleans: {
        added: number;
        removed: number;
      };
      classes: {
        added: number;
        removed: number;
      };
      permissions: {
        added: number;
        removed: number;
      };
      rules: {
        added: number;
        removed: number;
      };
      types: {
        added: number;
        removed: number;
      };
    };
    FlaskPolicyOverview: {
      hosts: {
        assigned: {
          /** Format: uuid */
          id: string;
          sha256: string;
          version: number;
        } | null;
        booleanRequests: {
          error: string | null;
          name: string;
          /** @enum {string} */
          state: "pending" | "applied" | "failed";
          value: boolean;
        }[];
        booleans: {
          [key: string]: boolean;
        };
        comparison: {
          compared: number;
          differences: {
            granted: string[];
            origin: string;
            revoked: string[];
            source: string;
            target: string;
            tclass: string;
          }[];
          differing: number;
        } | null;
        /** @description Set while the host runs another policy than the one assigned (an alarm) */
        driftSince: string | null;
        /** Format: uuid */
        id: string;
        loadError: string | null;
        loadState: ("pending" | "loaded" | "failed") | null;
        name: string;
        reportedAt: string | null;
        reportedSha256: string | null;
        /** @enum {string} */
        status: "online" | "unreachable";
      }[];
      rollout: {
        canaryHostId: string | null;
        /**
         * Format: date-time
         * @description ISO 8601 date-time
         */
        createdAt: string;
        diff: components["schemas"]["FlaskPolicyDiff"] | null;
        /** Format: uuid */
        id: string;
        /** @enum {string} */
        kind: "rollout" | "rollback";
        /** @enum {string} */
        mode: "manual" | "automatic";
        policy: {
          /** Format: uuid */
          id: string;
          sha256: string;
          version: number;
        };
        previousPolicy: {
          /** Format: uuid */
          id: string;
          sha256: string;
          version: number;
        };
        /** @enum {string} */
        status: "canary" | "rolling" | "complete" | "stopped" | "superseded";
      } | null;
      target: {
        /** Format: uuid */
        id: string;
        sha256: string;
        version: number;
      };
      versions: components["schemas"]["FlaskPolicyVersion"][];
    };
    FlaskPolicyVersion: {
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      /** @description Against the fleet's policy when it was uploaded (null: it did not compile) */
      diff: components["schemas"]["FlaskPolicyDiff"] | null;
      fileName: string;
      /** @enum {string} */
      format: "text" | "binary";
      /** Format: uuid */
      id: string;
      isBuiltin: boolean;
      isValid: boolean;
      sha256: string;
      sizeBytes: number;
      validation: {
        checks: {
          name: string;
          ok: boolean;
          reasons: string[];
        }[];
        ok: boolean;
      };
      version: number;
    };
    FlaskPolicyVersionPage: {
      items: components["schemas"]["FlaskPolicyVersion"][];
      nextCursor: string | null;
    };
    FleetHost: {
      /** Format: uuid */
      id: string;
      lastSeenAt: string | null;
      memoryMb: number;
      /** @description Realms on the host beyond those listed */
      moreRealms: number;
      /** @description The count stopped at 1,000 realms: there are at least moreRealms more */
      moreRealmsAtLeast: boolean;
      name: string;
      /** @description The busiest realms on the host, most VMs first (at most 24) */
      realms: components["schemas"]["FleetRealm"][];
      /** @enum {string} */
      status: "online" | "unreachable";
      usedMemoryMb: number;
      usedVcpus: number;
      vcpus: number;
      /** @description Chinese Walls broken on this host: both realms of a conflict pair have VMs here */
      violations: {
        highOrg: string;
        lowOrg: string;
        /** Format: uuid */
        realmHigh: string;
        /** Format: uuid */
        realmLow: string;
      }[];
      vmCount: number;
    };
    FleetPage: {
      items: components["schemas"]["FleetHost"][];
      nextCursor: string | null;
    };
    FleetRealm: {
      /** @description The realm's MCS level, e.g. s0:c3,c4 */
      category: string;
      categoryHigh: number;
      categoryLow: number;
      /** @description The realm's management VM runs on this host */
      management: boolean;
      memoryMb: number;
      /** Format: uuid */
      orgId: string;
      orgName: string;
      orgSlug: string;
      /** Format: uuid */
      realmId: string;
      vcpus: number;
      /** @description The realm's VMs on this host (not destroyed) */
      vms: number;
    };
    FlowTest: {
      allowed: boolean | null;
      attempt: boolean;
      avc: string[];
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      decidedAt: string | null;
      /** Format: uuid */
      fromVmId: string;
      /** Format: uuid */
      id: string;
      /** @description The layer that decided: FLASK (netback label check), the NDVM (topology), a realm rule (or the default deny), a platform rule */
      layer: ("flask" | "ndvm" | "realm" | "platform") | null;
      /** Format: uuid */
      networkId: string;
      port: number | null;
      /** @enum {string} */
      protocol: "tcp" | "udp" | "icmp";
      reason: string | null;
      ruleId: string | null;
      /** @enum {string} */
      status: "pending" | "done" | "failed";
      toAddress: string | null;
      toVmId: string | null;
    };
    Host: {
      agentUrl: string;
      /** Format: uuid */
      id: string;
      lastError: string | null;
      lastSeenAt: string | null;
      memoryMb: number;
      name: string;
      /** @enum {string} */
      status: "online" | "unreachable";
      usedMemoryMb: number;
      usedVcpus: number;
      vcpus: number;
      /** @description Domains placed on the host (not destroyed) */
      vmCount: number;
    };
    HostPage: {
      items: components["schemas"]["Host"][];
      nextCursor: string | null;
    };
    Invitation: {
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      /** @description The inviting member's name */
      createdBy: string;
      email: string;
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      expiresAt: string;
      /** Format: uuid */
      id: string;
      /** @enum {string} */
      role: "owner" | "admin" | "operator" | "viewer";
    };
    InvitationPage: {
      items: components["schemas"]["Invitation"][];
      nextCursor: string | null;
    };
    MeasuredUsage: {
      /** @description vCPUs' worth of CPU time in use */
      busyVcpus: number;
      memoryAllocatedMb: number;
      memoryUsedMb: number;
      sampledAt: string | null;
      vcpus: number;
      vms: number;
    };
    Member: {
      email: string;
      name: string;
      /** @enum {string} */
      role: "owner" | "admin" | "operator" | "viewer";
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      since: string;
      /** Format: uuid */
      userId: string;
    };
    MemberPage: {
      items: components["schemas"]["Member"][];
      nextCursor: string | null;
    };
    MetricPoint: {
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      at: string;
      /** @description Share of the VM's vCPUs busy since the previous sample (0–100); null for the first sample or across a counter reset */
      cpuPercent: number | null;
      diskReadBps: number | null;
      diskReadIops: number | null;
      diskWriteBps: number | null;
      diskWriteIops: number | null;
      memoryMaxMb: number;
      memoryUsedMb: number;
      netRxBps: number | null;
      netTxBps: number | null;
      state: string;
      vcpus: number;
    };
    MigrationAccepted: {
      /** Format: uuid */
      destinationHostId: string;
      /** @description Present with ?wait=: the operation once done, or as it was when the wait ran out */
      operation?: components["schemas"]["Operation"];
      /** Format: uuid */
      operationId: string;
    };
    MigrationHost: {
      /** Format: uuid */
      id: string;
      name: string;
    };
    Network: {
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      /** Format: uuid */
      id: string;
      name: string;
      /** @description The VMs with an interface on it */
      vms: {
        vm: {
          /** Format: uuid */
          id: string;
          name: string;
        };
      }[];
    };
    NetworkNdvm: {
      /** @description The rule set the NDVM reported it enforces (version, SHA-256), as of its last sync */
      enforced: {
        hash: string | null;
        syncedAt: string | null;
        version: number | null;
      };
      ndvm: {
        domid: number | null;
        host: string;
        /** Format: uuid */
        id: string;
        name: string;
        state: string;
      };
      network: string;
      /** Format: uuid */
      networkId: string;
    };
    NetworkNdvmPage: {
      items: components["schemas"]["NetworkNdvm"][];
      nextCursor: string | null;
    };
    NetworkPage: {
      items: components["schemas"]["Network"][];
      nextCursor: string | null;
    };
    NetworkRule: {
      /** @description Simulated connection attempts this rule decided, on every NDVM of the realm (as last reported) */
      counters: {
        allowed: number;
        denied: number;
      };
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      from:
        | {
            /** Format: uuid */
            id: string;
            /** @constant */
            kind: "vm";
          }
        | {
            /** Format: uuid */
            id: string;
            /** @constant */
            kind: "network";
          };
      /** Format: uuid */
      id: string;
      /** @description A port range (from = to for one port); null: every port (icmp: always null) */
      ports: {
        from: number;
        to: number;
      } | null;
      /** @enum {string} */
      protocol: "tcp" | "udp" | "icmp" | "any";
      to:
        | {
            /** Format: uuid */
            id: string;
            /** @constant */
            kind: "vm";
          }
        | {
            /** Format: uuid */
            id: string;
            /** @constant */
            kind: "network";
          }
        | {
            /** @constant */
            kind: "uplink";
          };
    };
    NetworkRulePage: {
      defaultDeny: {
        allowed: number;
        denied: number;
      };
      items: components["schemas"]["NetworkRule"][];
      /** @description Attempts the realm's NDVMs decided before its rules: FLASK, the NDVM's topology (not connected), and the platform's rules summed (which platform rule is not shown) */
      layers: {
        flask: {
          allowed: number;
          denied: number;
        };
        platform: {
          allowed: number;
          denied: number;
        };
        topology: {
          allowed: number;
          denied: number;
        };
      };
      nextCursor: string | null;
    };
    Operation: {
      action: string;
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      /** @description succeeded or failed: the status will not change again */
      done: boolean;
      durationMs: number | null;
      error: string | null;
      finishedAt: string | null;
      /** Format: uuid */
      id: string;
      result: {
        /** @description The hypervisor's AVC lines */
        avc: string[];
        reason: string | null;
      } | null;
      startedAt: string | null;
      /** @enum {string} */
      status: "pending" | "running" | "retrying" | "succeeded" | "failed";
      steps: {
        at: string | null;
        detail: string | null;
        /** @enum {string} */
        name: "accepted" | "dispatched" | "retrying" | "applied";
        /** @enum {string} */
        status: "done" | "running" | "pending" | "failed";
      }[];
      /** Format: uuid */
      vmId: string;
    };
    OperationHistoryPage: {
      items: {
        action: string;
        /**
         * Format: date-time
         * @description ISO 8601 date-time
         */
        createdAt: string;
        /** @description succeeded or failed: the status will not change again */
        done: boolean;
        durationMs: number | null;
        error: string | null;
        finishedAt: string | null;
        /** Format: uuid */
        id: string;
        /** @description Who asked: a member's name (and API token), or system */
        requestedBy: string;
        result: {
          /** @description The hypervisor's AVC lines */
          avc: string[];
          reason: string | null;
        } | null;
        startedAt: string | null;
        /** @enum {string} */
        status: "pending" | "running" | "retrying" | "succeeded" | "failed";
        steps: {
          at: string | null;
          detail: string | null;
          /** @enum {string} */
          name: "accepted" | "dispatched" | "retrying" | "applied";
          /** @enum {string} */
          status: "done" | "running" | "pending" | "failed";
        }[];
        /** Format: uuid */
        vmId: string;
      }[];
      nextCursor: string | null;
    };
    OperatorAgreement: {
      channel: {
        delivered: number;
        reason: string | null;
        refused: number;
        /** @enum {string} */
        status: "none" | "waiting" | "open" | "closed";
      };
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      expiresAt: string;
      from: {
        name: string;
        org: string;
        vmId: string | null;
      };
      /** Format: uuid */
      id: string;
      port: number;
      /** @enum {string} */
      state: "proposed" | "active" | "revoked" | "expired" | "declined";
      to: {
        name: string;
        org: string;
        vmId: string | null;
      };
      twoWay: boolean;
    };
    OperatorAgreementPage: {
      items: components["schemas"]["OperatorAgreement"][];
      nextCursor: string | null;
    };
    OperatorAlarmPage: {
      items: components["schemas"]["OperatorAuditEvent"][];
      nextCursor: string | null;
    };
    OperatorApiToken: {
      allowedCidr: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      expiresAt: string;
      /** Format: uuid */
      id: string;
      lastUsedAddress: string | null;
      lastUsedAt: string | null;
      /** @description The token's public part: rgt_<lookupId>_… */
      lookupId: string;
      name: string;
      org: {
        /** Format: uuid */
        id: string;
        name: string;
        slug: string;
      };
      /** @description The member's email */
      owner: string;
      permissions: string[];
      /** Format: uuid */
      realmId: string;
      revokedAt: string | null;
      revokeReason: string | null;
      /** @enum {string} */
      status: "active" | "expired" | "revoked";
      /** Format: uuid */
      userId: string;
    };
    OperatorApiTokenPage: {
      items: components["schemas"]["OperatorApiToken"][];
      nextCursor: string | null;
    };
    OperatorAuditEvent: {
      action: string;
      /** @description The actor's email; null: the system */
      actor: string | null;
      actorId: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      /** @enum {string} */
      decision: "allow" | "deny";
      /** @description JSON as the layer recorded it (AVC lines, before/after…), or null */
      details: unknown;
      id: string;
      layer: string;
      /** @description The realm's organization; null: the platform */
      org: string | null;
      realmId: string | null;
      reason: string;
      requestId: string;
      targetId: string | null;
      targetType: string;
    };
    OperatorAuditPage: {
      items: components["schemas"]["OperatorAuditTrailEvent"][];
      nextCursor: string | null;
      prevCursor: string | null;
    };
    OperatorAuditTrailEvent: {
      action: string;
      /** @description The action in words ("Start VM") */
      actionWords: string;
      /** @description Who, in words: a member's email, "token <name> of <email>", "<email> (break-glass)", or "system" */
      actor: string;
      /** @description The acting user's id; null: the system */
      actorId: string | null;
      /** @enum {string} */
      actorKind: "user" | "token" | "operator" | "break-glass" | "system";
      /** @description The actor by name: name <email>, token <name (owner)> of …, (break-glass), system */
      actorName: string;
      avc: string[];
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      /**
       * @description The root event's decision
       * @enum {string}
       */
      decision: "allow" | "deny";
      /** @description A positive integer, as a string: the action's root event */
      id: string;
      /** @description trpc, database, hypervisor, worker or auth */
      layer: string;
      /** @description The actor's realm's organization; null: the platform */
      org: string | null;
      /**
       * @description deny when the root or any phase was denied
       * @enum {string}
       */
      outcome: "allow" | "deny";
      /** @description authorized (an action with phases), denied, or recorded */
      phase: string;
      /** @description The follow-up phases, oldest first */
      phases: components["schemas"]["AuditPhase"][];
      /** @description The id a probe named (another realm's, or none) */
      probedId: string | null;
      realmId: string | null;
      reason: string;
      /** @description The reason in plain words */
      reasonWords: string;
      requestId: string;
      /** @description The raw rule, when the words differ from it */
      rule: string | null;
      /** @description Where the action stands: its last phase (applied, failed), authorized, denied, recorded */
      status: string;
      targetId: string | null;
      /** @description The target's name (its last known one if deleted and recorded); null: unknown */
      targetName: string | null;
      targetOrg: string | null;
      /** @description A denial caused by a foreign id: the realm that owns the target (operators only) */
      targetRealmId: string | null;
      targetType: string;
    };
    OperatorDenialPage: {
      items: components["schemas"]["OperatorAuditEvent"][];
      nextCursor: string | null;
    };
    Organization: {
      category: string;
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      decommissionedAt: string | null;
      decommissionRequestedAt: string | null;
      /** Format: uuid */
      id: string;
      managementVm: {
        host: string | null;
        /** Format: uuid */
        id: string;
        reason: string | null;
        /** @enum {string} */
        state:
          | "creating"
          | "stopped"
          | "starting"
          | "running"
          | "stopping"
          | "paused"
          | "destroyed"
          | "failed"
          | "pausing"
          | "resuming"
          | "rebooting"
          | "migrating"
          | "attaching"
          | "detaching"
          | "resizing"
          | "snapshotting"
          | "reverting";
      } | null;
      memberCount: number;
      name: string;
      readyAt: string | null;
      /** Format: uuid */
      realmId: string;
      slug: string;
      /** @enum {string} */
      status: "provisioning" | "ready" | "failed" | "decommissioning" | "decommissioned";
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      statusChangedAt: string;
      statusReason: string | null;
      vmCount: number;
    };
    OrganizationDetail: {
      audit: {
        action: string;
        actorId: string | null;
        /**
         * Format: date-time
         * @description ISO 8601 date-time
         */
        createdAt: string;
        /** @enum {string} */
        decision: "allow" | "deny";
        id: string;
        layer: string;
        reason: string;
        targetId: string | null;
        targetType: string;
      }[];
      category: string;
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      decommissionedAt: string | null;
      decommissionRequestedAt: string | null;
      /** Format: uuid */
      id: string;
      managementVm: {
        host: string | null;
        /** Format: uuid */
        id: string;
        reason: string | null;
        /** @enum {string} */
        state:
          | "creating"
          | "stopped"
          | "starting"
          | "running"
          | "stopping"
          | "paused"
          | "destroyed"
          | "failed"
          | "pausing"
          | "resuming"
          | "rebooting"
          | "migrating"
          | "attaching"
          | "detaching"
          | "resizing"
          | "snapshotting"
          | "reverting";
      } | null;
      memberCount: number;
      name: string;
      readyAt: string | null;
      /** Format: uuid */
      realmId: string;
      slug: string;
      /** @enum {string} */
      status: "provisioning" | "ready" | "failed" | "decommissioning" | "decommissioned";
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      statusChangedAt: string;
      statusReason: string | null;
      vmCount: number;
    };
    OrganizationPage: {
      items: components["schemas"]["Organization"][];
      nextCursor: string | null;
    };
    PlatformNetworkRule: {
      address: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      /** Format: uuid */
      id: string;
      name: string;
      ports: {
        from: number;
        to: number;
      } | null;
      /** @enum {string} */
      protocol: "tcp" | "udp" | "icmp" | "any";
    };
    PlatformNetworkRulePage: {
      items: components["schemas"]["PlatformNetworkRule"][];
      nextCursor: string | null;
    };
    /** @description RFC 9457 problem details */
    Problem: {
      /** @description NOT_FOUND, BAD_REQUEST, … */
      code?: string;
      /** @description What is wrong, in words */
      detail: string;
      /** @description Field → problems */
      errors?: {
        [key: string]: string[];
      };
      instance?: string;
      requestId?: string;
      status: number;
      title: string;
      /** @description urn:realmgate:problem:<code> */
      type: string;
    };
    Quota: {
      limits: {
        diskGb: number;
        memoryMb: number;
        networks: number;
        vcpus: number;
        vms: number;
      };
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      updatedAt: string;
      used: {
        diskGb: number;
        memoryMb: number;
        networks: number;
        vcpus: number;
        vms: number;
      };
    };
    QuotaOverviewPage: {
      defaults: {
        diskGb: number;
        memoryMb: number;
        networks: number;
        vcpus: number;
        vms: number;
      } | null;
      items: {
        limits: {
          diskGb: number;
          memoryMb: number;
          networks: number;
          vcpus: number;
          vms: number;
        } | null;
        org: {
          name: string;
          slug: string;
        };
        /** Format: uuid */
        realmId: string;
        updatedAt: string | null;
        used: {
          diskGb: number;
          memoryMb: number;
          networks: number;
          vcpus: number;
          vms: number;
        } | null;
      }[];
      nextCursor: string | null;
    };
    Realm: {
      /** @description The realm's MLS category pair, e.g. s0:c10,c11 */
      category: string;
      /** Format: uuid */
      id: string;
      managementLabel: string;
      managementVm: components["schemas"]["Vm"] | null;
      org: {
        name: string;
        slug: string;
      };
      /** @description What the caller may do here: its role's grant, narrowed to its token's permissions */
      permissions: string[];
      /**
       * @description The caller's role (a break-glass grant's role for an operator)
       * @enum {string}
       */
      role: "owner" | "admin" | "operator" | "viewer";
    };
    RealmBoundary: {
      category: string;
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      guestCount: number;
      /** Format: uuid */
      id: string;
      managementLabel: string;
      managementVm: {
        domid: number | null;
        host: {
          name: string;
        } | null;
        /** Format: uuid */
        id: string;
        /** @enum {string} */
        observedState:
          | "creating"
          | "stopped"
          | "starting"
          | "running"
          | "stopping"
          | "paused"
          | "destroyed"
          | "failed"
          | "pausing"
          | "resuming"
          | "rebooting"
          | "migrating"
          | "attaching"
          | "detaching"
          | "resizing"
          | "snapshotting"
          | "reverting";
      } | null;
      org: {
        name: string;
        slug: string;
      };
    };
    RealmBoundaryPage: {
      items: components["schemas"]["RealmBoundary"][];
      nextCursor: string | null;
    };
    Snapshot: {
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      diskIds: string[];
      /** Format: uuid */
      id: string;
      memoryMb: number;
      name: string;
      /** @description Storage held against the realm's disk quota: the saved memory (whole GiB) and a copy of each disk */
      sizeGb: number;
      /**
       * @description creating / deleting: an operation on it is in flight
       * @enum {string}
       */
      status: "creating" | "ready" | "deleting";
      vcpus: number;
      /** Format: uuid */
      vmId: string;
      /**
       * @description The state the VM was saved in: a revert brings it back to it
       * @enum {string}
       */
      vmState: "running" | "paused" | "stopped";
    };
    SnapshotAccepted: {
      /** @description Present with ?wait=: the operation once done, or as it was when the wait ran out */
      operation?: components["schemas"]["Operation"];
      /** Format: uuid */
      operationId: string;
      /** Format: uuid */
      snapshotId: string;
    };
    SnapshotPage: {
      items: components["schemas"]["Snapshot"][];
      nextCursor: string | null;
    };
    Template: {
      description: string;
      diskGb: number;
      /** Format: uuid */
      id: string;
      memoryMb: number;
      name: string;
      vcpus: number;
    };
    TemplatePage: {
      items: components["schemas"]["Template"][];
      nextCursor: string | null;
    };
    UserMatch: {
      email: string;
      /** Format: uuid */
      id: string;
      isPlatformOperator: boolean;
      name: string;
    };
    UserMatchPage: {
      items: components["schemas"]["UserMatch"][];
      nextCursor: string | null;
    };
    Vm: {
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      /** @enum {string} */
      desiredState:
        | "creating"
        | "stopped"
        | "starting"
        | "running"
        | "stopping"
        | "paused"
        | "destroyed"
        | "failed"
        | "pausing"
        | "resuming"
        | "rebooting"
        | "migrating"
        | "attaching"
        | "detaching"
        | "resizing"
        | "snapshotting"
        | "reverting";
      disks: {
        /** @description The realm's driver domain serving the device (an untrusted backend: data is sealed with AES-GCM); null: the platform's trusted backend */
        backend: {
          /** Format: uuid */
          id: string;
          name: string;
        } | null;
        /** @description Why the device is detached from its backend (the host's answer, with FLASK's AVC lines); null otherwise */
        backendReason: string | null;
        /** @description attached; reattaching (its driver domain was rebuilt: the worker attaches it again); detached (the host refused: backendReason) */
        backendState: string;
        /** Format: uuid */
        id: string;
        name: string;
        sizeGb: number;
      }[];
      /** @description The Xen domain id while a domain exists */
      domid: number | null;
      host: {
        /** Format: uuid */
        id: string;
        name: string;
        /** @enum {string} */
        status: "online" | "unreachable";
      } | null;
      /** Format: uuid */
      id: string;
      /** @enum {string} */
      kind: "management" | "guest";
      memoryMb: number;
      name: string;
      networks: {
        /** @description The realm's driver domain serving the device (an untrusted backend: data is sealed with AES-GCM); null: the platform's trusted backend */
        backend: {
          /** Format: uuid */
          id: string;
          name: string;
        } | null;
        /** @description Why the device is detached from its backend (the host's answer, with FLASK's AVC lines); null otherwise */
        backendReason: string | null;
        /** @description attached; reattaching (its driver domain was rebuilt: the worker attaches it again); detached (the host refused: backendReason) */
        backendState: string;
        network: {
          /** Format: uuid */
          id: string;
          name: string;
        };
      }[];
      /** @enum {string} */
      observedState:
        | "creating"
        | "stopped"
        | "starting"
        | "running"
        | "stopping"
        | "paused"
        | "destroyed"
        | "failed"
        | "pausing"
        | "resuming"
        | "rebooting"
        | "migrating"
        | "attaching"
        | "detaching"
        | "resizing"
        | "snapshotting"
        | "reverting";
      /** Format: uuid */
      realmId: string;
      stateReason: string | null;
      template: {
        /** Format: uuid */
        id: string;
        name: string;
      } | null;
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      updatedAt: string;
      vcpus: number;
    };
    VmAccepted: {
      /** @description Present with ?wait=: the operation once done, or as it was when the wait ran out */
      operation?: components["schemas"]["Operation"];
      /** Format: uuid */
      operationId: string;
      /** Format: uuid */
      vmId: string;
    };
    VmMatch: {
      host: string | null;
      /** Format: uuid */
      id: string;
      /** @enum {string} */
      kind: "guest" | "management";
      name: string;
      observedState: string;
      org: string;
      orgSlug: string;
      /** Format: uuid */
      realmId: string;
    };
    VmMatchPage: {
      items: components["schemas"]["VmMatch"][];
      nextCursor: string | null;
    };
    VmMetrics: {
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      from: string;
      intervalSeconds: number;
      points: components["schemas"]["MetricPoint"][];
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      to: string;
    };
    VmPage: {
      items: components["schemas"]["Vm"][];
      nextCursor: string | null;
    };
    VmRenamed: {
      name: string;
      /** Format: uuid */
      vmId: string;
    };
    WallMove: {
      fromHost: string;
      /** @enum {string} */
      kind: "guest" | "management";
      org: string;
      /** Format: uuid */
      realmId: string;
      toHost: string;
      vm: string;
      /** Format: uuid */
      vmId: string;
    };
    WallPlan: {
      coLocated: components["schemas"]["CoLocatedVm"][];
      plan: {
        moves: components["schemas"]["WallMove"][];
        possible: boolean;
        reason: string | null;
      };
    };
    WallViolation: {
      a: string;
      b: string;
      coLocated: components["schemas"]["CoLocatedVm"][];
      /**
       * Format: date-time
       * @description ISO 8601 date-time
       */
      createdAt: string;
      /** Format: uuid */
      realmA: string;
      /** Format: uuid */
      realmB: string;
      reason: string;
    };
    WallViolationPage: {
      items: components["schemas"]["WallViolation"][];
      nextCursor: string | null;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  "agreement-test": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        agreementTestId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AgreementTest"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "agreement-list": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AgreementPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "agreement-propose": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /**
           * @description Default 7
           * @default null
           */
          expiresInDays?: number | null;
          /**
           * Format: uuid
           * @description This realm's VM that may send
           */
          fromVmId: string;
          idempotencyKey?: string;
          /**
           * @description The Argo port (default 7000)
           * @default null
           */
          port?: number | null;
          targetOrg: string;
          targetVmName: string;
          /**
           * @description true: the other VM may send back too
           * @default false
           */
          twoWay?: boolean;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** Format: uuid */
            agreementId: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "agreement-accept": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        agreementId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** Format: uuid */
            agreementId: string;
            /** @constant */
            state: "active";
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "agreement-decline": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        agreementId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** Format: uuid */
            agreementId: string;
            /** @constant */
            state: "declined";
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "agreement-revoke": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        agreementId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** Format: uuid */
            agreementId: string;
            /** @constant */
            state: "revoked";
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "agreement-sendTest": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        agreementId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
          /**
           * @description true: from the destination VM back to the source (refused by the hypervisor unless two-way)
           * @default false
           */
          reverse?: boolean;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** Format: uuid */
            agreementTestId: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "realm-audit": {
    parameters: {
      query?: {
        action?: string;
        actor?: string;
        after?: string;
        before?: string;
        cursor?: string;
        decision?: "allow" | "deny";
        direction?: "forward" | "backward";
        from?: string;
        layer?: string;
        limit?: number;
        target?: string;
        to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AuditPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "realm-auditVerify": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AuditVerifyReport"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "backend-list": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["BackendPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "backend-create": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
          name: string;
          /**
           * Format: uuid
           * @description A VM of the realm: the driver domain is built on its host
           */
          vmId: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** Format: uuid */
            backendId: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "backend-remove": {
    parameters: {
      query?: {
        confirm?: boolean;
        idempotencyKey?: string;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        backendId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @description VMs whose interfaces are being detached (the driver domain is removed once they are) */
            disconnecting: string[];
            removed: boolean;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "backend-removalPreview": {
    parameters: {
      query?: {
        idempotencyKey?: string;
      };
      header?: never;
      path: {
        backendId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** Format: uuid */
            backendId: string;
            isNdvm: boolean;
            name: string;
            networks: {
              /** Format: uuid */
              id: string;
              name: string;
            }[];
            vms: {
              /** Format: uuid */
              id: string;
              name: string;
              network: string;
            }[];
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-console-close": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        consoleId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            closed: boolean;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-console-send": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        consoleId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          data: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            accepted: number;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-console-read": {
    parameters: {
      query?: {
        after?: string;
      };
      header?: never;
      path: {
        consoleId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ConsoleOutput"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "disk-list": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DiskPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "disk-create": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
          name: string;
          sizeGb: number;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** Format: uuid */
            diskId: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "disk-delete": {
    parameters: {
      query?: {
        idempotencyKey?: string;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        diskId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            deleted: boolean;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "network-flowTest": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        flowTestId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["FlowTest"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "realm-invitations-list": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["InvitationPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "realm-invitations-create": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          email: string;
          /** @enum {string} */
          role: "owner" | "admin" | "operator" | "viewer";
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CreatedInvitation"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "realm-invitations-revoke": {
    parameters: {
      query?: {
        idempotencyKey?: string;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        invitationId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @constant */
            revoked: true;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "realm-members-list": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MemberPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "realm-members-remove": {
    parameters: {
      query?: {
        idempotencyKey?: string;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        userId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @constant */
            removed: true;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "realm-members-changeRole": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        userId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
          /** @enum {string} */
          role: "owner" | "admin" | "operator" | "viewer";
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {string} */
            role: "owner" | "admin" | "operator" | "viewer";
            /** Format: uuid */
            userId: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "network-rules": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["NetworkRulePage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "network-addRule": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          from:
            | {
                /** Format: uuid */
                id: string;
                /** @constant */
                kind: "vm";
              }
            | {
                /** Format: uuid */
                id: string;
                /** @constant */
                kind: "network";
              };
          idempotencyKey?: string;
          /**
           * @description A port range (from = to for one port); null: every port (icmp: always null)
           * @default null
           */
          ports?: {
            from: number;
            to: number;
          } | null;
          /** @enum {string} */
          protocol: "tcp" | "udp" | "icmp" | "any";
          to:
            | {
                /** Format: uuid */
                id: string;
                /** @constant */
                kind: "vm";
              }
            | {
                /** Format: uuid */
                id: string;
                /** @constant */
                kind: "network";
              }
            | {
                /** @constant */
                kind: "uplink";
              };
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** Format: uuid */
            ruleId: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "network-removeRule": {
    parameters: {
      query?: {
        idempotencyKey?: string;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        ruleId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            removed: boolean;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "network-list": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["NetworkPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "network-create": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
          name: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** Format: uuid */
            networkId: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "network-delete": {
    parameters: {
      query?: {
        idempotencyKey?: string;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        networkId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            deleted: boolean;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "network-testFlow": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        networkId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /**
           * @description true: a simulated connection attempt, counted against the deciding rule
           * @default false
           */
          attempt?: boolean;
          destination:
            | {
                /** @constant */
                kind: "vm";
                /** Format: uuid */
                vmId: string;
              }
            | {
                /** @default null */
                address?: string | null;
                /** @constant */
                kind: "uplink";
              };
          /** Format: uuid */
          fromVmId: string;
          idempotencyKey?: string;
          /** @default null */
          port?: number | null;
          /** @enum {string} */
          protocol: "tcp" | "udp" | "icmp";
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** Format: uuid */
            flowTestId: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "network-setNdvm": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        networkId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /**
           * Format: uuid
           * @description A driver domain of the realm; left out: back to the platform's network backend
           */
          backendId?: string;
          idempotencyKey?: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** Format: uuid */
            networkId: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "network-ndvms": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["NetworkNdvmPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operation-get": {
    parameters: {
      query?: {
        /** @description Seconds (0–60) to wait for the operation to finish before answering */
        wait?: number;
      };
      header?: never;
      path: {
        operationId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Operation"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-activity": {
    parameters: {
      query?: {
        before?: string;
        window?: "1h" | "6h" | "24h" | "7d";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Activity"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-agreements-list": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["OperatorAgreementPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-alarms": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["OperatorAlarmPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-audit-checkpoint": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        "application/json": Record<string, never>;
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            chains: number;
            createdAt: string;
            name: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-audit-publicKey": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @constant */
            algorithm: "Ed25519";
            publicKey: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-trail": {
    parameters: {
      query?: {
        action?: string;
        actor?: string;
        after?: string;
        againstRealmId?: string;
        before?: string;
        cursor?: string;
        decision?: "allow" | "deny";
        direction?: "forward" | "backward";
        from?: string;
        layer?: string;
        limit?: number;
        realmId?: string | "platform";
        target?: string;
        to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["OperatorAuditPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-audit-verify": {
    parameters: {
      query?: {
        realmId?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AuditVerifyReport"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-breakGlass-list": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["BreakGlassGrantPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-breakGlass-request": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          minutes: number;
          /** Format: uuid */
          realmId: string;
          reason: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /**
             * Format: date-time
             * @description ISO 8601 date-time
             */
            expiresAt: string;
            /** Format: uuid */
            grantId: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-breakGlass-revoke": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        grantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @constant */
            revoked: true;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-conflicts-list": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ConflictSetPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-conflicts-add": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /**
           * @default refuse
           * @enum {string}
           */
          onViolation?: "refuse" | "pending" | "migrate";
          /** Format: uuid */
          realmA: string;
          /** Format: uuid */
          realmB: string;
          reason: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @constant */
            added: true;
            coLocated: components["schemas"]["CoLocatedVm"][];
            migrations: {
              fromHost: string;
              /** @enum {string} */
              kind: "guest" | "management";
              /** Format: uuid */
              operationId: string;
              org: string;
              /** Format: uuid */
              realmId: string;
              toHost: string;
              vm: string;
              /** Format: uuid */
              vmId: string;
            }[];
            /** @description Stored although the realms share a host now */
            pending: boolean;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-conflicts-remove": {
    parameters: {
      query: {
        reason: string;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        realmA: string;
        realmB: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @constant */
            removed: true;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-conflicts-plan": {
    parameters: {
      query: {
        realmA: string;
        realmB: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WallPlan"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-conflicts-violations": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WallViolationPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-denials": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["OperatorDenialPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-explain": {
    parameters: {
      query: {
        permission:
          | "realm.read"
          | "vm.read"
          | "vm.create"
          | "vm.start"
          | "vm.stop"
          | "vm.pause"
          | "vm.resume"
          | "vm.reboot"
          | "vm.migrate"
          | "vm.devices"
          | "vm.destroy"
          | "vm.configure"
          | "vm.snapshot"
          | "vm.console"
          | "storage.manage"
          | "network.manage"
          | "audit.read"
          | "realm.members.read"
          | "realm.members.manage"
          | "realm.tokens.manage"
          | "realm.agreements.manage";
        userEmail: string;
        vmId: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Explanation"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-explainArgo": {
    parameters: {
      query: {
        fromVmId: string;
        toVmId: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ArgoExplanation"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-fleet": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["FleetPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-hosts": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HostPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-networkRules-list": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PlatformNetworkRulePage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-networkRules-add": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /** @default null */
          address?: string | null;
          name: string;
          /** @default null */
          ports?: {
            from: number;
            to: number;
          } | null;
          /** @enum {string} */
          protocol: "tcp" | "udp" | "icmp" | "any";
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** Format: uuid */
            ruleId: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-networkRules-remove": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        ruleId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            removed: boolean;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-organizations-list": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["OrganizationPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-organizations-create": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          name: string;
          slug: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            category: string;
            /** Format: uuid */
            orgId: string;
            /** Format: uuid */
            realmId: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-organizations-get": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        orgId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["OrganizationDetail"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-organizations-auditPage": {
    parameters: {
      query?: {
        afterId?: string;
      };
      header?: never;
      path: {
        orgId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AuditExportPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-organizations-decommission": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        orgId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          confirmSlug: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            membersRemoved: number;
            /** Format: uuid */
            realmId: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-invitations-inviteOwner": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        orgId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          email: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CreatedInvitation"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-organizations-retry": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        orgId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** Format: uuid */
            operationId: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-policy-overview": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["FlaskPolicyOverview"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-policy-setBoolean": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        hostId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          name: string;
          value: boolean;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @constant */
            requested: true;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-policy-rollback": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        "application/json": Record<string, never>;
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** Format: uuid */
            rolloutId: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-policy-canary": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /** Format: uuid */
          canaryHostId: string;
          /** Format: uuid */
          policyId: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** Format: uuid */
            rolloutId: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-policy-continue": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        rolloutId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /**
           * @default manual
           * @enum {string}
           */
          mode?: "manual" | "automatic";
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @description The host assigned now; null: every host has it */
            host: string | null;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-policy-versions": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["FlaskPolicyVersionPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-policy-upload": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /** Format: base64 */
          content: string;
          fileName: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            existing: boolean;
            version: components["schemas"]["FlaskPolicyVersion"];
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-quotas-list": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["QuotaOverviewPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-quotas-set": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        realmId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          diskGb?: number;
          memoryMb?: number;
          networks?: number;
          reason: string;
          vcpus?: number;
          vms?: number;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            limits: {
              diskGb: number;
              memoryMb: number;
              networks: number;
              vcpus: number;
              vms: number;
            };
            override: boolean;
            /** Format: uuid */
            realmId: string;
            used: {
              diskGb: number;
              memoryMb: number;
              networks: number;
              vcpus: number;
              vms: number;
            };
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-realms": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["RealmBoundaryPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-search-users": {
    parameters: {
      query: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
        query: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UserMatchPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-search-vms": {
    parameters: {
      query: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
        query: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["VmMatchPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-tokens-list": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
        orgId?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["OperatorApiTokenPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "operator-tokens-revoke": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        tokenId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          reason: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** Format: uuid */
            id: string;
            /**
             * Format: date-time
             * @description ISO 8601 date-time
             */
            revokedAt: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "realm-get": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Realm"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-measuredUsage": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MeasuredUsage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "realm-quota": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Quota"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "template-list": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["TemplatePage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "token-list": {
    parameters: {
      query?: {
        all?: boolean;
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApiTokenPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "token-create": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /** @description Client address range, e.g. 203.0.113.0/24 */
          allowedCidr?: string | null;
          /** Format: date-time */
          expiresAt?: string;
          expiresInDays?: number;
          name: string;
          permissions: (
            | "realm.read"
            | "vm.read"
            | "vm.create"
            | "vm.start"
            | "vm.stop"
            | "vm.pause"
            | "vm.resume"
            | "vm.reboot"
            | "vm.migrate"
            | "vm.devices"
            | "vm.destroy"
            | "vm.configure"
            | "vm.snapshot"
            | "vm.console"
            | "storage.manage"
            | "network.manage"
            | "audit.read"
            | "realm.members.read"
            | "realm.members.manage"
            | "realm.tokens.manage"
            | "realm.agreements.manage"
          )[];
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            allowedCidr: string | null;
            /**
             * Format: date-time
             * @description ISO 8601 date-time
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description ISO 8601 date-time
             */
            expiresAt: string;
            /** Format: uuid */
            id: string;
            lastUsedAddress: string | null;
            lastUsedAt: string | null;
            /** @description The token's public part: rgt_<lookupId>_… */
            lookupId: string;
            name: string;
            /** @description The member's email */
            owner: string;
            permissions: string[];
            revokedAt: string | null;
            revokeReason: string | null;
            /** @enum {string} */
            status: "active" | "expired" | "revoked";
            /** @description The secret: shown once, stored hashed */
            token: string;
            /** Format: uuid */
            userId: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "token-revoke": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        tokenId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** Format: uuid */
            id: string;
            /**
             * Format: date-time
             * @description ISO 8601 date-time
             */
            revokedAt: string;
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-list": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["VmPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-create": {
    parameters: {
      query?: {
        /** @description Seconds (0–60) to wait for the operation to finish before answering */
        wait?: number;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
          memoryMb?: number;
          name: string;
          /** Format: uuid */
          templateId: string;
          vcpus?: number;
        };
      };
    };
    responses: {
      /** @description With ?wait=: the operation finished within the wait */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["VmAccepted"];
        };
      };
      /** @description Accepted: the operation runs on; follow it at Location */
      202: {
        headers: {
          /** @description The operation */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["VmAccepted"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-get": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Vm"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-clone": {
    parameters: {
      query?: {
        /** @description Seconds (0–60) to wait for the operation to finish before answering */
        wait?: number;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
          name: string;
        };
      };
    };
    responses: {
      /** @description With ?wait=: the operation finished within the wait */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CloneAccepted"];
        };
      };
      /** @description Accepted: the operation runs on; follow it at Location */
      202: {
        headers: {
          /** @description The operation */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CloneAccepted"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-console-open": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ConsoleOpened"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-destroy": {
    parameters: {
      query?: {
        /** @description Seconds (0–60) to wait for the operation to finish before answering */
        wait?: number;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
        };
      };
    };
    responses: {
      /** @description With ?wait=: the operation finished within the wait */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Accepted: the operation runs on; follow it at Location */
      202: {
        headers: {
          /** @description The operation */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-attachDisk": {
    parameters: {
      query?: {
        /** @description Seconds (0–60) to wait for the operation to finish before answering */
        wait?: number;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /**
           * Format: uuid
           * @description A driver domain of the realm (untrusted backend: blocks are sealed); absent: the platform's trusted backend
           */
          backendId?: string;
          /** Format: uuid */
          diskId: string;
          idempotencyKey?: string;
        };
      };
    };
    responses: {
      /** @description With ?wait=: the operation finished within the wait */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Accepted: the operation runs on; follow it at Location */
      202: {
        headers: {
          /** @description The operation */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-detachDisk": {
    parameters: {
      query?: {
        idempotencyKey?: string;
        /** @description Seconds (0–60) to wait for the operation to finish before answering */
        wait?: number;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        diskId: string;
        vmId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description With ?wait=: the operation finished within the wait */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Accepted: the operation runs on; follow it at Location */
      202: {
        headers: {
          /** @description The operation */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-metrics": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["VmMetrics"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-migrate": {
    parameters: {
      query?: {
        /** @description Seconds (0–60) to wait for the operation to finish before answering */
        wait?: number;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /** Format: uuid */
          destinationHostId?: string;
          idempotencyKey?: string;
        };
      };
    };
    responses: {
      /** @description With ?wait=: the operation finished within the wait */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MigrationAccepted"];
        };
      };
      /** @description Accepted: the operation runs on; follow it at Location */
      202: {
        headers: {
          /** @description The operation */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MigrationAccepted"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-migrationHosts": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            hosts: components["schemas"]["MigrationHost"][];
          };
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-attachNetwork": {
    parameters: {
      query?: {
        /** @description Seconds (0–60) to wait for the operation to finish before answering */
        wait?: number;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /**
           * Format: uuid
           * @description A driver domain of the realm (untrusted backend: blocks are sealed); absent: the platform's trusted backend
           */
          backendId?: string;
          idempotencyKey?: string;
          /** Format: uuid */
          networkId: string;
        };
      };
    };
    responses: {
      /** @description With ?wait=: the operation finished within the wait */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Accepted: the operation runs on; follow it at Location */
      202: {
        headers: {
          /** @description The operation */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-detachNetwork": {
    parameters: {
      query?: {
        idempotencyKey?: string;
        /** @description Seconds (0–60) to wait for the operation to finish before answering */
        wait?: number;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        networkId: string;
        vmId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description With ?wait=: the operation finished within the wait */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Accepted: the operation runs on; follow it at Location */
      202: {
        headers: {
          /** @description The operation */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-history": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["OperationHistoryPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-inFlight": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Operation"] | null;
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-pause": {
    parameters: {
      query?: {
        /** @description Seconds (0–60) to wait for the operation to finish before answering */
        wait?: number;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
        };
      };
    };
    responses: {
      /** @description With ?wait=: the operation finished within the wait */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Accepted: the operation runs on; follow it at Location */
      202: {
        headers: {
          /** @description The operation */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-reboot": {
    parameters: {
      query?: {
        /** @description Seconds (0–60) to wait for the operation to finish before answering */
        wait?: number;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
        };
      };
    };
    responses: {
      /** @description With ?wait=: the operation finished within the wait */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Accepted: the operation runs on; follow it at Location */
      202: {
        headers: {
          /** @description The operation */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-rename": {
    parameters: {
      query?: never;
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
          name: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["VmRenamed"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-resize": {
    parameters: {
      query?: {
        /** @description Seconds (0–60) to wait for the operation to finish before answering */
        wait?: number;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
          memoryMb?: number;
          vcpus?: number;
        };
      };
    };
    responses: {
      /** @description With ?wait=: the operation finished within the wait */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Accepted: the operation runs on; follow it at Location */
      202: {
        headers: {
          /** @description The operation */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-resume": {
    parameters: {
      query?: {
        /** @description Seconds (0–60) to wait for the operation to finish before answering */
        wait?: number;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
        };
      };
    };
    responses: {
      /** @description With ?wait=: the operation finished within the wait */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Accepted: the operation runs on; follow it at Location */
      202: {
        headers: {
          /** @description The operation */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-snapshots": {
    parameters: {
      query?: {
        cursor?: string;
        direction?: "forward" | "backward";
        limit?: number;
      };
      header?: never;
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SnapshotPage"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-snapshot": {
    parameters: {
      query?: {
        /** @description Seconds (0–60) to wait for the operation to finish before answering */
        wait?: number;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
          name?: string;
        };
      };
    };
    responses: {
      /** @description With ?wait=: the operation finished within the wait */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SnapshotAccepted"];
        };
      };
      /** @description Accepted: the operation runs on; follow it at Location */
      202: {
        headers: {
          /** @description The operation */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SnapshotAccepted"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-deleteSnapshot": {
    parameters: {
      query?: {
        idempotencyKey?: string;
        /** @description Seconds (0–60) to wait for the operation to finish before answering */
        wait?: number;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        snapshotId: string;
        vmId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description With ?wait=: the operation finished within the wait */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Accepted: the operation runs on; follow it at Location */
      202: {
        headers: {
          /** @description The operation */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-revert": {
    parameters: {
      query?: {
        /** @description Seconds (0–60) to wait for the operation to finish before answering */
        wait?: number;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        snapshotId: string;
        vmId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
        };
      };
    };
    responses: {
      /** @description With ?wait=: the operation finished within the wait */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Accepted: the operation runs on; follow it at Location */
      202: {
        headers: {
          /** @description The operation */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-start": {
    parameters: {
      query?: {
        /** @description Seconds (0–60) to wait for the operation to finish before answering */
        wait?: number;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
        };
      };
    };
    responses: {
      /** @description With ?wait=: the operation finished within the wait */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Accepted: the operation runs on; follow it at Location */
      202: {
        headers: {
          /** @description The operation */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
  "vm-stop": {
    parameters: {
      query?: {
        /** @description Seconds (0–60) to wait for the operation to finish before answering */
        wait?: number;
      };
      header?: {
        /** @description Retrying with the same key and request returns the first answer (24 h) instead of acting twice */
        "Idempotency-Key"?: string;
      };
      path: {
        vmId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          idempotencyKey?: string;
          /**
           * @default clean
           * @enum {string}
           */
          mode?: "clean" | "hard";
        };
      };
    };
    responses: {
      /** @description With ?wait=: the operation finished within the wait */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Accepted: the operation runs on; follow it at Location */
      202: {
        headers: {
          /** @description The operation */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Accepted"];
        };
      };
      /** @description Invalid input (the fields are named in errors) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No credential, or an expired, revoked or unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Your role or your token does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Not found (or not in your realm) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limited: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Internal server error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["error.INTERNAL_SERVER_ERROR"];
        };
      };
    };
  };
}
