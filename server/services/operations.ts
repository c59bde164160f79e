import { withRealm, type Db, type Tx } from "../db/client";
import { notFound } from "../errors";
import { findOperationInRealm } from "../repositories/operations";
import { realmEvents } from "./realm-hub";

/**
 * An operation as API clients follow it (`GET /api/v1/operations/{id}`, `?wait=`): its status,
 * the steps it went through, from the operation's own row (accepted → dispatched → applied or
 * failed), its timings and its result. Read inside the caller's realm like everything else, so a
 * foreign operation id answers like a missing one.
 */

type OperationRow = NonNullable<Awaited<ReturnType<typeof findOperationInRealm>>>;
type StepStatus = "done" | "running" | "pending" | "failed";
export type OperationStep = { name: "accepted" | "dispatched" | "retrying" | "applied"; status: StepStatus; at: Date | null; detail: string | null };

const FINISHED = new Set(["succeeded", "failed"]);

export function presentOperation(op: OperationRow) {
  const result = (op.result ?? null) as { reason?: string; avc?: string[] } | null;
  const finished = FINISHED.has(op.status);
  const steps: OperationStep[] = [
    { name: "accepted", status: "done", at: op.createdAt, detail: null },
    {
      name: "dispatched",
      status: op.startedAt ? "done" : "pending",
      at: op.startedAt,
      detail: op.attempts > 1 ? `${op.attempts} attempts` : op.attempts === 1 ? "1 attempt" : null,
    },
  ];
  if (op.status === "retrying") steps.push({ name: "retrying", status: "running", at: null, detail: op.lastError });
  steps.push({
    name: "applied",
    status: op.status === "succeeded" ? "done" : op.status === "failed" ? "failed" : op.status === "running" ? "running" : "pending",
    at: op.finishedAt,
    detail: result?.reason ?? (op.status === "failed" ? op.lastError : null),
  });
  return {
    id: op.id,
    vmId: op.vmId,
    action: op.action,
    status: op.status,
    done: finished,
    steps,
    error: op.status === "failed" ? (op.lastError ?? result?.reason ?? "failed") : null,
    result: result ? { reason: result.reason ?? null, avc: result.avc ?? [] } : null,
    createdAt: op.createdAt,
    startedAt: op.startedAt,
    finishedAt: op.finishedAt,
    durationMs: op.finishedAt ? op.finishedAt.getTime() - op.createdAt.getTime() : null,
  };
}

export type PresentedOperation = ReturnType<typeof presentOperation>;

export async function getOperation(tx: Tx, realmId: string, operationId: string): Promise<PresentedOperation> {
  const op = await findOperationInRealm(tx, realmId, operationId);
  if (!op) throw notFound("operation");
  return presentOperation(op);
}

/** The longest `?wait=` a request may ask for, in seconds. */
export const MAX_WAIT_SECONDS = 60;

/**
 * Waits (no transaction held) until the operation finishes or the time is up, and answers with
 * it as it then is. Woken by the realm's notifications (the worker notifies when it settles an
 * operation); each wake-up re-reads the row in a short realm transaction.
 */
export async function awaitOperation(db: Db, realmId: string, operationId: string, timeoutMs: number): Promise<PresentedOperation> {
  const read = () => withRealm(db, realmId, (tx) => getOperation(tx, realmId, operationId));
  const timeout = AbortSignal.timeout(Math.min(timeoutMs, MAX_WAIT_SECONDS * 1000));
  try {
    // The first event ("sync") comes once the hub listens: nothing settled after it is missed.
    for await (const event of realmEvents(realmId, timeout)) {
      if (event.operationId !== undefined && event.operationId !== operationId) continue;
      const op = await read();
      if (op.done) return op;
    }
  } catch (error) {
    if (!timeout.aborted) throw error;
  }
  return read();
}
