import { contextIsValid, formatContext, formatContextLibsepol, parseContextUnchecked, type Context } from "../context";
import { computeAv } from "../compute-av";
import { XsmError } from "../errors";
import type { BoolState, CompiledPolicy } from "../policy";
import { computeTransition } from "../transition";

/**
 * The engine's answers in the oracle's line protocol, so the differential test compares
 * strings: `ok <allowed> <auditallow> <auditdeny>` for av, `ok <libsepol form> <plain form>`
 * for create and valid, `err …` when libsepol would refuse.
 */
function hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, "0");
}

function ctx(p: CompiledPolicy, text: string): Context | undefined {
  const c = parseContextUnchecked(p, text);
  return c && contextIsValid(p, c) ? c : undefined;
}

export function engineAnswer(p: CompiledPolicy, bools: BoolState, query: string): string {
  const [verb, a = "", b = "", cname = ""] = query.split(" ");
  if (verb === "valid") {
    const c = ctx(p, a);
    return c ? `ok ${formatContextLibsepol(p, c)} ${formatContext(p, c)}` : "err invalid";
  }
  const s = ctx(p, a);
  const t = ctx(p, b);
  if (!s || !t) return "err context";
  const cls = p.classByName.get(cname);
  if (!cls) return "err class";
  if (verb === "av") {
    const d = computeAv(p, bools, s, t, cls.value);
    return `ok ${hex(d.allowed)} ${hex(d.auditallow)} ${hex(d.auditdeny)}`;
  }
  if (verb === "create") {
    try {
      const n = computeTransition(p, bools, s, t, cls.value);
      return `ok ${formatContextLibsepol(p, n)} ${formatContext(p, n)}`;
    } catch (e) {
      if (e instanceof XsmError && e.code === "EACCES") return "err -13";
      throw e;
    }
  }
  return "err syntax";
}
