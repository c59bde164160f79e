import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_ACM_POLICY, createSecurityModule, policySha256 } from "../xen";
import { DOM0_LABEL, REALM_POLICY_PATH } from "../xsm";
import { FlaskPolicyHost } from "./flask-policy";
import { Toolstack } from "./toolstack";

/** `xl loadpolicy` / `xl setbool` on a simulated host: what the agent refuses, what it keeps across a restart. */

const realmTe = readFileSync(REALM_POLICY_PATH, "utf8");
const MGMT = "system_u:system_r:realm_mgmt_t:s0:c1,c2";
const GUEST = "system_u:system_r:realm_guest_t:s0:c1,c2";
const load = (text: string, sha256 = policySha256(Buffer.from(text))) => ({ fileName: "next.te", bytes: Buffer.from(text).toString("base64"), sha256 });

function host(dir = mkdtempSync(path.join(os.tmpdir(), "realmgate-flask-"))) {
  const flask = FlaskPolicyHost.open(dir);
  const ts = new Toolstack(createSecurityModule(flask.server), { stateDir: dir, acm: { module: "chinese-wall+ste", policy: DEFAULT_ACM_POLICY }, flask });
  return { ts, flask, dir };
}

function withGuest() {
  const h = host();
  h.ts.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: DOM0_LABEL, vm: { uuid: randomUUID(), name: "mgmt", label: MGMT, vcpus: 1, memoryMb: 256 } });
  h.ts.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: MGMT, vm: { uuid: randomUUID(), name: "guest", label: GUEST, vcpus: 1, memoryMb: 256 } });
  return h;
}

describe("FLASK policy administration on a host", () => {
  it("boots the built-in realm policy and reports its sha256 and booleans", () => {
    const { ts } = host();
    expect(ts.security().xsm).toEqual({
      enforcing: true,
      policy: { fileName: "realm.te", sha256: policySha256(readFileSync(REALM_POLICY_PATH)) },
      booleans: { realm_argo_wildcard: false, realm_mgmt_debug: false },
    });
  });

  it("loads a new policy, compares decisions on its live labels, and keeps it across an agent restart", () => {
    const { ts, dir } = withGuest();
    const next = `${realmTe}\nallow realm_mgmt_t self : hvm getparam;\n`;
    const reply = ts.loadFlaskPolicy(load(next));
    expect(reply).toMatchObject({ ok: true, sha256: policySha256(Buffer.from(next)) });
    expect(reply.comparison!.differences).toContainEqual(expect.objectContaining({ source: MGMT, target: MGMT, tclass: "hvm", granted: ["getparam"] }));
    // dom0's load_policy is audited (auditallow) under the old policy.
    expect(reply.avc.join("\n")).toMatch(/avc: {2}granted {2}\{ load_policy \}/);
    ts.close();
    expect(host(dir).ts.security().xsm.policy).toEqual({ fileName: "next.te", sha256: policySha256(Buffer.from(next)) });
  });

  it("refuses bytes that do not hash to the version's sha256 (a substituted body), changing nothing", () => {
    const { ts } = withGuest();
    const before = ts.security().xsm.policy;
    const reply = ts.loadFlaskPolicy(load(`${realmTe}\n`, "0".repeat(64)));
    expect(reply).toMatchObject({ ok: false, error: { code: "EINVAL", message: expect.stringMatching(/^policy bytes hash to [0-9a-f]{64}, not the 0{64} requested$/) }, sha256: before!.sha256 });
    expect(ts.security().xsm.policy).toEqual(before);
  });

  it("refuses a policy under which a running domain's label would be invalid (no realm guests), keeping the old one", () => {
    const { ts } = withGuest();
    const before = ts.security().xsm.policy;
    const renamed = realmTe.replaceAll("realm_guest_t", "tenant_guest_t");
    const reply = ts.loadFlaskPolicy(load(renamed));
    expect(reply).toMatchObject({ ok: false, error: { code: "EINVAL", message: expect.stringContaining(`a live domain's label ${GUEST} is invalid under the new policy`) } });
    expect(ts.security().xsm.policy).toEqual(before);
  });

  it("reports a compile error with its line, and loads nothing", () => {
    const { ts } = host();
    const reply = ts.loadFlaskPolicy(load("class domain\nallow x_t y_t : domain pause;\n"));
    expect(reply).toMatchObject({ ok: false, error: { code: "EINVAL", message: expect.stringMatching(/^next\.te:\d+: /) }, comparison: null });
  });

  it("sets a boolean (xl setbool), keeps it across a restart, refuses an unknown one", () => {
    const { ts, dir } = host();
    expect(ts.setFlaskBoolean({ name: "realm_mgmt_debug", value: true })).toMatchObject({ ok: true, booleans: { realm_mgmt_debug: true } });
    expect(ts.setFlaskBoolean({ name: "no_such_bool", value: true })).toMatchObject({ ok: false, error: { code: "ENOENT" } });
    ts.close();
    expect(host(dir).ts.security().xsm.booleans).toEqual({ realm_argo_wildcard: false, realm_mgmt_debug: true });
  });
});
