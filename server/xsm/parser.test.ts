import { describe, expect, it } from "vitest";
import { tokenize } from "./lexer";
import { parsePolicy } from "./parser";

describe("lexer", () => {
  it("reads identifiers the way checkpolicy does (dashes and inner dots belong to them)", () => {
    expect(tokenize("s0-s0 c0.c1023 s0 - s1 0x3f8-0x3ff # comment\n", "x.te").map((t) => t.text)).toEqual([
      "s0-s0",
      "c0.c1023",
      "s0",
      "-",
      "s1",
      "0x3f8",
      "-",
      "0x3ff",
      "",
    ]);
  });

  it("reports an unexpected character with file and line", () => {
    expect(() => tokenize("type a_t;\n@", "x.te")).toThrow("x.te:2: unexpected character '@'");
  });
});

describe("parser", () => {
  it("parses name sets: complement, exclusion, star and self", () => {
    const [st] = parsePolicy("allow { a -b } self : ~{ c } *;", "x.te");
    expect(st).toMatchObject({
      kind: "avrule",
      rule: "allow",
      source: { names: ["a"], excluded: ["b"], complement: false },
      target: { self: true, names: [] },
      classes: { names: ["c"], complement: true },
      perms: { star: true },
    });
  });

  it("tells a role allow from a TE allow", () => {
    expect(parsePolicy("allow system_r user_r;", "x.te")[0]).toMatchObject({ kind: "role_allow" });
  });

  it("parses classes with commons and inherits", () => {
    expect(parsePolicy("common base { read write }\nclass file inherits base { append }", "x.te")).toMatchObject([
      { kind: "common", name: "base", perms: ["read", "write"] },
      { kind: "class_perms", name: "file", inherits: "base", perms: ["append"] },
    ]);
  });

  it("gives boolean operators checkpolicy's precedence (|| < ^ < && < ! < ==)", () => {
    const [st] = parsePolicy("if (a || b ^ c && !d == e) { allow x y : z p; }", "x.te");
    expect(st).toMatchObject({
      kind: "if",
      expr: {
        kind: "or",
        left: { kind: "bool", name: "a" },
        right: {
          kind: "xor",
          left: { kind: "bool", name: "b" },
          right: { kind: "and", left: { kind: "bool", name: "c" }, right: { kind: "not", expr: { kind: "eq" } } },
        },
      },
    });
  });

  it("gives constraint operators and over or, keeps text for reasons", () => {
    const [st] = parsePolicy("mlsconstrain domain { pause } (l1 eq l2 or t1 == priv and not u1 == u2);", "x.te");
    expect(st).toMatchObject({ kind: "constrain", mls: true, text: "(l1 == l2 or (t1 == priv and not (u1 == u2)))" });
  });

  it("parses Xen device contexts and ranges in contexts", () => {
    expect(parsePolicy("iomemcon 0xfee00-0xfeeff system_u:object_r:dev_t:s0 - s0:c0.c3", "x.te")[0]).toMatchObject({
      kind: "ocontext",
      which: "iomemcon",
      args: ["0xfee00", "0xfeeff"],
      context: { user: "system_u", type: "dev_t", range: { low: { sens: "s0" }, high: { sens: "s0", cats: [{ from: "c0", to: "c3" }] } } },
    });
  });

  it.each([
    ["allow a b : c p", /x\.te:1: expected ';' at end of file/],
    ["if (a) { neverallow a b : c p; }", /x\.te:1: neverallow is not allowed in a conditional/],
    ["mlsconstrain c p (l1 dom t2);", /x\.te:1: invalid level pair 'l1 t2'/],
    ["constrain c p (t1 == ~{ a });", /x\.te:1: '~' not allowed in a constraint name set/],
    ["bool b maybe;", /x\.te:1: boolean value must be true or false/],
    ["\n\nfrobnicate;", /x\.te:3: unknown statement 'frobnicate'/],
    ["type_transition a b : c d \"name\";", /x\.te:1: unsupported: filename type_transition/],
  ])("rejects %s", (text, message) => {
    expect(() => parsePolicy(text, "x.te")).toThrow(message);
  });
});
