import { SecurityServer, XsmError, loadRealmPolicy } from "./xsm";
import type { AccessRequest, SecurityModule } from "./xen/security";

/**
 * Connects the simulated hypervisor to the FLASK security server loaded with the realm policy.
 * Every check goes through the AVC; denials come back with Xen-format AVC lines. An invalid
 * label or an unknown class is a denial with a reason, never an allow.
 */

export function createSecurityModule(server: SecurityServer): SecurityModule {
  return {
    check(request: AccessRequest) {
      try {
        const ssid = server.contextToSid(request.subject);
        const tsid = server.contextToSid(request.target);
        const decision = server.hasPerm(ssid, tsid, request.tclass, request.perms, {
          source: request.source,
          target: request.targetDomid,
        });
        const reason = Object.entries(decision.reasons)
          .map(([perm, why]) => `${perm}: ${why.layer}${why.detail ? ` (${why.detail})` : ""}`)
          .join("; ");
        return { allowed: decision.allowed, avc: decision.auditLines, reason: reason || undefined };
      } catch (error) {
        if (error instanceof XsmError) return { allowed: false, avc: [], reason: error.message };
        throw error;
      }
    },
    validateLabel(label: string) {
      try {
        server.contextToSid(label);
        return null;
      } catch (error) {
        if (error instanceof XsmError) return error.message;
        throw error;
      }
    },
  };
}

export function loadSecurityModule(log: (line: string) => void): SecurityModule {
  const started = performance.now();
  const server = new SecurityServer(loadRealmPolicy());
  log(`XSM/FLASK realm policy loaded in ${(performance.now() - started).toFixed(1)} ms (enforcing)`);
  return createSecurityModule(server);
}
