import { SecurityServer, XsmError, eventChannelSid, loadRealmPolicy, selfSid, targetSid } from "../xsm";
import { LabelError, formatReasons, type AccessRequest, type Explanation, type SecurityModule } from "./security";

/**
 * Connects the simulated hypervisor to the FLASK security server loaded with the realm policy.
 * Every check goes through the AVC; denials come back with Xen-format AVC lines. An invalid
 * label or an unknown class is a denial with a reason, never an allow. `explain` is the security
 * server's own: the same decision, nothing logged.
 */

function labelError(error: unknown): never {
  if (error instanceof XsmError) throw new LabelError(error.code === "EACCES" ? "EACCES" : "EINVAL", error.message);
  throw error;
}

export function createSecurityModule(server: SecurityServer): SecurityModule {
  const sid = (label: string) => {
    try {
      return server.contextToSid(label);
    } catch (error) {
      return labelError(error);
    }
  };
  const derive = (fn: () => number) => {
    try {
      return server.sidToContext(fn());
    } catch (error) {
      return labelError(error);
    }
  };
  return {
    check(request: AccessRequest) {
      try {
        const decision = server.hasPerm(sid(request.subject), sid(request.target), request.tclass, request.perms, {
          source: request.source,
          target: request.targetDomid,
        });
        const reason = formatReasons(decision.reasons);
        return { allowed: decision.allowed, avc: decision.auditLines, reason: reason || undefined };
      } catch (error) {
        if (error instanceof XsmError || error instanceof LabelError) return { allowed: false, avc: [], reason: error.message };
        throw error;
      }
    },
    explain(request: AccessRequest): Explanation {
      try {
        return server.explain(sid(request.subject), sid(request.target), request.tclass, request.perms, { source: request.source, target: request.targetDomid });
      } catch (error) {
        return labelError(error);
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
    canonical: (label) => server.sidToContext(sid(label)),
    selfLabel: (label) => derive(() => selfSid(server, sid(label))),
    targetLabel: (guest, dm) => derive(() => targetSid(server, sid(guest), sid(dm))),
    channelLabel: (source, peerSeen) => derive(() => eventChannelSid(server, sid(source), sid(peerSeen))),
    isEnforcing: () => server.isEnforcing(),
  };
}

export function loadSecurityModule(log: (line: string) => void): SecurityModule {
  const started = performance.now();
  const server = new SecurityServer(loadRealmPolicy());
  log(`XSM/FLASK realm policy loaded in ${(performance.now() - started).toFixed(1)} ms (enforcing)`);
  return createSecurityModule(server);
}
