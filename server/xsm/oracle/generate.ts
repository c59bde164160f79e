import type { CompiledPolicy } from "../policy";
import type { Prng } from "../prng";

/**
 * Random labels for the differential test: realistic realm pairs (c12,c873), empty, single,
 * runs that straddle 64-bit boundaries, wide ranges, every sensitivity (and aliases), plus
 * names that do not exist and malformed MLS text, so both engines must agree on refusals too.
 */
export function randomCats(rng: Prng, max: number): string {
  switch (rng.int(8)) {
    case 0:
      return "";
    case 1:
      return `c${rng.int(max)}`;
    case 2: {
      const a = rng.int(max);
      let b = rng.int(max);
      if (b === a) b = (a + 1) % max;
      return `c${Math.min(a, b)},c${Math.max(a, b)}`;
    }
    case 3: {
      // runs around node boundaries: c62,c63,… is where libsepol's printer misbehaves
      const base = 64 * rng.int(Math.max(1, Math.floor(max / 64))) - 2 + rng.int(4);
      const len = 1 + rng.int(5);
      const out = [];
      for (let i = 0; i < len; i++) if (base + i >= 0 && base + i < max) out.push(`c${base + i}`);
      if (rng.chance(0.5) || out.length === 0) out.push(`c${rng.int(max)}`);
      return out.join(",");
    }
    case 4: {
      const a = rng.int(max - 1);
      const b = a + 1 + rng.int(Math.min(200, max - a - 1));
      return `c${a}.c${b}`;
    }
    case 5:
      return rng.chance(0.5) ? `c0.c${max - 1}` : max > 873 ? "c12,c873" : "c12,c13";
    default: {
      const n = 1 + rng.int(12);
      const out = [];
      for (let i = 0; i < n; i++) out.push(`c${rng.int(max)}`);
      return out.join(",");
    }
  }
}

function sensName(p: CompiledPolicy, rng: Prng): string {
  // Usually a primary name, sometimes any name the policy knows (aliases included).
  return rng.chance(0.9) ? rng.pick(p.sensNames) : rng.pick([...p.sensByName.keys()]);
}

function level(p: CompiledPolicy, rng: Prng): string {
  const cats = randomCats(rng, p.catNames.length);
  return cats ? `${sensName(p, rng)}:${cats}` : sensName(p, rng);
}

function topLevel(p: CompiledPolicy): string {
  return `${p.sensNames[p.sensNames.length - 1]}:c0.c${p.catNames.length - 1}`;
}

/** `user:role:type` plus `:range` when there is one (a policy without MLS has none). */
function context(user: string, role: string, type: string, range: string): string {
  return range ? `${user}:${role}:${type}:${range}` : `${user}:${role}:${type}`;
}

export function randomRange(p: CompiledPolicy, rng: Prng): string {
  // Without MLS a context has no level; now and then send one anyway (libsepol refuses it).
  if (!p.mls) return rng.chance(0.9) ? "" : rng.pick(["s0", "s0:c1", "s0-s0"]);
  const low = level(p, rng);
  const max = p.catNames.length;
  switch (rng.int(10)) {
    case 0:
      return `${low}-${level(p, rng)}`; // often invalid: high must dominate low
    case 1:
      return `${low}-${topLevel(p)}`;
    case 2:
      return `${p.sensNames[0]}-${low}`;
    case 3:
      return rng.pick([`s9`, `s0:c${max}`, `s0:c5.c2`, `s0:c3.c3`, `s0-s0-s0`, `s0:c1-s0:c1,c2-junk`, `s0:`, `s0:c1,`]);
    default:
      return low;
  }
}

export function randomContext(p: CompiledPolicy, rng: Prng): string {
  const user = rng.chance(0.97) ? rng.pick(p.users).name : "nobody_u";
  const role = rng.chance(0.97) ? rng.pick(p.roles).name : "nobody_r";
  const names = [...p.typeByName.keys()];
  const type = rng.chance(0.98) ? rng.pick(names) : "nosuch_t";
  return context(user, role, type, randomRange(p, rng));
}

/** A role that may hold the type (so the label is likely valid), else object_r. */
function roleFor(p: CompiledPolicy, rng: Prng, type: number): string {
  const holders = p.roles.filter((r) => r.name !== "object_r" && r.types[type]);
  return holders.length && rng.chance(0.9) ? rng.pick(holders).name : "object_r";
}

/** A user that may hold the role, usually. */
function userFor(p: CompiledPolicy, rng: Prng, role: string): string {
  const v = p.roleByName.get(role)!;
  const holders = p.users.filter((u) => u.roles.has(v));
  return holders.length && rng.chance(0.9) ? rng.pick(holders).name : rng.pick(p.users).name;
}

function plausibleRange(p: CompiledPolicy, rng: Prng, cats?: string): string {
  if (!p.mls) return "";
  cats ??= randomCats(rng, p.catNames.length);
  const sens = rng.chance(0.8) ? p.sensNames[0]! : sensName(p, rng);
  const low = cats ? `${sens}:${cats}` : sens;
  return rng.chance(0.2) ? `${low}-${topLevel(p)}` : low;
}

/** A context likely to be valid: the right role for the type, a realm-like level. */
export function plausibleContext(p: CompiledPolicy, rng: Prng): string {
  const types = p.types.filter((t) => !t.isAttribute);
  const t = rng.pick(types);
  const role = roleFor(p, rng, t.value);
  return context(userFor(p, rng, role), role, t.name, plausibleRange(p, rng));
}

/**
 * An access-vector query aimed at a populated cell of the policy's table (so TE grants
 * something and constraints have work to do), with levels that are often equal, sometimes
 * nested (one dominates) and sometimes unrelated.
 */
export function ruleDrivenAvQuery(p: CompiledPolicy, rng: Prng, keys: readonly number[]): string {
  const key = rng.pick(keys);
  const c = key % 64;
  const pair = (key - c) / 64;
  const n = p.types.length + 1;
  const t = pair % n;
  const s = (pair - t) / n;
  const max = p.catNames.length;
  const cats1 = p.mls ? randomCats(rng, max) : "";
  let cats2 = "";
  if (p.mls) {
    switch (rng.int(4)) {
      case 0:
      case 1:
        cats2 = cats1;
        break;
      case 2:
        cats2 = rng.chance(0.5) ? "" : cats1 ? `${cats1},c${rng.int(max)}` : `c${rng.int(max)}`;
        break;
      default:
        cats2 = randomCats(rng, max);
    }
  }
  const label = (type: number, cats: string): string => {
    const role = roleFor(p, rng, type);
    return context(userFor(p, rng, role), role, p.types[type - 1]!.name, plausibleRange(p, rng, cats));
  };
  return `av ${label(s, cats1)} ${label(t, cats2)} ${p.classes[c - 1]!.name}`;
}
