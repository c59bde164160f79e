import type { Db } from "../db/client";
import { deriveHostSecret } from "../contracts/signing";
import { unsafeListHosts } from "../repositories/hosts";
import { unsafeInsertSamples, unsafePruneSamples, unsafeVmsOnHost, type Sample } from "../repositories/metrics";
import { unsafeClaimLease, unsafeReleaseLease } from "../repositories/worker-leases";
import { DOM0_LABEL } from "../xsm";
import { AgentUnreachable, type AgentClient } from "./agent-client";

/**
 * The metrics sampler: every interval, one request per host (paged by domid for a large host)
 * returns every domain's counters, read by dom0 as xentop does (getdomaininfo on each domain);
 * each domain that is a VM the platform places on that host becomes one sample in its realm's
 * rows. Samples older than the retention are pruned. A host that does not answer is skipped
 * (the host monitor reports it); its VMs' charts show a gap. With several workers, only the
 * holder of the sampler's lease samples (sampleHostsAsOwner).
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

/** The sampler's lease (worker_leases): with several workers, one samples and the others skip. */
export const SAMPLER_LEASE = "metrics-sampler";

export type LeasedSamplerOptions = SamplerOptions & {
  /** This worker's id: the lease's holder. */
  holder: string;
  /** The sampling interval: the lease lasts three of them, so a dead holder is replaced within that. */
  intervalMs: number;
  /** The lease's name (tests use their own). */
  leaseName?: string;
};

/**
 * One sampling round if this worker holds (or can take) the sampler's lease, else null: every
 * worker process runs the loop, but only the lease holder reads the hosts, so each host is
 * sampled once per interval whatever the number of workers (each round renews the lease).
 */
export async function sampleHostsAsOwner(db: Db, agents: AgentClient, options: LeasedSamplerOptions): Promise<number | null> {
  if (!(await unsafeClaimLease(db, options.leaseName ?? SAMPLER_LEASE, options.holder, 3 * options.intervalMs))) return null;
  return sampleHosts(db, agents, options);
}

/** A worker shutting down hands the sampling over at once rather than after the lease lapses. */
export function releaseSamplerLease(db: Db, holder: string, leaseName = SAMPLER_LEASE): Promise<void> {
  return unsafeReleaseLease(db, leaseName, holder);
}
