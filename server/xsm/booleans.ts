import { XsmError } from "./errors";
import type { BoolState, CompiledPolicy, CondInfo } from "./policy";

/** Evaluates a conditional's expression for the given boolean values. */
export function evalCond(cond: CondInfo, bools: BoolState): boolean {
  const stack: boolean[] = [];
  for (const op of cond.rpn) {
    if (op.op === "bool") {
      stack.push(bools[op.bool] === true);
      continue;
    }
    if (op.op === "not") {
      stack.push(!stack.pop());
      continue;
    }
    const b = stack.pop()!;
    const a = stack.pop()!;
    switch (op.op) {
      case "and":
        stack.push(a && b);
        break;
      case "or":
        stack.push(a || b);
        break;
      case "xor":
      case "neq":
        stack.push(a !== b);
        break;
      case "eq":
        stack.push(a === b);
        break;
    }
  }
  return stack[0] === true;
}

/** The policy's declared default values. */
export function defaultBools(p: CompiledPolicy): boolean[] {
  return p.bools.map((b) => b.defaultValue);
}

/** A copy of `bools` with one boolean changed; throws ENOENT for an unknown name. */
export function withBool(p: CompiledPolicy, bools: BoolState, name: string, value: boolean): boolean[] {
  const info = p.boolByName.get(name);
  if (!info) throw new XsmError("ENOENT", `unknown boolean '${name}'`);
  const next = [...bools];
  next[info.index] = value;
  return next;
}
