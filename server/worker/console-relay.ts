import type { Db } from "../db/client";
import { deriveHostSecret } from "../contracts/signing";
import { CONSOLE_INPUT_MAX, type ConsoleReply } from "../contracts/agent";
import { recordDecision } from "../repositories/audit";
import {
  CONSOLE_GONE_STATES,
  unsafeClaimRelayWork,
  unsafeNotifyConsole,
  unsafeCloseStaleSessions,
  unsafePendingInput,
  unsafePruneConsole,
  unsafeRecordRelay,
  unsafeReleaseRelay,
  type RelayWork,
} from "../repositories/console";
import { managementLabel } from "../xsm";
import { AgentUnreachable, type AgentClient } from "./agent-client";

/**
 * The console relay: the only path between a browser's console and a host agent. Woken by the
 * console channel's NOTIFY (a session opened, input written) and by its own poll, it claims sessions
 * with work (several workers share it; one session is relayed by one worker at a time), asks the
 * VM's host agent — with the realm's management domain as the XSM subject — to open the console
 * or take the input, and writes what the guest printed back for the browser's stream. It also
 * closes idle sessions and those whose VM stopped (audited like a member's close) and prunes.
 *
 * Threat: the relay is a platform component serving every realm, so it never takes a realm from
 * a row's content: the subject is derived from the session's own realm, and the agent refuses a
 * management domain acting on another realm's guest (MCS), whatever the database says.
 */

export type RelayOptions = {
  masterSecret: string;
  log: (line: string) => void;
  /** A claimed session is ours this long (agent calls time out at 5 s). */
  leaseMs?: number;
  batch?: number;
};

/** One pass: relays every session with work; returns how many it served. */
export async function relayConsoles(db: Db, agents: AgentClient, options: RelayOptions): Promise<number> {
  const work = await unsafeClaimRelayWork(db, options.batch ?? 16, options.leaseMs ?? 10_000);
  await Promise.all(work.map((w) => relayOne(db, agents, w, options)));
  return work.length;
}

async function relayOne(db: Db, agents: AgentClient, w: RelayWork, options: RelayOptions): Promise<void> {
  if (!w.host || CONSOLE_GONE_STATES.includes(w.vm.observedState)) {
    await unsafeRecordRelay(db, { realmId: w.realmId, sessionId: w.id, output: "\r\n[console closed: the VM is not running]\r\n", offset: Number(w.outputOffset), delivered: [], status: "closed", closeReason: "the VM is no longer running" });
    return;
  }
  const target = { url: w.host.agentUrl, secret: deriveHostSecret(options.masterSecret, w.host.name) };
  const subjectLabel = managementLabel(w.realm);
  try {
    let offset = Number(w.outputOffset);
    let output = "";
    if (w.status === "opening") {
      const opened = await agents.console(target, { action: "open", subjectLabel, uuid: w.vmId, from: 0 });
      if (!opened.ok || !opened.output) {
        await refused(db, w, opened, options);
        return;
      }
      output += dropNote(opened.output.dropped) + opened.output.data;
      offset = opened.output.next;
    }
    const pending = await unsafePendingInput(db, w.realmId, w.id);
    const delivered: bigint[] = [];
    // Consecutive input in as few agent calls as the size limit allows, in order.
    let batch = "";
    const flush = async () => {
      if (!batch) return true;
      const typed = await agents.console(target, { action: "write", subjectLabel, uuid: w.vmId, from: offset, data: batch });
      batch = "";
      if (!typed.ok || !typed.output) {
        output += `\r\n[console: ${typed.error?.message ?? "input refused"}]\r\n`;
        return typed.error?.code !== "EACCES";
      }
      output += dropNote(typed.output.dropped) + typed.output.data;
      offset = typed.output.next;
      return true;
    };
    for (const input of pending) {
      if (Buffer.byteLength(batch + input.data) > CONSOLE_INPUT_MAX && !(await flush())) break;
      batch += input.data;
      delivered.push(input.id);
    }
    const ok = await flush();
    await unsafeRecordRelay(db, {
      realmId: w.realmId,
      sessionId: w.id,
      output,
      offset,
      delivered,
      status: ok ? "open" : "closed",
      closeReason: ok ? undefined : "refused by the hypervisor",
    });
  } catch (error) {
    if (!(error instanceof AgentUnreachable)) throw error;
    options.log(`console ${w.id}: ${error.message}`);
    // Left for the next pass; the input stays queued (the browser sees nothing yet).
    await unsafeReleaseRelay(db, w.realmId, w.id);
  }
}

const dropNote = (dropped: number) => (dropped > 0 ? `[… ${dropped} earlier bytes of console output were dropped …]\r\n` : "");

/** The hypervisor refused: the session closes, and the trail records the denial with its AVC lines. */
async function refused(db: Db, w: RelayWork, reply: ConsoleReply, options: RelayOptions): Promise<void> {
  const reason = reply.error ? `${reply.error.code}: ${reply.error.message}` : "no output";
  options.log(`console ${w.id} on VM ${w.vmId} refused: ${reason}`);
  await recordDecision(db, {
    realmId: w.realmId,
    actorId: w.openedById,
    action: "vm.console.open",
    targetType: "vm",
    targetId: w.vmId,
    decision: reply.error?.code === "EACCES" ? "deny" : "allow",
    layer: "hypervisor",
    reason,
    requestId: `console-relay:${w.id}`,
    details: { consoleSessionId: w.id, avc: reply.avc },
  });
  await unsafeRecordRelay(db, {
    realmId: w.realmId,
    sessionId: w.id,
    output: `[console refused: ${reply.error?.message ?? "the agent could not open it"}]\r\n`,
    offset: Number(w.outputOffset),
    delivered: [],
    status: "closed",
    closeReason: reply.error?.code === "EACCES" ? "refused by the hypervisor" : (reply.error?.message ?? "could not be opened"),
  });
}

/** Idle sessions and those whose VM stopped are closed (audited as vm.console.close); old rows pruned. */
export async function maintainConsoles(db: Db, options: { idleMs: number; keepClosedMs: number; log: (line: string) => void }): Promise<void> {
  const now = Date.now();
  const closed = await unsafeCloseStaleSessions(db, new Date(now - options.idleMs));
  for (const s of closed) {
    await recordDecision(db, {
      realmId: s.realmId,
      actorId: s.openedById,
      action: "vm.console.close",
      targetType: "vm",
      targetId: s.vmId,
      decision: "allow",
      layer: "worker",
      reason: s.reason,
      requestId: `console-relay:${s.id}`,
      details: { consoleSessionId: s.id },
    });
    await unsafeNotifyConsole(db, s.realmId, s.id);
  }
  await unsafePruneConsole(db, new Date(now - options.keepClosedMs));
}
