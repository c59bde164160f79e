import { createHash } from "node:crypto";
import { catWords, emptyCats, setCat, type CatSet } from "./catset";
import {
  AVTAB_ALLOWED,
  AVTAB_AUDITALLOW,
  AVTAB_AUDITDENY,
  AVTAB_CHANGE,
  AVTAB_ENABLED,
  AVTAB_MEMBER,
  AVTAB_TRANSITION,
  CEXPR_AND,
  CEXPR_ATTR,
  CEXPR_NAMES,
  CEXPR_NOT,
  CEXPR_OPS,
  CEXPR_OR,
  CEXPR_ROLE,
  CEXPR_TARGET,
  CEXPR_TYPE,
  CEXPR_USER,
  COND_OPS,
  COND_SYMBOLS,
  LEVEL_ATTRS,
  POLICYDB_MAGIC,
  readPolicydb,
  type AvItem,
  type RawContext,
  type RawLevel,
} from "./binary-format";
import { XsmError } from "./errors";
import { formatRange, noMlsRange, type Level, type Range } from "./mls";
import type {
  AvEntry,
  BoolInfo,
  ClassInfo,
  CompiledConstraint,
  CompiledPolicy,
  CondAvRule,
  CondInfo,
  CondOp,
  CondTypeRule,
  ConstraintNode,
  DeviceContext,
  InitialSid,
  RoleInfo,
  TypeInfo,
  UserInfo,
} from "./policy";

/**
 * Loader for checkpolicy's binary policy (libsepol's `policydb` format, the `policy.30` file
 * `xl loadpolicy` hands to Xen), Xen target only. The layout follows libsepol's
 * policydb_read/avtab_read_item/cond_read_list/ebitmap_read for a kernel policy
 * (magic 0xf97cff8c, target string "XenFlask", versions 24 and 30 — the two libsepol's
 * compatibility table knows for Xen). The result is the same `CompiledPolicy` the text
 * compiler builds, so compute_av, transitions and the security server work unchanged:
 * attribute-keyed access-vector entries are expanded to concrete types exactly as libsepol's
 * compute_av reaches them through type_attr_map.
 *
 * What the engine does not implement is refused, never skipped (as in the text compiler):
 * role_transition, range_transition, filename transitions, type_member/type_change,
 * validatetrans, default_* rules, permissive types, extended permissions.
 */

/** Names of Xen's initial SIDs by number (xen/xsm/flask/policy/initial_sids, as in the fixtures). */
export const XEN_INITIAL_SID_NAMES: readonly string[] = [
  "xenboot",
  "xen",
  "dom0",
  "domio",
  "domxen",
  "unlabeled",
  "security",
  "ioport",
  "iomem",
  "irq",
  "device",
  "domU",
  "domDM",
];

export interface BinaryLoadOptions {
  /** Name reported for the policy (and in errors). */
  fileName?: string;
  /**
   * Initial SID names by number. A binary policy carries only the numbers (the hypervisor
   * build supplies the names); the default is Xen's own list.
   */
  initialSidNames?: readonly string[];
}

/** True when the bytes start with the policydb magic number (a binary, not policy text). */
export function isBinaryPolicy(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === POLICYDB_MAGIC;
}

/** Loads a binary policy (checkpolicy -t xen output) into the engine's compiled form. */
export function loadBinaryPolicy(bytes: Uint8Array, options: BinaryLoadOptions = {}): CompiledPolicy {
  const fileName = options.fileName ?? "policy.bin";
  const raw = readPolicydb(bytes, fileName);
  const { mls, typeAttrMap, ocontexts } = raw;
  const [rawClasses, rawRoles, rawTypes, rawUsers, rawBools, rawSens, rawCats] = [raw.classes, raw.roles, raw.types, raw.users, raw.bools, raw.sens, raw.cats];
  const [avItems, rawConds, roleAllowPairs] = [raw.avItems, raw.conds, raw.roleAllow];
  const unsupported = (what: string): XsmError => new XsmError("EINVAL", `${fileName}: unsupported in a binary policy: ${what}`);

  // ---- build the compiled policy -----------------------------------------------------------
  const bad = (m: string): XsmError => new XsmError("EINVAL", `${fileName}: ${m}`);
  const byValue = <T extends { value: number }>(items: T[], nprim: number, what: string): T[] => {
    const out: T[] = new Array(nprim);
    for (const it of items) {
      if (it.value < 1 || it.value > nprim || out[it.value - 1]) throw bad(`${what} value ${it.value} out of range or duplicated`);
      out[it.value - 1] = it;
    }
    for (let i = 0; i < nprim; i++) if (!out[i]) throw bad(`${what} value ${i + 1} is missing`);
    return out;
  };

  // Classes: permission value v is bit v - 1 (common permissions first).
  const classes: ClassInfo[] = byValue(rawClasses.items, rawClasses.nprim, "class").map((c) => {
    const count = c.perms.size;
    const perms: string[] = [];
    const permBits = new Map<string, number>();
    for (const [v, name] of c.perms) {
      if (v < 1 || v > 32) throw bad(`class ${c.name}: permission ${name} has value ${v}`);
      perms[v - 1] = name;
      permBits.set(name, v - 1);
    }
    if (perms.length !== count) throw bad(`class ${c.name}: permission values are not contiguous`);
    return { name: c.name, value: c.value, perms, permBits, validMask: count === 32 ? 0xffffffff : ((1 << count) - 1) >>> 0, constraints: [] };
  });
  const classByName = new Map(classes.map((c) => [c.name, c]));

  // Types, attributes and aliases.
  const ntypes = rawTypes.nprim;
  const primaries = byValue(
    rawTypes.items.filter((t) => t.primary),
    ntypes,
    "type",
  );
  const types: TypeInfo[] = primaries.map((t) => ({ name: t.name, value: t.value, isAttribute: t.attribute, aliases: [], related: [], line: 0 }));
  const typeByName = new Map<string, number>(types.map((t) => [t.name, t.value]));
  for (const a of rawTypes.items.filter((t) => !t.primary)) {
    const t = types[a.value - 1];
    if (!t) throw bad(`alias ${a.name} of unknown type ${a.value}`);
    t.aliases.push(a.name);
    typeByName.set(a.name, a.value);
  }
  typeAttrMap.forEach((bits, i) => {
    const t = types[i]!;
    if (t.isAttribute) return;
    for (const b of bits) {
      if (b === i) continue;
      const attr = types[b];
      if (!attr?.isAttribute) throw bad(`type ${t.name}: type_attr_map names ${attr ? `non-attribute ${attr.name}` : `unknown type ${b + 1}`}`);
      t.related.push(attr.value);
      attr.related.push(t.value);
    }
  });
  /** Concrete types a key type stands for (libsepol reaches attribute keys via type_attr_map). */
  const concrete = (v: number): readonly number[] => {
    const t = types[v - 1];
    if (!t) throw bad(`rule names unknown type ${v}`);
    return t.isAttribute ? t.related : [v];
  };
  const typeSet = (bits: number[]): Uint8Array => {
    const arr = new Uint8Array(ntypes + 1);
    for (const b of bits) for (const v of concrete(b + 1)) arr[v] = 1;
    return arr;
  };

  // Roles: object_r is value 1 and carries nothing (libsepol's role_read drops it).
  const roleItems = rawRoles.items.filter((x) => x.name !== "object_r");
  const objectR = rawRoles.items.find((x) => x.name === "object_r");
  if (objectR && objectR.value !== 1) throw bad(`object_r has value ${objectR.value}, expected 1`);
  const roles: RoleInfo[] = byValue(
    [{ name: "object_r", value: 1, dominates: [], types: [] }, ...roleItems],
    rawRoles.nprim,
    "role",
  ).map((x) => ({
    name: x.name,
    value: x.value,
    types: x.value === 1 ? new Uint8Array(0) : typeSet(x.types),
    dominates: new Set(x.dominates.map((b) => b + 1)),
  }));
  // Rebuild object_r with a type table of the right size, like the text compiler.
  roles[0] = { ...roles[0]!, types: new Uint8Array(ntypes + 1) };
  const roleByName = new Map(roles.map((x) => [x.name, x.value]));

  // MLS symbols.
  const sensNames: string[] = [];
  const sensByName = new Map<string, number>();
  const levelBySens = new Map<number, RawLevel>();
  for (const s of rawSens.items) {
    sensByName.set(s.name, s.level.sens);
    if (!s.isAlias) {
      sensNames[s.level.sens - 1] = s.name;
      levelBySens.set(s.level.sens, s.level);
    }
  }
  const catNames: string[] = [];
  const catByName = new Map<string, number>();
  for (const c of rawCats.items) {
    catByName.set(c.name, c.value);
    if (!c.isAlias) catNames[c.value - 1] = c.name;
  }
  // nprim of these tables counts aliases too (checkpolicy gives an alias its own slot).
  const contiguous = (names: string[], count: number): boolean => names.length === count && !names.includes(undefined as never);
  if (!contiguous(sensNames, rawSens.items.filter((x) => !x.isAlias).length)) throw bad("sensitivity values are not contiguous");
  if (!contiguous(catNames, rawCats.items.filter((x) => !x.isAlias).length)) throw bad("category values are not contiguous");
  if (!mls && (rawSens.nprim || rawCats.nprim)) throw bad("sensitivities or categories in a policy without MLS");
  const words = catWords(catNames.length);
  const cats = (bits: number[]): CatSet => {
    const out = emptyCats(words);
    for (const b of bits) {
      if (b >= catNames.length) throw bad(`category bit ${b} beyond the ${catNames.length} categories`);
      setCat(out, b);
    }
    return out;
  };
  const levelCats = new Map<number, CatSet>();
  for (const [sens, level] of levelBySens) levelCats.set(sens, cats(level.cats));
  const none = noMlsRange(words);
  const level = (l: RawLevel): Level => {
    if (!mls) return none.low;
    if (l.sens < 1 || l.sens > sensNames.length) throw bad(`sensitivity ${l.sens} out of range`);
    return { sens: l.sens, cats: cats(l.cats) };
  };
  const range = (x: { low: RawLevel; high: RawLevel }): Range => (mls ? { low: level(x.low), high: level(x.high) } : none);

  const users: UserInfo[] = byValue(rawUsers.items, rawUsers.nprim, "user").map((u) => ({
    name: u.name,
    value: u.value,
    roles: new Set(u.roles.map((b) => b + 1)),
    range: range(u.range),
    defaultLevel: mls ? level(u.dflt) : none.low,
  }));
  const userByName = new Map(users.map((u) => [u.name, u.value]));

  const bools: BoolInfo[] = byValue(rawBools.items, rawBools.nprim, "boolean").map((b) => ({ name: b.name, index: b.value - 1, defaultValue: b.state }));
  const boolByName = new Map(bools.map((b) => [b.name, b]));

  // Constraints: the binary stores each expression in reverse Polish notation.
  for (const raw of byValue(rawClasses.items, rawClasses.nprim, "class")) {
    const cls = classes[raw.value - 1]!;
    // checkpolicy prepends each constraint to its class's list (newest first); reversing gives
    // declaration order, as the text compiler numbers them. Order never changes a decision.
    [...raw.constraints].reverse().forEach((c, index) => {
      const stack: { node: ConstraintNode; text: string; usesLevels: boolean }[] = [];
      for (const e of c.expr) {
        if (e.type === CEXPR_NOT || e.type === CEXPR_AND || e.type === CEXPR_OR) {
          const right = stack.pop();
          if (!right) throw bad(`class ${cls.name}: malformed constraint`);
          if (e.type === CEXPR_NOT) {
            stack.push({ node: { kind: "not", expr: right.node }, text: `not (${right.text})`, usesLevels: right.usesLevels });
            continue;
          }
          const left = stack.pop();
          if (!left) throw bad(`class ${cls.name}: malformed constraint`);
          const kind = e.type === CEXPR_AND ? "and" : "or";
          stack.push({ node: { kind, left: left.node, right: right.node }, text: `(${left.text} ${kind} ${right.text})`, usesLevels: left.usesLevels || right.usesLevels });
          continue;
        }
        const op = CEXPR_OPS[e.op];
        if (!op) throw bad(`class ${cls.name}: constraint operator ${e.op}`);
        if (e.type === CEXPR_ATTR) {
          const lv = LEVEL_ATTRS[e.attr];
          if (lv) {
            stack.push({ node: { kind: "level", left: lv[0], right: lv[1], op }, text: `${lv[0]} ${op} ${lv[1]}`, usesLevels: true });
            continue;
          }
          const attr = e.attr === CEXPR_USER ? "u" : e.attr === CEXPR_ROLE ? "r" : e.attr === CEXPR_TYPE ? "t" : undefined;
          if (!attr) throw bad(`class ${cls.name}: constraint attribute ${e.attr}`);
          stack.push({ node: { kind: "ident", attr, op }, text: `${attr}1 ${op} ${attr}2`, usesLevels: false });
          continue;
        }
        if (e.type !== CEXPR_NAMES || (op !== "==" && op !== "!=")) throw bad(`class ${cls.name}: constraint expression type ${e.type}`);
        const base = e.attr & ~CEXPR_TARGET;
        const attr = base === CEXPR_USER ? "u" : base === CEXPR_ROLE ? "r" : base === CEXPR_TYPE ? "t" : undefined;
        if (!attr) throw bad(`class ${cls.name}: constraint names attribute ${e.attr}`);
        const target = (e.attr & CEXPR_TARGET) !== 0;
        const values = e.names!.map((b) => b + 1);
        const table = attr === "u" ? users : attr === "r" ? roles : types;
        const names = values.map((v) => table[v - 1]?.name ?? `#${v}`);
        const body = names.length === 1 ? names[0] : `{ ${names.join(" ")} }`;
        stack.push({ node: { kind: "names", attr, target, op, names: new Set(values) }, text: `${attr}${target ? 2 : 1} ${op} ${body}`, usesLevels: false });
      }
      const top = stack.pop();
      if (!top || stack.length) throw bad(`class ${cls.name}: malformed constraint`);
      const isMlsConstraint = top.usesLevels;
      const permText = cls.perms.filter((_, bit) => c.permissions & (1 << bit));
      const exprText = top.node.kind === "and" || top.node.kind === "or" ? top.text : `(${top.text})`;
      const constraint: CompiledConstraint = {
        index,
        mls: isMlsConstraint,
        permissions: c.permissions >>> 0,
        expr: top.node,
        text: `${isMlsConstraint ? "mlsconstrain" : "constrain"} ${cls.name} ${permText.length === 1 ? permText[0] : `{ ${permText.join(" ")} }`} ${exprText}`,
        exprText,
        file: fileName,
        line: 0,
      };
      cls.constraints.push(constraint);
    });
  }

  // Access vectors: expand attribute keys to the concrete cells libsepol's compute_av visits.
  const n1 = ntypes + 1;
  const key = (s: number, t: number, c: number): number => (s * n1 + t) * 64 + c;
  const checkKey = (it: AvItem): void => {
    if (it.cls < 1 || it.cls > classes.length) throw bad(`rule names unknown class ${it.cls}`);
    if (it.source < 1 || it.source > ntypes || it.target < 1 || it.target > ntypes) throw bad("rule names an unknown type");
  };
  const avtab = new Map<number, AvEntry>();
  const typeTransitions = new Map<number, number>();
  for (const it of avItems) {
    checkKey(it);
    const spec = it.specified & ~AVTAB_ENABLED;
    if (spec === AVTAB_TRANSITION) {
      // compute_sid looks transitions up by the exact (source type, target type) pair.
      if (it.data < 1 || it.data > ntypes || types[it.data - 1]!.isAttribute) throw bad(`type_transition to ${it.data}`);
      typeTransitions.set(key(it.source, it.target, it.cls), it.data);
      continue;
    }
    if (spec === AVTAB_MEMBER || spec === AVTAB_CHANGE) throw unsupported(spec === AVTAB_MEMBER ? "type_member" : "type_change");
    if (spec !== AVTAB_ALLOWED && spec !== AVTAB_AUDITALLOW && spec !== AVTAB_AUDITDENY) throw bad(`access vector entry kind 0x${spec.toString(16)}`);
    for (const s of concrete(it.source)) {
      for (const t of concrete(it.target)) {
        const k = key(s, t, it.cls);
        let e = avtab.get(k);
        if (!e) {
          e = { allowed: 0, auditallow: 0, auditdeny: 0xffffffff };
          avtab.set(k, e);
        }
        if (spec === AVTAB_ALLOWED) e.allowed = (e.allowed | it.data) >>> 0;
        else if (spec === AVTAB_AUDITALLOW) e.auditallow = (e.auditallow | it.data) >>> 0;
        else e.auditdeny = (e.auditdeny & it.data) >>> 0;
      }
    }
  }

  // Conditionals.
  const conds: CondInfo[] = [];
  const condAvtab = new Map<number, CondAvRule[]>();
  const condTypeTransitions = new Map<number, CondTypeRule[]>();
  rawConds.forEach((raw, index) => {
    const rpn: CondOp[] = [];
    const used = new Set<number>();
    const stack: string[] = [];
    for (const e of raw.expr) {
      const op = COND_OPS[e.type];
      if (!op) throw bad(`conditional operator ${e.type}`);
      if (op === "bool") {
        const b = bools[e.bool - 1];
        if (!b) throw bad(`conditional names unknown boolean ${e.bool}`);
        rpn.push({ op: "bool", bool: b.index });
        used.add(b.index);
        stack.push(b.name);
      } else if (op === "not") {
        if (!stack.length) throw bad("malformed conditional expression");
        rpn.push({ op });
        stack.push(`!${stack.pop()}`);
      } else {
        const right = stack.pop();
        const left = stack.pop();
        if (right === undefined || left === undefined) throw bad("malformed conditional expression");
        rpn.push({ op });
        stack.push(`(${left} ${COND_SYMBOLS[op]} ${right})`);
      }
    }
    if (stack.length !== 1) throw bad("malformed conditional expression");
    conds.push({ rpn, bools: [...used], text: stack[0]!, file: fileName, line: 0 });
    raw.lists.forEach((list, li) => {
      const branch = li === 0;
      for (const it of list) {
        checkKey(it);
        const spec = it.specified & ~AVTAB_ENABLED;
        if (spec === AVTAB_TRANSITION) {
          const k = key(it.source, it.target, it.cls);
          const rules = condTypeTransitions.get(k) ?? [];
          rules.push({ cond: index, branch, newType: it.data });
          condTypeTransitions.set(k, rules);
          continue;
        }
        if (spec === AVTAB_MEMBER || spec === AVTAB_CHANGE) throw unsupported(spec === AVTAB_MEMBER ? "type_member" : "type_change");
        const kind = spec === AVTAB_ALLOWED ? "allow" : spec === AVTAB_AUDITALLOW ? "auditallow" : spec === AVTAB_AUDITDENY ? "dontaudit" : undefined;
        if (!kind) throw bad(`conditional entry kind 0x${spec.toString(16)}`);
        // An auditdeny datum keeps the bits to audit; the engine stores the dontaudit bits.
        const perms = kind === "dontaudit" ? ~it.data >>> 0 : it.data >>> 0;
        if (perms === 0) continue;
        for (const s of concrete(it.source)) {
          for (const t of concrete(it.target)) {
            const k = key(s, t, it.cls);
            const rules = condAvtab.get(k) ?? [];
            rules.push({ cond: index, branch, kind, perms });
            condAvtab.set(k, rules);
          }
        }
      }
    });
  });

  const roleAllow = new Set<number>();
  for (const [a, b] of roleAllowPairs) {
    if (!roles[a - 1] || !roles[b - 1]) throw bad("role allow names an unknown role");
    roleAllow.add(a * 65536 + b);
  }

  // Contexts in ocontexts, printed like the text compiler prints them.
  const contextText = (c: RawContext): string => {
    const u = users[c.user - 1];
    const ro = roles[c.role - 1];
    const ty = types[c.type - 1];
    if (!u || !ro || !ty || ty.isAttribute) throw bad("ocontext with an invalid context");
    const base = `${u.name}:${ro.name}:${ty.name}`;
    return mls && c.range ? `${base}:${formatRange(range(c.range), { sensNames, catNames })}` : base;
  };
  const sidNames = options.initialSidNames ?? XEN_INITIAL_SID_NAMES;
  const isids = ocontexts.filter((o) => o.kind === "isid");
  const maxSid = Math.max(0, ...isids.map((o) => o.sid!));
  const initialSids: InitialSid[] = [];
  for (let i = 1; i <= maxSid; i++) {
    const o = isids.find((x) => x.sid === i);
    const name = sidNames[i - 1] ?? `sid${i}`;
    initialSids.push(o ? { name, context: contextText(o.context) } : { name });
  }
  const deviceContexts: DeviceContext[] = ocontexts.filter((o) => o.kind !== "isid").map((o) => ({ kind: o.kind, args: o.args, context: contextText(o.context) }));

  const domain = classByName.get("domain");
  const transBits = domain
    ? ["transition", "dyntransition"].reduce((m, p) => {
        const bit = domain.permBits.get(p);
        return bit === undefined ? m : m | (1 << bit);
      }, 0)
    : 0;

  const policy: CompiledPolicy = {
    fileName,
    mls,
    digest: createHash("sha256").update(bytes).digest("hex").slice(0, 16),
    classes,
    classByName,
    types,
    typeByName,
    roles,
    roleByName,
    users,
    userByName,
    sensNames,
    sensByName,
    catNames,
    catByName,
    catWords: words,
    levelCats,
    avtab,
    condAvtab,
    typeTransitions,
    condTypeTransitions,
    conds,
    bools,
    boolByName,
    roleAllow,
    processClass: domain?.value ?? 0,
    processTransPerms: transBits >>> 0,
    objectRole: 1,
    initialSids,
    deviceContexts,
  };
  return freeze(policy);
}

function freeze<T>(o: T): T {
  if (o && typeof o === "object" && !ArrayBuffer.isView(o) && !(o instanceof Map) && !(o instanceof Set)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) if (v && typeof v === "object" && !Object.isFrozen(v)) freeze(v);
  }
  return o;
}
