/**
 * The audit trail in words (issue 13, "readable rows"): an action code as people say it ("Start
 * VM", not vm.start) and a decision's rule in plain words ("An owner may start VMs"), the raw
 * rule staying available beside it. Pure: the trail's service and the console both use it.
 */

const ACTIONS: Readonly<Record<string, string>> = {
  "vm.create": "Create VM",
  "vm.start": "Start VM",
  "vm.stop": "Stop VM",
  "vm.pause": "Pause VM",
  "vm.resume": "Resume VM",
  "vm.reboot": "Reboot VM",
  "vm.migrate": "Migrate VM",
  "vm.destroy": "Destroy VM",
  "vm.read": "View VM",
  "vm.devices": "Change VM devices",
  "vm.configure": "Configure VM",
  "vm.snapshot": "Snapshot VM",
  "vm.console": "Use VM console",
  "vm.console.open": "Open VM console",
  "vm.console.close": "Close VM console",
  "vm.attach-disk": "Attach disk",
  "vm.detach-disk": "Detach disk",
  "vm.attach-net": "Attach network",
  "vm.detach-net": "Detach network",
  "vm.reattach-disk": "Reattach disk after driver domain rebuild",
  "vm.reattach-net": "Reattach network after driver domain rebuild",
  "vm.rename": "Rename VM",
  "vm.resize": "Resize VM",
  "disk.create": "Create disk",
  "disk.delete": "Delete disk",
  "network.create": "Create network",
  "network.delete": "Delete network",
  "backend.create": "Create driver domain",
  "backend.remove": "Remove driver domain",
  "backend.build": "Build driver domain on host",
  "backend.destroy": "Destroy driver domain on host",
  "backend.ndvm.disconnect": "Disconnect an NDVM's networks",
  "network.ndvm.set": "Give network an NDVM",
  "network.ndvm.clear": "Take network's NDVM away",
  "network.rule.add": "Add network rule",
  "network.rule.remove": "Remove network rule",
  "network.rules.load": "Load network rules into NDVM",
  "network.flow.attempt": "Simulate connection through NDVM",
  "agreement.propose": "Propose sharing agreement",
  "agreement.received": "Sharing agreement proposed to this realm",
  "agreement.accept": "Accept sharing agreement",
  "agreement.decline": "Decline sharing agreement",
  "agreement.revoke": "Revoke sharing agreement",
  "agreement.expire": "Sharing agreement expired",
  "agreement.bridge.create": "Open agreement channel on host",
  "agreement.bridge.destroy": "Close agreement channel on host",
  "agreement.use": "Sharing agreement channel used",
  "agreement.test-send": "Test send over sharing agreement",
  "realm.agreements.manage": "Manage sharing agreements",
  "platform.network-rule.add": "Add platform network rule",
  "platform.network-rule.remove": "Remove platform network rule",
  "storage.manage": "Manage storage",
  "network.manage": "Manage networks",
  "realm.read": "View realm",
  "audit.read": "Read audit trail",
  "audit.checkpoint": "Sign audit checkpoint",
  "realm.members.read": "View members",
  "realm.members.manage": "Manage members",
  "realm.members.add": "Add member",
  "realm.members.remove": "Remove member",
  "realm.members.role": "Change member role",
  "realm.tokens.manage": "Manage API tokens",
  "realm.invitation.create": "Invite member",
  "realm.invitation.revoke": "Revoke invitation",
  "realm.invitation.accept": "Accept invitation",
  "realm.create": "Create realm",
  "realm.retry": "Retry realm provisioning",
  "realm.decommission": "Decommission realm",
  "realm.decommissioned": "Realm decommissioned",
  "api-token.create": "Create API token",
  "api-token.revoke": "Revoke API token",
  "breakglass.grant": "Grant break-glass access",
  "breakglass.revoke": "Revoke break-glass access",
  "quota.set": "Set quota",
  "quota.override": "Override quota",
  "org.mfa.require": "Require MFA",
  "acm.conflict.add": "Add Chinese Wall",
  "acm.conflict.remove": "Remove Chinese Wall",
  "alarm.policy_drift": "Policy-drift alarm",
  "alarm.audit_integrity": "Audit integrity alarm",
  "alarm.flask_policy_drift": "FLASK policy drift alarm",
  "policy.upload": "Upload FLASK policy",
  "policy.canary": "Load FLASK policy on canary",
  "policy.rollout": "Roll out FLASK policy",
  "policy.load": "Host loaded FLASK policy",
  "policy.rollback": "Roll back FLASK policy",
  "policy.rollback.load": "Host loaded rolled-back FLASK policy",
  "policy.boolean": "Set FLASK boolean",
  "policy.boolean.apply": "Host set FLASK boolean",
  "policy.drift-cleared": "FLASK policy drift cleared",
  "auth.signin": "Sign in",
  "auth.signout": "Sign out",
  "auth.signout.everywhere": "Sign out everywhere",
  "auth.lockout": "Account locked",
  "auth.password.change": "Change password",
  "auth.session.revoke": "End session",
  "operator.invitation.first-owner": "Invite first owner",
};

/** An action code in words; an unknown code reads as itself with its dots as spaces, capitalised. */
export function sayAction(action: string): string {
  const known = ACTIONS[action];
  if (known) return known;
  const words = action.replace(/[._-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Every action the wording map knows (filter menus). */
export const KNOWN_ACTIONS: readonly string[] = Object.keys(ACTIONS);

const ROLE_WORDS: Readonly<Record<string, string>> = { owner: "An owner", admin: "An admin", operator: "A VM operator", viewer: "A viewer", unknown: "An unknown role" };

/** What a permission lets one do, in words ("start VMs"). */
function sayPermission(permission: string): string {
  const action = ACTIONS[permission];
  if (!action) return permission;
  return action.charAt(0).toLowerCase() + action.slice(1);
}

/**
 * A decision's reason in plain words, from the rule the layers record ("role:viewer lacks
 * vm.start" → "A viewer may not start VM"). Reasons already in words come back as they are.
 */
export function sayReason(reason: string, decision: "allow" | "deny"): string {
  const [rule, ...rest] = reason.split("; ");
  const tail = rest.length > 0 ? ` (${rest.join("; ")})` : "";
  const breakGlass = / \(break-glass grant [^)]+\)$/.exec(rule ?? "");
  const core = breakGlass ? rule!.slice(0, breakGlass.index) : (rule ?? "");
  const via = breakGlass ? ", through a break-glass grant" : "";
  let m = /^role:(\w+) grants (\S+)$/.exec(core);
  if (m) return `${ROLE_WORDS[m[1]!] ?? `Role ${m[1]}`} may ${sayPermission(m[2]!)}${via}${tail}`;
  m = /^role:(\w+) lacks (\S+)$/.exec(core);
  if (m) return `${ROLE_WORDS[m[1]!] ?? `Role ${m[1]}`} may not ${sayPermission(m[2]!)}${via}${tail}`;
  m = /^token:(.+) lacks (\S+)$/.exec(core);
  if (m) return `API token '${m[1]}' does not carry the right to ${sayPermission(m[2]!)}${tail}`;
  m = /^VM not found in this realm \((.+)\)$/.exec(core);
  if (m) return "No such VM in this realm";
  if (core === "applied") return "Applied";
  if (decision === "deny" && /^xsm|avc|denied/i.test(core)) return `The hypervisor refused: ${core}`;
  return `${core.charAt(0).toUpperCase()}${core.slice(1)}${via}${tail}`;
}

/** Whether the reason is a raw rule worth showing behind a disclosure (it differs from its words). */
export function isRawRule(reason: string, decision: "allow" | "deny"): boolean {
  return sayReason(reason, decision) !== reason;
}
