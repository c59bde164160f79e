import { evalCond } from "./booleans";
import { contextInvalidReason, formatContext, type Context } from "./context";
import { XsmError } from "./errors";
import { avKey, type BoolState, type CompiledPolicy } from "./policy";

/**
 * transition(scon, tcon, class): the label of a new object or derived domain label, as
 * libsepol's sepol_compute_sid(AVTAB_TRANSITION). On the process class (`domain`) the result
 * keeps the source's role, type and full range; on every other class it gets object_r, the
 * target's type and the source's low level. A type_transition rule overrides the type.
 * An invalid result is refused (EACCES), as libsepol does in enforcing mode.
 */
export function computeTransition(p: CompiledPolicy, bools: BoolState, s: Context, t: Context, clsValue: number): Context {
  if (!p.classes[clsValue - 1]) throw new XsmError("EINVAL", `unknown class ${clsValue}`);
  const isProcess = clsValue === p.processClass;
  let type = isProcess ? s.type : t.type;
  const key = avKey(p, s.type, t.type, clsValue);
  const rule = p.typeTransitions.get(key);
  if (rule !== undefined) type = rule;
  else {
    const cond = p.condTypeTransitions.get(key)?.find((r) => evalCond(p.conds[r.cond]!, bools) === r.branch);
    if (cond) type = cond.newType;
  }
  const range = isProcess
    ? { low: s.range.low, high: s.range.high }
    : { low: s.range.low, high: s.range.low };
  const out: Context = { user: s.user, role: isProcess ? s.role : p.objectRole, type, range };
  const why = contextInvalidReason(p, out);
  if (why) {
    throw new XsmError("EACCES", `transition produced an invalid context ${formatContext(p, out)}: ${why}`);
  }
  return out;
}
