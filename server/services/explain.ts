import path from "node:path";
import { SecurityServer, XsmError, loadPolicyFromFile } from "../agent/xsm";
import { decidePermission, type Permission } from "../policy/permissions";
import { guestLabel, managementLabel, type RealmCategory } from "./labels";

/**
 * "Could this user do this action on this VM, and why not?" — each layer's decision, computed
 * without doing anything. Layer 3 asks the FLASK engine loaded with the same realm policy the
 * hosts enforce, with the user's realm's management domain as subject.
 */

/** The domain-class permissions behind each control-plane permission (the hosts' first checks). */
const HYPERCALL: Record<Permission, string[] | null> = {
  "realm.read": null,
  "vm.read": ["getdomaininfo"],
  "vm.create": ["create"],
  "vm.start": ["unpause"],
  "vm.stop": ["shutdown"],
  "vm.pause": ["pause"],
  "vm.resume": ["unpause"],
  "vm.reboot": ["shutdown", "setvcpucontext", "unpause"],
  "vm.migrate": ["getvcpucontext", "pause", "destroy"],
  "vm.devices": ["getdomaininfo"],
  "storage.manage": null,
  "network.manage": null,
  "vm.destroy": ["destroy"],
  "audit.read": null,
  "realm.members.manage": null,
};

let server: SecurityServer | undefined;
function securityServer(): SecurityServer {
  // Resolved from the working directory: the web server runs from the project root, and a
  // bundled module's own URL does not point at the policy file.
  server ??= new SecurityServer(loadPolicyFromFile(path.join(process.cwd(), "server/agent/xsm/policy/realm.te")));
  return server;
}

export type LayerVerdict = { layer: "trpc" | "database" | "hypervisor"; allowed: boolean; reason: string; avc?: string[] };

export function explainRole(role: string | null, permission: Permission, sameRealm: boolean): LayerVerdict {
  if (!role) return { layer: "trpc", allowed: false, reason: "the user belongs to no realm and holds no break-glass grant" };
  if (!sameRealm) return { layer: "trpc", allowed: false, reason: "the VM belongs to another realm: the user would get NOT_FOUND" };
  const decision = decidePermission(role, permission);
  return { layer: "trpc", allowed: decision.allowed, reason: decision.rule };
}

export function explainHypervisor(subject: RealmCategory | null, vmRealm: RealmCategory, vmKind: string, permission: Permission): LayerVerdict {
  const perms = HYPERCALL[permission];
  if (perms === null) return { layer: "hypervisor", allowed: true, reason: `${permission} issues no hypercall` };
  if (!subject) return { layer: "hypervisor", allowed: false, reason: "no realm: no management domain to act as" };
  const xsm = securityServer();
  const target = vmKind === "management" ? managementLabel(vmRealm) : guestLabel(vmRealm);
  try {
    const decision = xsm.hasPerm(xsm.contextToSid(managementLabel(subject)), xsm.contextToSid(target), "domain", perms);
    const reason = decision.allowed
      ? `policy allows domain { ${perms.join(" ")} } from ${managementLabel(subject)} to ${target}`
      : Object.entries(decision.reasons).map(([p, why]) => `${p}: ${why.layer} — ${why.detail}`).join("; ");
    return { layer: "hypervisor", allowed: decision.allowed, reason, avc: decision.auditLines };
  } catch (error) {
    if (error instanceof XsmError) return { layer: "hypervisor", allowed: false, reason: error.message };
    throw error;
  }
}
