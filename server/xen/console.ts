import { acmGate, domainOf, principalOf, runChecks, subjectOf, type HostCtx } from "./host-context";
import { HypercallError } from "./errors";
import type { DomainRecord } from "./state";
import type { ConsoleAction } from "./types";

/**
 * The guests' serial consoles (hvc0): what each guest prints (a boot log, then a shell that
 * answers a small command set, deterministic from the domain's state) kept in a bounded ring per
 * domain, and the XSM-checked hooks through which a realm's management domain opens, reads and
 * writes one.
 *
 * Threat: a realm's management domain reading or typing into another realm's guest. Every
 * access runs the operation table's console checks first (`L_channel → P : event bind` and
 * `P → L : grant map_read map_write` to open; `grant map_write` and `event send` to write), which
 * the MCS constraints on event bind and grant map deny across realms, with an AVC line.
 *
 * Memory: a ring holds at most CONSOLE_RING_BYTES (the oldest bytes are dropped and counted) and
 * exists only once someone opened the console; at most MAX_RINGS rings are kept (the least
 * recently used is dropped and rebuilt from the domain's state on its next open), so an agent
 * with 10,000 domains holds at most MAX_RINGS × CONSOLE_RING_BYTES of console output. Console
 * output is not journaled: an agent restart starts every console again from its boot log.
 */

export const CONSOLE_RING_BYTES = 64 * 1024;
export const MAX_RINGS = 1024;
/** One line of input at most (a longer line is cut, as a tty's line discipline would). */
export const MAX_LINE = 1024;

/** A byte ring with absolute offsets: `start` counts the bytes ever dropped, `end` the bytes ever written. */
export class ConsoleRing {
  private chunks: Buffer[] = [];
  private size = 0;
  start = 0;

  constructor(readonly capacity = CONSOLE_RING_BYTES) {}

  get end(): number {
    return this.start + this.size;
  }

  get bytes(): number {
    return this.size;
  }

  append(text: string): void {
    if (text.length === 0) return;
    let chunk = Buffer.from(text, "utf8");
    if (chunk.length > this.capacity) {
      this.start += chunk.length - this.capacity;
      chunk = chunk.subarray(chunk.length - this.capacity);
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.capacity) {
      const first = this.chunks[0]!;
      const over = this.size - this.capacity;
      if (first.length <= over) {
        this.chunks.shift();
        this.size -= first.length;
        this.start += first.length;
      } else {
        this.chunks[0] = Buffer.from(first.subarray(over));
        this.size -= over;
        this.start += over;
      }
    }
  }

  /** Everything from absolute offset `from` (clamped to what is kept); `dropped`: bytes asked for that are gone. */
  read(from: number): { data: string; from: number; next: number; dropped: number } {
    const begin = Math.min(Math.max(from, this.start), this.end);
    const all = Buffer.concat(this.chunks, this.size);
    let slice = all.subarray(begin - this.start);
    // Never start inside a UTF-8 sequence.
    let skip = 0;
    while (skip < slice.length && (slice[skip]! & 0xc0) === 0x80) skip++;
    slice = slice.subarray(skip);
    return { data: slice.toString("utf8"), from: begin + skip, next: this.end, dropped: Math.max(0, this.start - from) };
  }
}

/** What the guest knows of itself. */
export type GuestView = Pick<DomainRecord, "uuid" | "domid" | "name" | "vcpus" | "memoryMb" | "state">;

/** A stable 32-bit hash (FNV-1a) of a string: the guest's "hardware" (MAC, address) derives from its uuid. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const hostname = (g: GuestView) => g.name.toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 63) || "guest";
const mac = (g: GuestView) => {
  const h = hash32(g.uuid);
  return ["00", "16", "3e", (h >>> 16) & 0x7f, (h >>> 8) & 0xff, h & 0xff].map((b) => (typeof b === "string" ? b : b.toString(16).padStart(2, "0"))).join(":");
};
const address = (g: GuestView) => {
  const h = hash32(`ip:${g.uuid}`);
  return `10.${(h >>> 16) & 0xff}.${(h >>> 8) & 0xff}.${2 + (h % 250)}`;
};
const prompt = (g: GuestView) => `root@${hostname(g)}:~# `;
const KERNEL = "6.1.0-27-amd64";
const KERNEL_BUILD = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)";

/** The kernel's part of the boot log, with dmesg timestamps. */
function kernelLines(g: GuestView): string[] {
  const memKb = g.memoryMb * 1024;
  const lines = [
    `Linux version ${KERNEL} (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) ${KERNEL_BUILD}`,
    `Command line: root=/dev/xvda1 ro console=hvc0`,
    `Hypervisor detected: Xen PV`,
    `Xen version: 4.19 (preserve-AD)`,
    `DMI not present or invalid.`,
    `Memory: ${Math.round(memKb * 0.94)}K/${memKb}K available (16384K kernel code, ${Math.round(memKb * 0.06)}K reserved)`,
    `SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=${g.vcpus}, Nodes=1`,
    `rcu: Hierarchical RCU implementation. RCU restricting CPUs from NR_CPUS=8192 to nr_cpu_ids=${g.vcpus}.`,
    `Console: colour dummy device 80x25`,
    `printk: console [hvc0] enabled`,
    `Xen: using vcpuop timer interface`,
    `smp: Brought up 1 node, ${g.vcpus} CPU${g.vcpus === 1 ? "" : "s"}`,
    `xen:xen_evtchn: Event-channel device installed`,
    `xen:grant_table: Grant tables using version 1 layout`,
    `Grant table initialized`,
    `xenbus_probe_frontend: Device with no driver: device/vbd/51712`,
    `blkfront: xvda: flush diskcache: enabled; persistent grants: enabled; indirect descriptors: enabled; bounce buffer: enabled`,
    ` xvda: xvda1`,
    `xen_netfront: Initialising Xen virtual ethernet driver`,
    `EXT4-fs (xvda1): mounted filesystem with ordered data mode. Quota mode: none.`,
    `Freeing unused kernel image (initmem) memory: 2740K`,
    `Run /sbin/init as init process`,
    `systemd[1]: Hostname set to <${hostname(g)}>.`,
  ];
  return lines.map((l, i) => `[${(0.000001 * i * i * 31_337 + i * 0.0421).toFixed(6).padStart(12)}] ${l}`);
}

/** What hvc0 shows from power-on to the shell prompt. */
export function bootLog(g: GuestView): string {
  const init = [
    `[  OK  ] Started systemd-journald.service - Journal Service.`,
    `[  OK  ] Finished systemd-fsck-root.service - File System Check on Root Device.`,
    `[  OK  ] Reached target local-fs.target - Local File Systems.`,
    `[  OK  ] Started systemd-udevd.service - Rule-based Manager for Device Events and Files.`,
    `[  OK  ] Found device dev-hvc0.device - /dev/hvc0.`,
    `[  OK  ] Started networking.service - Raise network interfaces.`,
    `[  OK  ] Reached target network.target - Network.`,
    `[  OK  ] Started ssh.service - OpenBSD Secure Shell server.`,
    `[  OK  ] Started serial-getty@hvc0.service - Serial Getty on hvc0.`,
    `[  OK  ] Reached target multi-user.target - Multi-User System.`,
    ``,
    `Debian GNU/Linux 12 ${hostname(g)} hvc0`,
    ``,
    `${hostname(g)} login: root (automatic login)`,
    ``,
    `Linux ${hostname(g)} ${KERNEL} ${KERNEL_BUILD} x86_64`,
    `Xen domain ${g.domid} (${g.uuid}), ${g.vcpus} vCPU${g.vcpus === 1 ? "" : "s"}, ${g.memoryMb} MiB. Type 'help' for the commands this console knows.`,
  ];
  return [...kernelLines(g), ...init].join("\r\n") + "\r\n" + prompt(g);
}

export const COMMANDS = ["help", "uname [-a]", "hostname", "uptime", "free [-m]", "ip addr", "dmesg [| tail]", "echo TEXT", "whoami", "pwd", "date", "nproc", "clear"] as const;

function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const clock = hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}` : `${minutes} min`;
  return days > 0 ? `${days} day${days === 1 ? "" : "s"}, ${clock}` : clock;
}

/** Load average, deterministic from the uuid and the time running. */
function loadAverage(g: GuestView, uptimeSeconds: number): string {
  const base = 0.05 + (hash32(`load:${g.uuid}`) % 40) / 100;
  const wave = (p: number) => (base * g.vcpus * (1 + 0.5 * Math.sin((2 * Math.PI * uptimeSeconds) / p))).toFixed(2);
  return `${wave(60)}, ${wave(300)}, ${wave(900)}`;
}

/** Guest memory in use (MiB), deterministic: rises towards a working set after boot. */
export function guestMemoryUsedMb(g: Pick<GuestView, "uuid" | "memoryMb">, uptimeSeconds: number): number {
  const share = 0.18 + (hash32(`mem:${g.uuid}`) % 30) / 100;
  return Math.round(g.memoryMb * share * (0.55 + 0.45 * (1 - Math.exp(-Math.max(0, uptimeSeconds) / 120))));
}

/** The shell's answer to one command line (without the echo and the next prompt). */
export function interpret(line: string, g: GuestView, clock: { uptimeSeconds: number; now: Date }): string {
  const text = line.trim();
  if (text === "") return "";
  const [command = "", ...args] = text.split(/\s+/);
  const rest = text.slice(command.length).trim();
  const name = hostname(g);
  switch (command) {
    case "help":
      return ["This console answers:", ...COMMANDS.map((c) => `  ${c}`)].join("\r\n");
    case "uname":
      if (args.includes("-a")) return `Linux ${name} ${KERNEL} ${KERNEL_BUILD} x86_64 GNU/Linux`;
      if (args.includes("-r")) return KERNEL;
      return "Linux";
    case "hostname":
      return name;
    case "whoami":
      return "root";
    case "pwd":
      return "/root";
    case "nproc":
      return String(g.vcpus);
    case "date":
      return clock.now.toUTCString().replace("GMT", "UTC");
    case "uptime":
      return ` ${clock.now.toISOString().slice(11, 19)} up ${formatUptime(clock.uptimeSeconds)},  1 user,  load average: ${loadAverage(g, clock.uptimeSeconds)}`;
    case "free": {
      const mib = args.includes("-m");
      const total = Math.round(g.memoryMb * 0.94);
      const used = Math.min(total, guestMemoryUsedMb(g, clock.uptimeSeconds));
      const cache = Math.round((total - used) * 0.35);
      const free = total - used - cache;
      const unit = (v: number) => String(mib ? v : v * 1024).padStart(mib ? 11 : 11);
      return [
        `               total        used        free      shared  buff/cache   available`,
        `Mem:    ${unit(total)} ${unit(used)} ${unit(free)} ${unit(Math.round(total * 0.01))} ${unit(cache)} ${unit(total - used)}`,
        `Swap:   ${unit(0)} ${unit(0)} ${unit(0)}`,
      ].join("\r\n");
    }
    case "ip":
      if (args[0] === "addr" || args[0] === "a" || args[0] === "address") {
        return [
          `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000`,
          `    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00`,
          `    inet 127.0.0.1/8 scope host lo`,
          `2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000`,
          `    link/ether ${mac(g)} brd ff:ff:ff:ff:ff:ff`,
          `    inet ${address(g)}/24 brd ${address(g).replace(/\.\d+$/, ".255")} scope global eth0`,
        ].join("\r\n");
      }
      return `Usage: ip addr`;
    case "dmesg": {
      const lines = kernelLines(g);
      return (rest.replace(/\s+/g, "") === "|tail" ? lines.slice(-10) : lines).join("\r\n");
    }
    case "echo":
      return rest;
    case "clear":
      return "\x1b[H\x1b[2J";
    default:
      return `sh: ${command.slice(0, 64)}: not found`;
  }
}

/** `halted`: the guest is not running (never booted, or shut down): the next start prints a boot log. */
type Entry = { ring: ConsoleRing; line: string; halted: boolean };

/**
 * The host's console rings, by domain uuid, created on first use and at most MAX_RINGS of them
 * (least recently used dropped). The shell around the pure core: it reads the clock through
 * `uptimeOf` (the domain's time running, metrics.ts) and `now`.
 */
export class Consoles {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: { now: () => Date; uptimeOf: (uuid: string) => number },
    private readonly maxRings = MAX_RINGS,
    private readonly ringBytes = CONSOLE_RING_BYTES,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The domain's ring: made on first use, with the boot log the guest printed if it runs. */
  private entry(g: GuestView): Entry {
    let e = this.entries.get(g.uuid);
    if (e) {
      this.entries.delete(g.uuid);
    } else {
      const up = g.state === "running" || g.state === "paused";
      e = { ring: new ConsoleRing(this.ringBytes), line: "", halted: !up };
      if (up) e.ring.append(bootLog(g));
    }
    this.entries.set(g.uuid, e); // most recently used last
    while (this.entries.size > this.maxRings) this.entries.delete(this.entries.keys().next().value!);
    return e;
  }

  /** Output from `from` (absolute offset; 0: everything kept). */
  read(g: GuestView, from: number) {
    return this.entry(g).ring.read(from);
  }

  /** Keystrokes: echoed; a carriage return runs the line; backspace edits it. Returns the output from `from`. */
  write(g: GuestView, data: string, from: number) {
    const e = this.entry(g);
    if (g.state !== "running") throw new HypercallError("EINVAL", `domain ${g.domid} is ${g.state}: its console takes no input`);
    let out = "";
    for (const ch of data) {
      if (ch === "\r" || ch === "\n") {
        const answer = interpret(e.line, g, { uptimeSeconds: this.clock.uptimeOf(g.uuid), now: this.clock.now() });
        out += "\r\n" + (answer ? `${answer}\r\n` : "") + prompt(g);
        e.line = "";
      } else if (ch === "\x7f" || ch === "\b") {
        if (e.line.length > 0) {
          e.line = e.line.slice(0, -1);
          out += "\b \b";
        }
      } else if (ch === "\x03") {
        out += "^C\r\n" + prompt(g);
        e.line = "";
      } else if (ch >= " " && e.line.length < MAX_LINE) {
        e.line += ch;
        out += ch;
      }
    }
    e.ring.append(out);
    return e.ring.read(from);
  }

  /** A lifecycle event of the domain (the toolstack tells after each one it applied). */
  lifecycle(g: GuestView, event: "boot" | "reboot" | "shutdown" | "gone"): void {
    if (event === "gone") return void this.entries.delete(g.uuid);
    const e = this.entries.get(g.uuid);
    if (!e) return; // nobody has looked yet: made from the state when someone does
    if (event === "shutdown") {
      if (!e.halted) e.ring.append(`\r\n[  OK  ] Reached target poweroff.target - Power-Off.\r\nreboot: Power down\r\n`);
      e.halted = true;
    } else if (event === "reboot") {
      e.ring.append(`\r\n[  OK  ] Reached target reboot.target - System Reboot.\r\nreboot: Restarting system\r\n${bootLog(g)}`);
      e.halted = false;
    } else if (e.halted) {
      e.ring.append(bootLog(g));
      e.halted = false;
    }
    e.line = "";
  }

  /** A host crash: every console is gone. */
  clear(): void {
    this.entries.clear();
  }

  /** Total bytes held (for the bench and tests). */
  heldBytes(): number {
    let total = 0;
    for (const e of this.entries.values()) total += e.ring.bytes;
    return total;
  }
}

/**
 * The XSM-checked console hook: the subject (the realm's management domain) opens, reads or
 * writes the console of the domain with this uuid. Checks only; the toolstack then touches the
 * ring. ENOENT for an unknown uuid (dom0's own console is not served).
 */
export function consoleAccess(ctx: HostCtx, subjectLabel: string, action: ConsoleAction, uuid: string): DomainRecord {
  const [found] = ctx.state.domains.where("uuid", uuid);
  if (!found || found.domid === 0) throw new HypercallError("ENOENT", `no domain for VM ${uuid} on this host`);
  const d = domainOf(ctx, found.domid);
  const subject = subjectOf(ctx, subjectLabel);
  // The console channel: the first port the build allocated in the guest for its builder.
  const channel = ctx.state.channels.get(`${d.domid}:1`);
  if (!channel) throw new HypercallError("ENOENT", `domain ${d.domid} has no console channel`);
  runChecks(ctx, `console.${action}`, { subject, domain: principalOf(d), channel: { label: channel.label, domid: d.domid } });
  if (action === "open") acmGate(ctx, { kind: "share", a: { domid: d.domid, label: d.label }, b: { domid: subject.domid ?? 0, label: subject.label }, via: "grant" });
  return d;
}
