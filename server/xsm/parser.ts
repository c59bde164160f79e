import type { AvRuleKind, Statement, TeStatement } from "./ast";
import { tokenize } from "./lexer";
import {
  formatConstraintExpr,
  parseCondExpr,
  parseConstraintExpr,
  parseContext,
  parseIdList,
  parseLevel,
  parseNameSet,
  parseRange,
} from "./parse-expr";
import { SourceMap } from "./source-map";
import { TokenStream } from "./token-stream";

/**
 * Parser for the monolithic policy.conf language, the subset checkpolicy accepts for the Xen
 * target. Statements may appear in any order here (checkpolicy is stricter); names are
 * resolved by the compiler, which reports unknown ones with their line.
 */
export function parsePolicy(text: string, file: string): Statement[] {
  return parsePolicySource(text, file).statements;
}

/**
 * Parses policy text and returns the statements with the source map that turns their
 * (physical) line numbers into original `file:line` positions (`#line` directives).
 * Statement lines stay physical so one number orders and identifies a statement; every error
 * goes through the map.
 */
export function parsePolicySource(text: string, file: string): { statements: Statement[]; map: SourceMap } {
  const map = SourceMap.scan(text, file);
  const ts = new TokenStream(tokenize(text, file, map), map);
  const statements: Statement[] = [];
  while (!ts.atEnd()) {
    // checkpolicy's grammar accepts an empty statement among TE/RBAC statements (`te_rbac_decl:
    // … | ';'`); m4 macros that expand to nothing leave one behind. Not inside `if` blocks.
    if (ts.accept(";")) continue;
    statements.push(parseStatement(ts));
  }
  return { statements, map };
}

const AV_RULES: ReadonlySet<string> = new Set(["allow", "auditallow", "dontaudit", "neverallow"]);
const XEN_OCONTEXTS: ReadonlySet<string> = new Set([
  "pirqcon",
  "iomemcon",
  "ioportcon",
  "pcidevicecon",
  "devicetreecon",
]);
/** Real policy statements this engine deliberately does not implement: fail loudly. */
const UNSUPPORTED: ReadonlySet<string> = new Set([
  "type_member",
  "type_change",
  "range_transition",
  "role_transition",
  "typebounds",
  "validatetrans",
  "mlsvalidatetrans",
  "permissive",
  "policycap",
  "auditdeny",
  "default_user",
  "default_role",
  "default_type",
  "default_range",
  "allowxperm",
  "expandattribute",
]);

function parseStatement(ts: TokenStream): Statement {
  const line = ts.line;
  const head = ts.peek();
  if (head.kind !== "ident") throw ts.error("expected a statement");
  const kw = head.text;
  ts.next();
  if (UNSUPPORTED.has(kw)) throw ts.fail(`unsupported statement '${kw}'`, line);
  if (AV_RULES.has(kw)) return parseAvRule(ts, kw as AvRuleKind, line);
  if (XEN_OCONTEXTS.has(kw)) return parseOcontext(ts, kw, line);
  switch (kw) {
    case "class": {
      const name = ts.ident("class name");
      if (ts.accept("inherits")) {
        const inherits = ts.ident("common name");
        const perms = ts.is("{") ? parseIdList(ts) : [];
        return { kind: "class_perms", name, inherits, perms, line };
      }
      if (ts.is("{")) return { kind: "class_perms", name, perms: parseIdList(ts), line };
      return { kind: "class_decl", name, line };
    }
    case "common": {
      const name = ts.ident("common name");
      return { kind: "common", name, perms: parseIdList(ts), line };
    }
    case "sid": {
      const name = ts.ident("initial SID name");
      // `sid name` declares; `sid name user:role:type...` gives the context.
      if (ts.peek(1).text === ":" && ts.peek().kind === "ident") {
        return { kind: "sid_context", name, context: parseContext(ts), line };
      }
      return { kind: "sid_decl", name, line };
    }
    case "sensitivity":
    case "category": {
      const name = ts.ident();
      const aliases = ts.accept("alias") ? parseIdList(ts) : [];
      ts.expect(";");
      return { kind: kw, name, aliases, line };
    }
    case "dominance": {
      const order = parseIdList(ts);
      ts.accept(";");
      return { kind: "dominance", order, line };
    }
    case "level": {
      const level = parseLevel(ts);
      ts.expect(";");
      return { kind: "level", level, line };
    }
    case "constrain":
    case "mlsconstrain": {
      const classes = parseNameSet(ts);
      const perms = parseNameSet(ts);
      const expr = parseConstraintExpr(ts);
      ts.expect(";");
      return { kind: "constrain", mls: kw === "mlsconstrain", classes, perms, expr, text: formatConstraintExpr(expr), line };
    }
    case "attribute": {
      const name = ts.ident("attribute name");
      ts.expect(";");
      return { kind: "attribute", name, line };
    }
    case "type": {
      const name = ts.ident("type name");
      const aliases = ts.accept("alias") ? parseIdList(ts) : [];
      const attributes: string[] = [];
      while (ts.accept(",")) attributes.push(ts.ident("attribute name"));
      ts.expect(";");
      return { kind: "type", name, aliases, attributes, line };
    }
    case "typealias": {
      const name = ts.ident("type name");
      ts.expect("alias");
      const aliases = parseIdList(ts);
      ts.expect(";");
      return { kind: "typealias", name, aliases, line };
    }
    case "typeattribute": {
      const name = ts.ident("type name");
      const attributes = [ts.ident("attribute name")];
      while (ts.accept(",")) attributes.push(ts.ident("attribute name"));
      ts.expect(";");
      return { kind: "typeattribute", name, attributes, line };
    }
    case "bool": {
      const name = ts.ident("boolean name");
      const v = ts.ident("true or false");
      if (v !== "true" && v !== "false") throw ts.error("boolean value must be true or false", line);
      ts.expect(";");
      return { kind: "bool", name, value: v === "true", line };
    }
    case "type_transition":
      return parseTypeTransition(ts, line);
    case "if":
      return parseIf(ts, line);
    case "role": {
      const name = ts.ident("role name");
      const types = ts.accept("types") ? parseNameSet(ts) : undefined;
      ts.expect(";");
      return types ? { kind: "role", name, types, line } : { kind: "role", name, line };
    }
    case "user": {
      const name = ts.ident("user name");
      ts.expect("roles");
      const roles = parseNameSet(ts);
      const level = ts.accept("level") ? parseLevel(ts) : undefined;
      const range = ts.accept("range") ? parseRange(ts) : undefined;
      ts.expect(";");
      return { kind: "user", name, roles, ...(level ? { level } : {}), ...(range ? { range } : {}), line };
    }
    default:
      throw ts.fail(`unknown statement '${kw}'`, line);
  }
}

function parseAvRule(ts: TokenStream, rule: AvRuleKind, line: number): Statement {
  const source = parseNameSet(ts);
  const target = parseNameSet(ts, true);
  if (rule === "allow" && ts.accept(";")) {
    // `allow role_set role_set;` is the RBAC role-allow statement.
    return { kind: "role_allow", from: source, to: target, line };
  }
  ts.expect(":");
  const classes = parseNameSet(ts);
  const perms = parseNameSet(ts);
  ts.expect(";");
  return { kind: "avrule", rule, source, target, classes, perms, line };
}

function parseTypeTransition(ts: TokenStream, line: number): TeStatement {
  const source = parseNameSet(ts);
  const target = parseNameSet(ts, true);
  ts.expect(":");
  const classes = parseNameSet(ts);
  const newType = ts.ident("new type");
  if (ts.peek().kind === "string") throw ts.fail("unsupported: filename type_transition", line);
  ts.expect(";");
  return { kind: "type_transition", source, target, classes, newType, line };
}

function parseTeBlock(ts: TokenStream): TeStatement[] {
  ts.expect("{");
  const out: TeStatement[] = [];
  while (!ts.accept("}")) {
    if (ts.atEnd()) throw ts.error("unterminated conditional block");
    const line = ts.line;
    const kw = ts.ident("rule");
    if (AV_RULES.has(kw)) {
      if (kw === "neverallow") throw ts.error("neverallow is not allowed in a conditional", line);
      const st = parseAvRule(ts, kw as AvRuleKind, line);
      if (st.kind !== "avrule") throw ts.error("role allow is not allowed in a conditional", line);
      out.push(st);
    } else if (kw === "type_transition") {
      out.push(parseTypeTransition(ts, line));
    } else {
      throw ts.error(`'${kw}' is not allowed in a conditional`, line);
    }
  }
  return out;
}

function parseIf(ts: TokenStream, line: number): Statement {
  ts.expect("(");
  const expr = parseCondExpr(ts);
  ts.expect(")");
  const whenTrue = parseTeBlock(ts);
  const whenFalse = ts.accept("else") ? parseTeBlock(ts) : [];
  return { kind: "if", expr, whenTrue, whenFalse, line };
}

function parseOcontext(ts: TokenStream, which: string, line: number): Statement {
  const args: string[] = [];
  const t = ts.next();
  if (t.kind !== "number" && t.kind !== "string") throw ts.error(`${which} needs a number`, line);
  args.push(t.text);
  if (which === "iomemcon" || which === "ioportcon") {
    if (ts.accept("-")) {
      const hi = ts.next();
      if (hi.kind !== "number") throw ts.error(`${which} range needs a number`, line);
      args.push(hi.text);
    }
  }
  return { kind: "ocontext", which, args, context: parseContext(ts), line };
}
