import { randomUUID } from "node:crypto";
import type { HostStatusReply } from "../contracts/agent";
import { transaction, type Db } from "../db/client";
import { unsafePendingHostBooleans } from "../repositories/policies";
import { recordHostReport, settleHostBoolean, settleHostLoad } from "../services/policy-rollout";
import type { AgentClient, AgentTarget } from "./agent-client";

/**
 * One host's FLASK policy, each poll: record the hash and booleans it reports (drift alarm when
 * the hash is not the one assigned), carry out a pending assignment (PUT /v1/xsm/policy, with
 * the version's bytes and hash; the agent answers with its old-vs-new decision comparison),
 * then any pending boolean (PUT /v1/xsm/booleans). Outcomes are settled and audited by
 * services/policy-rollout.ts, which also moves an automatic rollout to the next host.
 */
export async function syncHostPolicy(
  db: Db,
  agents: AgentClient,
  target: AgentTarget,
  host: { id: string; name: string },
  status: HostStatusReply,
  askedAt: Date,
  log: (line: string) => void,
): Promise<void> {
  const xsm = status.security?.xsm;
  if (!xsm?.policy) return; // an agent that does not administer its policy
  const requestId = `worker-policy-${randomUUID()}`;
  const work = await transaction(db, (tx) => recordHostReport(tx, host, { sha256: xsm.policy!.sha256, booleans: xsm.booleans ?? {}, askedAt }, requestId));
  if (work.load) {
    const { load } = work;
    const reply = await agents.loadFlaskPolicy(target, { fileName: load.fileName, bytes: Buffer.from(load.content).toString("base64"), sha256: load.sha256 });
    log(`host ${host.name}: FLASK policy version ${load.version} ${reply.ok ? "loaded" : `refused: ${reply.error?.message}`}`);
    await transaction(db, (tx) => settleHostLoad(tx, host, load.policyId, reply, requestId));
  }
  for (const b of await unsafePendingHostBooleans(db, host.id)) {
    const reply = await agents.setFlaskBoolean(target, { name: b.name, value: b.value });
    await transaction(db, (tx) => settleHostBoolean(tx, host, b, reply, requestId));
  }
}
