import { formatContext, parseContext, type Context } from "./context";
import { XsmError } from "./errors";
import type { CompiledPolicy } from "./policy";

/**
 * SID table: context string ↔ small integer, as Xen keeps it. Initial SIDs take 1..N in the
 * policy's declaration order (SECINITSID_XEN = 1, SECINITSID_DOM0 = 2, …); other contexts
 * get the next free number on first use and keep it across policy reloads.
 */
export interface SidEntry {
  readonly sid: number;
  readonly text: string;
  readonly context: Context;
}

export class SidTable {
  private constructor(
    private readonly entries: Map<number, SidEntry>,
    private readonly byText: Map<string, number>,
    private readonly initial: ReadonlyMap<string, number>,
    private nextSid: number,
  ) {}

  static create(policy: CompiledPolicy): SidTable {
    const initial = new Map<string, number>();
    policy.initialSids.forEach((s, i) => initial.set(s.name, i + 1));
    const table = new SidTable(new Map(), new Map(), initial, policy.initialSids.length + 1);
    policy.initialSids.forEach((s, i) => {
      if (s.context !== undefined) table.put(i + 1, parseContext(policy, s.context), policy);
    });
    return table;
  }

  private put(sid: number, context: Context, policy: CompiledPolicy): SidEntry {
    const text = formatContext(policy, context);
    const entry: SidEntry = { sid, text, context };
    this.entries.set(sid, entry);
    if (!this.byText.has(text)) this.byText.set(text, sid);
    return entry;
  }

  get(sid: number): SidEntry {
    const e = this.entries.get(sid);
    if (!e) throw new XsmError("EINVAL", `unknown SID ${sid}`);
    return e;
  }

  initialSid(name: string): number {
    const sid = this.initial.get(name);
    if (sid === undefined || !this.entries.has(sid)) throw new XsmError("ENOENT", `no initial SID '${name}'`);
    return sid;
  }

  /** Canonicalises and interns a context; throws EINVAL for an invalid label. */
  intern(policy: CompiledPolicy, text: string): number {
    const known = this.byText.get(text);
    if (known !== undefined) return known;
    const context = parseContext(policy, text);
    return this.internContext(policy, context);
  }

  internContext(policy: CompiledPolicy, context: Context): number {
    const text = formatContext(policy, context);
    const known = this.byText.get(text);
    if (known !== undefined) return known;
    const sid = this.nextSid++;
    this.put(sid, context, policy);
    return sid;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The same SIDs re-resolved under a new policy (Xen's convert_context on reload). Any SID
   * whose label is not valid in the new policy makes the whole conversion fail, so a reload
   * can never leave a running domain with a label the policy does not know.
   */
  convert(next: CompiledPolicy): SidTable {
    const entries = new Map<number, SidEntry>();
    const byText = new Map<string, number>();
    const initial = new Map<string, number>();
    next.initialSids.forEach((s, i) => initial.set(s.name, i + 1));
    for (const [name, sid] of this.initial) {
      if (initial.get(name) !== sid) throw new XsmError("EINVAL", `new policy changes initial SID '${name}'`);
    }
    const table = new SidTable(entries, byText, initial, this.nextSid);
    for (const [sid, e] of this.entries) {
      const isInitial = sid <= next.initialSids.length;
      const text = isInitial ? next.initialSids[sid - 1]!.context : e.text;
      if (text === undefined) throw new XsmError("EINVAL", `new policy has no context for initial SID ${sid}`);
      let context: Context;
      try {
        context = parseContext(next, text);
      } catch {
        throw new XsmError("EINVAL", `SID ${sid} (${e.text}) is invalid under the new policy`);
      }
      table.put(sid, context, next);
    }
    next.initialSids.forEach((s, i) => {
      if (s.context !== undefined && !entries.has(i + 1)) table.put(i + 1, parseContext(next, s.context), next);
    });
    return table;
  }
}
