import type { ConstraintExprSyntax, Statement } from "./ast";
import type { CompiledConstraint, ConstraintNode } from "./policy";
import type { Symbols } from "./symbols";
import { expandClasses, expandRoles, expandTypes, expandUsers } from "./type-sets";

type ConstrainStatement = Extract<Statement, { kind: "constrain" }>;

/**
 * `constrain` / `mlsconstrain` → per-class constraint lists. Type names in expressions are
 * expanded (attributes to member types) exactly as checkpolicy writes them to the binary.
 */
export function compileConstraint(sym: Symbols, st: ConstrainStatement): void {
  const classes = expandClasses(sym, st.classes);
  const expr = compileExpr(sym, st.expr, st.mls, st.line);
  for (const cls of classes) {
    let permissions = 0;
    if (st.perms.star) permissions = cls.validMask;
    else {
      if (st.perms.excluded.length) throw sym.err(st.line, "permission sets cannot exclude");
      for (const n of st.perms.names) permissions |= 1 << sym.perm(cls, n, st.line);
      if (st.perms.complement) permissions = ~permissions & cls.validMask;
    }
    const permText = st.perms.names.length === 1 ? st.perms.names[0] : `{ ${st.perms.names.join(" ")} }`;
    const constraint: CompiledConstraint = {
      index: cls.constraints.length,
      mls: st.mls,
      permissions: permissions >>> 0,
      expr,
      text: `${st.mls ? "mlsconstrain" : "constrain"} ${cls.name} ${st.perms.star ? "*" : permText} ${st.text}`,
      exprText: st.text,
      ...sym.locate(st.line),
    };
    cls.constraints.push(constraint);
  }
}

function compileExpr(sym: Symbols, e: ConstraintExprSyntax, mls: boolean, line: number): ConstraintNode {
  switch (e.kind) {
    case "not":
      return { kind: "not", expr: compileExpr(sym, e.expr, mls, line) };
    case "and":
    case "or":
      return { kind: e.kind, left: compileExpr(sym, e.left, mls, line), right: compileExpr(sym, e.right, mls, line) };
    case "attr": {
      const a = e.left[0]!;
      if (a === "l" || a === "h") {
        if (!mls) throw sym.err(line, "levels may only be used in mlsconstrain");
        return {
          kind: "level",
          left: e.left as "l1" | "l2" | "h1",
          right: e.right as "l2" | "h2" | "h1",
          op: e.op,
        };
      }
      return { kind: "ident", attr: a as "u" | "r" | "t", op: e.op };
    }
    case "names": {
      const attr = e.left[0] as "u" | "r" | "t";
      const target = e.left[1] === "2";
      const names =
        attr === "t" ? expandTypes(sym, e.names) : attr === "r" ? expandRoles(sym, e.names) : expandUsers(sym, e.names);
      return { kind: "names", attr, target, op: e.op as "==" | "!=", names };
    }
  }
}
