import { createHash } from "node:crypto";
import type { ContextSyntax, Statement } from "./ast";
import { emptyCats } from "./catset";
import { compileConstraint } from "./compile-constraints";
import { TeBuilder } from "./compile-te";
import { contextInvalidReason, type Context } from "./context";
import { formatRange, levelDom, noMlsRange } from "./mls";
import { parsePolicySource } from "./parser";
import type { ClassInfo, CompiledPolicy, DeviceContext, InitialSid } from "./policy";
import { Symbols } from "./symbols";
import { expandRoles, expandTypes } from "./type-sets";

/** The role every object context uses; checkpolicy predefines it. */
const OBJECT_R = "object_r";

/**
 * Compiles policy.conf text into an immutable snapshot. Throws XsmError (code EPARSE) with
 * `file:line:` for syntax errors, unknown names, invalid contexts and neverallow violations.
 * Pure: no I/O, no clock, no environment.
 */
export function compilePolicy(text: string, fileName = "policy.conf"): CompiledPolicy {
  const { statements, map } = parsePolicySource(text, fileName);
  const sym = new Symbols(fileName, map);
  declare(sym, statements);
  define(sym, statements);
  const te = new TeBuilder(sym);
  for (const st of statements) te.add(st);
  for (const st of statements) if (st.kind === "constrain") compileConstraint(sym, st);
  te.checkNeverallows();
  const initialSids = initialSidsOf(sym, statements);
  const deviceContexts: DeviceContext[] = statements.flatMap((st) =>
    st.kind === "ocontext" ? [{ kind: st.which, args: st.args, context: checkedContext(sym, st.context) }] : [],
  );
  const domain = sym.classByName.get("domain");
  const transBits = domain
    ? ["transition", "dyntransition"].reduce((m, p) => {
        const bit = domain.permBits.get(p);
        return bit === undefined ? m : m | (1 << bit);
      }, 0)
    : 0;
  const policy: CompiledPolicy = {
    fileName,
    mls: isMls(sym),
    digest: createHash("sha256").update(text).digest("hex").slice(0, 16),
    classes: sym.classes,
    classByName: sym.classByName,
    types: sym.types,
    typeByName: sym.typeByName,
    roles: sym.roles,
    roleByName: sym.roleByName,
    users: sym.users,
    userByName: sym.userByName,
    sensNames: sym.sensNames,
    sensByName: sym.sensByName,
    catNames: sym.catNames,
    catByName: sym.catByName,
    catWords: sym.words,
    levelCats: sym.levelCats,
    avtab: te.avtab,
    condAvtab: te.condAvtab,
    typeTransitions: te.typeTransitions,
    condTypeTransitions: te.condTypeTransitions,
    conds: te.conds,
    bools: sym.bools,
    boolByName: sym.boolByName,
    roleAllow: roleAllows(sym, statements),
    // Xen's FLASK (and libsepol for the Xen target) give class `domain` process semantics.
    processClass: domain?.value ?? 0,
    processTransPerms: transBits >>> 0,
    objectRole: sym.roleByName.get(OBJECT_R)!,
    initialSids,
    deviceContexts,
  };
  return deepFreeze(policy);
}

/** Pass 1: every name that other statements may refer to. */
function declare(sym: Symbols, statements: Statement[]): void {
  // checkpolicy creates object_r without a dominance entry, so libsepol finds that object_r
  // does not dominate itself (`r1 dom r2` is false and `r1 incomp r2` true for two objects).
  sym.roles.push({ name: OBJECT_R, value: 1, types: new Uint8Array(0), dominates: new Set() });
  sym.roleByName.set(OBJECT_R, 1);
  for (const st of statements) {
    switch (st.kind) {
      case "class_decl": {
        if (sym.classByName.has(st.name)) throw sym.err(st.line, `duplicate declaration of class '${st.name}'`);
        if (sym.classes.length >= 63) throw sym.err(st.line, "too many classes");
        const c: ClassInfo = { name: st.name, value: sym.classes.length + 1, perms: [], permBits: new Map(), validMask: 0, constraints: [] };
        sym.classes.push(c);
        sym.classByName.set(st.name, c);
        break;
      }
      case "common":
        if (sym.commons.has(st.name)) throw sym.err(st.line, `duplicate declaration of common '${st.name}'`);
        sym.commons.set(st.name, st.perms);
        break;
      case "sensitivity":
        for (const n of [st.name, ...st.aliases]) {
          if (sym.declaredSens.includes(n) || sym.sensAliases.has(n)) throw sym.err(st.line, `duplicate declaration of sensitivity '${n}'`);
        }
        sym.declaredSens.push(st.name);
        for (const a of st.aliases) sym.sensAliases.set(a, st.name);
        break;
      case "category":
        for (const n of [st.name, ...st.aliases]) {
          if (sym.catByName.has(n)) throw sym.err(st.line, `duplicate declaration of category '${n}'`);
        }
        sym.catNames.push(st.name);
        for (const n of [st.name, ...st.aliases]) sym.catByName.set(n, sym.catNames.length);
        break;
      case "attribute":
        sym.addType(st.name, true, st.line);
        break;
      case "type": {
        const t = sym.addType(st.name, false, st.line);
        for (const a of st.aliases) sym.addAlias(t, a, st.line);
        break;
      }
      case "bool": {
        if (sym.boolByName.has(st.name)) throw sym.err(st.line, `duplicate declaration of boolean '${st.name}'`);
        const b = { name: st.name, index: sym.bools.length, defaultValue: st.value };
        sym.bools.push(b);
        sym.boolByName.set(st.name, b);
        break;
      }
      case "role":
        if (!sym.roleByName.has(st.name)) {
          const v = sym.roles.length + 1;
          sym.roles.push({ name: st.name, value: v, types: new Uint8Array(0), dominates: new Set([v]) });
          sym.roleByName.set(st.name, v);
        }
        break;
      case "user": {
        if (sym.userByName.has(st.name)) throw sym.err(st.line, `duplicate declaration of user '${st.name}'`);
        const zero = { sens: 0, cats: new Uint32Array(0) };
        sym.users.push({ name: st.name, value: sym.users.length + 1, roles: new Set(), range: { low: zero, high: zero }, defaultLevel: zero });
        sym.userByName.set(st.name, sym.users.length);
        break;
      }
      default:
        break;
    }
  }
}

/** Pass 2: permissions, MLS order and levels, type attributes, role types, users. */
function define(sym: Symbols, statements: Statement[]): void {
  if (!isMls(sym)) refuseMlsStatements(sym, statements);
  for (const st of statements) {
    if (st.kind === "class_perms") {
      const cls = sym.cls(st.name, st.line);
      if (cls.perms.length) throw sym.err(st.line, `duplicate access vector for class '${st.name}'`);
      const inherited = st.inherits === undefined ? [] : sym.commons.get(st.inherits);
      if (!inherited) throw sym.err(st.line, `unknown common '${st.inherits}'`);
      const perms = [...inherited, ...st.perms];
      if (perms.length > 32) throw sym.err(st.line, `class ${st.name} has more than 32 permissions`);
      const bits = cls.permBits as Map<string, number>;
      perms.forEach((p, i) => {
        if (bits.has(p)) throw sym.err(st.line, `duplicate permission '${p}' in class ${st.name}`);
        bits.set(p, i);
      });
      cls.perms.push(...perms);
      cls.validMask = perms.length === 32 ? 0xffffffff : (1 << perms.length) - 1;
    } else if (st.kind === "dominance") {
      for (const n of st.order) {
        const name = sym.sensAliases.get(n) ?? n;
        if (!sym.declaredSens.includes(name)) throw sym.err(st.line, `unknown sensitivity '${n}'`);
        sym.sensNames.push(name);
        sym.sensByName.set(name, sym.sensNames.length);
      }
      for (const [alias, name] of sym.sensAliases) sym.sensByName.set(alias, sym.sensByName.get(name)!);
    }
  }
  for (const s of sym.declaredSens) {
    if (!sym.sensByName.has(s)) throw sym.err(1, `sensitivity '${s}' is missing from the dominance statement`);
  }
  for (const st of statements) {
    if (st.kind === "level") {
      const sens = sym.sens(st.level.sens, st.line);
      if (sym.levelCats.has(sens)) throw sym.err(st.line, `duplicate level for ${st.level.sens}`);
      sym.levelCats.set(sens, sym.catSet(st.level));
    }
  }
  for (const s of sym.sensNames) {
    const v = sym.sensByName.get(s)!;
    if (!sym.levelCats.has(v)) sym.levelCats.set(v, emptyCats(sym.words));
  }
  for (const st of statements) {
    if (st.kind === "type" || st.kind === "typeattribute") {
      const t = sym.type(st.name, st.line);
      if (t.isAttribute) throw sym.err(st.line, `'${st.name}' is an attribute, not a type`);
      for (const a of st.attributes) {
        const attr = sym.type(a, st.line);
        if (!attr.isAttribute) throw sym.err(st.line, `'${a}' is not an attribute`);
        if (!t.related.includes(attr.value)) t.related.push(attr.value);
        if (!attr.related.includes(t.value)) attr.related.push(t.value);
      }
    } else if (st.kind === "typealias") {
      const t = sym.type(st.name, st.line);
      for (const a of st.aliases) sym.addAlias(t, a, st.line);
    }
  }
  const roleTypes = new Map<number, Set<number>>();
  for (const st of statements) {
    if (st.kind === "role" && st.types) {
      const role = sym.role(st.name, st.line);
      // checkpolicy accepts `role object_r types { … }` (define_role_types), but object_r's
      // types never matter: context_is_valid skips the role/type check for object_r, and
      // libsepol's role_read drops object_r from a binary policy. Resolve the names (so typos
      // are still errors) and keep nothing.
      const expanded = expandTypes(sym, st.types);
      if (role.name === OBJECT_R) continue;
      const set = roleTypes.get(role.value) ?? new Set<number>();
      for (const t of expanded) set.add(t);
      roleTypes.set(role.value, set);
    }
  }
  for (const role of sym.roles) {
    const arr = new Uint8Array(sym.types.length + 1);
    for (const t of roleTypes.get(role.value) ?? []) arr[t] = 1;
    role.types = arr;
  }
  const mls = isMls(sym);
  for (const st of statements) {
    if (st.kind !== "user") continue;
    const user = sym.user(st.name, st.line);
    const roles = expandRoles(sym, st.roles);
    if (!mls) {
      // Xen's default build (CONFIG_MLS unset): users carry no level or range.
      const none = noMlsRange(sym.words);
      user.roles = roles;
      user.range = none;
      user.defaultLevel = none.low;
      continue;
    }
    if (!st.level || !st.range) throw sym.err(st.line, `user ${st.name} needs a level and a range`);
    const range = sym.range(st.range);
    const level = sym.level(st.level);
    if (!levelDom(range.high, range.low)) throw sym.err(st.line, `user ${st.name}: high level does not dominate low level`);
    if (!levelDom(level, range.low) || !levelDom(range.high, level)) {
      throw sym.err(st.line, `user ${st.name}: default level is not within the user's range`);
    }
    user.roles = roles;
    user.range = range;
    user.defaultLevel = level;
  }
}

/** MLS is on when the policy declares sensitivities (what `checkpolicy -M` requires). */
function isMls(sym: Symbols): boolean {
  return sym.declaredSens.length > 0;
}

/** Without sensitivities, checkpolicy (no -M) refuses every MLS statement; so do we. */
function refuseMlsStatements(sym: Symbols, statements: Statement[]): void {
  for (const st of statements) {
    const what =
      st.kind === "category" || st.kind === "dominance" || st.kind === "level"
        ? `'${st.kind}'`
        : st.kind === "constrain" && st.mls
          ? "'mlsconstrain'"
          : st.kind === "user" && (st.level || st.range)
            ? `a level or range for user ${st.name}`
            : undefined;
    if (what) throw sym.err(st.line, `${what} in a policy without MLS (no sensitivities declared)`);
  }
}

function roleAllows(sym: Symbols, statements: Statement[]): Set<number> {
  const out = new Set<number>();
  for (const st of statements) {
    if (st.kind !== "role_allow") continue;
    for (const a of expandRoles(sym, st.from)) for (const b of expandRoles(sym, st.to)) out.add(a * 65536 + b);
  }
  return out;
}

/** A context written in policy text; invalid ones are compile errors, as in checkpolicy. */
function checkedContext(sym: Symbols, c: ContextSyntax): string {
  const mls = isMls(sym);
  if (mls && !c.range) throw sym.err(c.line, "an MLS policy needs a level in every context");
  if (!mls && c.range) throw sym.err(c.line, "a context in a policy without MLS has no level");
  const type = sym.type(c.type, c.line);
  const range = c.range ? sym.range(c.range) : noMlsRange(sym.words);
  const ctx: Context = { user: sym.user(c.user, c.line).value, role: sym.role(c.role, c.line).value, type: type.value, range };
  const tables = { mls, types: sym.types, roles: sym.roles, users: sym.users, levelCats: sym.levelCats, objectRole: 1 };
  const why = contextInvalidReason(tables, ctx);
  if (why) throw sym.err(c.line, `invalid context ${c.user}:${c.role}:${c.type}: ${why}`);
  return mls ? `${c.user}:${c.role}:${type.name}:${formatRange(ctx.range, sym)}` : `${c.user}:${c.role}:${type.name}`;
}

function initialSidsOf(sym: Symbols, statements: Statement[]): InitialSid[] {
  const sids: InitialSid[] = [];
  for (const st of statements) {
    if (st.kind !== "sid_decl") continue;
    if (sids.some((s) => s.name === st.name)) throw sym.err(st.line, `duplicate initial SID '${st.name}'`);
    sids.push({ name: st.name });
  }
  for (const st of statements) {
    if (st.kind !== "sid_context") continue;
    const sid = sids.find((s) => s.name === st.name);
    if (!sid) throw sym.err(st.line, `unknown initial SID '${st.name}'`);
    if (sid.context !== undefined) throw sym.err(st.line, `duplicate context for initial SID '${st.name}'`);
    sid.context = checkedContext(sym, st.context);
  }
  return sids;
}

function deepFreeze<T>(o: T): T {
  // Maps and typed arrays stay mutable at run time; the type system marks them readonly.
  // Freezing plain objects and arrays guards the snapshot against accidental writes.
  if (o && typeof o === "object" && !ArrayBuffer.isView(o) && !(o instanceof Map) && !(o instanceof Set)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) if (v && typeof v === "object" && !Object.isFrozen(v)) deepFreeze(v);
  }
  return o;
}
