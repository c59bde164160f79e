import type { SavedImage } from "./types";
import { removeDomain } from "./domains";
import { HypercallError } from "./errors";
import { withEvent } from "./state";
import { domainOf, principalOf, runChecks, subjectOf, type HostCtx } from "./host-context";

/**
 * Save and migrate-out (xc_domain_save): the toolstack reads the domain's memory and state
 * (mmu stat/pageinfo/map_read, hvm gethvmc, getvcpucontext, pause), turns on log-dirty
 * (shadow), reads the TSC, and finally destroys the local copy. Incoming migration and
 * restore are create (domains.ts) followed by unpause.
 *
 * Threat: exfiltrating a domain's memory. Every one of those checks carries the MCS
 * constraints of its class, so only the domain's own realm (or dom0) can take an image.
 */
export function saveDomain(ctx: HostCtx, subjectLabel: string, domid: number, op: "domain.save" | "domain.migrate-out", destination?: string): SavedImage {
  const d = domainOf(ctx, domid);
  if (domid === 0) throw new HypercallError("EINVAL", "dom0 cannot be saved or migrated");
  runChecks(ctx, op, { subject: subjectOf(ctx, subjectLabel), domain: principalOf(d) });
  const image: SavedImage = {
    uuid: d.uuid,
    name: d.name,
    label: d.label,
    vcpus: d.vcpus,
    memoryMb: d.memoryMb,
    wasRunning: d.state === "running",
    fromBootId: ctx.state.bootId,
    fromDomid: d.domid,
  };
  const event = op === "domain.save" ? "save" : `migrate-out${destination ? ` to ${destination}` : ""}`;
  ctx.state.domains.put({ ...d, ...withEvent(d, event) });
  removeDomain(ctx, domid);
  return image;
}
