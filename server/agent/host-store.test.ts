import { randomUUID } from "node:crypto";
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_ACM_POLICY, createSecurityModule } from "../xen";
import { DOM0_LABEL, SecurityServer, loadRealmPolicy, realmDiskLabel } from "../xsm";
import { MAX_REMEMBERED_KEYS, readHostFiles, rememberResult, type AppliedResult } from "./host-store";
import { Toolstack } from "./toolstack";

const policy = loadRealmPolicy();
const MGMT = "system_u:system_r:realm_mgmt_t:s0:c1,c2";
const GUEST = "system_u:system_r:realm_guest_t:s0:c1,c2";
const GUEST_B = "system_u:system_r:realm_guest_t:s0:c3,c4";

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), "realmgate-journal-"));
const vm = (label: string) => ({ uuid: randomUUID(), name: "vm", label, vcpus: 1, memoryMb: 512 });
const journal = (dir: string) => path.join(dir, "host-journal.jsonl");
const generationOf = (dir: string) => (JSON.parse(readFileSync(path.join(dir, "host-state.json"), "utf8")) as { generation?: number }).generation;

/** A toolstack on `dir`, as a (re)started agent builds it. */
function open(dir: string, compactMinBytes?: number): Toolstack {
  return new Toolstack(createSecurityModule(new SecurityServer(policy)), { stateDir: dir, acm: { module: "chinese-wall+ste", policy: DEFAULT_ACM_POLICY }, compactMinBytes });
}

/** Drives every kind of change through the toolstack: domains, lifecycle, device, channels, grants, xenstore, a destroy. */
function workload(ts: Toolstack, rounds = 3): void {
  ts.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: DOM0_LABEL, vm: vm(MGMT) });
  for (let i = 0; i < rounds; i++) {
    const guest = vm(GUEST);
    const created = ts.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: MGMT, vm: guest });
    const domid = created.domain!.domid;
    ts.apply({ idempotencyKey: randomUUID(), action: "start", subjectLabel: MGMT, vm: guest });
    ts.hypercall({ endpoint: "device", body: { idempotencyKey: randomUUID(), action: "attach-disk", subjectLabel: MGMT, domid, disk: { id: `d${i}`, label: realmDiskLabel("s0:c1,c2"), readOnly: false } } });
    ts.hypercall({ endpoint: "evtchn", body: { idempotencyKey: randomUUID(), action: "alloc-unbound", subjectLabel: MGMT, domid, remoteDomid: 1 } });
    ts.hypercall({ endpoint: "grant", body: { idempotencyKey: randomUUID(), action: "grant-access", subjectLabel: MGMT, domid, granteeDomid: 1, readOnly: true } });
    ts.hypercall({ endpoint: "xenstore", body: { idempotencyKey: randomUUID(), action: "write", subjectLabel: MGMT, domid, path: `/local/domain/${domid}/data/k`, value: `v${i}` } });
    ts.apply({ idempotencyKey: randomUUID(), action: "pause", subjectLabel: MGMT, vm: guest });
    if (i === 0) ts.apply({ idempotencyKey: randomUUID(), action: "destroy", subjectLabel: MGMT, vm: guest });
  }
}

describe("the toolstack's journal", () => {
  it("replays after a restart to exactly the state held in memory, keys included", () => {
    const dir = tempDir();
    const ts = open(dir);
    workload(ts);
    const key = randomUUID();
    const reply = ts.apply({ idempotencyKey: key, action: "create", subjectLabel: DOM0_LABEL, vm: vm(GUEST) });
    const before = JSON.stringify(ts.snapshot());
    ts.close();
    const restarted = open(dir);
    expect(JSON.stringify(restarted.snapshot())).toBe(before);
    expect(restarted.bootId).toBe(ts.bootId);
    expect(restarted.apply({ idempotencyKey: key, action: "create", subjectLabel: DOM0_LABEL, vm: vm(GUEST) })).toEqual({ ...reply, replayed: true });
    // Without a security module, the files say the same (what the fault tests read).
    expect(JSON.stringify(readHostFiles(dir)!.hypervisor)).toBe(before);
  });

  it("appends one fsync'd line per operation instead of rewriting the snapshot", () => {
    const dir = tempDir();
    const ts = open(dir);
    const snapshotBefore = readFileSync(path.join(dir, "host-state.json"), "utf8");
    const lines = () => readFileSync(journal(dir), "utf8").split("\n").filter(Boolean).length;
    const n = lines();
    ts.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: DOM0_LABEL, vm: vm(MGMT) });
    expect(lines()).toBe(n + 1);
    expect(readFileSync(path.join(dir, "host-state.json"), "utf8")).toBe(snapshotBefore);
  });

  it("ignores a torn last record (kill -9 mid-append: never answered) and keeps appending after it", () => {
    const dir = tempDir();
    const ts = open(dir);
    workload(ts, 1);
    const before = JSON.stringify(ts.snapshot());
    ts.close();
    appendFileSync(journal(dir), '{"key":"torn","result":{"ok":true},"changes":[{"table":"domains","key":"9","row":{"domid":9');
    const restarted = open(dir);
    expect(JSON.stringify(restarted.snapshot())).toBe(before);
    restarted.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: DOM0_LABEL, vm: vm(GUEST) });
    const after = JSON.stringify(restarted.snapshot());
    restarted.close();
    expect(JSON.stringify(open(dir).snapshot())).toBe(after);
  });

  it("refuses to start on a corrupt record before the last one (answered operations lost)", () => {
    const dir = tempDir();
    const ts = open(dir);
    workload(ts, 1);
    ts.close();
    const lines = readFileSync(journal(dir), "utf8").split("\n");
    lines[2] = "{garbage";
    writeFileSync(journal(dir), lines.join("\n"));
    expect(() => open(dir)).toThrow(/line 3 is corrupt/);
  });

  it("compacts into a new snapshot once the journal outgrows it, and restarts from snapshot + journal", () => {
    const dir = tempDir();
    const ts = open(dir, 1);
    expect(generationOf(dir)).toBe(1);
    workload(ts, 6);
    expect(generationOf(dir)).toBeGreaterThan(1);
    expect(readFileSync(journal(dir), "utf8").length).toBeLessThan(readFileSync(path.join(dir, "host-state.json"), "utf8").length * 2);
    const before = JSON.stringify(ts.snapshot());
    ts.close();
    expect(JSON.stringify(open(dir, 1).snapshot())).toBe(before);
  });

  it("ignores a journal left over from a compaction cut short after its snapshot was renamed", () => {
    const dir = tempDir();
    const ts = open(dir, 1);
    workload(ts, 1);
    const generation = generationOf(dir)!;
    copyFileSync(journal(dir), `${journal(dir)}.old`);
    while (generationOf(dir) === generation) workload(ts, 1); // until the next compaction
    const before = JSON.stringify(ts.snapshot());
    ts.close();
    copyFileSync(`${journal(dir)}.old`, journal(dir)); // the kill came before the new journal replaced the old
    expect(JSON.stringify(open(dir, 1).snapshot())).toBe(before);
  });

  it("loses everything on a simulated crash, also across a restart (new boot, only dom0, keys forgotten)", () => {
    const dir = tempDir();
    const ts = open(dir);
    const key = randomUUID();
    ts.apply({ idempotencyKey: key, action: "create", subjectLabel: DOM0_LABEL, vm: vm(MGMT) });
    const { bootId } = ts.crash();
    ts.close();
    const restarted = open(dir);
    expect(restarted.bootId).toBe(bootId);
    expect(restarted.status().map((d) => d.domid)).toEqual([0]);
    expect(restarted.apply({ idempotencyKey: key, action: "create", subjectLabel: DOM0_LABEL, vm: vm(MGMT) }).replayed).toBe(false);
  });

  it("applies a key at most once across a restart, a refused operation's answer included, with the state unchanged", () => {
    const dir = tempDir();
    const ts = open(dir);
    ts.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: DOM0_LABEL, vm: vm(MGMT) });
    const before = JSON.stringify(ts.snapshot());
    const key = randomUUID();
    const refused = ts.apply({ idempotencyKey: key, action: "create", subjectLabel: MGMT, vm: vm(GUEST_B) });
    expect(refused).toMatchObject({ ok: false, error: { code: "EACCES" } });
    expect(JSON.stringify(ts.snapshot())).toBe(before);
    ts.close();
    const restarted = open(dir);
    expect(JSON.stringify(restarted.snapshot())).toBe(before);
    // The same delivery again (now it would be allowed: dom0 as subject) gets the stored refusal.
    expect(restarted.apply({ idempotencyKey: key, action: "create", subjectLabel: DOM0_LABEL, vm: vm(GUEST_B) })).toEqual({ ...refused, replayed: true });
    expect(JSON.stringify(restarted.snapshot())).toBe(before);
  });

  it("upgrades a previous agent's single-file state (no journal) and journals from then on", () => {
    const dir = tempDir();
    const ts = open(dir);
    workload(ts, 1);
    const state = ts.snapshot();
    ts.close();
    const applied = readHostFiles(dir)!.applied;
    // What the previous version wrote: { hypervisor, applied }, rewritten whole per operation.
    writeFileSync(path.join(dir, "host-state.json"), JSON.stringify({ hypervisor: state, applied }));
    writeFileSync(journal(dir), "");
    const upgraded = open(dir);
    expect(upgraded.snapshot()).toEqual(state);
    expect(generationOf(dir)).toBe(1);
    expect(existsSync(journal(dir))).toBe(true);
    const [key, result] = applied.at(-1)!;
    expect(upgraded.apply({ idempotencyKey: key, action: "pause", subjectLabel: MGMT, vm: vm(GUEST) })).toEqual({ ...result, replayed: true });
  });

  it("keeps at most MAX_REMEMBERED_KEYS results, forgetting the oldest", () => {
    const applied = new Map<string, AppliedResult>();
    const result: AppliedResult = { ok: true, avc: [], replayed: false, data: {} };
    for (let i = 0; i <= MAX_REMEMBERED_KEYS; i++) rememberResult(applied, `k${i}`, result);
    expect(applied.size).toBe(MAX_REMEMBERED_KEYS);
    expect(applied.has("k0")).toBe(false);
    expect(applied.has(`k${MAX_REMEMBERED_KEYS}`)).toBe(true);
  });
});
