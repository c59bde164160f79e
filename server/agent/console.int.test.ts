import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOM0_LABEL } from "../xsm";
import { startAgent, type AgentProc } from "../test/processes";
import { httpAgentClient } from "../worker/agent-client";

/**
 * The agent's serial console and metrics endpoints, as a real process: the realm's management
 * domain is the XSM subject; another realm's is denied by MCS, with the AVC lines returned.
 */

const SECRET = "console-host-secret";
const MGMT_A = "system_u:system_r:realm_mgmt_t:s0:c1,c2";
const GUEST_A = "system_u:system_r:realm_guest_t:s0:c1,c2";
const MGMT_B = "system_u:system_r:realm_mgmt_t:s0:c3,c4";
let agent: AgentProc;
const target = () => ({ url: agent.url, secret: SECRET });
const guest = { uuid: randomUUID(), name: "console-guest", label: GUEST_A, vcpus: 2, memoryMb: 1024 };

beforeAll(async () => {
  agent = await startAgent({ hostName: "console-host", secret: SECRET });
  const mgmt = { uuid: randomUUID(), name: "mgmt-a", label: MGMT_A, vcpus: 1, memoryMb: 512 };
  for (const [subject, vm, action] of [
    [DOM0_LABEL, mgmt, "create"],
    [DOM0_LABEL, mgmt, "start"],
    [MGMT_A, guest, "create"],
    [MGMT_A, guest, "start"],
  ] as const) {
    const r = await httpAgentClient.apply(target(), { idempotencyKey: randomUUID(), action, subjectLabel: subject, vm });
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
  }
});
afterAll(() => agent.stop());

describe("serial console at the agent", () => {
  it("own realm: the management domain opens the console (boot log), types a command and reads its answer", async () => {
    const opened = await httpAgentClient.console(target(), { action: "open", subjectLabel: MGMT_A, uuid: guest.uuid, from: 0 });
    expect(opened.ok).toBe(true);
    expect(opened.avc).toEqual([]);
    expect(opened.output!.data).toMatch(/Linux version[\s\S]*console-guest login: root[\s\S]*root@console-guest:~# $/);
    const typed = await httpAgentClient.console(target(), { action: "write", subjectLabel: MGMT_A, uuid: guest.uuid, from: opened.output!.next, data: "uname -a\r" });
    expect(typed.ok).toBe(true);
    expect(typed.output!.data).toMatch(/^uname -a\r\nLinux console-guest 6\.1\.0-27-amd64 .*GNU\/Linux\r\nroot@console-guest:~# $/);
    const again = await httpAgentClient.console(target(), { action: "read", subjectLabel: MGMT_A, uuid: guest.uuid, from: opened.output!.next });
    expect(again.output!.data).toBe(typed.output!.data);
  });

  it("foreign console: another realm's management domain cannot open, read or type into it (MCS), and the AVC lines say so", async () => {
    for (const action of ["open", "read", "write"] as const) {
      const denied = await httpAgentClient.console(target(), { action, subjectLabel: MGMT_B, uuid: guest.uuid, from: 0, data: action === "write" ? "reboot\r" : undefined });
      expect(denied.ok, action).toBe(false);
      expect(denied.error?.code).toBe("EACCES");
      expect(denied.output).toBeNull();
      expect(denied.avc.some((l) => l.startsWith("avc:  denied") && (l.includes(`scontext=${MGMT_B}`) || l.includes(`tcontext=${MGMT_B}`)))).toBe(true);
    }
    // Nothing was typed: the owner's console shows no "reboot".
    const own = await httpAgentClient.console(target(), { action: "read", subjectLabel: MGMT_A, uuid: guest.uuid, from: 0 });
    expect(own.output!.data).not.toMatch(/reboot\r/);
  });

  it("refuses oversized input before the hypervisor sees it", async () => {
    await expect(
      httpAgentClient.console(target(), { action: "write", subjectLabel: MGMT_A, uuid: guest.uuid, from: 0, data: "x".repeat(4096) }),
    ).rejects.toThrow(/400/);
  });
});

describe("metrics at the agent", () => {
  it("dom0 samples every domain in one request; counters grow while running", async () => {
    const first = await httpAgentClient.metrics(target(), { subjectLabel: DOM0_LABEL, after: -1, limit: 1000 });
    expect(first.ok).toBe(true);
    const mine = () => first.domains.find((d) => d.uuid === guest.uuid)!;
    expect(mine()).toMatchObject({ state: "running", vcpus: 2, counters: { memoryMaxKb: 1024 * 1024 } });
    await new Promise((r) => setTimeout(r, 300));
    const second = await httpAgentClient.metrics(target(), { subjectLabel: DOM0_LABEL, after: -1, limit: 1000 });
    const later = second.domains.find((d) => d.uuid === guest.uuid)!;
    expect(second.epoch).toBe(first.epoch);
    expect(later.counters.cpuNs).toBeGreaterThan(mine().counters.cpuNs);
    expect(later.counters.netRxBytes).toBeGreaterThanOrEqual(mine().counters.netRxBytes);
  });

  it("pages by domid", async () => {
    const page = await httpAgentClient.metrics(target(), { subjectLabel: DOM0_LABEL, after: -1, limit: 1 });
    expect(page.domains).toHaveLength(1);
    expect(page.next).toBe(page.domains[0]!.domid);
    const rest = await httpAgentClient.metrics(target(), { subjectLabel: DOM0_LABEL, after: page.next!, limit: 1000 });
    expect(rest.domains.map((d) => d.domid)).not.toContain(page.next);
  });

  it("another realm's management domain sees none of realm A's domains (getdomaininfo filter)", async () => {
    const b = await httpAgentClient.metrics(target(), { subjectLabel: MGMT_B, after: -1, limit: 1000 });
    expect(b.ok).toBe(true);
    expect(b.domains.map((d) => d.uuid)).not.toContain(guest.uuid);
    const a = await httpAgentClient.metrics(target(), { subjectLabel: MGMT_A, after: -1, limit: 1000 });
    expect(a.domains.map((d) => d.uuid)).toContain(guest.uuid);
  });
});
