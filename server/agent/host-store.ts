import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from "node:fs";
import path from "node:path";
import type { DomainResult, HypercallResult } from "../contracts/agent";
import { HostTables, type HostChange, type HostState } from "../xen";

/**
 * The toolstack's files in the host's state directory: what survives an agent restart (the
 * hypervisor keeps running while dom0's toolstack restarts). A simulated crash replaces them
 * with a freshly booted host.
 *
 * - `host-state.json` — the snapshot: the host state as plain data, the remembered idempotency
 *   results and the journal generation it was written for. Written only by compaction
 *   (write a temporary file, fsync it, rename it over, fsync the directory), so a kill at any
 *   point leaves the old snapshot or the new one, never half.
 * - `host-journal.jsonl` — the journal: a header line `{"generation":n}`, then one line per
 *   applied operation, appended and fsync'd before the agent answers (the worker treats an
 *   answer as applied, so an answered operation must survive a kill -9). A line is the rows the
 *   operation changed (their new values, or null for a deleted row) plus the idempotency key
 *   and the result it answered. A journal whose generation is not the snapshot's is left over
 *   from a compaction that was cut short after the rename: the snapshot already holds it.
 * - `acm-policy.json` — the ACM policy last loaded through PUT /v1/acm (host configuration,
 *   kept across crashes).
 *
 * Why row images and not the requests: replaying a request would re-run its XSM and ACM
 * decisions under whatever policy the restarted agent loaded (an upgraded policy would rewrite
 * history), and the result must be stored anyway for idempotent replay. A row image replays
 * without a security module and is idempotent: re-applying records the snapshot already holds
 * leaves the same state.
 *
 * The journal is compacted into a new snapshot once it is as large as the snapshot (and at
 * least COMPACT_MIN_BYTES): writes stay amortised O(size of the change), the files at most
 * about twice the state, and a restart reads about twice the state.
 */

export type AppliedResult = DomainResult | HypercallResult;
export type Persisted = { generation?: number; hypervisor: HostState; applied: [string, AppliedResult][] };
export type JournalRecord = { key?: string; result?: AppliedResult; changes: HostChange[] };

/** The state file of the first agent version: domains only, without derived labels. */
export type LegacyPersisted = {
  hypervisor: { bootId: string; nextDomid: number; domains: { domid: number; label: string; history: string[] }[] };
  applied: [string, AppliedResult][];
};

/** What the toolstack remembers of applied keys, oldest first, at most this many. */
export const MAX_REMEMBERED_KEYS = 10_000;
/** Below this journal size there is no compaction (a small host would rewrite its snapshot every few operations). */
export const COMPACT_MIN_BYTES = 1 << 20;

export type Loaded = {
  snapshot: Persisted | LegacyPersisted;
  /** The records to replay; null when there is no usable journal (legacy, stale): compact before appending. */
  journal: JournalRecord[] | null;
};

/** Remembers a key's result; the oldest key goes once there are more than MAX_REMEMBERED_KEYS. */
export function rememberResult(applied: Map<string, AppliedResult>, key: string, result: AppliedResult): void {
  applied.set(key, result);
  if (applied.size > MAX_REMEMBERED_KEYS) applied.delete(applied.keys().next().value!);
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces `file` with `text` durably: a kill at any point leaves the old content or the new. */
export function writeDurably(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

export class HostStore {
  readonly stateFile: string;
  readonly journalFile: string;
  readonly acmPolicyFile: string;
  private journalFd: number | null = null;
  private journalBytes = 0;
  private snapshotBytes = 0;
  private generation = 0;

  constructor(
    readonly dir: string,
    private readonly compactMinBytes = COMPACT_MIN_BYTES,
  ) {
    mkdirSync(dir, { recursive: true });
    this.stateFile = path.join(dir, "host-state.json");
    this.journalFile = path.join(dir, "host-journal.jsonl");
    this.acmPolicyFile = path.join(dir, "acm-policy.json");
  }

  /** null on a fresh host; legacy files are returned as-is for the toolstack to upgrade. */
  load(): Loaded | null {
    if (!existsSync(this.stateFile)) return null;
    const text = readFileSync(this.stateFile, "utf8");
    const snapshot = JSON.parse(text) as Persisted | LegacyPersisted;
    this.snapshotBytes = Buffer.byteLength(text);
    this.generation = "generation" in snapshot && snapshot.generation ? snapshot.generation : 0;
    return { snapshot, journal: this.generation > 0 ? this.readJournal() : null };
  }

  /**
   * The journal's records for the snapshot's generation. A torn last line (a kill -9 in the
   * middle of an append: the agent never answered it) is cut off; a bad line before the last
   * is corruption of answered operations, and the agent refuses to start on it.
   */
  private readJournal(): JournalRecord[] | null {
    if (!existsSync(this.journalFile)) return null;
    const text = readFileSync(this.journalFile, "utf8");
    const lines = text.split("\n");
    const records: JournalRecord[] = [];
    let good = 0; // bytes of whole, parsed lines
    for (let i = 0; i < lines.length - 1; i++) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(lines[i]!);
      } catch {
        if (i === lines.length - 2 && lines[lines.length - 1] === "") break; // torn, then newline-terminated by nothing after
        throw new Error(`${this.journalFile}: line ${i + 1} is corrupt (not the last line: refusing to guess)`);
      }
      if (i === 0) {
        if ((parsed as { generation?: number }).generation !== this.generation) return null; // stale: the snapshot holds it
      } else records.push(parsed as JournalRecord);
      good += Buffer.byteLength(lines[i]!) + 1;
    }
    if (good === 0) return null;
    if (good < Buffer.byteLength(text)) {
      const fd = openSync(this.journalFile, "r+");
      try {
        ftruncateSync(fd, good);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    this.journalBytes = good;
    return records;
  }

  /** Appends one record and fsyncs it: when this returns, the operation survives a kill -9. */
  append(record: JournalRecord): void {
    if (this.generation === 0) throw new Error("the host has no journal yet: compact first");
    this.journalFd ??= openSync(this.journalFile, "a");
    const line = `${JSON.stringify(record)}\n`;
    writeSync(this.journalFd, line);
    fsyncSync(this.journalFd);
    this.journalBytes += Buffer.byteLength(line);
  }

  /** Whether the journal has grown as large as the snapshot (time to compact). */
  get isJournalLong(): boolean {
    return this.journalBytes >= Math.max(this.compactMinBytes, this.snapshotBytes);
  }

  /** Writes a new snapshot, then starts an empty journal for it (each step atomic and fsync'd). */
  compact(state: Omit<Persisted, "generation">): void {
    const generation = this.generation + 1;
    const text = JSON.stringify({ generation, ...state });
    writeDurably(this.stateFile, text);
    if (this.journalFd !== null) closeSync(this.journalFd);
    this.journalFd = null;
    const header = `${JSON.stringify({ generation })}\n`;
    writeDurably(this.journalFile, header);
    this.generation = generation;
    this.snapshotBytes = Buffer.byteLength(text);
    this.journalBytes = Buffer.byteLength(header);
  }

  close(): void {
    if (this.journalFd !== null) closeSync(this.journalFd);
    this.journalFd = null;
  }

  /** The ACM policy last loaded through PUT /v1/acm: host configuration, kept across crashes. */
  loadAcmPolicy(): unknown {
    return existsSync(this.acmPolicyFile) ? JSON.parse(readFileSync(this.acmPolicyFile, "utf8")) : null;
  }

  saveAcmPolicy(policy: unknown): void {
    writeDurably(this.acmPolicyFile, JSON.stringify(policy));
  }

  /** Bytes on disk of the snapshot and the journal (for the bench). */
  static diskBytes(dir: string): { snapshotBytes: number; journalBytes: number } {
    const size = (f: string) => (existsSync(path.join(dir, f)) ? statSync(path.join(dir, f)).size : 0);
    return { snapshotBytes: size("host-state.json"), journalBytes: size("host-journal.jsonl") };
  }
}

export function upgradeNeeded(p: Persisted | LegacyPersisted): LegacyPersisted | null {
  return "channels" in p.hypervisor ? null : (p as LegacyPersisted);
}

/**
 * The host as its files describe it, without a security module: the snapshot with the journal
 * replayed (what a restarted agent loads). For tests reading a stopped agent's state.
 */
export function readHostFiles(dir: string): Persisted | null {
  const loaded = new HostStore(dir).load();
  if (!loaded || upgradeNeeded(loaded.snapshot)) return null;
  const snapshot = loaded.snapshot as Persisted;
  const tables = HostTables.fromSnapshot(snapshot.hypervisor);
  const applied = new Map(snapshot.applied);
  for (const record of loaded.journal ?? []) {
    tables.replay(record.changes);
    if (record.key && record.result) rememberResult(applied, record.key, record.result);
  }
  return { hypervisor: tables.toSnapshot(), applied: [...applied.entries()] };
}
