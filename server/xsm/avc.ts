import type { AvDecision } from "./compute-av";

/**
 * Access vector cache in front of compute_av, keyed by (ssid, tsid, class). Entries hold
 * the whole decision for the class, so any permission check on a cached triple is a hit.
 * The security server flushes it on policy load, boolean change and enforcing change.
 * Bounded: past `capacity` the oldest entry is evicted (Map insertion order).
 */
export interface AvcEntry {
  readonly decision: AvDecision;
  /** Permissive mode: denied permissions already logged once (Xen grants them in the AVC). */
  permissiveLogged: number;
  permissiveLoggedUnknown?: Set<string>;
}

export interface AvcStats {
  hits: number;
  misses: number;
  entries: number;
  evictions: number;
  flushes: number;
}

const SID_SPACE = 2 ** 21;

export class Avc {
  private readonly map = new Map<number, AvcEntry>();
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private flushes = 0;

  constructor(readonly capacity = 4096) {}

  static key(ssid: number, tsid: number, cls: number): number {
    if (ssid >= SID_SPACE || tsid >= SID_SPACE) return -1;
    return (ssid * SID_SPACE + tsid) * 64 + cls;
  }

  lookup(key: number, compute: () => AvDecision): AvcEntry {
    const hit = key >= 0 ? this.map.get(key) : undefined;
    if (hit) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const entry: AvcEntry = { decision: compute(), permissiveLogged: 0 };
    // Capacity 0 disables caching (every check recomputes), for measurements and tests.
    if (key < 0 || this.capacity === 0) return entry;
    if (this.map.size >= this.capacity) {
      const oldest = this.map.keys().next();
      if (!oldest.done) {
        this.map.delete(oldest.value);
        this.evictions++;
      }
    }
    this.map.set(key, entry);
    return entry;
  }

  flush(): void {
    this.map.clear();
    this.flushes++;
  }

  stats(): AvcStats {
    return { hits: this.hits, misses: this.misses, entries: this.map.size, evictions: this.evictions, flushes: this.flushes };
  }
}
