import { SecurityServer, XsmError, eventChannelSid, formatAvcLine, loadRealmPolicy, permNames, selfSid, targetSid } from "./xsm";
import { LabelError, type AccessRequest, type Explanation, type SecurityModule } from "./xen/security";

/**
 * Connects the simulated hypervisor to the FLASK security server loaded with the realm policy.
 * Every check goes through the AVC; denials come back with Xen-format AVC lines. An invalid
 * label or an unknown class is a denial with a reason, never an allow. `explain` computes the
 * same access vector without writing the audit log or touching permissive-mode bookkeeping.
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
        const reason = Object.entries(decision.reasons)
          .map(([perm, why]) => `${perm}: ${why.layer}${why.detail ? ` (${why.detail})` : ""}`)
          .join("; ");
        return { allowed: decision.allowed, avc: decision.auditLines, reason: reason || undefined };
      } catch (error) {
        if (error instanceof XsmError || error instanceof LabelError) return { allowed: false, avc: [], reason: error.message };
        throw error;
      }
    },
    explain(request: AccessRequest): Explanation {
      const ssid = sid(request.subject);
      const tsid = sid(request.target);
      const cls = server.policy.classByName.get(request.tclass);
      if (!cls) throw new LabelError("EINVAL", `unknown security class '${request.tclass}'`);
      const av = server.computeAv(ssid, tsid, request.tclass);
      const granted: string[] = [];
      const denied: string[] = [];
      const reasons: Explanation["reasons"] = {};
      let deniedMask = 0;
      let requested = 0;
      for (const p of request.perms) {
        const bit = cls.permBits.get(p);
        if (bit === undefined) {
          denied.push(p);
          reasons[p] = { layer: "unknown-permission", detail: `class ${cls.name} has no permission '${p}'` };
          continue;
        }
        requested |= 1 << bit;
        if (av.allowed & (1 << bit)) granted.push(p);
        else {
          denied.push(p);
          deniedMask |= 1 << bit;
          const why = av.reasons[p];
          reasons[p] = { layer: why?.layer ?? "te", detail: why?.detail ?? "no allow rule" };
        }
      }
      const scontext = server.sidToContext(ssid);
      const tcontext = server.sidToContext(tsid);
      const audit = { source: request.source, target: request.targetDomid };
      const unknown = denied.filter((p) => !cls.permBits.has(p));
      const auditedDenied = [...permNames(cls, (deniedMask & av.auditdeny) >>> 0), ...unknown];
      const auditedGranted = permNames(cls, (requested & ~deniedMask & av.auditallow) >>> 0);
      const avc = denied.length
        ? auditedDenied.length
          ? formatAvcLine("denied", auditedDenied, audit, scontext, tcontext, cls.name)
          : null
        : auditedGranted.length
          ? formatAvcLine("granted", auditedGranted, audit, scontext, tcontext, cls.name)
          : null;
      const enforcing = server.isEnforcing();
      return { allowed: denied.length === 0 || !enforcing, enforcing, granted, denied, reasons, avc, scontext, tcontext };
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
