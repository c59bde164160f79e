import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isBinaryPolicy, loadBinaryPolicy } from "./binary";
import { defaultBools } from "./booleans";
import { compilePolicy } from "./compile";
import { XsmError } from "./errors";
import { loadPolicyFromFile } from "./load";
import { engineAnswer } from "./oracle/engine-answers";
import { plausibleContext, randomContext, ruleDrivenAvQuery } from "./oracle/generate";
import type { CompiledPolicy } from "./policy";
import { Prng } from "./prng";
import { SecurityServer } from "./security-server";
import { policyShape } from "./testing/policy-shape";

/**
 * The binary loader against the text compiler on Xen's own policy, both builds: checkpolicy's
 * `policy.30` output (committed beside the sources, with its provenance note) must load into
 * the same policy the text compiles to, and answer every generated query the same way. The
 * integration differential test checks both against libsepol itself.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const XEN = path.join(here, "oracle", "fixtures", "xen");
const QUERIES_PER_BUILD = Number(process.env.XSM_BINARY_QUERIES ?? 60_000);

function errorOf(fn: () => unknown): XsmError {
  try {
    fn();
  } catch (e) {
    if (e instanceof XsmError) return e;
    throw e;
  }
  throw new Error("expected an XsmError");
}

/** A mix of rule-driven and random access-vector, transition and validity queries. */
function queries(p: CompiledPolicy, seed: number, count: number): string[] {
  const rng = new Prng(seed);
  const keys = [...p.avtab.keys(), ...p.condAvtab.keys()];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const pick = (): string => (rng.chance(0.8) ? plausibleContext(p, rng) : randomContext(p, rng));
    switch (i % 6) {
      case 0:
      case 1:
      case 2:
        out.push(ruleDrivenAvQuery(p, rng, keys));
        break;
      case 3:
        out.push(`av ${pick()} ${pick()} ${rng.pick(p.classes).name}`);
        break;
      case 4:
        out.push(`create ${pick()} ${pick()} ${rng.pick(["domain", "event", rng.pick(p.classes).name])}`);
        break;
      default:
        out.push(`valid ${pick()}`);
    }
  }
  return out;
}

describe.each(["nomls", "mlsfix"] as const)("Xen's %s build: binary policy.30 vs policy.conf", (build) => {
  const bytes = readFileSync(path.join(XEN, `xen.${build}.bin`));
  const binary = loadBinaryPolicy(bytes, { fileName: `xen.${build}.bin` });
  const text = compilePolicy(readFileSync(path.join(XEN, `policy.${build}.conf`), "utf8"), `policy.${build}.conf`);

  it("loads the header, symbols, rules and MLS data checkpolicy wrote", () => {
    expect(isBinaryPolicy(bytes)).toBe(true);
    expect(binary.mls).toBe(build === "mlsfix");
    expect(binary.sensNames.length).toBe(build === "mlsfix" ? 16 : 0);
    expect(binary.catNames.length).toBe(build === "mlsfix" ? 256 : 0);
    expect(binary.initialSids[0]).toEqual({ name: "xenboot", context: build === "mlsfix" ? "system_u:system_r:xenboot_t:s0" : "system_u:system_r:xenboot_t" });
  });

  it("is the same policy the text compiler builds (every symbol, rule, constraint and cell, by name)", () => {
    expect(policyShape(binary)).toEqual(policyShape(text));
  });

  it(`answers ${QUERIES_PER_BUILD.toLocaleString("en-US")} generated queries exactly like the text-compiled policy`, () => {
    const mismatches: string[] = [];
    for (const [seed, from] of [
      [151, text],
      [152, binary],
    ] as const) {
      for (const q of queries(from, seed, QUERIES_PER_BUILD / 2)) {
        for (const bools of [defaultBools(text), text.bools.map((b) => !b.defaultValue)]) {
          const a = engineAnswer(text, bools, q);
          const b = engineAnswer(binary, bools, q);
          if (a !== b && mismatches.length < 10) mismatches.push(`${q}\n  text:   ${a}\n  binary: ${b}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("runs the security server unchanged", () => {
    const server = new SecurityServer(binary);
    const level = build === "mlsfix" ? ":s0" : "";
    const dom0 = server.contextToSid(`system_u:system_r:dom0_t${level}`);
    const domU = server.contextToSid(`system_u:system_r:domU_t${level}`);
    expect(server.hasPerm(dom0, domU, "domain", "pause").allowed).toBe(true);
    const denied = server.hasPerm(domU, dom0, "domain", "pause");
    expect(denied.allowed).toBe(false);
    expect(denied.auditLines[0]).toContain("avc:  denied  { pause }");
    expect(server.getBool("guest_writeconsole")).toBe(true);
  });
});

describe("loadBinaryPolicy refuses what it cannot load faithfully", () => {
  const good = readFileSync(path.join(XEN, "xen.mlsfix.bin"));

  it("text, or another magic number", () => {
    expect(isBinaryPolicy(Buffer.from("class xen\n"))).toBe(false);
    expect(errorOf(() => loadBinaryPolicy(Buffer.from("class xen\nclass domain\n"), { fileName: "p.conf" })).message).toMatch(/^p\.conf: magic 0x/);
  });

  it("a policy for the SELinux target", () => {
    const selinux = Buffer.from(good);
    selinux.write("SE Linux", 8, "latin1");
    expect(errorOf(() => loadBinaryPolicy(selinux)).message).toMatch(/target 'SE Linux' is not Xen/);
  });

  it("an unsupported version", () => {
    const v = Buffer.from(good);
    v.writeUInt32LE(29, 16);
    expect(errorOf(() => loadBinaryPolicy(v)).message).toMatch(/policy version 29/);
  });

  it("a truncated file, and trailing data", () => {
    expect(errorOf(() => loadBinaryPolicy(good.subarray(0, good.length - 5))).message).toMatch(/truncated/);
    expect(errorOf(() => loadBinaryPolicy(Buffer.concat([good, Buffer.from([0])]))).message).toMatch(/trailing data/);
  });

  it("loadPolicyFromFile tells a binary from text by its magic number", () => {
    expect(loadPolicyFromFile(path.join(XEN, "xen.nomls.bin")).fileName).toBe("xen.nomls.bin");
    expect(loadPolicyFromFile(path.join(XEN, "policy.nomls.conf")).mls).toBe(false);
  });
});
