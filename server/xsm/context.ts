import { catsContain, emptyCats, setCat } from "./catset";
import { XsmError } from "./errors";
import { formatRange, formatRangeLibsepol, levelDom, noMlsRange, rangeContains, type Level, type Range } from "./mls";
import type { CompiledPolicy, RoleInfo, TypeInfo, UserInfo } from "./policy";

/**
 * Security contexts: `user:role:type:level[-level]`, parsed, validated and printed with
 * libsepol's rules (context_from_string, context_is_valid, context_to_string).
 */
export interface Context {
  user: number;
  role: number;
  type: number;
  range: Range;
}

/** The tables validity depends on; satisfied by CompiledPolicy and the compiler's symbols. */
export interface ContextTables {
  /** Without MLS, mls_context_isvalid accepts everything (libsepol: `if (!p->mls) return 1`). */
  readonly mls: boolean;
  readonly types: readonly TypeInfo[];
  readonly roles: readonly RoleInfo[];
  readonly users: readonly UserInfo[];
  readonly levelCats: ReadonlyMap<number, Uint32Array>;
  readonly objectRole: number;
}

/** mls_context_isvalid + context_is_valid. */
export function contextIsValid(p: ContextTables, c: Context): boolean {
  return contextInvalidReason(p, c) === undefined;
}

/** Why a context is invalid (the layer that refuses it), or undefined when valid. */
export function contextInvalidReason(p: ContextTables, c: Context): string | undefined {
  const role = p.roles[c.role - 1];
  const user = p.users[c.user - 1];
  const type = p.types[c.type - 1];
  if (!role || !user || !type || type.isAttribute) return "unknown user, role or type";
  if (c.role !== p.objectRole) {
    if (!role.types[c.type]) return `role ${role.name} may not hold type ${type.name}`;
    if (!user.roles.has(c.role)) return `user ${user.name} may not hold role ${role.name}`;
  }
  if (!p.mls) return undefined;
  if (!levelDom(c.range.high, c.range.low)) return "high level does not dominate low level";
  for (const l of [c.range.low, c.range.high]) {
    const allowed = p.levelCats.get(l.sens);
    if (!allowed || !catsContain(allowed, l.cats)) return "category not associated with sensitivity";
  }
  if (c.role === p.objectRole) return undefined;
  if (!rangeContains(user.range, c.range)) return `range is outside user ${user.name}'s range`;
  return undefined;
}

/**
 * mls_context_to_sid, including its leniencies (text after a complete high level is
 * ignored, `cA.cB` needs A < B). Returns undefined when libsepol would refuse to parse.
 */
function parseRangeText(p: CompiledPolicy, text: string): Range | undefined {
  let pos = 0;
  const scanTo = (stops: string): [string, string] => {
    const start = pos;
    while (pos < text.length && !stops.includes(text[pos]!)) pos++;
    const delim = pos < text.length ? text[pos]! : "";
    const token = text.slice(start, pos);
    if (delim) pos++;
    return [token, delim];
  };
  const levels: Level[] = [];
  let [sensName, delim] = scanTo(":-");
  for (let l = 0; l < 2; l++) {
    const sens = p.sensByName.get(sensName);
    if (sens === undefined) return undefined;
    const cats = emptyCats(p.catWords);
    if (delim === ":") {
      for (;;) {
        const [item, d] = scanTo(",-");
        delim = d;
        const dot = item.indexOf(".");
        const from = p.catByName.get(dot < 0 ? item : item.slice(0, dot));
        if (from === undefined) return undefined;
        setCat(cats, from - 1);
        if (dot >= 0) {
          const to = p.catByName.get(item.slice(dot + 1));
          if (to === undefined || from >= to) return undefined;
          for (let v = from; v < to; v++) setCat(cats, v);
        }
        if (delim !== ",") break;
      }
    }
    levels.push({ sens, cats });
    if (delim !== "-") break;
    [sensName, delim] = scanTo(":");
  }
  const low = levels[0]!;
  return { low, high: levels[1] ?? { sens: low.sens, cats: low.cats.slice() } };
}

/** Parses a context string without checking validity; undefined if it cannot be parsed. */
export function parseContextUnchecked(p: CompiledPolicy, text: string): Context | undefined {
  const a = text.indexOf(":");
  if (a < 0) return undefined;
  const b = text.indexOf(":", a + 1);
  if (b < 0) return undefined;
  const c = text.indexOf(":", b + 1);
  // context_from_record: an MLS policy requires a level (`user:role:type` is refused), a
  // policy without MLS refuses any level, even an empty one (`user:role:type:`).
  if ((c < 0) === p.mls) return undefined;
  const user = p.userByName.get(text.slice(0, a));
  const role = p.roleByName.get(text.slice(a + 1, b));
  const type = p.typeByName.get(text.slice(b + 1, c < 0 ? text.length : c));
  if (user === undefined || role === undefined || type === undefined) return undefined;
  if (p.types[type - 1]!.isAttribute) return undefined;
  if (!p.mls) return { user, role, type, range: noMlsRange(p.catWords) };
  const range = parseRangeText(p, text.slice(c + 1));
  if (!range) return undefined;
  return { user, role, type, range };
}

/** Parses and validates; throws XsmError(EINVAL) like Xen's "Invalid seclabel". */
export function parseContext(p: CompiledPolicy, text: string): Context {
  const ctx = parseContextUnchecked(p, text);
  if (!ctx) throw new XsmError("EINVAL", `invalid security context '${text}': does not parse in this policy`);
  const why = contextInvalidReason(p, ctx);
  if (why) throw new XsmError("EINVAL", `invalid security context '${text}': ${why}`);
  return ctx;
}

/** context_to_string with correct category runs (primary type names, aliases resolved). */
export function formatContext(p: CompiledPolicy, c: Context): string {
  if (!p.mls) return `${p.users[c.user - 1]!.name}:${p.roles[c.role - 1]!.name}:${p.types[c.type - 1]!.name}`;
  return `${p.users[c.user - 1]!.name}:${p.roles[c.role - 1]!.name}:${p.types[c.type - 1]!.name}:${formatRange(c.range, p)}`;
}

/** Byte-for-byte what libsepol 3.4's context_to_string prints (see formatCatsLibsepol). */
export function formatContextLibsepol(p: CompiledPolicy, c: Context): string {
  if (!p.mls) return formatContext(p, c);
  return `${p.users[c.user - 1]!.name}:${p.roles[c.role - 1]!.name}:${p.types[c.type - 1]!.name}:${formatRangeLibsepol(c.range, p)}`;
}

/** Parses, validates and prints a context in canonical form. */
export function canonicalContext(p: CompiledPolicy, text: string): string {
  return formatContext(p, parseContext(p, text));
}
