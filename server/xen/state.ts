import type { DomainState, XenstorePerm } from "./types";
import { DOM0_LABEL } from "../xsm";
import { Cell, Table, type Change, type Transaction } from "./tables";

/**
 * The host's state, twice: `HostState` is plain data — what `Hypervisor.snapshot()` returns,
 * what the toolstack writes as its snapshot file and what a crash loses — and `HostTables` is
 * the same state as the hypervisor holds it in memory (keyed tables with indexes, tables.ts).
 * The snapshot lists every table in key order, so two hosts with the same rows have the same
 * snapshot, byte for byte, however their rows were written or rolled back.
 */

/**
 * A domain keeps its last events only (a ring) and counts the ones it dropped: an agent holding
 * 10,000 domains must not grow per operation, and the count still tells how many events a
 * domain has seen in all (the fault tests compare it with the operations log).
 */
export const HISTORY_LIMIT = 64;

export function withEvent(d: Pick<DomainRecord, "history" | "historyDropped">, event: string): Pick<DomainRecord, "history" | "historyDropped"> {
  return bounded([...d.history, event], d.historyDropped ?? 0);
}

function bounded(history: string[], dropped: number): Pick<DomainRecord, "history" | "historyDropped"> {
  const over = Math.max(0, history.length - HISTORY_LIMIT);
  const total = dropped + over;
  return { history: over > 0 ? history.slice(over) : history, ...(total > 0 ? { historyDropped: total } : {}) };
}

export type DomainRecord = {
  domid: number;
  uuid: string;
  name: string;
  /** sid: canonical context. */
  label: string;
  /** self_sid = transition(sid, sid, domain). */
  selfLabel: string;
  /** Device models only, after set_target: the guest and target_sid. */
  target?: { domid: number; label: string };
  state: DomainState;
  vcpus: number;
  memoryMb: number;
  /** The last HISTORY_LIMIT events, oldest first. */
  history: string[];
  /** How many older events the history ring dropped (absent: none). */
  historyDropped?: number;
  /** xl maxvcpus / maxmem: the ceilings fixed at build, which a running domain may grow back to (absent: vcpus / memoryMb). */
  maxVcpus?: number;
  maxMemoryMb?: number;
};

/**
 * A saved domain (xl save -c, a checkpoint: the domain keeps running): its label, size, run
 * state and the disks it had attached. Kept on dom0's disk, so it outlives the domain and a
 * host crash; only its realm's management domain (or dom0) may revert to it or discard it.
 */
export type SavedSnapshot = {
  id: string;
  /** The VM (domain uuid) it was taken of. */
  uuid: string;
  name: string;
  label: string;
  vcpus: number;
  memoryMb: number;
  state: "running" | "paused" | "stopped";
  /** The disks attached when it was taken (their labels, as the backend copied them). */
  disks: { id: string; label: string; readOnly: boolean }[];
  fromBootId: string;
  fromDomid: number;
};

export type Channel = {
  domid: number;
  port: number;
  /** transition(domain, peer as seen by domain, event). */
  label: string;
  state: "unbound" | "interdomain";
  remoteDomid: number;
  remotePort?: number;
  /** Events delivered to this port and not yet consumed. */
  pending: number;
};

export type GrantEntry = { domid: number; gref: number; granteeDomid: number; readOnly: boolean };
export type GrantMapping = { handle: number; mapperDomid: number; granterDomid: number; gref: number; readOnly: boolean };

export type XenstoreNode = { value: string; perms: { domid: number; perm: XenstorePerm }[] };

export type ArgoRing = { domid: number; port: number; partner: number | "any"; messages: { from: number; text: string }[] };

/**
 * A sharing agreement's Argo bridge (argo-bridges.ts): dom0 adds it for exactly (from, to, port,
 * one way or both), labelled with both realms' categories; it holds the destination ring's
 * queued messages and its counters. Destroying it (or either domain) drops them.
 */
export type ArgoBridge = {
  id: string;
  label: string;
  fromDomid: number;
  toDomid: number;
  port: number;
  twoWay: boolean;
  delivered: number;
  refused: number;
  queue: { from: number; to: number; text: string }[];
};

export type Device = {
  domid: number;
  kind: "vbd" | "vif";
  devid: number;
  /** The disk's or network's id and label (resource use target). */
  resourceId: string;
  label: string;
  readOnly: boolean;
  backendDomid: number;
  frontendPort: number;
  backendPort: number;
  /** The backend's mapping of the frontend's ring page. */
  ringGref: number;
  ringHandle: number;
};

/**
 * The trusted frontend layer's write counter of one block sealed through an untrusted backend
 * (block-data.ts): the version its last write carried. Kept here, outside the backend, and
 * journaled with the rest of the host, so a backend replaying an older sealed version or
 * dropping a write is caught on read, across agent restarts too.
 */
export type BlockVersion = { diskId: string; lba: number; version: number };

/** Chinese Wall counters (the ACM's only state; STE decides from labels alone). */
export type ChineseWallState = {
  running: Record<string, number>;
  blocked: Record<string, number>;
  /** domid → wall types taken when the domain started; released on destroy. */
  admitted: Record<string, string[]>;
};

export type AcmState = { chineseWall: ChineseWallState };

export type HostState = {
  bootId: string;
  nextDomid: number;
  nextHandle: number;
  domains: DomainRecord[];
  channels: Channel[];
  grants: GrantEntry[];
  mappings: GrantMapping[];
  xenstore: Record<string, XenstoreNode>;
  argo: ArgoRing[];
  devices: Device[];
  acm: AcmState;
  /** Saved domains (snapshots); absent in state files written before snapshots existed. */
  snapshots?: SavedSnapshot[];
  /** Agreement bridges (Argo); absent in state files written before they existed, or when none. */
  bridges?: ArgoBridge[];
  /** Block write counters (block-data.ts); absent in state files written before they existed, or when none. */
  blockVersions?: BlockVersion[];
};

/** A xenstore node as a table row: the node and its path. */
export type XenstoreRow = XenstoreNode & { path: string };
export type AdmittedRow = { domid: number; wall: string[] };
export type WallCounters = Pick<ChineseWallState, "running" | "blocked">;

export function emptyAcmState(): AcmState {
  return { chineseWall: { running: {}, blocked: {}, admitted: {} } };
}

/** A freshly booted host: only dom0, labelled by the policy's initial SID (self label given). */
export function bootState(bootId: string, dom0SelfLabel: string): HostState {
  return {
    bootId,
    nextDomid: 1,
    nextHandle: 1,
    domains: [
      {
        domid: 0,
        uuid: "00000000-0000-0000-0000-000000000000",
        name: "Domain-0",
        label: DOM0_LABEL,
        selfLabel: dom0SelfLabel,
        state: "running",
        vcpus: 1,
        memoryMb: 1024,
        history: ["boot"],
      },
    ],
    channels: [],
    grants: [],
    mappings: [],
    xenstore: {
      "/": { value: "", perms: [{ domid: 0, perm: "n" }] },
      "/local": { value: "", perms: [{ domid: 0, perm: "r" }] },
      "/local/domain": { value: "", perms: [{ domid: 0, perm: "r" }] },
      "/local/domain/0": { value: "", perms: [{ domid: 0, perm: "r" }] },
    },
    argo: [],
    devices: [],
    acm: emptyAcmState(),
  };
}

export const parentPath = (path: string): string => {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
};

type Ids = { nextDomid: number; nextHandle: number };

const byNumbers = (a: readonly (number | string)[], b: readonly (number | string)[]): number => {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return typeof x === "number" && typeof y === "number" ? x - y : String(x) < String(y) ? -1 : 1;
  }
  return 0;
};
const sorted = <R>(rows: Iterable<R>, key: (r: R) => (number | string)[]): R[] => [...rows].sort((a, b) => byNumbers(key(a), key(b)));

/**
 * The live host: one table per kind of object, indexed by what the hooks look things up by.
 * `journal.tx` is the open transaction (set by Hypervisor.run); writes outside one (loading,
 * replay) are not recorded.
 */
export class HostTables {
  readonly journal: { tx: Transaction | null } = { tx: null };
  readonly ids: Cell<Ids>;
  readonly domains = new Table<DomainRecord>("domains", (d) => d.domid, this.journal, { uuid: (d) => d.uuid, label: (d) => d.label });
  readonly channels = new Table<Channel>("channels", (c) => `${c.domid}:${c.port}`, this.journal, {
    domid: (c) => String(c.domid),
    remoteDomid: (c) => String(c.remoteDomid),
  });
  readonly grants = new Table<GrantEntry>("grants", (g) => `${g.domid}:${g.gref}`, this.journal, { domid: (g) => String(g.domid) });
  readonly mappings = new Table<GrantMapping>("mappings", (m) => m.handle, this.journal, {
    grant: (m) => `${m.granterDomid}:${m.gref}`,
    domid: (m) => [String(m.mapperDomid), String(m.granterDomid)],
  });
  readonly xenstore = new Table<XenstoreRow>("xenstore", (n) => n.path, this.journal, { parent: (n) => (n.path === "/" ? [] : [parentPath(n.path)]) });
  readonly argo = new Table<ArgoRing>("argo", (r) => `${r.domid}:${r.port}:${r.partner}`, this.journal, { domid: (r) => String(r.domid) });
  readonly devices = new Table<Device>("devices", (d) => `${d.domid}:${d.kind}:${d.resourceId}`, this.journal, {
    domid: (d) => String(d.domid),
    resource: (d) => d.resourceId,
    ringHandle: (d) => String(d.ringHandle),
    port: (d) => [`${d.domid}:${d.frontendPort}`, `${d.backendDomid}:${d.backendPort}`],
    backend: (d) => String(d.backendDomid),
  });
  /** The Chinese Wall's counters (per type: small) and, per domain, the wall it took (admitted). */
  readonly wallCounters: Cell<WallCounters>;
  readonly admitted = new Table<AdmittedRow>("admitted", (a) => a.domid, this.journal);
  readonly snapshots = new Table<SavedSnapshot>("snapshots", (s) => s.id, this.journal, { uuid: (s) => s.uuid });
  readonly bridges = new Table<ArgoBridge>("bridges", (b) => b.id, this.journal, { domid: (b) => [String(b.fromDomid), String(b.toDomid)] });
  readonly blockVersions = new Table<BlockVersion>("blockVersions", (v) => `${v.diskId}:${v.lba}`, this.journal);

  private constructor(
    readonly bootId: string,
    ids: Ids,
    counters: WallCounters,
  ) {
    this.ids = new Cell("ids", ids, this.journal);
    this.wallCounters = new Cell("wallCounters", counters, this.journal);
  }

  static fromSnapshot(snapshot: HostState): HostTables {
    const s = structuredClone(snapshot); // rows get frozen: never the caller's objects
    const cw = s.acm.chineseWall;
    const t = new HostTables(s.bootId, { nextDomid: s.nextDomid, nextHandle: s.nextHandle }, { running: cw.running, blocked: cw.blocked });
    for (const d of s.domains) t.domains.put({ ...d, ...bounded(d.history, d.historyDropped ?? 0) });
    for (const c of s.channels) t.channels.put(c);
    for (const g of s.grants) t.grants.put(g);
    for (const m of s.mappings) t.mappings.put(m);
    for (const [path, n] of Object.entries(s.xenstore)) t.xenstore.put({ path, ...n });
    for (const r of s.argo) t.argo.put(r);
    for (const d of s.devices) t.devices.put(d);
    for (const [domid, wall] of Object.entries(cw.admitted)) t.admitted.put({ domid: Number(domid), wall });
    for (const snap of s.snapshots ?? []) t.snapshots.put(snap);
    for (const b of s.bridges ?? []) t.bridges.put(b);
    for (const v of s.blockVersions ?? []) t.blockVersions.put(v);
    return t;
  }

  /** The plain-data state, every table in key order (structuredClone: rows are frozen and shared). */
  toSnapshot(): HostState {
    const { nextDomid, nextHandle } = this.ids.get();
    const xenstore: Record<string, XenstoreNode> = {};
    for (const { path, ...node } of sorted(this.xenstore.rows(), (n) => [n.path])) xenstore[path] = node;
    const admitted: Record<string, string[]> = {};
    for (const a of sorted(this.admitted.rows(), (r) => [r.domid])) admitted[String(a.domid)] = a.wall;
    return structuredClone({
      bootId: this.bootId,
      nextDomid,
      nextHandle,
      domains: sorted(this.domains.rows(), (d) => [d.domid]),
      channels: sorted(this.channels.rows(), (c) => [c.domid, c.port]),
      grants: sorted(this.grants.rows(), (g) => [g.domid, g.gref]),
      mappings: sorted(this.mappings.rows(), (m) => [m.handle]),
      xenstore,
      argo: sorted(this.argo.rows(), (r) => [r.domid, r.port, String(r.partner)]),
      devices: sorted(this.devices.rows(), (d) => [d.domid, d.kind, d.devid]),
      acm: { chineseWall: { ...this.wallCounters.get(), admitted } },
      ...(this.snapshots.size > 0 ? { snapshots: sorted(this.snapshots.rows(), (r) => [r.id]) } : {}),
      ...(this.bridges.size > 0 ? { bridges: sorted(this.bridges.rows(), (r) => [r.id]) } : {}),
      ...(this.blockVersions.size > 0 ? { blockVersions: sorted(this.blockVersions.rows(), (r) => [r.diskId, r.lba]) } : {}),
    });
  }

  /** Re-applies a journaled change set (the toolstack's journal, on load). */
  replay(changes: readonly Change[]): void {
    for (const c of changes) {
      const target = this.byName[c.table];
      if (!target) throw new Error(`journal names an unknown table '${c.table}'`);
      target.replay(c.key, c.row);
    }
  }

  private get byName(): Record<string, { replay(key: string, row: unknown): void }> {
    const { ids, domains, channels, grants, mappings, xenstore, argo, devices, wallCounters, admitted, snapshots, bridges, blockVersions } = this;
    return { ids, domains, channels, grants, mappings, xenstore, argo, devices, wallCounters, admitted, snapshots, bridges, blockVersions };
  }
}
