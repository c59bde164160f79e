import type { ArgoAction, BlockAction, BridgeAction, NetAction, ConsoleAction, DeviceAction, DomainAction, EvtchnAction, GrantAction, XenstoreAction } from "./types";

/**
 * The total operation table, like Xen's flask_domctl: every operation the agent exposes maps to
 * the explicit list of XSM checks (source → target : class perms) it makes, in Xen's order.
 *
 * Threat: an operation added without checks would run unchecked. The table is typed as a
 * Record over every operation name derived from the hypervisor's action lists (types.ts), so a
 * new action without an entry does not compile; operations.test.ts enumerates the lists again
 * at run time (and the agent's routes.test.ts its HTTP routes); runChecks denies any name it
 * does not find (fail closed). Explain rehearses the same hooks (explain.ts), so it cannot
 * disagree with this table.
 *
 * Each hook binds the roles to principals and runs the checks through runChecks
 * (host-context.ts). A target that is a domain is seen through the source's eyes: itself → its
 * self label, its device-model target → target_sid, otherwise the domain's sid; `seenBy` takes
 * another role's view (an event channel is bound to the peer as the channel's owner sees it).
 */

export type Role =
  /** The XSM subject of the request: the realm's management domain, or dom0. */
  | "subject"
  /** The domain that issues a guest-side hypercall (evtchn, grants, xenstore, Argo, frontends). */
  | "actor"
  /** The domain a domctl acts upon. */
  | "domain"
  /** The other domain of a channel, grant, ring. */
  | "peer"
  /** create: the label the domain is built under (init_seclabel if given, else seclabel). */
  | "build"
  /** create with init_seclabel: the label it is relabelled to before the first unpause. */
  | "seclabel"
  /** The label of a channel being created, and of the peer's existing channel. */
  | "channel"
  | "peerChannel"
  /** Grant copy: the owners of the source and destination buffers. */
  | "source"
  | "dest"
  /** PV devices: the disk or network, the backend domain, and the backend's channel. */
  | "resource"
  | "backend"
  | "backendChannel"
  /** A saved domain image (a snapshot): it carries the label of the domain it was taken of. */
  | "saved"
  /** Fixed objects: the hypervisor, DOMID_XEN, the security server. */
  | "xen"
  | "domxen"
  | "security";

export type Flag =
  /** The actor is not the subject itself: the toolstack drives the actor. */
  | "delegated"
  /** create with init_seclabel. */
  | "relabel"
  /** A grant mapping without GNTMAP_readonly. */
  | "writable"
  /** Argo: a single-source ring, or a wildcard (any-source) ring. */
  | "singleSource"
  | "anySource";

export type Check = {
  source: Role;
  target: Role;
  /** Whose view of the target domain to use (default: the source's). */
  seenBy?: Role;
  tclass: string;
  perms: readonly string[];
  /** Only when the flag is set; `plus` adds permissions to the same check when its flag is set. */
  when?: Flag;
  plus?: { when: Flag; perms: readonly string[] };
};

export type OperationSpec = {
  checks: readonly Check[];
  /** The ACM (sHype) hook the operation passes through after XSM, if any. */
  acm?: "start" | "destroy" | "share" | "use" | "reload";
  /** Why the list is what it is, where that is not obvious. */
  note?: string;
};

export type OperationName =
  | `domain.${DomainAction}`
  | `evtchn.${EvtchnAction}`
  | `grant.${GrantAction}`
  | `xenstore.${XenstoreAction}`
  | `argo.${ArgoAction}`
  | `device.${DeviceAction}`
  | `console.${ConsoleAction}`
  | `block.${BlockAction}`
  | `net.${NetAction}`
  | `bridge.${BridgeAction}`
  | "domain.list"
  | "domain.getdomaininfo"
  | "host.status"
  | "host.snapshot"
  | "host.crash"
  | "acm.load"
  | "xsm.access-check"
  | "xsm.load-policy"
  | "xsm.setbool";

/**
 * The toolstack making a guest issue a hypercall (the simulation's stand-in for
 * XEN_DOMCTL_sendtrigger): a realm's management domain may drive its own realm's domains only
 * (the MCS write constraint on `domain`), so a request naming another realm's domain is denied
 * here, with an AVC line, before the guest-side hook runs.
 */
const DRIVE: Check = { source: "subject", target: "actor", tclass: "domain", perms: ["trigger"], when: "delegated" };

/** xl create: createdomain, the build set, console and xenstore channels, optional relabel. */
const CREATE: readonly Check[] = [
  { source: "subject", target: "build", tclass: "domain", perms: ["create"] },
  { source: "subject", target: "build", tclass: "domain", perms: ["max_vcpus", "setdomainmaxmem", "setvcpucontext", "getdomaininfo"] },
  { source: "subject", target: "build", tclass: "mmu", perms: ["map_read", "map_write", "adjust", "physmap"] },
  { source: "subject", target: "build", tclass: "grant", perms: ["setup"] },
  // Console and xenstore rings: allocated in the new domain for the subject (two channels, same labels).
  { source: "subject", target: "channel", tclass: "event", perms: ["create"] },
  { source: "channel", target: "subject", seenBy: "build", tclass: "event", perms: ["bind"] },
  // init_seclabel: relabel before the first unpause (flask_relabel_domain, not on itself).
  { source: "subject", target: "build", tclass: "domain2", perms: ["relabelfrom"], when: "relabel" },
  { source: "subject", target: "seclabel", tclass: "domain2", perms: ["relabelto"], when: "relabel" },
  { source: "build", target: "seclabel", tclass: "domain", perms: ["transition"], when: "relabel" },
];

/** Save and live migration out (xc_domain_save): read memory and state, log-dirty, the TSC. */
const SAVE: readonly Check[] = [
  { source: "subject", target: "domain", tclass: "mmu", perms: ["stat", "pageinfo", "map_read"] },
  { source: "subject", target: "domain", tclass: "hvm", perms: ["gethvmc"] },
  { source: "subject", target: "domain", tclass: "domain", perms: ["getvcpucontext", "pause"] },
  { source: "subject", target: "domain", tclass: "shadow", perms: ["enable", "disable", "logdirty"] },
  { source: "subject", target: "domain", tclass: "domain2", perms: ["gettsc"] },
  { source: "subject", target: "domain", tclass: "domain", perms: ["destroy"] },
];

/** xl save -c (a checkpoint): the reads of a save without its destroy; the domain keeps running. */
const CHECKPOINT: readonly Check[] = SAVE.filter((c) => !c.perms.includes("destroy"));

const unpause = (perm: string): readonly Check[] => [{ source: "subject", target: "domain", tclass: "domain", perms: [perm] }];

/** evtchn_bind_interdomain: the binder's new channel, and the peer's channel re-validated. */
const BIND: readonly Check[] = [
  DRIVE,
  { source: "actor", target: "channel", tclass: "event", perms: ["create"] },
  { source: "channel", target: "peer", seenBy: "actor", tclass: "event", perms: ["bind"] },
  { source: "peerChannel", target: "actor", seenBy: "peer", tclass: "event", perms: ["bind"] },
];

/** A PV frontend/backend pair: use the resource, the two-sided channel handshake, the ring grant. */
const ATTACH: readonly Check[] = [
  DRIVE,
  { source: "actor", target: "resource", tclass: "resource", perms: ["use"] },
  // The frontend allocates an unbound port for the backend …
  { source: "actor", target: "channel", tclass: "event", perms: ["create"] },
  { source: "channel", target: "backend", seenBy: "actor", tclass: "event", perms: ["bind"] },
  // … the backend binds it (its own channel, then the frontend's re-validated against it) …
  { source: "backend", target: "backendChannel", tclass: "event", perms: ["create"] },
  { source: "backendChannel", target: "actor", seenBy: "backend", tclass: "event", perms: ["bind"] },
  { source: "channel", target: "backend", seenBy: "actor", tclass: "event", perms: ["bind"] },
  // … and maps the frontend's ring page.
  { source: "backend", target: "actor", tclass: "grant", perms: ["map_read", "map_write"] },
];

const DETACH: readonly Check[] = [DRIVE, { source: "backend", target: "actor", tclass: "grant", perms: ["unmap"] }];

const XENSTORE_NOTE = "xenstored's own ownership/permission model decides node access (EACCES without an AVC line)";

export const OPERATIONS: Readonly<Record<OperationName, OperationSpec>> = {
  "domain.create": { checks: CREATE, acm: "share", note: "built paused; ACM shares the console/xenstore channels with the subject" },
  "domain.start": { checks: unpause("unpause"), acm: "start" },
  "domain.unpause": { checks: unpause("unpause"), acm: "start" },
  "domain.resume": { checks: unpause("resume"), acm: "start" },
  "domain.pause": { checks: unpause("pause") },
  "domain.stop": { checks: unpause("shutdown") },
  "domain.reboot": {
    checks: [
      { source: "subject", target: "domain", tclass: "domain", perms: ["shutdown"] },
      { source: "subject", target: "domain", tclass: "domain", perms: ["setvcpucontext"] },
      { source: "subject", target: "domain", tclass: "domain", perms: ["unpause"] },
    ],
    note: "remote shutdown (reason reboot), vcpu context reset, unpause; same domid",
  },
  "domain.destroy": { checks: unpause("destroy"), acm: "destroy" },
  "domain.save": { checks: SAVE, acm: "destroy", note: "xl save: the domain is destroyed once saved" },
  "domain.migrate-out": { checks: SAVE, acm: "destroy" },
  "domain.restore": {
    checks: [...CREATE, { source: "subject", target: "build", tclass: "domain", perms: ["unpause"] }],
    acm: "start",
    note: "incoming migration = create, then unpause",
  },
  "domain.migrate-in": {
    checks: [...CREATE, { source: "subject", target: "build", tclass: "domain", perms: ["unpause"] }],
    acm: "start",
    note: "incoming migration = create, then unpause",
  },
  "domain.resize": {
    checks: [{ source: "subject", target: "domain", tclass: "domain", perms: ["max_vcpus", "setdomainmaxmem"] }],
    note: "xl vcpu-set / mem-set: a stopped domain is rebuilt to the new size (its ceilings move too); a running one stays within the ceilings fixed at build",
  },
  "domain.snapshot-create": { checks: CHECKPOINT, note: "xl save -c: the domain keeps running; the image and its disks' copies carry the domain's label" },
  "domain.snapshot-revert": {
    checks: [
      { source: "subject", target: "domain", tclass: "domain", perms: ["destroy"] },
      { source: "subject", target: "saved", tclass: "mmu", perms: ["map_read"] },
    ],
    note: "the current domain is destroyed and the saved one restored (checked as domain.create, its devices re-attached as device.attach-*), then unpaused (domain.unpause) or paused as it was saved",
  },
  "domain.snapshot-delete": {
    checks: [{ source: "subject", target: "saved", tclass: "domain", perms: ["destroy"] }],
    note: "the saved image carries its domain's label: only that realm's management domain (or dom0) may discard it",
  },
  "domain.list": { checks: [{ source: "subject", target: "domxen", tclass: "domain", perms: ["getdomaininfo"] }], note: "then domain.getdomaininfo per domain, as a silent filter" },
  "domain.getdomaininfo": { checks: [{ source: "subject", target: "domain", tclass: "domain", perms: ["getdomaininfo"] }] },

  "evtchn.alloc-unbound": {
    checks: [DRIVE, { source: "actor", target: "channel", tclass: "event", perms: ["create"] }, { source: "channel", target: "peer", seenBy: "actor", tclass: "event", perms: ["bind"] }],
    acm: "share",
  },
  "evtchn.bind-interdomain": { checks: BIND, acm: "share" },
  "evtchn.send": { checks: [DRIVE, { source: "actor", target: "channel", tclass: "event", perms: ["send"] }] },
  "evtchn.close": { checks: [DRIVE], note: "Xen has no XSM hook on close: it only frees the channel's label" },

  "grant.grant-access": { checks: [DRIVE], note: "writing one's own grant table is not a hypercall XSM sees" },
  "grant.end-access": { checks: [DRIVE], note: "as grant-access" },
  "grant.map": {
    checks: [DRIVE, { source: "actor", target: "peer", tclass: "grant", perms: ["map_read"], plus: { when: "writable", perms: ["map_write"] } }],
    acm: "share",
    note: "target = the granting domain; map_write unless GNTMAP_readonly",
  },
  "grant.unmap": { checks: [DRIVE, { source: "actor", target: "peer", tclass: "grant", perms: ["unmap"] }] },
  "grant.copy": { checks: [DRIVE, { source: "source", target: "dest", tclass: "grant", perms: ["copy"] }], acm: "share", note: "source buffer's owner → destination buffer's owner" },

  "xenstore.read": { checks: [DRIVE], note: XENSTORE_NOTE },
  "xenstore.write": { checks: [DRIVE], note: XENSTORE_NOTE },
  "xenstore.rm": { checks: [DRIVE], note: XENSTORE_NOTE },
  "xenstore.ls": { checks: [DRIVE], note: XENSTORE_NOTE },
  "xenstore.get-perms": { checks: [DRIVE], note: XENSTORE_NOTE },
  "xenstore.set-perms": { checks: [DRIVE], note: `${XENSTORE_NOTE}; only the owner or dom0 may change permissions` },

  "argo.register": {
    checks: [
      DRIVE,
      { source: "actor", target: "xen", tclass: "argo", perms: ["enable"] },
      { source: "actor", target: "peer", tclass: "argo", perms: ["register_single_source"], when: "singleSource" },
      { source: "actor", target: "xen", tclass: "argo", perms: ["register_any_source"], when: "anySource" },
    ],
    note: "wildcard rings also need the host's mac-permissive Argo option",
  },
  "argo.unregister": { checks: [DRIVE, { source: "actor", target: "xen", tclass: "argo", perms: ["enable"] }] },
  "argo.send": {
    checks: [DRIVE, { source: "actor", target: "xen", tclass: "argo", perms: ["enable"] }, { source: "actor", target: "peer", tclass: "argo", perms: ["send"] }],
    note: "send is checked before the destination's ring is looked up, so a denial reveals nothing",
  },

  "device.attach-disk": { checks: ATTACH, acm: "use" },
  "device.detach-disk": { checks: DETACH },
  "device.attach-net": { checks: ATTACH, acm: "use" },
  "device.detach-net": { checks: DETACH },

  // The block data path (block-data.ts): the frontend grants the request's data page to its
  // backend (grant.grant-access, where the subject's right to drive the frontend is checked),
  // then blkback maps it — read-only to write it out, writable to read into it — so FLASK
  // decides every request.
  "block.write": {
    checks: [{ source: "backend", target: "actor", tclass: "grant", perms: ["map_read"] }],
    note: "through an untrusted backend the block leaves the frontend sealed (AES-GCM, realm key)",
  },
  "block.read": {
    checks: [{ source: "backend", target: "actor", tclass: "grant", perms: ["map_read", "map_write"] }],
    note: "a sealed block that fails authentication is EIO (integrity)",
  },

  // A realm's network driver domain (NDVM, network-flows.ts): the realm's management domain (or
  // dom0) loads the rule table the NDVM enforces, as it writes the NDVM's state; each frame the
  // NDVM forwards is netback mapping the sender's transmit page and the receiver's receive page,
  // so FLASK decides every flow before any rule is read (another realm's VM fails MCS there).
  "net.load-rules": {
    checks: [{ source: "subject", target: "domain", tclass: "domain", perms: ["setvcpucontext"] }],
    note: "only the NDVM's own realm (or dom0) writes the rules it enforces",
  },
  "net.flow": {
    checks: [
      { source: "backend", target: "actor", tclass: "grant", perms: ["map_read"] },
      { source: "backend", target: "peer", tclass: "grant", perms: ["map_read", "map_write"], when: "writable" },
    ],
    note: "the peer check runs for a flow to another guest (flag writable), not to the uplink",
  },

  // A sharing agreement's Argo bridge (argo-bridges.ts, issue 15 part 5). dom0 adds it (a
  // hypervisor object: resource add) after checking that each receiving domain may bind its ring
  // to it (register_single_source: MCS lets a domain of either realm, never a third's); a send
  // through it is checked against the bridge's label (MCS: the sender dominated by A ∪ B), then
  // the hypervisor's binding (exact domids, port, direction) decides the pair.
  "bridge.create": {
    checks: [
      { source: "subject", target: "resource", tclass: "resource", perms: ["add"] },
      { source: "peer", target: "resource", tclass: "argo", perms: ["register_single_source"] },
      { source: "actor", target: "resource", tclass: "argo", perms: ["register_single_source"], when: "writable" },
    ],
    note: "peer = the destination (binds its ring); actor = the source, whose ring is bound too for a two-way agreement (flag writable)",
  },
  "bridge.destroy": { checks: [{ source: "subject", target: "resource", tclass: "resource", perms: ["remove"] }], note: "dom0 only; queued messages are dropped" },
  "bridge.list": {
    checks: [{ source: "subject", target: "resource", tclass: "resource", perms: ["stat_device"] }],
    note: "per bridge: the listing keeps the bridges the subject may stat (dom0: all; a realm's domains: none, dontaudited)",
  },
  "bridge.send": {
    checks: [DRIVE, { source: "actor", target: "xen", tclass: "argo", perms: ["enable"] }, { source: "actor", target: "resource", tclass: "argo", perms: ["send"] }],
    note: "resource = the bridge: FLASK first (a third realm fails MCS), then the bridge's binding to the exact pair, port and direction",
  },

  // The guest's console (console.ts): its first event channel, created at build for the subject,
  // and its ring page. Opening binds the channel and maps the ring read-write (XSM.md section 4);
  // reading maps it; input maps it writable and signals the channel.
  "console.open": {
    checks: [
      { source: "channel", target: "subject", seenBy: "domain", tclass: "event", perms: ["bind"] },
      { source: "subject", target: "domain", tclass: "grant", perms: ["map_read", "map_write"] },
    ],
    acm: "share",
    note: "the management domain binds the guest's console channel and maps its console ring",
  },
  "console.read": { checks: [{ source: "subject", target: "domain", tclass: "grant", perms: ["map_read"] }] },
  "console.write": {
    checks: [
      { source: "subject", target: "domain", tclass: "grant", perms: ["map_read", "map_write"] },
      { source: "subject", target: "channel", tclass: "event", perms: ["send"] },
    ],
  },

  "host.status": { checks: [{ source: "subject", target: "domxen", tclass: "domain", perms: ["getdomaininfo"] }], note: "dom0's own listing" },
  "host.snapshot": { checks: [{ source: "subject", target: "domxen", tclass: "domain", perms: ["getdomaininfo"] }], note: "dom0 only" },
  "host.crash": { checks: [], note: "a test hook, not a hypercall: refused unless REALMGATE_AGENT_TEST_HOOKS=1" },
  "acm.load": { checks: [{ source: "subject", target: "security", tclass: "security", perms: ["load_policy"] }], acm: "reload" },
  "xsm.access-check": { checks: [{ source: "subject", target: "security", tclass: "security", perms: ["compute_av"] }], note: "computes without acting or logging the explained decision" },
  "xsm.load-policy": {
    checks: [{ source: "subject", target: "security", tclass: "security", perms: ["load_policy"] }],
    note: "xl loadpolicy: checked under the policy in force; every live label must be valid under the new one (sidtab convert)",
  },
  "xsm.setbool": { checks: [{ source: "subject", target: "security", tclass: "security", perms: ["setbool"] }], note: "xl setbool (flask_setbool)" },
};

export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(OPERATIONS, name);
}
