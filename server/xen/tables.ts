/**
 * The host state as the hypervisor holds it in memory: keyed tables with secondary indexes,
 * so every lookup a hypercall makes costs the same at 10 domains or 10,000, and a transaction
 * that touches a few rows costs a few rows — not a copy of the host.
 *
 * Writes go through `put`/`delete`/`set`, which record two things in the open transaction:
 * the row's previous value (the undo image, to roll a refused operation back) and its new
 * value (the change set the toolstack journals). Rows are frozen, so a hook cannot change one
 * behind the transaction's back: it builds the next row and puts it (a forgotten `put` throws
 * in strict mode instead of leaking a change past a rollback).
 *
 * Iteration order is not part of the state: the plain-data snapshot (state.ts) lists every
 * table in key order, so a rolled-back delete (re-inserted at the Map's end) is invisible.
 */

export type Change = { table: string; key: string; row: unknown };

export class Transaction {
  private readonly undo: (() => void)[] = [];
  private readonly changes = new Map<string, Change>();

  record(table: string, key: string, row: unknown, undo: () => void): void {
    this.undo.push(undo);
    // Later writes to the same row replace earlier ones: the journal holds final values only.
    const id = `${table}\u0000${key}`;
    this.changes.delete(id);
    this.changes.set(id, { table, key, row });
  }

  rollback(): void {
    for (let i = this.undo.length - 1; i >= 0; i--) this.undo[i]!();
  }

  /** What the transaction changed: each touched row's final value (null: deleted), in write order. */
  changeSet(): Change[] {
    return [...this.changes.values()];
  }
}

/** Deep-freezes a small row (rows hold arrays and objects of a few entries). */
export function frozen<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
}

type Journal = { tx: Transaction | null };

/** One row per key; each index maps a derived value (or several) to the keys of the rows having it. */
export class Table<R> {
  private readonly rowsByKey = new Map<string, R>();
  private readonly indexes = new Map<string, { of: (row: R) => string[]; keys: Map<string, Set<string>> }>();

  constructor(
    readonly name: string,
    private readonly keyOf: (row: R) => string | number,
    private readonly journal: Journal,
    indexes: Record<string, (row: R) => string | string[]> = {},
  ) {
    for (const [index, of] of Object.entries(indexes)) {
      this.indexes.set(index, { of: (row) => ([] as string[]).concat(of(row)), keys: new Map() });
    }
  }

  get size(): number {
    return this.rowsByKey.size;
  }

  get(key: string | number): R | undefined {
    return this.rowsByKey.get(String(key));
  }

  has(key: string | number): boolean {
    return this.rowsByKey.has(String(key));
  }

  rows(): IterableIterator<R> {
    return this.rowsByKey.values();
  }

  /** The rows whose index value is `value` (unordered). */
  where(index: string, value: string | number): R[] {
    const found = this.indexes.get(index);
    if (!found) throw new Error(`table ${this.name} has no index ${index}`);
    return [...(found.keys.get(String(value)) ?? [])].map((k) => this.rowsByKey.get(k)!);
  }

  put(row: R): R {
    const key = String(this.keyOf(row));
    const previous = this.rowsByKey.get(key);
    this.write(key, frozen(row));
    this.journal.tx?.record(this.name, key, row, () => this.write(key, previous));
    return row;
  }

  delete(key: string | number): void {
    const k = String(key);
    const previous = this.rowsByKey.get(k);
    if (previous === undefined) return;
    this.write(k, undefined);
    this.journal.tx?.record(this.name, k, null, () => this.write(k, previous));
  }

  /** Replays a journaled change: the row's final value, or null for a deleted row. */
  replay(key: string, row: unknown): void {
    if (row === null) this.delete(key);
    else this.put(row as R);
  }

  private write(key: string, row: R | undefined): void {
    const previous = this.rowsByKey.get(key);
    for (const { of, keys } of this.indexes.values()) {
      if (previous !== undefined) for (const v of of(previous)) keys.get(v)?.delete(key);
      if (row !== undefined) for (const v of of(row)) keys.set(v, (keys.get(v) ?? new Set()).add(key));
      if (previous !== undefined) for (const v of of(previous)) if (keys.get(v)?.size === 0) keys.delete(v);
    }
    if (row === undefined) this.rowsByKey.delete(key);
    else this.rowsByKey.set(key, row);
  }
}

/** A single journaled value (the host's id counters, the ACM counters). */
export class Cell<T> {
  private value: T;

  constructor(
    readonly name: string,
    initial: T,
    private readonly journal: Journal,
  ) {
    this.value = frozen(initial);
  }

  get(): T {
    return this.value;
  }

  replay(_key: string, value: unknown): void {
    this.set(value as T);
  }

  set(value: T): void {
    const previous = this.value;
    this.value = frozen(value);
    this.journal.tx?.record(this.name, "", value, () => {
      this.value = previous;
    });
  }
}
