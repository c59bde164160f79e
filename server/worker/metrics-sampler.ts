import type { Db } from "../db/client";
import { deriveHostSecret } from "../contracts/signing";
import { unsafeListHosts } from "../repositories/hosts";
import { unsafeInsertSamples, unsafePruneSamples, unsafeVmsOnHost, type Sample } from "../repositories/metrics";
import { DOM0_LABEL } from "../xsm";
import { AgentUnreachable, type AgentClient } from "./agent-client";

/**
 * The metrics sampler: every interval, one request per host (paged by domid for a large host)
 * returns every domain's counters, read by dom0 as xentop does (getdomaininfo on each domain);
 * each domain that is a VM the platform places on that host becomes one sample in its realm's
 * rows. Samples older than the retention are pruned. A host that does not answer is skipped
 * (the host monitor reports it); its VMs' charts show a gap.
 */

export type SamplerOptions = { masterSecret: string; log: (line: string) => void; retentionMs: number; pageSize?: number };

export async function sampleHosts(db: Db, agents: AgentClient, options: SamplerOptions): Promise<number> {
  const hosts = await unsafeListHosts(db);
  const counts = await Promise.all(
    hosts.map(async (host) => {
      const target = { url: host.agentUrl, secret: deriveHostSecret(options.masterSecret, host.name) };
      try {
        let after = -1;
        let stored = 0;
        // Bounded: at most 100 pages (100,000 domains at the default page size).
        for (let page = 0; page < 100; page++) {
          const reply = await agents.metrics(target, { subjectLabel: DOM0_LABEL, after, limit: options.pageSize ?? 1_000 });
          if (!reply.ok) {
            options.log(`metrics of ${host.name} refused: ${reply.error?.message}`);
            break;
          }
          const at = new Date();
          const known = new Map((await unsafeVmsOnHost(db, host.id, reply.domains.map((d) => d.uuid))).map((v) => [v.id, v.realmId]));
          const samples: Sample[] = reply.domains.flatMap((d) => {
            const realmId = known.get(d.uuid);
            return realmId ? [{ realmId, vmId: d.uuid, epoch: reply.epoch, state: d.state, vcpus: d.vcpus, ...d.counters }] : [];
          });
          stored += await unsafeInsertSamples(db, at, samples);
          if (reply.next === null) break;
          after = reply.next;
        }
        return stored;
      } catch (error) {
        if (!(error instanceof AgentUnreachable)) options.log(`metrics of ${host.name}: ${(error as Error).message}`);
        return 0;
      }
    }),
  );
  await unsafePruneSamples(db, new Date(Date.now() - options.retentionMs));
  return counts.reduce((a, b) => a + b, 0);
}
