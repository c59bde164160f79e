import type { AcmPolicy } from "../types";
import type { AcmState, ChineseWallState } from "../state";
import { acmTypes } from "./label-types";
import type { AcmDomain, AcmModule, AcmVerdict } from "./module";

/**
 * sHype's Chinese Wall: types in one conflict set never run on the same host at once (e.g. two
 * competing customers' realms). Per type, `running` counts domains holding it and `blocked`
 * counts running domains that conflict with it. A domain may start unless one of its types is
 * blocked; starting blocks every other member of each conflict set it touches; destroying it
 * undoes exactly that. A policy reload replays the running domains and is refused on conflict.
 *
 * Threat: co-residency of conflicting tenants (side channels across a shared host). The
 * counters are the host's only memory of who runs here, so they change only through
 * admit/release and a replay that starts from nothing.
 */

const inc = (m: Record<string, number>, k: string, by: number) => {
  const v = (m[k] ?? 0) + by;
  if (v === 0) delete m[k];
  else m[k] = v;
};

/** The other members of every conflict set containing one of `types`. */
function conflictsOf(policy: AcmPolicy, types: readonly string[]): string[] {
  const out: string[] = [];
  for (const set of policy.conflictSets) {
    for (const t of types) {
      if (!set.types.includes(t)) continue;
      for (const u of set.types) if (u !== t && !types.includes(u)) out.push(u);
    }
  }
  return out;
}

function admit(policy: AcmPolicy, cw: ChineseWallState, domain: AcmDomain): { ok: true; cw: ChineseWallState } | { ok: false; reason: string } {
  const key = String(domain.domid);
  if (cw.admitted[key]) return { ok: true, cw }; // already holds its wall (unpause after pause)
  const { wall } = acmTypes(policy, domain.label);
  const blocked = wall.filter((t) => (cw.blocked[t] ?? 0) > 0);
  if (blocked.length > 0) {
    const sets = policy.conflictSets.filter((s) => s.types.some((t) => blocked.includes(t))).map((s) => s.name);
    return { ok: false, reason: `Chinese Wall: type ${blocked.join(", ")} of domain ${domain.domid} conflicts with a running domain (conflict set ${sets.join(", ")})` };
  }
  const next = structuredClone(cw);
  for (const t of wall) inc(next.running, t, 1);
  for (const u of conflictsOf(policy, wall)) inc(next.blocked, u, 1);
  next.admitted[key] = wall;
  return { ok: true, cw: next };
}

function release(policy: AcmPolicy, cw: ChineseWallState, domid: number): ChineseWallState {
  const wall = cw.admitted[String(domid)];
  if (!wall) return cw;
  const next = structuredClone(cw);
  for (const t of wall) inc(next.running, t, -1);
  for (const u of conflictsOf(policy, wall)) inc(next.blocked, u, -1);
  delete next.admitted[String(domid)];
  return next;
}

const withCw = (state: AcmState, cw: ChineseWallState): AcmVerdict => ({ ok: true, state: { ...state, chineseWall: cw } });

export const chineseWall: AcmModule = {
  name: "chinese-wall",
  decide(policy, state, event) {
    switch (event.kind) {
      case "start": {
        const r = admit(policy, state.chineseWall, event.domain);
        return r.ok ? withCw(state, r.cw) : r;
      }
      case "destroy":
        return withCw(state, release(policy, state.chineseWall, event.domid));
      case "reload": {
        // Replay from nothing under the new policy: the counters are rebuilt, never patched.
        let cw: ChineseWallState = { running: {}, blocked: {}, admitted: {} };
        for (const d of event.world.admitted) {
          const r = admit(policy, cw, d);
          if (!r.ok) return { ok: false, reason: `policy reload refused: ${r.reason}` };
          cw = r.cw;
        }
        return withCw(state, cw);
      }
      case "share":
      case "use":
        return { ok: true, state };
    }
  },
};
