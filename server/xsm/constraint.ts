import type { Context } from "./context";
import { levelDom, levelEq, levelIncomp, type Level } from "./mls";
import type { CompiledPolicy, ConstraintNode } from "./policy";

/**
 * constraint_expr_eval: evaluates one constraint for a (source, target) context pair.
 * u/r/t compare values; r dom/domby/incomp use role dominance; levels use MLS dominance.
 */
export function evalConstraint(p: CompiledPolicy, e: ConstraintNode, s: Context, t: Context): boolean {
  switch (e.kind) {
    case "not":
      return !evalConstraint(p, e.expr, s, t);
    case "and":
      return evalConstraint(p, e.left, s, t) && evalConstraint(p, e.right, s, t);
    case "or":
      return evalConstraint(p, e.left, s, t) || evalConstraint(p, e.right, s, t);
    case "names": {
      const c = e.target ? t : s;
      const v = e.attr === "u" ? c.user : e.attr === "r" ? c.role : c.type;
      const hit = e.names.has(v);
      return e.op === "==" ? hit : !hit;
    }
    case "ident": {
      if (e.attr === "r" && e.op !== "==" && e.op !== "!=") {
        const r1 = p.roles[s.role - 1]!;
        const r2 = p.roles[t.role - 1]!;
        if (e.op === "dom") return r1.dominates.has(t.role);
        if (e.op === "domby") return r2.dominates.has(s.role);
        return !r1.dominates.has(t.role) && !r2.dominates.has(s.role);
      }
      const v1 = e.attr === "u" ? s.user : e.attr === "r" ? s.role : s.type;
      const v2 = e.attr === "u" ? t.user : e.attr === "r" ? t.role : t.type;
      return e.op === "==" ? v1 === v2 : v1 !== v2;
    }
    case "level": {
      const l1 = pickLevel(e.left, s, t);
      const l2 = pickLevel(e.right, s, t);
      switch (e.op) {
        case "==":
          return levelEq(l1, l2);
        case "!=":
          return !levelEq(l1, l2);
        case "dom":
          return levelDom(l1, l2);
        case "domby":
          return levelDom(l2, l1);
        case "incomp":
          return levelIncomp(l1, l2);
      }
    }
  }
}

function pickLevel(which: "l1" | "l2" | "h1" | "h2", s: Context, t: Context): Level {
  switch (which) {
    case "l1":
      return s.range.low;
    case "h1":
      return s.range.high;
    case "l2":
      return t.range.low;
    case "h2":
      return t.range.high;
  }
}
