import { XsmError } from "./errors";
import type { CondOp } from "./policy";

/**
 * libsepol's binary `policydb` format (kernel policy, Xen target), read into raw records:
 * the byte layout only, following libsepol's policydb_read, avtab_read_item, cond_read_list
 * and ebitmap_read (versions 24 and 30, the two libsepol knows for Xen). `binary.ts` turns the
 * records into a CompiledPolicy. What the engine cannot honour is refused here, never skipped.
 */
export const POLICYDB_MAGIC = 0xf97cff8c;
const XEN_TARGET = "XenFlask";
const CONFIG_MLS = 1;

// avtab.h
export const AVTAB_ALLOWED = 0x0001;
export const AVTAB_AUDITALLOW = 0x0002;
export const AVTAB_AUDITDENY = 0x0004;
export const AVTAB_TRANSITION = 0x0010;
export const AVTAB_MEMBER = 0x0020;
export const AVTAB_CHANGE = 0x0040;
const AVTAB_XPERMS = 0x0700;
export const AVTAB_ENABLED = 0x8000;

// constraint.h
export const CEXPR_NOT = 1;
export const CEXPR_AND = 2;
export const CEXPR_OR = 3;
export const CEXPR_ATTR = 4;
export const CEXPR_NAMES = 5;
export const CEXPR_USER = 1;
export const CEXPR_ROLE = 2;
export const CEXPR_TYPE = 4;
export const CEXPR_TARGET = 8;
const CEXPR_XTARGET = 16;
export const LEVEL_ATTRS: Record<number, ["l1" | "l2" | "h1", "l2" | "h2" | "h1"]> = {
  32: ["l1", "l2"],
  64: ["l1", "h2"],
  128: ["h1", "l2"],
  256: ["h1", "h2"],
  512: ["l1", "h1"],
  1024: ["l2", "h2"],
};
export const CEXPR_OPS = ["", "==", "!=", "dom", "domby", "incomp"] as const;

// conditional.h
export const COND_OPS: Record<number, CondOp["op"]> = { 1: "bool", 2: "not", 3: "or", 4: "and", 5: "xor", 6: "eq", 7: "neq" };
export const COND_SYMBOLS: Record<string, string> = { and: "&&", or: "||", xor: "^", eq: "==", neq: "!=" };

// Xen ocontexts (policydb.h OCON_XEN_*)
const OCON_KINDS = ["isid", "pirqcon", "ioportcon", "iomemcon", "pcidevicecon", "devicetreecon"];

export class Reader {
  private pos = 0;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly file: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(message: string): XsmError {
    return new XsmError("EINVAL", `${this.file}: ${message} (at byte ${this.pos})`);
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.bytes.length) throw this.fail(`truncated ${what}`);
  }

  u32(what = "entry"): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  u16(what = "entry"): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  u64(what = "entry"): bigint {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  str(len: number, what = "name"): string {
    if (len > 1 << 20) throw this.fail(`implausible ${what} length ${len}`);
    this.need(len, what);
    const s = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + len));
    this.pos += len;
    return s;
  }

  /** ebitmap_read: set bit positions (0-based), ascending. */
  ebitmap(what = "ebitmap"): number[] {
    const mapsize = this.u32(what);
    const highbit = this.u32(what);
    const count = this.u32(what);
    if (mapsize !== 64) throw this.fail(`${what}: map size ${mapsize}, expected 64`);
    if ((highbit === 0) !== (count === 0)) throw this.fail(`${what}: inconsistent high bit and node count`);
    if (highbit % 64 !== 0) throw this.fail(`${what}: high bit ${highbit} is not a multiple of 64`);
    const bits: number[] = [];
    let last = -1;
    for (let i = 0; i < count; i++) {
      const start = this.u32(what);
      const map = this.u64(what);
      if (start % 64 !== 0 || start + 64 > highbit || start <= last) throw this.fail(`${what}: bad node at bit ${start}`);
      last = start;
      for (let b = 0; b < 64; b++) if ((map >> BigInt(b)) & 1n) bits.push(start + b);
    }
    return bits;
  }

  get atEnd(): boolean {
    return this.pos === this.bytes.length;
  }
}

export interface RawConstraint {
  permissions: number;
  expr: { type: number; attr: number; op: number; names?: number[] }[];
}

export interface RawClass {
  name: string;
  value: number;
  common?: string;
  perms: Map<number, string>;
  constraints: RawConstraint[];
}

export interface RawLevel {
  sens: number;
  cats: number[];
}

export interface AvItem {
  source: number;
  target: number;
  cls: number;
  specified: number;
  data: number;
}

type Symtab<T> = { nprim: number; items: T[] };

/** Everything a Xen kernel policy file holds, as read (values as stored, bits 0-based). */
export interface RawPolicydb {
  version: number;
  mls: boolean;
  classes: Symtab<RawClass>;
  roles: Symtab<{ name: string; value: number; dominates: number[]; types: number[] }>;
  types: Symtab<{ name: string; value: number; primary: boolean; attribute: boolean }>;
  users: Symtab<{ name: string; value: number; roles: number[]; range: { low: RawLevel; high: RawLevel }; dflt: RawLevel }>;
  bools: Symtab<{ name: string; value: number; state: boolean }>;
  sens: Symtab<{ name: string; isAlias: boolean; level: RawLevel }>;
  cats: Symtab<{ name: string; value: number; isAlias: boolean }>;
  avItems: AvItem[];
  conds: { expr: { type: number; bool: number }[]; lists: [AvItem[], AvItem[]] }[];
  roleAllow: [number, number][];
  ocontexts: { kind: string; args: string[]; sid?: number; context: RawContext }[];
  typeAttrMap: number[][];
}

/** Reads a whole policy file; throws XsmError(EINVAL) naming the file and byte offset. */
export function readPolicydb(bytes: Uint8Array, fileName: string): RawPolicydb {
  const r = new Reader(bytes, fileName);
  const unsupported = (what: string): XsmError => new XsmError("EINVAL", `${fileName}: unsupported in a binary policy: ${what}`);

  // ---- header ------------------------------------------------------------------------
  const magic = r.u32("magic");
  if (magic !== POLICYDB_MAGIC) throw r.fail(`magic 0x${magic.toString(16)} is not a kernel policydb (0x${POLICYDB_MAGIC.toString(16)})`);
  const target = r.str(r.u32("target string"), "target string");
  if (target !== XEN_TARGET) throw r.fail(`target '${target}' is not Xen ('${XEN_TARGET}'): build with checkpolicy -t xen`);
  const version = r.u32("version");
  const config = r.u32("config");
  const symNum = r.u32("symtab count");
  const oconNum = r.u32("ocontext count");
  const expectedOcons = version === 30 ? 6 : version === 24 ? 5 : -1;
  if (expectedOcons < 0) throw r.fail(`policy version ${version}: libsepol reads Xen policies of version 24 or 30`);
  if (symNum !== 8 || oconNum !== expectedOcons) throw r.fail(`table sizes (${symNum},${oconNum}) do not match (8,${expectedOcons})`);
  const mls = (config & CONFIG_MLS) !== 0;
  r.ebitmap("policy capabilities"); // POLICYDB_VERSION_POLCAP (22): no decision depends on them for Xen
  if (r.ebitmap("permissive map").length) throw unsupported("permissive types");

  // ---- symbol tables -------------------------------------------------------------------
  const symtab = <T>(read: () => T): { nprim: number; items: T[] } => {
    const nprim = r.u32("symtab");
    const nel = r.u32("symtab");
    const items: T[] = [];
    for (let i = 0; i < nel; i++) items.push(read());
    return { nprim, items };
  };
  const readPerms = (n: number, into: Map<number, string>): void => {
    for (let i = 0; i < n; i++) {
      const len = r.u32("permission");
      const value = r.u32("permission");
      into.set(value, r.str(len, "permission name"));
    }
  };
  const readConstraints = (n: number, allowXTarget: boolean): RawConstraint[] => {
    const out: RawConstraint[] = [];
    for (let i = 0; i < n; i++) {
      const permissions = r.u32("constraint");
      const nexpr = r.u32("constraint");
      const expr: RawConstraint["expr"] = [];
      for (let j = 0; j < nexpr; j++) {
        const type = r.u32("constraint expression");
        const attr = r.u32("constraint expression");
        const op = r.u32("constraint expression");
        if (type === CEXPR_NAMES) {
          if (!allowXTarget && attr & CEXPR_XTARGET) throw r.fail("constraint names the third target outside validatetrans");
          const names = r.ebitmap("constraint names");
          if (version >= 29) {
            // type_names (a type_set: types, negset, flags), kept for policy writers only.
            r.ebitmap("constraint type names");
            r.ebitmap("constraint type names");
            r.u32("constraint type names");
          }
          expr.push({ type, attr, op, names });
        } else expr.push({ type, attr, op });
      }
      out.push({ permissions, expr });
    }
    return out;
  };

  const commons = new Map<string, Map<number, string>>();
  symtab(() => {
    const len = r.u32("common");
    r.u32("common"); // value
    r.u32("common"); // permissions nprim
    const nel = r.u32("common");
    const name = r.str(len, "common name");
    const perms = new Map<number, string>();
    readPerms(nel, perms);
    commons.set(name, perms);
  });

  const rawClasses = symtab((): RawClass => {
    const len = r.u32("class");
    const len2 = r.u32("class");
    const value = r.u32("class");
    r.u32("class"); // permissions nprim
    const nel = r.u32("class");
    const ncons = r.u32("class");
    const name = r.str(len, "class name");
    const common = len2 ? r.str(len2, "common name") : undefined;
    if (common !== undefined && !commons.has(common)) throw r.fail(`class ${name} inherits unknown common ${common}`);
    const perms = new Map<number, string>(common !== undefined ? commons.get(common) : []);
    readPerms(nel, perms);
    const constraints = readConstraints(ncons, false);
    const nvalidate = r.u32("validatetrans");
    if (nvalidate) throw unsupported(`validatetrans on class ${name}`);
    if (version >= 27) {
      const defaults = [r.u32(), r.u32(), r.u32()];
      if (defaults.some((d) => d !== 0)) throw unsupported(`default_user/default_role/default_range on class ${name}`);
    }
    if (version >= 28 && r.u32() !== 0) throw unsupported(`default_type on class ${name}`);
    return { name, value, ...(common !== undefined ? { common } : {}), perms, constraints };
  });

  const rawRoles = symtab(() => {
    const len = r.u32("role");
    const value = r.u32("role");
    r.u32("role"); // bounds (version >= 24)
    const name = r.str(len, "role name");
    const dominates = r.ebitmap("role dominance");
    const types = r.ebitmap("role types");
    return { name, value, dominates, types };
  });

  const rawTypes = symtab(() => {
    const len = r.u32("type");
    const value = r.u32("type");
    const properties = r.u32("type");
    r.u32("type"); // bounds
    const name = r.str(len, "type name");
    return { name, value, primary: (properties & 1) !== 0, attribute: (properties & 2) !== 0 };
  });

  const readLevel = (what: string): RawLevel => ({ sens: r.u32(what), cats: r.ebitmap(what) });
  const readRange = (what: string): { low: RawLevel; high: RawLevel } => {
    const items = r.u32(what);
    if (items < 1 || items > 2) throw r.fail(`${what}: range with ${items} levels`);
    const s0 = r.u32(what);
    const s1 = items > 1 ? r.u32(what) : s0;
    const c0 = r.ebitmap(what);
    const c1 = items > 1 ? r.ebitmap(what) : c0;
    return { low: { sens: s0, cats: c0 }, high: { sens: s1, cats: c1 } };
  };

  const rawUsers = symtab(() => {
    const len = r.u32("user");
    const value = r.u32("user");
    r.u32("user"); // bounds
    const name = r.str(len, "user name");
    const roles = r.ebitmap("user roles");
    const range = readRange(`range of user ${name}`);
    const dflt = readLevel(`default level of user ${name}`);
    return { name, value, roles, range, dflt };
  });

  const rawBools = symtab(() => {
    const value = r.u32("boolean");
    const state = r.u32("boolean");
    const len = r.u32("boolean");
    return { name: r.str(len, "boolean name"), value, state: state !== 0 };
  });

  const rawSens = symtab(() => {
    const len = r.u32("sensitivity");
    const isAlias = r.u32("sensitivity") !== 0;
    const name = r.str(len, "sensitivity name");
    return { name, isAlias, level: readLevel(`level of ${name}`) };
  });

  const rawCats = symtab(() => {
    const len = r.u32("category");
    const value = r.u32("category");
    const isAlias = r.u32("category") !== 0;
    return { name: r.str(len, "category name"), value, isAlias };
  });

  // ---- rules -------------------------------------------------------------------------------
  const readAvItem = (): AvItem => {
    const source = r.u16("avtab key");
    const target = r.u16("avtab key");
    const cls = r.u16("avtab key");
    const specified = r.u16("avtab key");
    if (specified & AVTAB_XPERMS) throw unsupported("extended permission rules (allowxperm)");
    return { source, target, cls, specified, data: r.u32("avtab datum") };
  };
  const avtabCount = r.u32("avtab");
  if (avtabCount === 0) throw r.fail("the access vector table is empty");
  const avItems: AvItem[] = [];
  for (let i = 0; i < avtabCount; i++) avItems.push(readAvItem());

  const rawConds: { expr: { type: number; bool: number }[]; lists: [AvItem[], AvItem[]] }[] = [];
  const ncond = r.u32("conditional list");
  for (let i = 0; i < ncond; i++) {
    r.u32("conditional"); // cur_state: recomputed from boolean values
    const nexpr = r.u32("conditional expression");
    const expr: { type: number; bool: number }[] = [];
    for (let j = 0; j < nexpr; j++) expr.push({ type: r.u32("conditional expression"), bool: r.u32("conditional expression") });
    const lists: [AvItem[], AvItem[]] = [[], []];
    for (const list of lists) {
      const n = r.u32("conditional rules");
      for (let k = 0; k < n; k++) list.push(readAvItem());
    }
    rawConds.push({ expr, lists });
  }

  if (r.u32("role transitions")) throw unsupported("role_transition");
  const roleAllowPairs: [number, number][] = [];
  const nallow = r.u32("role allow");
  for (let i = 0; i < nallow; i++) roleAllowPairs.push([r.u32("role allow"), r.u32("role allow")]);
  if (version >= 25 && r.u32("filename transitions")) throw unsupported("filename type_transition");

  const ocontexts: { kind: string; args: string[]; sid?: number; context: RawContext }[] = [];
  for (let i = 0; i < oconNum; i++) {
    const n = r.u32("ocontexts");
    for (let j = 0; j < n; j++) {
      const kind = OCON_KINDS[i]!;
      const hex = (v: number | bigint): string => `0x${v.toString(16)}`;
      let args: string[] = [];
      let sid: number | undefined;
      if (kind === "isid") sid = r.u32("initial SID");
      else if (kind === "pirqcon") args = [String(r.u32("pirq"))];
      else if (kind === "ioportcon") {
        const lo = r.u32("ioport");
        const hi = r.u32("ioport");
        args = lo === hi ? [hex(lo)] : [hex(lo), hex(hi)];
      } else if (kind === "iomemcon") {
        const lo = version >= 30 ? r.u64("iomem") : BigInt(r.u32("iomem"));
        const hi = version >= 30 ? r.u64("iomem") : BigInt(r.u32("iomem"));
        args = lo === hi ? [hex(lo)] : [hex(lo), hex(hi)];
      } else if (kind === "pcidevicecon") args = [hex(r.u32("pci device"))];
      else args = [r.str(r.u32("device tree path"), "device tree path")];
      ocontexts.push({ kind, args, ...(sid !== undefined ? { sid } : {}), context: readContext(r) });
    }
  }
  if (r.u32("genfs")) throw r.fail("genfs contexts in a Xen policy");
  if (r.u32("range transitions")) throw unsupported("range_transition");
  const typeAttrMap: number[][] = [];
  for (let i = 0; i < rawTypes.nprim; i++) typeAttrMap.push(r.ebitmap("type attribute map"));
  if (!r.atEnd) throw r.fail("trailing data after the policy");


  return {
    version,
    mls,
    classes: rawClasses,
    roles: rawRoles,
    types: rawTypes,
    users: rawUsers,
    bools: rawBools,
    sens: rawSens,
    cats: rawCats,
    avItems,
    conds: rawConds,
    roleAllow: roleAllowPairs,
    ocontexts,
    typeAttrMap,
  };
}

export interface RawContext {
  user: number;
  role: number;
  type: number;
  range?: { low: RawLevel; high: RawLevel };
}

/** context_read_and_validate: user, role, type, then (version >= 19) the MLS range. */
export function readContext(r: Reader): RawContext {
  const user = r.u32("context");
  const role = r.u32("context");
  const type = r.u32("context");
  const items = r.u32("context range");
  if (items < 1 || items > 2) throw r.fail(`context range with ${items} levels`);
  const s0 = r.u32("context range");
  const s1 = items > 1 ? r.u32("context range") : s0;
  const c0 = r.ebitmap("context range");
  const c1 = items > 1 ? r.ebitmap("context range") : c0;
  return { user, role, type, range: { low: { sens: s0, cats: c0 }, high: { sens: s1, cats: c1 } } };
}
