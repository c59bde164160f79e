/**
 * FLASK engine figures: policy load time, uncached compute_av throughput, AVC-hit
 * throughput and their ratio, measured in one run on the project's realm policy; and the
 * time to compile Xen's own policy (both builds) from text and to load checkpolicy's binary
 * of it, as ratios to the realm policy's compile time measured in the same run.
 *   npx tsx bench/xsm.bench.ts
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  Prng,
  REALM_POLICY_PATH,
  SecurityServer,
  compilePolicy,
  computeAv,
  defaultBools,
  loadBinaryPolicy,
  parseContext,
  type Context,
} from "../server/xsm";

function time(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0);
}

const text = readFileSync(REALM_POLICY_PATH, "utf8");
for (let i = 0; i < 5; i++) compilePolicy(text, "realm.te"); // warm-up
const loads = 20;
const loadNs = time(() => {
  for (let i = 0; i < loads; i++) compilePolicy(text, "realm.te");
});
const policy = compilePolicy(text, "realm.te");

// Xen's upstream policy (server/xsm/oracle/fixtures/xen): text compile vs binary load.
const XEN_DIR = path.join(path.dirname(REALM_POLICY_PATH), "..", "oracle", "fixtures", "xen");
const xen = (["nomls", "mlsfix"] as const).map((build) => {
  const conf = readFileSync(path.join(XEN_DIR, `policy.${build}.conf`), "utf8");
  const bin = readFileSync(path.join(XEN_DIR, `xen.${build}.bin`));
  for (let i = 0; i < 5; i++) {
    compilePolicy(conf, `policy.${build}.conf`);
    loadBinaryPolicy(bin, { fileName: `xen.${build}.bin` });
  }
  const rounds = 20;
  const compileMs = time(() => {
    for (let i = 0; i < rounds; i++) compilePolicy(conf, `policy.${build}.conf`);
  }) / rounds / 1e6;
  const loadMs = time(() => {
    for (let i = 0; i < rounds; i++) loadBinaryPolicy(bin, { fileName: `xen.${build}.bin` });
  }) / rounds / 1e6;
  const p = loadBinaryPolicy(bin);
  return { build, compileMs, loadMs, textKiB: conf.length / 1024, binKiB: bin.length / 1024, types: p.types.length, cells: p.avtab.size };
});

// A realistic working set: 200 realms (management domain + 3 guests each, one channel per
// guest), queried pairwise within and across realms on the classes hypercalls use most.
const rng = new Prng(7);
const labels: string[] = [];
for (let r = 0; r < 200; r++) {
  const a = rng.int(1000);
  const b = a + 1 + rng.int(23);
  const level = `s0:c${a},c${b}`;
  labels.push(`system_u:system_r:realm_mgmt_t:${level}`);
  for (let g = 0; g < 3; g++) labels.push(`system_u:system_r:realm_guest_t:${level}`);
  labels.push(`system_u:object_r:realm_channel_t:${level}`);
}
labels.push("system_u:system_r:dom0_t:s0-s0:c0.c1023", "system_u:system_r:xen_t:s0", "system_u:system_r:domxen_t:s0");
const classes = ["domain", "event", "grant", "argo", "mmu"].map((c) => policy.classByName.get(c)!);
const N = 4096;
const queries: { s: number; t: number; c: number }[] = [];
for (let i = 0; i < N; i++) {
  const s = rng.int(labels.length);
  const t = rng.chance(0.5) ? s + (rng.int(5) - 2) : rng.int(labels.length);
  queries.push({ s, t: Math.min(Math.max(t, 0), labels.length - 1), c: rng.int(classes.length) });
}
const contexts: Context[] = labels.map((l) => parseContext(policy, l));
const bools = defaultBools(policy);

let sink = 0;
const uncached = (rounds: number): number =>
  time(() => {
    for (let r = 0; r < rounds; r++) {
      for (const q of queries) sink ^= computeAv(policy, bools, contexts[q.s]!, contexts[q.t]!, classes[q.c]!.value).allowed;
    }
  });

const permsOf = ["pause", "bind", "map_read", "send", "map_write"];
const granted = queries.filter((q) => {
  const cls = classes[q.c]!;
  const bit = cls.permBits.get(permsOf[q.c]!)!;
  return (computeAv(policy, bools, contexts[q.s]!, contexts[q.t]!, cls.value).allowed >>> bit) & 1;
});
const denied = queries.filter((q) => !granted.includes(q));

/** ns per check; each configuration is warmed up, then measured 5 times interleaved (best kept). */
function makeRun(server: SecurityServer, set: typeof queries): (r: number) => number {
  const sids = labels.map((l) => server.contextToSid(l));
  return (r: number) => {
    const ns = time(() => {
      for (let i = 0; i < r; i++) {
        for (const q of set) {
          sink ^= server.hasPerm(sids[q.s]!, sids[q.t]!, classes[q.c]!.name, permsOf[q.c]!).allowed ? 1 : 0;
        }
      }
    });
    server.auditLog.drain();
    return ns / (r * set.length);
  };
}
const noCache = new SecurityServer(policy, { avcCapacity: 0, auditCapacity: 16 });
const cached = new SecurityServer(policy, { avcCapacity: 65536, auditCapacity: 16 });
const cachedDenied = new SecurityServer(policy, { avcCapacity: 65536, auditCapacity: 16 });
const runs = {
  pure: (r: number) => uncached(r) / (r * N),
  miss: makeRun(noCache, granted),
  hit: makeRun(cached, granted),
  denied: makeRun(cachedDenied, denied),
};
for (const run of Object.values(runs)) run(200); // JIT warm-up
const best: Record<keyof typeof runs, number> = { pure: Infinity, miss: Infinity, hit: Infinity, denied: Infinity };
for (let k = 0; k < 5; k++) {
  for (const [name, run] of Object.entries(runs) as [keyof typeof runs, (r: number) => number][]) {
    best[name] = Math.min(best[name], run(name === "pure" ? 20 : name === "denied" ? 5 : 100));
  }
}
const uncachedNs = best.pure;
const missNs = best.miss;
const hitNs = best.hit;
const deniedHitNs = best.denied;
const stats = cached.avcStats();

const labelNs =
  time(() => {
    for (let i = 0; i < 20_000; i++) parseContext(policy, labels[i % labels.length]!);
  }) / 20_000;

const fmt = (n: number, d = 0): string => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
console.log("Realmgate FLASK engine (realm.te: %d types/attributes, %d classes, %d avtab cells)", policy.types.length, policy.classes.length, policy.avtab.size);
const realmMs = loadNs / loads / 1e6;
console.log(`  policy parse+compile         ${fmt(realmMs, 2)} ms`);
console.log(`  compute_av (pure), uncached  ${fmt(1e9 / uncachedNs)} decisions/s   ${fmt(uncachedNs, 0)} ns/decision`);
console.log(`  hasPerm, AVC off (miss)      ${fmt(1e9 / missNs)} decisions/s   ${fmt(missNs, 0)} ns/decision  (granted checks)`);
console.log(`  hasPerm, AVC hit             ${fmt(1e9 / hitNs)} decisions/s   ${fmt(hitNs, 0)} ns/decision  (granted checks; AVC hits ${stats.hits}, misses ${stats.misses})`);
console.log(`  AVC speed-up (miss / hit)    ${fmt(missNs / hitNs, 1)}x`);
console.log(`  hasPerm, AVC hit, denied     ${fmt(1e9 / deniedHitNs)} decisions/s   ${fmt(deniedHitNs, 0)} ns/decision  (each writes an AVC line)`);
console.log(`  query mix                    ${granted.length} granted, ${denied.length} denied of ${N}`);
console.log(`  parse+validate a label       ${fmt(labelNs, 0)} ns`);
console.log("Xen's own FLASK policy (server/xsm/oracle/fixtures/xen), ratios to realm.te's compile time above");
for (const x of xen) {
  console.log(
    `  ${x.build.padEnd(6)} text compile  ${fmt(x.compileMs, 2)} ms (${fmt(x.compileMs / realmMs, 2)}x realm.te; ${fmt(x.textKiB, 0)} KiB of m4 output)   ` +
      `binary load  ${fmt(x.loadMs, 2)} ms (${fmt(x.loadMs / realmMs, 2)}x realm.te; ${fmt(x.binKiB, 0)} KiB policy.30)   ` +
      `binary/text ${fmt(x.loadMs / x.compileMs, 2)}x   (${x.types} types/attributes, ${x.cells} avtab cells)`,
  );
}
if (sink === 0.5) console.log(sink);
