import { parentPort, workerData } from "node:worker_threads";
import type { VerifyWorkerData } from "./audit-integrity";
import { verifyScopeAt } from "./audit-verify-scope";

/**
 * A verification worker thread (audit-integrity.ts verifyInWorkers): reads and checks one part
 * of the chains on a connection of its own and posts its report. It holds the audit keys only
 * for its lifetime, inside this process.
 */

const data = workerData as VerifyWorkerData;
const report = await verifyScopeAt(data.connectionString, { all: false, partition: data.partition }, data.checkpoints, {
  keys: data.keys ? { record: Buffer.from(data.keys.record), chain: Buffer.from(data.keys.chain) } : null,
  publicKey: Buffer.from(data.publicKeyRaw),
  now: new Date(data.now),
  graceMs: data.graceMs,
});
parentPort!.postMessage(report);
