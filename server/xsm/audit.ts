/**
 * AVC audit lines in Xen's format (xen/xsm/flask/avc.c):
 *
 *   avc:  denied  { pause } for source=7 target=12 scontext=… tcontext=… tclass=domain
 *
 * Two spaces after `avc:` and after the verdict; permissions space-separated in braces;
 * `source=`/`target=` are domain ids when the caller supplies them. Like Xen (and unlike
 * Linux, which appends ` permissive=1`), a denial in permissive mode reads exactly like an
 * enforcing one: the mode is a property of the host, not of the line.
 */
export interface AuditData {
  /** Domain id of the subject. */
  source?: number;
  /** Domain id of the object. */
  target?: number;
}

export function formatAvcLine(
  verdict: "denied" | "granted",
  perms: readonly string[],
  audit: AuditData | undefined,
  scontext: string,
  tcontext: string,
  tclass: string,
): string {
  let who = "";
  if (audit?.source !== undefined) who += `source=${audit.source} `;
  if (audit?.target !== undefined) who += `target=${audit.target} `;
  return `avc:  ${verdict}  { ${perms.join(" ")} } for ${who}scontext=${scontext} tcontext=${tcontext} tclass=${tclass}`;
}

/** A bounded ring buffer of audit lines; the oldest are dropped (and counted) when full. */
export class AuditLog {
  private readonly buf: string[] = [];
  private start = 0;
  private total = 0;
  private listeners: ((line: string) => void)[] = [];

  constructor(readonly capacity = 1024) {}

  push(line: string): void {
    this.total++;
    if (this.buf.length < this.capacity) this.buf.push(line);
    else {
      this.buf[this.start] = line;
      this.start = (this.start + 1) % this.capacity;
    }
    for (const l of this.listeners) l(line);
  }

  /** Lines currently held, oldest first. */
  lines(): string[] {
    return [...this.buf.slice(this.start), ...this.buf.slice(0, this.start)];
  }

  /** Returns and removes every held line. */
  drain(): string[] {
    const out = this.lines();
    this.buf.length = 0;
    this.start = 0;
    return out;
  }

  /** Lines ever written, including dropped ones. */
  get written(): number {
    return this.total;
  }

  get dropped(): number {
    return this.total - this.buf.length;
  }

  /** Subscribes to new lines (e.g. to forward them to the host's audit trail). */
  onLine(listener: (line: string) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }
}
