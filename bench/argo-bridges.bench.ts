/**
 * Sharing agreements at the hypervisor (issue 15 part 5): N agreements are N Argo bridge objects
 * (each with its own label, hence SID), never a policy change. Creates 1,000, 5,000 and 10,000
 * bridges on one simulated host and decides sends through them (delivered) and back (one-way:
 * denied by MCS), against a baseline measured in the same run: the same number of same-realm
 * sends with no bridge (x → y : argo send, one AVC lookup). Prints times and ratios; asserts
 * nothing about time.
 *   npx tsx bench/argo-bridges.bench.ts
 */
import { randomUUID } from "node:crypto";
import { DOM0_LABEL, SecurityServer, loadRealmPolicy } from "../server/xsm";
import { DEFAULT_ACM_POLICY, Hypervisor, acmModule, createBridge, createDomain, createSecurityModule, lifecycle, testSend } from "../server/xen";

const MGMT_A = "system_u:system_r:realm_mgmt_t:s0:c1,c2";
const GUEST_A = "system_u:system_r:realm_guest_t:s0:c1,c2";
const MGMT_B = "system_u:system_r:realm_mgmt_t:s0:c3,c4";
const GUEST_B = "system_u:system_r:realm_guest_t:s0:c3,c4";
const PAIRS = 100;

function host() {
  const server = new SecurityServer(loadRealmPolicy());
  const hv = new Hypervisor(createSecurityModule(server), { acmModule: acmModule("chinese-wall+ste"), acmPolicy: DEFAULT_ACM_POLICY, options: { argoMacPermissive: false } }, { bootId: "bench" });
  const make = (subject: string, label: string) => {
    const d = hv.run((ctx) => createDomain(ctx, subject, { uuid: randomUUID(), name: "d", label, vcpus: 1, memoryMb: 256 }));
    hv.run((ctx) => lifecycle(ctx, subject, "domain.start", d.domid));
    return d.domid;
  };
  make(DOM0_LABEL, MGMT_A);
  make(DOM0_LABEL, MGMT_B);
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < PAIRS; i++) pairs.push([make(MGMT_A, GUEST_A), make(MGMT_B, GUEST_B), make(MGMT_A, GUEST_A)]);
  hv.drainAvc();
  return { hv, pairs };
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

console.log("agreements | create ms | sends through bridges ms | reverse (denied) ms | baseline same-realm ms | through/baseline | denied/baseline");
for (const n of [1_000, 5_000, 10_000]) {
  const { hv, pairs } = host();
  let t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const [x, y] = pairs[i % PAIRS]!;
    hv.run((ctx) => createBridge(ctx, DOM0_LABEL, { id: `agr-${i}`, fromDomid: x, toDomid: y, port: 1_000 + i, twoWay: false }));
    if (i % 500 === 0) hv.takeChanges(); // the agent journals these; here they are dropped
  }
  const create = ms(t0);
  t0 = process.hrtime.bigint();
  let delivered = 0;
  for (let i = 0; i < n; i++) {
    const [x, y] = pairs[i % PAIRS]!;
    if (hv.run((ctx) => testSend(ctx, MGMT_A, { fromDomid: x, toDomid: y, port: 1_000 + i, message: "m" })).delivered) delivered++;
    if (i % 500 === 0) hv.takeChanges();
  }
  const through = ms(t0);
  t0 = process.hrtime.bigint();
  let denied = 0;
  for (let i = 0; i < n; i++) {
    const [x, y] = pairs[i % PAIRS]!;
    if (!hv.run((ctx) => testSend(ctx, MGMT_B, { fromDomid: y, toDomid: x, port: 1_000 + i, message: "m" })).delivered) denied++;
    if (i % 500 === 0) {
      hv.takeChanges();
      hv.drainAvc();
    }
  }
  const reverse = ms(t0);
  hv.drainAvc();
  // Baseline: the same number of same-realm sends (x → x', both realm A), no bridge involved.
  t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const [x, , x2] = pairs[i % PAIRS]!;
    hv.run((ctx) => testSend(ctx, MGMT_A, { fromDomid: x, toDomid: x2, port: 1_000 + i, message: "m" }));
    if (i % 500 === 0) hv.takeChanges();
  }
  const baseline = ms(t0);
  if (delivered !== n || denied !== n) throw new Error(`expected ${n} delivered and ${n} denied, got ${delivered} and ${denied}`);
  console.log(`${n.toLocaleString("en-US")} | ${create.toFixed(0)} | ${through.toFixed(0)} | ${reverse.toFixed(0)} | ${baseline.toFixed(0)} | ${(through / baseline).toFixed(2)} | ${(reverse / baseline).toFixed(2)}`);
}
