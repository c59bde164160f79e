import { bridgeListReply, bridgeSendReply, type BridgeViewReply, type HostStatusReply } from "../contracts/agent";
import { transaction, type Db, type Tx } from "../db/client";
import {
  unsafeAgreement,
  unsafeAgreementsToSync,
  unsafeDecideAgreementTest,
  unsafeExpireAgreements,
  unsafeExpireAgreementTests,
  unsafeNoteChannel,
  unsafePendingAgreementTests,
  type AgreementRow,
  type AgreementWork,
  type PendingTest,
} from "../repositories/agreements";
import { recordDecision } from "../repositories/audit";
import { DOM0_LABEL, managementLabel } from "../xsm";
import type { AgentClient, AgentTarget } from "./agent-client";

/**
 * Sharing agreements on the hosts (issue 15 part 5), each poll. Expiry: open agreements past their
 * date end (both realms' trails record it). Per host: every active agreement whose two VMs run on
 * this host gets its Argo bridge (dom0 adds it: xen/argo-bridges.ts; the hypervisor labels it
 * with both realms' categories and FLASK checks each receiving ring's binding); a bridge whose
 * agreement ended, or whose binding no longer matches the VMs' domains, is destroyed; a bridge
 * missing for an agreement that had one open (the host lost it) is rebuilt and the drift
 * audited. Agreements whose VMs are not both running on one host are "waiting", with the reason.
 * Then the test sends asked through the API, answered by the host (delivered, or the refusal
 * with FLASK's AVC lines), recorded in both realms' trails, and the bridge's counters (the
 * first use is audited once; a flood is counters, not records).
 */

export const AGREEMENT_TEST_TIMEOUT_MS = 30_000;
const TEST_MESSAGE = "realmgate agreement test";

type TrailRecord = [action: string, decision: "allow" | "deny", reason: string, avc?: string[]];

/** A change the worker makes to an agreement's rows and its records in both trails: one transaction. */
function commit(
  db: Db,
  a: Pick<AgreementWork, "id" | "realmId" | "peerRealmId">,
  change: (tx: Tx) => Promise<unknown>,
  ...records: TrailRecord[]
) {
  return transaction(db, async (tx) => {
    await change(tx);
    for (const [action, decision, reason, avc] of records) await auditIn(tx, a, action, decision, reason, avc);
  });
}

/**
 * The channel is open on this host, with the host's counters: with the records that go with it
 * (the bridge just made, the first message delivered) in the same transaction.
 */
function noteOpen(
  db: Db,
  a: AgreementWork,
  host: { id: string; name: string },
  counters: { delivered: number; refused: number },
  records: TrailRecord[] = [],
) {
  const firstUse = !a.firstUsedAt && counters.delivered > 0 ? new Date() : undefined;
  const used: TrailRecord[] = firstUse
    ? [["agreement.use", "allow", `first message delivered over ${pair(a)} on ${host.name}`]]
    : [];
  return commit(
    db,
    a,
    (tx) =>
      unsafeNoteChannel(tx, a.id, {
        channelStatus: "open",
        channelReason: null,
        hostId: host.id,
        delivered: counters.delivered,
        refused: counters.refused,
        ...(firstUse ? { firstUsedAt: firstUse } : {}),
      }),
    ...records,
    ...used,
  );
}

/** The record in both realms' trails, in the transaction of the change it records. */
async function auditIn(
  tx: Tx,
  a: Pick<AgreementWork, "id" | "realmId" | "peerRealmId">,
  action: string,
  decision: "allow" | "deny",
  reason: string,
  avc: string[] = [],
) {
  for (const realmId of [a.realmId, a.peerRealmId]) {
    if (!realmId) continue;
    await recordDecision(tx, {
      realmId,
      actorId: null,
      actorTokenId: null,
      action,
      targetType: "agreement",
      targetId: a.id,
      decision,
      layer: decision === "deny" && avc.length > 0 ? "hypervisor" : "worker",
      reason,
      requestId: `worker-agreement-${a.id}`,
      ...(avc.length > 0 ? { details: { avc } } : {}),
    });
  }
}

const pair = (a: Pick<AgreementRow, "sourceOrg" | "fromVmName" | "twoWay" | "targetOrg" | "targetVmName" | "port">) =>
  `${a.sourceOrg}/${a.fromVmName} ${a.twoWay ? "↔" : "→"} ${a.targetOrg}/${a.targetVmName} port ${a.port}`;

/** Once per poll: agreements past their expiry end; unanswered test sends fail. */
export async function expireAgreements(db: Db, log: (line: string) => void): Promise<void> {
  // The state change and both realms' records commit together.
  const expired = await transaction(db, async (tx) => {
    const due = await unsafeExpireAgreements(tx, new Date());
    for (const a of due) {
      await auditIn(
        tx,
        a,
        "agreement.expire",
        "allow",
        `the agreement ${pair(a)} expired at ${a.expiresAt.toISOString()}${a.state === "active" ? "; the worker closes its channel" : ""}`,
      );
    }
    return due;
  });
  for (const a of expired) log(`agreement ${a.id} expired`);
  await unsafeExpireAgreementTests(
    db,
    AGREEMENT_TEST_TIMEOUT_MS,
    `no answer from the VMs' host within ${AGREEMENT_TEST_TIMEOUT_MS / 1000} s (host unreachable or a VM not running); try again`,
  );
}

function waitingReason(a: AgreementWork, hostId: string, running: Map<string, number>): string {
  const from = a.fromVm;
  const to = a.toVm;
  if (!to) return "the other realm's VM is not resolved";
  if (from.hostId && to.hostId && from.hostId !== to.hostId)
    return "waiting: the two VMs run on different hosts (Argo needs both on one host)";
  const stopped = [from, to].filter((v) => !(v.hostId === hostId && running.has(v.id)));
  return `waiting: ${stopped.map((v) => `VM ${v.name}`).join(" and ")} ${stopped.length > 1 ? "are" : "is"} not running`;
}

export type AgreementWorkload = { agreements: AgreementWork[]; tests: PendingTest[] };

/** Once per poll, for every host: the agreements to reconcile and the test sends to answer. */
export async function loadAgreementWork(db: Db): Promise<AgreementWorkload> {
  const [agreements, tests] = await Promise.all([unsafeAgreementsToSync(db), unsafePendingAgreementTests(db)]);
  return { agreements, tests };
}

export async function syncAgreements(
  db: Db,
  agents: AgentClient,
  target: AgentTarget,
  host: { id: string; name: string },
  status: HostStatusReply,
  log: (line: string) => void,
  work: AgreementWorkload,
): Promise<void> {
  // Nothing open and nothing asked: no agent call (a closed channel's bridge was destroyed when it closed).
  if (work.agreements.length === 0 && work.tests.length === 0) return;
  const { agreements } = work;
  const listed = await agents.bridges(target, { kind: "list", subjectLabel: DOM0_LABEL });
  const parsed = listed.ok ? bridgeListReply.safeParse(listed.data) : null;
  if (!parsed?.success) {
    log(`host ${host.name}: Argo bridges not listed: ${listed.error?.code}: ${listed.error?.message}`);
    return;
  }
  const onHost = new Map<string, BridgeViewReply>(parsed.data.bridges.map((b) => [b.id, b]));
  const running = new Map(status.domains.filter((d) => d.state === "running").map((d) => [d.uuid, d.domid]));
  const known = new Set<string>();

  const destroy = async (id: string): Promise<number | null> => {
    const r = await agents.bridges(target, { kind: "destroy", body: { subjectLabel: DOM0_LABEL, id } });
    onHost.delete(id);
    if (!r.ok) log(`host ${host.name}: bridge ${id} not destroyed: ${r.error?.code}: ${r.error?.message}`);
    return r.ok ? Number((r.data as { dropped?: number } | null)?.dropped ?? 0) : null;
  };

  for (const a of agreements) {
    const touches =
      a.fromVm.hostId === host.id || a.toVm?.hostId === host.id || a.hostId === host.id || onHost.has(a.id);
    if (!touches) continue;
    known.add(a.id);
    const bridge = onHost.get(a.id);
    if (a.state !== "active") {
      const dropped = bridge ? await destroy(a.id) : null;
      const destroyed: TrailRecord[] = bridge
        ? [
            [
              "agreement.bridge.destroy",
              "allow",
              `agreement ${a.state}: the Argo bridge ${pair(a)} on ${host.name} is destroyed (${dropped ?? 0} queued messages dropped; ${bridge.delivered} delivered, ${bridge.refused} refused in all); the next send is denied by FLASK`,
            ],
          ]
        : [];
      await commit(
        db,
        a,
        (tx) =>
          unsafeNoteChannel(tx, a.id, { channelStatus: "closed", channelReason: `agreement ${a.state}`, hostId: null }),
        ...destroyed,
      );
      continue;
    }
    const x = running.get(a.fromVmId);
    const y = a.toVmId ? running.get(a.toVmId) : undefined;
    if (x === undefined || y === undefined) {
      if (bridge) await destroy(a.id);
      const reason = waitingReason(a, host.id, running);
      if (a.channelStatus !== "waiting" || a.channelReason !== reason)
        await unsafeNoteChannel(db, a.id, { channelStatus: "waiting", channelReason: reason, hostId: null });
      continue;
    }
    let current = bridge;
    const opened: TrailRecord[] = [];
    if (
      current &&
      (current.fromDomid !== x || current.toDomid !== y || current.port !== a.port || current.twoWay !== a.twoWay)
    ) {
      // The VMs' domains changed (a restart): the old binding names domains that are gone or reused.
      await destroy(a.id);
      current = undefined;
    }
    if (!current) {
      const r = await agents.bridges(target, {
        kind: "create",
        body: { subjectLabel: DOM0_LABEL, id: a.id, fromDomid: x, toDomid: y, port: a.port, twoWay: a.twoWay },
      });
      if (!r.ok) {
        await commit(
          db,
          a,
          (tx) =>
            unsafeNoteChannel(tx, a.id, {
              channelStatus: "waiting",
              channelReason: `the host refused the bridge: ${r.error?.message ?? "unknown"}`,
              hostId: host.id,
            }),
          [
            "agreement.bridge.create",
            "deny",
            `host ${host.name} refused the Argo bridge ${pair(a)}: ${r.error?.code}: ${r.error?.message}`,
            r.avc,
          ],
        );
        continue;
      }
      const label = (r.data as { label?: string } | null)?.label ?? "";
      const drift =
        a.channelStatus === "open" ? "drift: the bridge was missing on the host (restart or loss); rebuilt. " : "";
      opened.push([
        "agreement.bridge.create",
        "allow",
        `${drift}Argo bridge ${pair(a)} open on ${host.name}: domain ${x} ${a.twoWay ? "↔" : "→"} domain ${y}, label ${label}`,
      ]);
      current = {
        id: a.id,
        label,
        fromDomid: x,
        toDomid: y,
        port: a.port,
        twoWay: a.twoWay,
        delivered: 0,
        refused: 0,
        queued: 0,
      };
      onHost.set(a.id, current);
    }
    await noteOpen(db, a, host, current, opened);
  }
  // Bridges no agreement accounts for (ended and closed elsewhere, or unknown): gone.
  for (const id of [...onHost.keys()]) {
    if (known.has(id)) continue;
    await destroy(id);
    log(`host ${host.name}: stale Argo bridge ${id} destroyed`);
  }
  await runTests(db, agents, target, host, running, onHost, work.tests);
}

async function runTests(
  db: Db,
  agents: AgentClient,
  target: AgentTarget,
  host: { id: string; name: string },
  running: Map<string, number>,
  onHost: Map<string, BridgeViewReply>,
  pending: PendingTest[],
): Promise<void> {
  const used = new Map<string, AgreementWork>();
  for (const t of pending) {
    const a = await unsafeAgreement(db, t.agreementId);
    if (!a || !a.toVm || !a.toVmId) continue;
    const [sender, receiver] = t.reverse ? [a.toVm, a.fromVm] : [a.fromVm, a.toVm];
    if (sender.hostId !== host.id) continue; // the sender's host answers
    const from = running.get(sender.id);
    const to = running.get(receiver.id);
    if (from === undefined || to === undefined) {
      await unsafeDecideAgreementTest(db, t.id, {
        status: "done",
        delivered: false,
        reason: waitingReason(a, host.id, running),
        avc: [],
      });
      continue;
    }
    const r = await agents.bridges(target, {
      kind: "send",
      body: {
        subjectLabel: managementLabel(sender.realm),
        fromDomid: from,
        toDomid: to,
        port: a.port,
        message: TEST_MESSAGE,
      },
    });
    const reply = r.ok ? bridgeSendReply.safeParse(r.data) : null;
    if (!reply?.success) {
      await unsafeDecideAgreementTest(db, t.id, {
        status: "failed",
        delivered: null,
        reason: `the host could not run the send: ${r.error?.code ?? "bad reply"}: ${r.error?.message ?? ""}`,
        avc: r.avc,
      });
      continue;
    }
    const { delivered, error } = reply.data;
    const direction = `domain ${from} → domain ${to} on port ${a.port}`;
    const reason = delivered
      ? `delivered through the agreement's Argo bridge (${direction})`
      : `refused by the hypervisor (${direction}): ${error?.code}: ${error?.message}`;
    await commit(
      db,
      a,
      (tx) => unsafeDecideAgreementTest(tx, t.id, { status: "done", delivered, reason, avc: r.avc }),
      [
        "agreement.test-send",
        delivered ? "allow" : "deny",
        `test send ${t.reverse ? "back " : ""}over ${pair(a)}: ${reason}`,
        r.avc,
      ],
    );
    if (onHost.has(a.id)) used.set(a.id, a);
  }
  if (used.size === 0) return;
  // The bridges' own counters, as the host keeps them (a send no bridge carried counts on none).
  const listed = await agents.bridges(target, { kind: "list", subjectLabel: DOM0_LABEL });
  const parsed = listed.ok ? bridgeListReply.safeParse(listed.data) : null;
  if (!parsed?.success) return;
  for (const b of parsed.data.bridges) {
    const a = used.get(b.id);
    if (!a) continue;
    await noteOpen(db, a, host, b);
  }
}
