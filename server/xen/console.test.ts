import { describe, expect, it } from "vitest";
import { CONSOLE_RING_BYTES, ConsoleRing, Consoles, bootLog, consoleAccess, interpret, type GuestView } from "./console";
import { GUEST_A, MGMT_A, MGMT_B, refused, twoRealms } from "./test-host";

const guest: GuestView = { uuid: "6f1c2f7e-1d7a-4c5e-9a55-3c0d2a9b7e11", domid: 7, name: "web-1", vcpus: 2, memoryMb: 2048, state: "running" };
const clock = { uptimeSeconds: 754, now: new Date("2026-12-05T10:00:00Z") };

describe("the console's command interpreter", () => {
  it("boots with a kernel log, init and a shell prompt naming the domain", () => {
    const log = bootLog(guest);
    const lines = log.split("\r\n");
    expect(lines.length).toBeGreaterThan(30);
    expect(log).toMatch(/Linux version 6\.1/);
    expect(log).toMatch(/Memory: \d+K\/2097152K available/);
    expect(log).toMatch(/Xen domain 7 \(6f1c2f7e-1d7a-4c5e-9a55-3c0d2a9b7e11\), 2 vCPUs, 2048 MiB/);
    expect(log).toMatch(/web-1 login: root \(automatic login\)/);
    expect(log.endsWith("root@web-1:~# ")).toBe(true);
    expect(bootLog(guest)).toBe(log); // deterministic
  });

  it("answers the commands it knows, deterministically from the domain's state", () => {
    expect(interpret("uname -a", guest, clock)).toMatch(/^Linux web-1 6\.1\.0-27-amd64 .* x86_64 GNU\/Linux$/);
    expect(interpret("hostname", guest, clock)).toBe("web-1");
    expect(interpret("nproc", guest, clock)).toBe("2");
    expect(interpret("uptime", guest, clock)).toMatch(/^ 10:00:00 up 12 min, {2}1 user, {2}load average: [\d.]+, [\d.]+, [\d.]+$/);
    expect(interpret("free -m", guest, clock)).toMatch(/Mem: +1925 +\d+/);
    expect(interpret("ip addr", guest, clock)).toMatch(/link\/ether 00:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}/);
    expect(interpret("dmesg | tail", guest, clock).split("\r\n")).toHaveLength(10);
    expect(interpret("echo hello  console", guest, clock)).toBe("hello  console");
    expect(interpret("help", guest, clock)).toMatch(/uname/);
    expect(interpret("", guest, clock)).toBe("");
    expect(interpret("uname -a", guest, clock)).toBe(interpret("uname -a", guest, clock));
  });

  it("answers an unknown command like a shell", () => {
    expect(interpret("foo --bar", guest, clock)).toBe("sh: foo: not found");
  });

  it("echoes keystrokes, edits with backspace and runs a line on return", () => {
    const consoles = new Consoles({ now: () => clock.now, uptimeOf: () => 10 });
    const start = consoles.read(guest, 0).next;
    const out = consoles.write(guest, "hostnamx\x7fe\r", start);
    expect(out.data).toBe("hostnamx\b \be\r\nweb-1\r\nroot@web-1:~# ");
    expect(out.from).toBe(start);
  });

  it("refuses input while the domain is not running", () => {
    const consoles = new Consoles({ now: () => clock.now, uptimeOf: () => 10 });
    expect(() => consoles.write({ ...guest, state: "paused" }, "ls\r", 0)).toThrow(/paused/);
  });

  it("prints a new boot log when the guest reboots, and a power-off when it stops", () => {
    const consoles = new Consoles({ now: () => clock.now, uptimeOf: () => 10 });
    const first = consoles.read(guest, 0);
    consoles.lifecycle(guest, "reboot");
    const after = consoles.read(guest, first.next);
    expect(after.data).toMatch(/Restarting system[\s\S]*Linux version/);
    consoles.lifecycle({ ...guest, state: "stopped" }, "shutdown");
    expect(consoles.read(guest, after.next).data).toMatch(/Power down/);
    consoles.lifecycle(guest, "boot");
    expect(consoles.read(guest, after.next).data).toMatch(/Power down[\s\S]*Linux version/);
  });
});

describe("the console ring (bounded)", () => {
  it("keeps at most its capacity, drops the oldest bytes and counts them", () => {
    const ring = new ConsoleRing(100);
    for (let i = 0; i < 50; i++) ring.append(`line ${String(i).padStart(3, "0")}\r\n`); // 10 bytes each
    expect(ring.bytes).toBe(100);
    expect(ring.end).toBe(500);
    expect(ring.start).toBe(400);
    const all = ring.read(0);
    expect(all).toMatchObject({ from: 400, next: 500, dropped: 400 });
    expect(all.data.startsWith("line 040")).toBe(true);
    expect(ring.read(450)).toMatchObject({ from: 450, dropped: 0, data: expect.stringMatching(/^line 045/) });
    expect(ring.read(500).data).toBe("");
  });

  it("keeps the tail of a single write larger than the ring", () => {
    const ring = new ConsoleRing(16);
    ring.append("x".repeat(40) + "0123456789abcdef");
    expect(ring.read(0)).toMatchObject({ data: "0123456789abcdef", from: 40, dropped: 40 });
  });

  it("never starts a read inside a UTF-8 sequence", () => {
    const ring = new ConsoleRing(4);
    ring.append("aé€"); // 1 + 2 + 3 bytes: the first two bytes are dropped, leaving half of é
    expect(ring.read(0).data).toBe("€");
  });

  it("bounds a whole host: at most maxRings rings of at most the ring size, least recently used dropped", () => {
    const consoles = new Consoles({ now: () => clock.now, uptimeOf: () => 1 }, 8, CONSOLE_RING_BYTES);
    for (let i = 0; i < 100; i++) {
      const g = { ...guest, uuid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, domid: i + 1 };
      for (let j = 0; j < 400; j++) consoles.write(g, "echo 0123456789012345678901234567890123456789\r", 0);
    }
    expect(consoles.size).toBe(8);
    expect(consoles.heldBytes()).toBeLessThanOrEqual(8 * CONSOLE_RING_BYTES);
  });
});

describe("console access through XSM (the realm's management domain as subject)", () => {
  it("lets a realm's management domain open, read and write its own guest's console", () => {
    const host = twoRealms();
    const uuid = host.hv.snapshot().domains.find((d) => d.domid === host.guestA)!.uuid;
    for (const action of ["open", "read", "write"] as const) {
      const d = host.hv.run((ctx) => consoleAccess(ctx, MGMT_A, action, uuid));
      expect(d.label).toBe(GUEST_A);
    }
    expect(host.hv.drainAvc()).toEqual([]);
  });

  it("foreign console: another realm's management domain is denied by MCS, with an AVC line, changing nothing", () => {
    const host = twoRealms();
    const uuid = host.hv.snapshot().domains.find((d) => d.domid === host.guestA)!.uuid;
    const open = refused(host.hv, (ctx) => consoleAccess(ctx, MGMT_B, "open", uuid));
    expect(open.error.code).toBe("EACCES");
    expect(open.error.message).toMatch(/event/);
    expect(open.avc.join("\n")).toMatch(/avc: {2}denied {2}\{ bind \}.*tcontext=system_u:system_r:realm_mgmt_t:s0:c3,c4 tclass=event/);
    expect(open.after).toEqual(open.before);
    const write = refused(host.hv, (ctx) => consoleAccess(ctx, MGMT_B, "write", uuid));
    expect(write.error.code).toBe("EACCES");
    expect(write.avc.join("\n")).toMatch(/denied {2}\{ map_read map_write \}.*tclass=grant/);
    const read = refused(host.hv, (ctx) => consoleAccess(ctx, MGMT_B, "read", uuid));
    expect(read.avc.join("\n")).toMatch(/denied {2}\{ map_read \}.*tclass=grant/);
  });

  it("answers ENOENT for a uuid with no domain on the host", () => {
    const host = twoRealms();
    const r = refused(host.hv, (ctx) => consoleAccess(ctx, MGMT_A, "open", "00000000-0000-4000-8000-000000000999"));
    expect(r.error.code).toBe("ENOENT");
  });
});
