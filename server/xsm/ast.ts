/**
 * Syntax tree of a policy.conf file. Every node keeps its line so the compiler can report
 * `realm.te:42: unknown permission 'pasue' in class domain`.
 */

/** A set of names as written: `a`, `{ a b -c }`, `~{ a }`, `*`, with optional `self`. */
export interface NameSet {
  names: string[];
  excluded: string[];
  complement: boolean;
  star: boolean;
  self: boolean;
  line: number;
}

/** A level as written in policy text: `s0` or `s0:c1,c3.c7`. */
export interface LevelSyntax {
  sens: string;
  cats: { from: string; to?: string }[];
  line: number;
}

export interface RangeSyntax {
  low: LevelSyntax;
  high: LevelSyntax;
}

export interface ContextSyntax {
  user: string;
  role: string;
  type: string;
  range?: RangeSyntax;
  line: number;
}

/** Constraint expression, as a tree. */
export type ConstraintExprSyntax =
  | { kind: "not"; expr: ConstraintExprSyntax }
  | { kind: "and" | "or"; left: ConstraintExprSyntax; right: ConstraintExprSyntax }
  | {
      kind: "attr";
      /** u1 u2 r1 r2 t1 t2 (compared with each other) or l1 l2 h1 h2 (levels). */
      left: string;
      op: "==" | "!=" | "dom" | "domby" | "incomp";
      right: string;
    }
  | { kind: "names"; left: string; op: "==" | "!="; names: NameSet };

/** Conditional (boolean) expression. */
export type CondExprSyntax =
  | { kind: "bool"; name: string; line: number }
  | { kind: "not"; expr: CondExprSyntax }
  | { kind: "and" | "or" | "xor" | "eq" | "neq"; left: CondExprSyntax; right: CondExprSyntax };

export type AvRuleKind = "allow" | "auditallow" | "dontaudit" | "neverallow";

export interface AvRuleSyntax {
  kind: "avrule";
  rule: AvRuleKind;
  source: NameSet;
  target: NameSet;
  classes: NameSet;
  perms: NameSet;
  line: number;
}

export interface TypeRuleSyntax {
  kind: "type_transition";
  source: NameSet;
  target: NameSet;
  classes: NameSet;
  newType: string;
  line: number;
}

export type TeStatement = AvRuleSyntax | TypeRuleSyntax;

export type Statement =
  | { kind: "class_decl"; name: string; line: number }
  | { kind: "common"; name: string; perms: string[]; line: number }
  | { kind: "class_perms"; name: string; inherits?: string; perms: string[]; line: number }
  | { kind: "sid_decl"; name: string; line: number }
  | { kind: "sid_context"; name: string; context: ContextSyntax; line: number }
  | { kind: "sensitivity"; name: string; aliases: string[]; line: number }
  | { kind: "dominance"; order: string[]; line: number }
  | { kind: "category"; name: string; aliases: string[]; line: number }
  | { kind: "level"; level: LevelSyntax; line: number }
  | {
      kind: "constrain";
      mls: boolean;
      classes: NameSet;
      perms: NameSet;
      expr: ConstraintExprSyntax;
      text: string;
      line: number;
    }
  | { kind: "attribute"; name: string; line: number }
  | { kind: "type"; name: string; aliases: string[]; attributes: string[]; line: number }
  | { kind: "typealias"; name: string; aliases: string[]; line: number }
  | { kind: "typeattribute"; name: string; attributes: string[]; line: number }
  | { kind: "bool"; name: string; value: boolean; line: number }
  | TeStatement
  | { kind: "if"; expr: CondExprSyntax; whenTrue: TeStatement[]; whenFalse: TeStatement[]; line: number }
  | { kind: "role"; name: string; types?: NameSet; line: number }
  | { kind: "role_allow"; from: NameSet; to: NameSet; line: number }
  | { kind: "user"; name: string; roles: NameSet; level?: LevelSyntax; range?: RangeSyntax; line: number }
  | { kind: "ocontext"; which: string; args: string[]; context: ContextSyntax; line: number };
