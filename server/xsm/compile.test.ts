import { describe, expect, it } from "vitest";
import { compilePolicy } from "./compile";
import { XsmError } from "./errors";
import { avKey } from "./policy";
import { miniPolicy, type MiniPolicyParts } from "./testing/mini-policy";

/** Line (1-based) of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split("\n").findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`not found: ${needle}`);
  return i + 1;
}

function compileError(parts: MiniPolicyParts): XsmError {
  try {
    compilePolicy(miniPolicy(parts), "mini.te");
  } catch (e) {
    if (e instanceof XsmError) return e;
    throw e;
  }
  throw new Error("expected a compile error");
}

describe("compilePolicy: good input", () => {
  const text = miniPolicy({
    te: [
      "allow guest_t { doms -dom0_t } : event { send bind };",
      "allow guest_t self : xen ~{ settime };",
      "allow { guest_t guest_self_t } chan_t : event *;",
      "typeattribute orphan_t doms;",
    ].join("\n"),
  });
  const p = compilePolicy(text, "mini.te");
  const T = (n: string): number => p.typeByName.get(n)!;
  const C = (n: string): number => p.classByName.get(n)!.value;
  const av = (s: string, t: string, c: string): number => p.avtab.get(avKey(p, T(s), T(t), C(c)))?.allowed ?? 0;

  it("numbers classes in declaration order and permissions by position", () => {
    expect(p.classes.map((c) => c.name)).toEqual(["xen", "domain", "event"]);
    expect(p.classByName.get("domain")!.perms).toEqual(["create", "pause", "unpause", "transition", "getdomaininfo"]);
    expect(p.processClass).toBe(2);
    expect(p.processTransPerms).toBe(1 << 3);
  });

  it("resolves aliases to the primary type", () => {
    expect(T("domU_t")).toBe(T("guest_t"));
  });

  it("expands attributes, exclusions, self, complements and *", () => {
    expect(av("guest_t", "guest_self_t", "event")).toBe(0b11);
    expect(av("guest_t", "orphan_t", "event")).toBe(0b11); // typeattribute added orphan_t to doms
    expect(av("guest_t", "dom0_t", "event")).toBe(0);
    expect(av("guest_t", "guest_t", "xen")).toBe(0xfffffffe); // ~{settime}: every other bit of 32
    expect(av("dom0_t", "guest_t", "domain")).toBe(0xffffffff); // *: all 32 bits, as checkpolicy
    expect(av("guest_self_t", "chan_t", "event")).toBe(0xffffffff);
  });

  it("keeps conditional rules apart from the unconditional table", () => {
    const key = avKey(p, T("guest_t"), T("guest_t"), C("domain"));
    expect(p.avtab.get(key)?.allowed).toBe(1 << 4);
    expect(p.condAvtab.get(key)).toEqual([
      { cond: 0, branch: true, kind: "allow", perms: 1 << 1 },
      { cond: 0, branch: false, kind: "dontaudit", perms: 1 << 1 },
    ]);
    expect(p.bools).toEqual([{ name: "guest_pause", index: 0, defaultValue: false }]);
  });

  it("records constraints with their source line", () => {
    const c = p.classByName.get("domain")!.constraints[0]!;
    expect(c).toMatchObject({ mls: true, permissions: 1 << 1, file: "mini.te", line: lineOf(text, "mlsconstrain") });
    expect(c.exprText).toBe("(l1 == l2 or t1 == priv)");
  });

  it("keeps Xen device contexts", () => {
    const q = compilePolicy(miniPolicy({ sids: "sid xen system_u:system_r:xen_t:s0\nsid dom0 system_u:system_r:dom0_t:s0\nioportcon 0x3f8-0x3ff system_u:object_r:chan_t:s0\npirqcon 33 system_u:object_r:chan_t:s0\n" }), "mini.te");
    expect(q.deviceContexts).toEqual([
      { kind: "ioportcon", args: ["0x3f8", "0x3ff"], context: "system_u:object_r:chan_t:s0" },
      { kind: "pirqcon", args: ["33"], context: "system_u:object_r:chan_t:s0" },
    ]);
  });
});

describe("compilePolicy: errors name the file and line", () => {
  const cases: { name: string; parts: MiniPolicyParts; needle: string; message: RegExp }[] = [
    { name: "unknown permission", parts: { te: "allow guest_t dom0_t : domain pasue;" }, needle: "pasue", message: /unknown permission 'pasue' in class domain$/ },
    { name: "unknown class", parts: { te: "allow guest_t dom0_t : file read;" }, needle: ": file read", message: /unknown class 'file'$/ },
    { name: "unknown type", parts: { te: "allow nosuch_t dom0_t : domain pause;" }, needle: "nosuch_t", message: /unknown type 'nosuch_t'$/ },
    { name: "syntax error", parts: { te: "allow guest_t dom0_t domain pause;" }, needle: "dom0_t domain pause", message: /expected ':' at 'domain'$/ },
    { name: "unknown boolean", parts: { te: "if (no_such_bool) { allow guest_t dom0_t : domain pause; }" }, needle: "no_such_bool", message: /unknown boolean 'no_such_bool'$/ },
    { name: "unsupported statement", parts: { te: "range_transition guest_t dom0_t : domain s0;" }, needle: "range_transition", message: /unsupported statement 'range_transition'$/ },
    { name: "unknown permission in a constraint", parts: { constraints: "constrain domain { pasue } (u1 == u2);\n" }, needle: "constrain domain { pasue }", message: /unknown permission 'pasue' in class domain$/ },
    { name: "duplicate type", parts: { te: "type guest_t;" }, needle: "type guest_t;", message: /duplicate declaration of type 'guest_t'$/ },
    {
      name: "conflicting type_transition",
      parts: { te: "type_transition guest_t guest_t : domain chan_t;" },
      needle: "type_transition guest_t guest_t : domain chan_t",
      message: /conflicting type_transition for guest_t guest_t : domain/,
    },
    {
      name: "invalid initial SID context",
      parts: { sids: "sid xen system_u:system_r:chan_t:s0\nsid dom0 system_u:system_r:dom0_t:s0\n" },
      needle: "sid xen system_u",
      message: /invalid context system_u:system_r:chan_t: role system_r may not hold type chan_t$/,
    },
    {
      name: "unknown category",
      parts: { sids: "sid xen system_u:system_r:xen_t:s0:c9\nsid dom0 system_u:system_r:dom0_t:s0\n" },
      needle: "sid xen system_u",
      message: /unknown category 'c9'$/,
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    const e = compileError(c.parts);
    const line = lineOf(miniPolicy(c.parts), c.needle);
    expect(e.code).toBe("EPARSE");
    expect(e.message.startsWith(`mini.te:${line}: `), e.message).toBe(true);
    expect(e.message).toMatch(c.message);
    expect(e.line).toBe(line);
  });

  it("rejects a neverallow violation, naming both rules", () => {
    const parts = { te: "allow guest_t dom0_t : domain create;\nneverallow guest_t priv : domain { create pause };" };
    const text = miniPolicy(parts);
    const e = compileError(parts);
    expect(e.message).toBe(
      `mini.te:${lineOf(text, "neverallow")}: neverallow violated by allow rule at mini.te:${lineOf(text, "allow guest_t dom0_t : domain create")}: guest_t dom0_t : domain { create }`,
    );
  });

  it("checks neverallow against conditional rules in either branch", () => {
    const parts = { te: "if (!guest_pause) { allow guest_t xen_t : domain create; }\nneverallow guest_t xen_t : domain create;" };
    expect(compileError(parts).message).toMatch(/neverallow violated by allow rule at mini\.te:\d+ \(if !guest_pause\): guest_t xen_t : domain \{ create \}$/);
  });
});
