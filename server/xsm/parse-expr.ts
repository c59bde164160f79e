import type {
  CondExprSyntax,
  ConstraintExprSyntax,
  ContextSyntax,
  LevelSyntax,
  NameSet,
  RangeSyntax,
} from "./ast";
import type { TokenStream } from "./token-stream";

/**
 * Sub-grammars shared by several statements: name sets, levels, ranges, contexts, and the two
 * expression languages (constraints and booleans).
 */

function emptySet(line: number): NameSet {
  return { names: [], excluded: [], complement: false, star: false, self: false, line };
}

/** `a`, `{ a b -c self }`, `~a`, `~{ a b }`, `*`. */
export function parseNameSet(ts: TokenStream, allowSelf = false): NameSet {
  const set = emptySet(ts.line);
  if (ts.accept("*")) {
    set.star = true;
    return set;
  }
  if (ts.accept("~")) set.complement = true;
  const addName = (name: string): void => {
    if (name === "self") {
      if (!allowSelf) throw ts.error("'self' is only valid as a target");
      set.self = true;
    } else set.names.push(name);
  };
  if (ts.accept("{")) {
    while (!ts.accept("}")) {
      if (ts.atEnd()) throw ts.error("unterminated set");
      if (ts.accept("-")) set.excluded.push(ts.ident());
      else if (ts.accept("*")) set.star = true;
      else addName(ts.ident());
    }
    if (!set.star && !set.self && set.names.length === 0 && set.excluded.length === 0) {
      throw ts.error("empty set");
    }
  } else {
    addName(ts.ident());
  }
  return set;
}

/** `{ a b }` or a single identifier, as a plain list. */
export function parseIdList(ts: TokenStream): string[] {
  if (!ts.accept("{")) return [ts.ident()];
  const out: string[] = [];
  while (!ts.accept("}")) {
    if (ts.atEnd()) throw ts.error("unterminated list");
    out.push(ts.ident());
  }
  return out;
}

export function parseLevel(ts: TokenStream): LevelSyntax {
  const line = ts.line;
  const sens = ts.ident("sensitivity");
  const cats: LevelSyntax["cats"] = [];
  if (ts.accept(":")) {
    do {
      const item = ts.ident("category");
      const dot = item.indexOf(".");
      if (dot < 0) cats.push({ from: item });
      else cats.push({ from: item.slice(0, dot), to: item.slice(dot + 1) });
    } while (ts.accept(","));
  }
  return { sens, cats, line };
}

export function parseRange(ts: TokenStream): RangeSyntax {
  const low = parseLevel(ts);
  const high = ts.accept("-") ? parseLevel(ts) : low;
  return { low, high };
}

export function parseContext(ts: TokenStream): ContextSyntax {
  const line = ts.line;
  const user = ts.ident("user");
  ts.expect(":");
  const role = ts.ident("role");
  ts.expect(":");
  const type = ts.ident("type");
  const range = ts.accept(":") ? parseRange(ts) : undefined;
  return range ? { user, role, type, range, line } : { user, role, type, line };
}

// ---- constraint expressions ------------------------------------------------------------

const ATTR_OPERANDS = new Set(["u1", "u2", "r1", "r2", "t1", "t2", "l1", "l2", "h1", "h2"]);
const VALID_PAIRS = new Set(["u1u2", "r1r2", "t1t2", "l1l2", "l1h2", "h1l2", "h1h2", "l1h1", "l2h2"]);
const LEVEL_OPS = new Set(["==", "!=", "eq", "dom", "domby", "incomp"]);

function isKeyword(ts: TokenStream, ...words: string[]): boolean {
  return words.some((w) => ts.is(w));
}

export function parseConstraintExpr(ts: TokenStream): ConstraintExprSyntax {
  let left = parseConstraintAnd(ts);
  while (isKeyword(ts, "or", "||")) {
    ts.next();
    left = { kind: "or", left, right: parseConstraintAnd(ts) };
  }
  return left;
}

function parseConstraintAnd(ts: TokenStream): ConstraintExprSyntax {
  let left = parseConstraintFactor(ts);
  while (isKeyword(ts, "and", "&&")) {
    ts.next();
    left = { kind: "and", left, right: parseConstraintFactor(ts) };
  }
  return left;
}

function parseConstraintFactor(ts: TokenStream): ConstraintExprSyntax {
  if (isKeyword(ts, "not", "!")) {
    ts.next();
    return { kind: "not", expr: parseConstraintFactor(ts) };
  }
  if (ts.accept("(")) {
    const e = parseConstraintExpr(ts);
    ts.expect(")");
    return e;
  }
  const line = ts.line;
  const left = ts.ident("constraint operand");
  if (!ATTR_OPERANDS.has(left)) throw ts.error(`unknown constraint operand '${left}'`, line);
  const opTok = ts.next();
  const op0 = opTok.text;
  if (!LEVEL_OPS.has(op0)) throw ts.error(`expected a constraint operator after '${left}'`, line);
  const op = (op0 === "eq" ? "==" : op0) as "==" | "!=" | "dom" | "domby" | "incomp";
  const isLevel = left[0] === "l" || left[0] === "h";
  if (!isLevel && ts.peek().kind === "ident" && ATTR_OPERANDS.has(ts.peek().text)) {
    const right = ts.next().text;
    if (!VALID_PAIRS.has(left + right)) throw ts.error(`invalid operand pair '${left} ${right}'`, line);
    if (left[0] !== "r" && op !== "==" && op !== "!=") throw ts.error(`operator '${op}' needs roles or levels`, line);
    return { kind: "attr", left, op, right };
  }
  if (isLevel) {
    const right = ts.ident("level operand");
    if (!VALID_PAIRS.has(left + right)) throw ts.error(`invalid level pair '${left} ${right}'`, line);
    return { kind: "attr", left, op, right };
  }
  if (op !== "==" && op !== "!=") throw ts.error(`operator '${op}' cannot compare names`, line);
  // checkpolicy accepts only plain names here: no `~`, `-` or `*`.
  const at = ts.line;
  if (ts.is("~") || ts.is("*")) throw ts.fail(`'${ts.peek().text}' not allowed in a constraint name set`, at);
  const names = parseNameSet(ts);
  if (names.excluded.length) throw ts.fail("'-' not allowed in a constraint name set", at);
  return { kind: "names", left, op, names };
}

// ---- boolean expressions (checkpolicy precedence: || < ^ < && < ! < == !=) --------------

export function parseCondExpr(ts: TokenStream): CondExprSyntax {
  let left = parseCondXor(ts);
  while (isKeyword(ts, "||", "or")) {
    ts.next();
    left = { kind: "or", left, right: parseCondXor(ts) };
  }
  return left;
}

function parseCondXor(ts: TokenStream): CondExprSyntax {
  let left = parseCondAnd(ts);
  while (isKeyword(ts, "^", "xor")) {
    ts.next();
    left = { kind: "xor", left, right: parseCondAnd(ts) };
  }
  return left;
}

function parseCondAnd(ts: TokenStream): CondExprSyntax {
  let left = parseCondNot(ts);
  while (isKeyword(ts, "&&", "and")) {
    ts.next();
    left = { kind: "and", left, right: parseCondNot(ts) };
  }
  return left;
}

function parseCondNot(ts: TokenStream): CondExprSyntax {
  if (isKeyword(ts, "!", "not")) {
    ts.next();
    return { kind: "not", expr: parseCondNot(ts) };
  }
  let left = parseCondPrimary(ts);
  while (ts.is("==") || ts.is("!=")) {
    const op = ts.next().text === "==" ? "eq" : "neq";
    left = { kind: op, left, right: parseCondPrimary(ts) };
  }
  return left;
}

function parseCondPrimary(ts: TokenStream): CondExprSyntax {
  if (ts.accept("(")) {
    const e = parseCondExpr(ts);
    ts.expect(")");
    return e;
  }
  if (isKeyword(ts, "!", "not")) {
    ts.next();
    return { kind: "not", expr: parseCondPrimary(ts) };
  }
  const line = ts.line;
  return { kind: "bool", name: ts.ident("boolean"), line };
}

/** Prints a constraint expression the way policy authors write it (used in reasons). */
export function formatConstraintExpr(e: ConstraintExprSyntax): string {
  switch (e.kind) {
    case "not":
      return `not (${formatConstraintExpr(e.expr)})`;
    case "and":
    case "or":
      return `(${formatConstraintExpr(e.left)} ${e.kind} ${formatConstraintExpr(e.right)})`;
    case "attr":
      return `${e.left} ${e.op} ${e.right}`;
    case "names": {
      const s = e.names;
      const items = [...s.names, ...s.excluded.map((x) => `-${x}`)];
      const body = items.length === 1 && !s.complement ? items[0]! : `{ ${items.join(" ")} }`;
      return `${e.left} ${e.op} ${s.complement ? "~" : ""}${s.star ? "*" : body}`;
    }
  }
}
