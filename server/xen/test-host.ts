import { randomUUID } from "node:crypto";
import { DOM0_LABEL, SecurityServer, loadRealmPolicy } from "../xsm";
import { acmModule } from "./acm/compose";
import { DEFAULT_ACM_POLICY } from "./acm/default-policy";
import { createSecurityModule } from "./flask-module";
import type { AcmModuleName, AcmPolicy } from "./types";
import { createDomain, lifecycle } from "./domains";
import { Hypervisor } from "./hypervisor";

/** Test support: a host on the real realm policy, and two realms with a management domain and a guest each. */

export const DOM0 = DOM0_LABEL;
export const MGMT_A = "system_u:system_r:realm_mgmt_t:s0:c1,c2";
export const GUEST_A = "system_u:system_r:realm_guest_t:s0:c1,c2";
export const MGMT_B = "system_u:system_r:realm_mgmt_t:s0:c3,c4";
export const GUEST_B = "system_u:system_r:realm_guest_t:s0:c3,c4";
export { DEFAULT_ACM_POLICY };

const policy = loadRealmPolicy();

export function testHost(options: { acm?: AcmModuleName; acmPolicy?: AcmPolicy; argoMacPermissive?: boolean } = {}) {
  const server = new SecurityServer(policy);
  const xsm = createSecurityModule(server);
  const hv = new Hypervisor(
    xsm,
    { acmModule: acmModule(options.acm ?? "chinese-wall+ste"), acmPolicy: options.acmPolicy ?? DEFAULT_ACM_POLICY, options: { argoMacPermissive: options.argoMacPermissive ?? false } },
    { bootId: "boot-1" },
  );
  const create = (subject: string, label: string, extra: { initLabel?: string; start?: boolean } = {}) => {
    const d = hv.run((ctx) => createDomain(ctx, subject, { uuid: randomUUID(), name: `d-${label.split(":")[2]}`, label, initLabel: extra.initLabel, vcpus: 1, memoryMb: 512 }));
    if (extra.start !== false) hv.run((ctx) => lifecycle(ctx, subject, "domain.start", d.domid));
    hv.drainAvc();
    return d.domid;
  };
  return { hv, server, xsm, create };
}

/** dom0 builds both realms' management domains (1, 2); each builds one running guest (3, 4). */
export function twoRealms(options: Parameters<typeof testHost>[0] = {}) {
  const host = testHost(options);
  const mgmtA = host.create(DOM0, MGMT_A);
  const mgmtB = host.create(DOM0, MGMT_B);
  const guestA = host.create(MGMT_A, GUEST_A);
  const guestB = host.create(MGMT_B, GUEST_B);
  return { ...host, mgmtA, mgmtB, guestA, guestB };
}

/** Runs `fn`, expects it to throw a HypercallError, returns it with the state before/after. */
export function refused(hv: Hypervisor, fn: Parameters<Hypervisor["run"]>[0]) {
  const before = hv.snapshot();
  let error: unknown;
  try {
    hv.run(fn);
  } catch (e) {
    error = e;
  }
  const avc = hv.drainAvc();
  if (!error) throw new Error("expected the operation to be refused");
  return { error: error as { code: string; message: string; avc: string[] }, avc, before, after: hv.snapshot() };
}
