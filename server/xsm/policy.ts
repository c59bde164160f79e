import type { CatSet } from "./catset";
import type { Level, Range } from "./mls";

/**
 * The compiled, immutable policy snapshot. Everything a decision needs is here; boolean
 * values are NOT (they are separate state, `BoolState`, so flipping one never recompiles).
 * Values are 1-based like libsepol's so that bit positions and orders line up with it.
 */

export interface ClassInfo {
  name: string;
  value: number;
  /** Permission names by bit position (bit i = perms[i]). */
  perms: string[];
  permBits: ReadonlyMap<string, number>;
  /** Mask of the permissions the class defines. */
  validMask: number;
  constraints: CompiledConstraint[];
}

export interface TypeInfo {
  name: string;
  value: number;
  isAttribute: boolean;
  aliases: string[];
  /** For a type: the attributes it has. For an attribute: its member types. */
  related: number[];
  line: number;
}

export interface RoleInfo {
  name: string;
  value: number;
  /** Types the role may hold, expanded (index = type value). */
  types: Uint8Array;
  /** Roles this role dominates (itself, without role dominance statements). */
  dominates: ReadonlySet<number>;
}

export interface UserInfo {
  name: string;
  value: number;
  roles: ReadonlySet<number>;
  range: Range;
  defaultLevel: Level;
}

/** A constraint expression compiled to a tree over values. */
export type ConstraintNode =
  | { kind: "not"; expr: ConstraintNode }
  | { kind: "and" | "or"; left: ConstraintNode; right: ConstraintNode }
  | { kind: "ident"; attr: "u" | "r" | "t"; op: "==" | "!=" | "dom" | "domby" | "incomp" }
  | { kind: "level"; left: "l1" | "l2" | "h1"; right: "l2" | "h2" | "h1"; op: "==" | "!=" | "dom" | "domby" | "incomp" }
  | { kind: "names"; attr: "u" | "r" | "t"; target: boolean; op: "==" | "!="; names: ReadonlySet<number> };

export interface CompiledConstraint {
  /** Index among this class's constraints (declaration order). */
  index: number;
  mls: boolean;
  permissions: number;
  expr: ConstraintNode;
  /** The statement, for reasons and audit: `mlsconstrain domain { pause } (l1 == l2 or …)`. */
  text: string;
  /** Just the expression: `(l1 == l2 or t1 == mls_priv)`. */
  exprText: string;
  file: string;
  line: number;
}

/** One access-vector table cell: three masks, as libsepol keeps them. */
export interface AvEntry {
  allowed: number;
  auditallow: number;
  /** Starts at 0xffffffff; dontaudit clears bits. */
  auditdeny: number;
}

/** A rule inside `if (expr) { ... } else { ... }`. */
export interface CondAvRule {
  cond: number;
  /** Applies when the expression evaluates to this value. */
  branch: boolean;
  kind: "allow" | "auditallow" | "dontaudit";
  perms: number;
}

export interface CondTypeRule {
  cond: number;
  branch: boolean;
  newType: number;
}

/** Boolean expression in reverse Polish notation over boolean indices. */
export type CondOp = { op: "bool"; bool: number } | { op: "not" | "and" | "or" | "xor" | "eq" | "neq" };

export interface CondInfo {
  rpn: CondOp[];
  /** Booleans the expression reads (for "a boolean would allow it" reasons). */
  bools: number[];
  text: string;
  /** Where the `if` statement is (original file after `#line` directives); 0 when loaded from a binary. */
  file: string;
  line: number;
}

export interface BoolInfo {
  name: string;
  index: number;
  defaultValue: boolean;
}

export interface InitialSid {
  name: string;
  /** The context string as written (validated at compile time); absent if undeclared. */
  context?: string;
}

export interface DeviceContext {
  kind: string;
  args: string[];
  context: string;
}

export interface CompiledPolicy {
  readonly fileName: string;
  /**
   * Whether the policy is MLS (declares sensitivities; checkpolicy -M). A policy without MLS
   * has contexts without a level (`user:role:type`); every context then carries the same
   * empty range, so MLS comparisons are trivially equal and never decide anything.
   */
  readonly mls: boolean;
  /** Stable fingerprint of the source text, for logs. */
  readonly digest: string;
  readonly classes: readonly ClassInfo[];
  readonly classByName: ReadonlyMap<string, ClassInfo>;
  readonly types: readonly TypeInfo[];
  /** Name or alias → type value (attributes included; callers check isAttribute). */
  readonly typeByName: ReadonlyMap<string, number>;
  readonly roles: readonly RoleInfo[];
  readonly roleByName: ReadonlyMap<string, number>;
  readonly users: readonly UserInfo[];
  readonly userByName: ReadonlyMap<string, number>;
  readonly sensNames: readonly string[];
  readonly sensByName: ReadonlyMap<string, number>;
  readonly catNames: readonly string[];
  readonly catByName: ReadonlyMap<string, number>;
  readonly catWords: number;
  /** Categories each sensitivity may carry (`level` statements), by sensitivity value. */
  readonly levelCats: ReadonlyMap<number, CatSet>;
  /** Key: avKey(source type, target type, class). Concrete types only (attributes expanded). */
  readonly avtab: ReadonlyMap<number, AvEntry>;
  readonly condAvtab: ReadonlyMap<number, readonly CondAvRule[]>;
  readonly typeTransitions: ReadonlyMap<number, number>;
  readonly condTypeTransitions: ReadonlyMap<number, readonly CondTypeRule[]>;
  readonly conds: readonly CondInfo[];
  readonly bools: readonly BoolInfo[];
  readonly boolByName: ReadonlyMap<string, BoolInfo>;
  /** `allow r1 r2;` pairs as r1 * 65536 + r2. */
  readonly roleAllow: ReadonlySet<number>;
  /** The class with process semantics: `domain` on the Xen target (0 if absent). */
  readonly processClass: number;
  /** `transition | dyntransition` bits of the process class. */
  readonly processTransPerms: number;
  readonly objectRole: number;
  readonly initialSids: readonly InitialSid[];
  readonly deviceContexts: readonly DeviceContext[];
}

/** Current boolean values, indexed like `policy.bools`. */
export type BoolState = readonly boolean[];

export function avKey(policy: CompiledPolicy, source: number, target: number, cls: number): number {
  return (source * (policy.types.length + 1) + target) * 64 + cls;
}
