import type { NameSet } from "./ast";
import type { ClassInfo } from "./policy";
import type { Symbols } from "./symbols";

/**
 * Expansion of name sets the way checkpolicy's type_set_expand does it: attributes become
 * their member types, `-x` removes (expanded) names, `*` is every type, and `~` complements
 * the result over all types. Attributes never appear in an expanded set.
 */
export function expandTypes(sym: Symbols, set: NameSet): Set<number> {
  const out = new Set<number>();
  const add = (name: string, into: Set<number>): void => {
    const t = sym.type(name, set.line);
    if (t.isAttribute) for (const m of t.related) into.add(m);
    else into.add(t.value);
  };
  if (set.star) for (const t of sym.types) if (!t.isAttribute) out.add(t.value);
  for (const n of set.names) add(n, out);
  const removed = new Set<number>();
  for (const n of set.excluded) add(n, removed);
  for (const v of removed) out.delete(v);
  if (!set.complement) return out;
  const all = new Set<number>();
  for (const t of sym.types) if (!t.isAttribute && !out.has(t.value)) all.add(t.value);
  return all;
}

export function expandRoles(sym: Symbols, set: NameSet): Set<number> {
  return expandSimple(set, sym.roles.length, (n) => sym.role(n, set.line).value);
}

export function expandUsers(sym: Symbols, set: NameSet): Set<number> {
  return expandSimple(set, sym.users.length, (n) => sym.user(n, set.line).value);
}

function expandSimple(set: NameSet, count: number, resolve: (name: string) => number): Set<number> {
  const out = new Set<number>();
  if (set.star) for (let v = 1; v <= count; v++) out.add(v);
  for (const n of set.names) out.add(resolve(n));
  for (const n of set.excluded) out.delete(resolve(n));
  if (!set.complement) return out;
  const comp = new Set<number>();
  for (let v = 1; v <= count; v++) if (!out.has(v)) comp.add(v);
  return comp;
}

export function expandClasses(sym: Symbols, set: NameSet): ClassInfo[] {
  if (set.excluded.length) throw sym.err(set.line, "class sets cannot exclude");
  const chosen = set.star ? [...sym.classes] : set.names.map((n) => sym.cls(n, set.line));
  if (!set.complement) return chosen;
  const picked = new Set(chosen.map((c) => c.value));
  return sym.classes.filter((c) => !picked.has(c.value));
}

/**
 * Permission mask for one class. Like checkpolicy, `*` and `~` produce every bit of the 32,
 * not only the class's defined permissions, and libsepol reports them that way.
 */
export function permMask(sym: Symbols, cls: ClassInfo, set: NameSet): number {
  if (set.excluded.length) throw sym.err(set.line, "permission sets cannot exclude");
  if (set.star) return 0xffffffff;
  let mask = 0;
  for (const n of set.names) mask |= 1 << sym.perm(cls, n, set.line);
  return (set.complement ? ~mask : mask) >>> 0;
}
