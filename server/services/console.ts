import { randomUUID } from "node:crypto";
import type { Db, Tx } from "../db/client";
import { DomainError, notFound } from "../errors";
import { CONSOLE_INPUT_MAX } from "../contracts/agent";
import { recordDecision } from "../repositories/audit";
import {
  MAX_OPEN_PER_REALM,
  MAX_PENDING_INPUT,
  addInput,
  closeSession,
  countOpenSessions,
  createSession,
  findSession,
  pendingInputCount,
  readOutput,
  touchSession,
  unsafeReadOutput,
  unsafeSessionStatus,
  unsafeTouchSession,
  wakeRelay,
  type ConsoleSessionRow,
  type ConsoleStatus,
  type OutputChunk,
} from "../repositories/console";
import type { LockedVm } from "../repositories/vms";
import type { Actor } from "./lifecycle";

/**
 * A member's serial console on a running VM. The web tier only writes rows: a session, its input;
 * the worker relays them to the VM's host agent and writes the output back (worker/console-relay.ts),
 * the browser reads it from its stream. Opening and closing are audited (vm.console.open /
 * vm.console.close, the session id in the record, as Xen Orchestra's consoleOpened/consoleClosed).
 *
 * A session belongs to the member who opened it: another member of the realm cannot read or type
 * into it (it answers as a missing one, like a foreign one).
 */

type Scope = { realmId: string; actor: Actor; rule: string };

async function audit(tx: Tx, scope: Scope, action: "vm.console.open" | "vm.console.close", vmId: string, sessionId: string, reason: string) {
  await recordDecision(tx, {
    realmId: scope.realmId,
    actorId: scope.actor.userId,
    actorTokenId: scope.actor.tokenId ?? null,
    action,
    targetType: "vm",
    targetId: vmId,
    decision: "allow",
    layer: "trpc",
    reason,
    requestId: scope.actor.requestId,
    details: { consoleSessionId: sessionId, ...(scope.actor.breakGlassGrantId ? { breakGlassGrantId: scope.actor.breakGlassGrantId } : {}) },
  });
}

export async function openConsole(tx: Tx, scope: Scope, vm: LockedVm): Promise<{ consoleId: string }> {
  if (vm.observedState !== "running" || !vm.hostId) {
    throw new DomainError("precondition_failed", `the console is available while the VM runs (it is ${vm.observedState})`, { field: "vmId" });
  }
  if ((await countOpenSessions(tx, scope.realmId)) >= MAX_OPEN_PER_REALM) {
    throw new DomainError("rate_limited", `at most ${MAX_OPEN_PER_REALM} consoles may be open in a realm at once; close one first`);
  }
  const consoleId = randomUUID();
  await createSession(tx, { realmId: scope.realmId, id: consoleId, vmId: vm.id, openedById: scope.actor.userId! });
  await audit(tx, scope, "vm.console.open", vm.id, consoleId, scope.rule);
  await wakeRelay(tx);
  return { consoleId };
}

async function ownSession(tx: Tx, scope: Scope, consoleId: string): Promise<ConsoleSessionRow> {
  const session = scope.actor.userId ? await findSession(tx, scope.realmId, consoleId, scope.actor.userId) : null;
  if (!session) throw notFound("console session");
  return session;
}

/** Looks the session up in the realm (a foreign or another member's answers NOT_FOUND). */
export const resolveSession = ownSession;

export async function sendInput(tx: Tx, scope: Scope, consoleId: string, data: string): Promise<{ accepted: number }> {
  const session = await ownSession(tx, scope, consoleId);
  if (session.status === "closed") throw new DomainError("precondition_failed", `this console is closed (${session.closeReason ?? "closed"})`);
  if (data.length === 0 || Buffer.byteLength(data) > CONSOLE_INPUT_MAX) {
    throw new DomainError("bad_input", `console input must be 1 to ${CONSOLE_INPUT_MAX} bytes`, { field: "data" });
  }
  if ((await pendingInputCount(tx, scope.realmId, consoleId)) >= MAX_PENDING_INPUT) {
    throw new DomainError("rate_limited", "the console is not keeping up with this much input; wait a moment");
  }
  await addInput(tx, scope.realmId, consoleId, data);
  await touchSession(tx, scope.realmId, consoleId);
  await wakeRelay(tx);
  return { accepted: data.length };
}

export async function closeConsole(tx: Tx, scope: Scope, consoleId: string, reason = "closed by the member"): Promise<{ closed: boolean }> {
  const session = await ownSession(tx, scope, consoleId);
  const closed = await closeSession(tx, scope.realmId, consoleId, reason);
  if (closed) await audit(tx, scope, "vm.console.close", session.vmId, consoleId, `${scope.rule}; ${reason}`);
  return { closed };
}

export type ConsoleRead = { status: ConsoleStatus; closeReason: string | null; chunks: OutputChunk[]; cursor: string };

const cursorOf = (chunks: OutputChunk[], after: bigint) => (chunks.length > 0 ? chunks[chunks.length - 1]!.id : after.toString());

/** Output after the cursor (polling; the stream is the interactive path). Reads write nothing: input or an open stream keeps a session alive. */
export async function readConsole(tx: Tx, scope: Scope, consoleId: string, after: bigint): Promise<ConsoleRead> {
  const session = await ownSession(tx, scope, consoleId);
  const chunks = await readOutput(tx, scope.realmId, consoleId, after);
  return { status: session.status, closeReason: session.closeReason, chunks, cursor: cursorOf(chunks, after) };
}

/**
 * The stream's reads, on the platform client: only for a session the procedure resolved inside
 * the caller's realm (resolveSession), always filtered by that realm and session.
 */
export async function streamRead(platform: Db, realmId: string, consoleId: string, after: bigint): Promise<ConsoleRead | null> {
  const [status, chunks] = await Promise.all([unsafeSessionStatus(platform, realmId, consoleId), unsafeReadOutput(platform, realmId, consoleId, after)]);
  if (!status) return null;
  return { ...status, chunks, cursor: cursorOf(chunks, after) };
}

/** The stream is the browser's sign of life while it is open. */
export function streamHeartbeat(platform: Db, realmId: string, consoleId: string): Promise<void> {
  return unsafeTouchSession(platform, realmId, consoleId);
}
