import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { buildExport, FIXTURE_SECRET } from "../test/audit-export-fixture";
import type { Io } from "./io";
import { run } from "./program";

/**
 * `realmgate audit verify --file`: offline, no server, no token. A clean export exits 0 in both
 * formats (and with the secret: MACs and tags); an edited one exits 1 naming the record; the key
 * can be given as base64 or a file; usage errors exit 2.
 */

function fakeIo(env: Record<string, string> = {}, input?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) => Object.assign(new PassThrough(), { isTTY: false as boolean }).on("data", (c: Buffer) => into.push(c.toString()));
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  if (input !== undefined) stdin.end(input);
  const io: Io = { stdout: sink(out), stderr: sink(err), stdin, env: { HOME: mkdtempSync(path.join(os.tmpdir(), "rg-cli-")), ...env } };
  return { io, out: () => out.join(""), err: () => err.join("") };
}

const dir = mkdtempSync(path.join(os.tmpdir(), "rg-cli-audit-"));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe("realmgate audit verify --file (offline)", () => {
  it("verifies a clean NDJSON and CSV export with the public key: exit 0, a line per chain", async () => {
    const fixture = buildExport(25);
    const key = fixture.keys.publicKeyRaw.toString("base64");
    for (const format of ["ndjson", "csv"] as const) {
      const file = write(`clean.${format}`, fixture.text(format));
      const { io, out, err } = fakeIo();
      expect(await run(["audit", "verify", "--file", file, "--public-key", key], io), err()).toBe(0);
      expect(out()).toMatch(new RegExp(`OK   realm ${fixture.realmId}: 25 records up to seq 25; signed checkpoint at seq 25 matched`));
      expect(out()).toMatch(/record MACs and chain tags were NOT checked/);
      expect(out()).toMatch(/export verified$/m);
    }
  });

  it("with --with-secret also checks MACs and tags; the key may be a file (base64, or JSON as the API answers it)", async () => {
    const fixture = buildExport(8);
    const file = write("secret.ndjson", fixture.text("ndjson"));
    const keyFile = write("key.json", JSON.stringify({ algorithm: "Ed25519", publicKey: fixture.keys.publicKeyRaw.toString("base64") }));
    const { io, out, err } = fakeIo({ REALMGATE_AUDIT_SECRET: FIXTURE_SECRET });
    expect(await run(["audit", "verify", "--file", file, "--public-key", keyFile, "--with-secret"], io), err()).toBe(0);
    expect(out()).toMatch(/Checked record MACs, chain digests, tags/);
  });

  it("exits 1 and names the first bad record of an edited export (--json: the report)", async () => {
    const fixture = buildExport(25);
    const text = fixture.text("ndjson").replace('"requestId":"req-13"', '"requestId":"req-31"');
    const file = write("edited.ndjson", text);
    const { io, out } = fakeIo();
    expect(await run(["audit", "verify", "--file", file, "--public-key", fixture.keys.publicKeyRaw.toString("base64")], io)).toBe(1);
    expect(out()).toMatch(/BAD  realm .*: first bad record at seq 13 \(event 113\): edited/);
    expect(out()).toMatch(/export NOT verified$/m);
    const json = fakeIo();
    expect(await run(["audit", "verify", "--file", file, "--public-key", fixture.keys.publicKeyRaw.toString("base64"), "--json"], json.io)).toBe(1);
    expect(JSON.parse(json.out())).toMatchObject({ ok: false, chains: [{ firstBad: { seq: "13", kind: "edited" } }] });
  });

  it("reads the export from stdin with --file -", async () => {
    const fixture = buildExport(6);
    const { io, out, err } = fakeIo({}, fixture.text("csv"));
    expect(await run(["audit", "verify", "--file", "-", "--public-key", fixture.keys.publicKeyRaw.toString("base64")], io), err()).toBe(0);
    expect(out()).toMatch(/^stdin: csv, 6 records/);
  });

  it("usage errors exit 2: no key, a malformed key, a secret that is not the key's, --public-key without --file", async () => {
    const fixture = buildExport(3);
    const file = write("usage.ndjson", fixture.text("ndjson"));
    const cases: [string[], Record<string, string>, RegExp][] = [
      [["audit", "verify", "--file", file], {}, /--file needs --public-key/],
      [["audit", "verify", "--file", file, "--public-key", "not-a-key"], {}, /must be an Ed25519 public key/],
      [["audit", "verify", "--file", file, "--public-key", fixture.keys.publicKeyRaw.toString("base64"), "--with-secret"], { REALMGATE_AUDIT_SECRET: "another-secret-of-enough-length" }, /not the secret of this public key/],
      [["audit", "verify", "--public-key", fixture.keys.publicKeyRaw.toString("base64")], { REALMGATE_TOKEN: "rgt_x" }, /go with --file/],
      [["audit", "export", "--format", "xml"], { REALMGATE_TOKEN: "rgt_x" }, /--format must be ndjson or csv/],
    ];
    for (const [argv, env, message] of cases) {
      const { io, err } = fakeIo(env);
      expect(await run(argv, io), argv.join(" ")).toBe(2);
      expect(err()).toMatch(message);
    }
  });
});
