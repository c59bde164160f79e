import type { AcmPolicy } from "../types";
import { acmTypes } from "./label-types";
import type { AcmModule, AcmResource, AcmShare, AcmUse } from "./module";

/**
 * sHype's Simple Type Enforcement: two domains may share event channels or grants, and a
 * domain may use a disk or network, only if their labels share an STE type. `*` (dom0's
 * backends, shared images) shares with everything. Stateless: every decision is a function of
 * the two labels, so a reload only re-checks the sharing that exists.
 *
 * Threat: a coarse second wall under FLASK — a mislabelled or over-permissive FLASK rule still
 * cannot connect two realms whose ACM types differ.
 */

function share(policy: AcmPolicy, a: string, b: string): boolean {
  const ta = acmTypes(policy, a).ste;
  const tb = acmTypes(policy, b).ste;
  if (ta.includes("*") || tb.includes("*")) return true;
  return ta.some((t) => tb.includes(t));
}

const shareDenied = (s: AcmShare) =>
  `STE: domains ${s.a.domid} and ${s.b.domid} share no type; ${s.via} denied`;
const useDenied = (domid: number, r: AcmResource) =>
  `STE: VM's access to ${r.what} ${r.id} denied (domain ${domid} and ${r.label} share no type)`;

function checkUse(policy: AcmPolicy, u: AcmUse): string | null {
  return share(policy, u.domain.label, u.resource.label) ? null : useDenied(u.domain.domid, u.resource);
}

export const ste: AcmModule = {
  name: "ste",
  decide(policy, state, event) {
    switch (event.kind) {
      case "share":
        return share(policy, event.a.label, event.b.label) ? { ok: true, state } : { ok: false, reason: shareDenied(event) };
      case "use": {
        const why = checkUse(policy, event);
        return why ? { ok: false, reason: why } : { ok: true, state };
      }
      case "start": {
        // Checked again before start: the domain's devices were attached under some policy.
        for (const resource of event.resources) {
          const why = checkUse(policy, { domain: event.domain, resource });
          if (why) return { ok: false, reason: why };
        }
        return { ok: true, state };
      }
      case "reload": {
        for (const s of event.world.shares) if (!share(policy, s.a.label, s.b.label)) return { ok: false, reason: `policy reload refused: ${shareDenied(s)}` };
        for (const u of event.world.uses) {
          const why = checkUse(policy, u);
          if (why) return { ok: false, reason: `policy reload refused: ${why}` };
        }
        return { ok: true, state };
      }
      case "destroy":
        return { ok: true, state };
    }
  },
};
