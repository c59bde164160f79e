import { HypercallError } from "./errors";
import { acmGate, actorOf, domainOf, principalOf, runChecks, subjectOf, type HostCtx } from "./host-context";
import type { Flag } from "./operations";
import type { GrantEntry } from "./state";

/**
 * Grant tables: a domain grants a page to one other domain (read-only or writable); the
 * grantee maps it (the XSM target is the granting domain), unmaps it, or copies through it.
 *
 * Threat: shared memory across realms — the strongest channel there is. XSM is asked before
 * the grant entry is looked at (as Xen does), so a foreign realm learns nothing about another
 * realm's grant table; the realm policy's MCS constraint on `grant` denies every cross-realm
 * map or copy; a read-only grant is never mapped writable; a mapped grant cannot be revoked.
 */

const MAX_GREF = 65_535;

function entry(ctx: HostCtx, granter: number, gref: number): GrantEntry {
  const g = ctx.state.grants.get(`${granter}:${gref}`);
  if (!g) throw new HypercallError("EINVAL", `domain ${granter} has no grant reference ${gref}`);
  return g;
}

/** The lowest grant reference free in the domain's table. */
export function freeGref(ctx: HostCtx, domid: number): number {
  const used = new Set(ctx.state.grants.where("domid", domid).map((g) => g.gref));
  let gref = 1;
  while (used.has(gref)) gref++;
  return gref;
}

/** The next grant mapping handle (host-wide, never reused within a boot). */
export function takeHandle(ctx: HostCtx): number {
  const ids = ctx.state.ids.get();
  ctx.state.ids.set({ ...ids, nextHandle: ids.nextHandle + 1 });
  return ids.nextHandle;
}

/** The grantor writes an entry into its own grant table. */
export function grantAccess(ctx: HostCtx, subjectLabel: string, domid: number, granteeDomid: number, readOnly: boolean): { gref: number } {
  const subject = subjectOf(ctx, subjectLabel);
  const { actor, flags } = actorOf(ctx, subject, domid);
  domainOf(ctx, granteeDomid);
  runChecks(ctx, "grant.grant-access", { subject, actor }, flags);
  const gref = freeGref(ctx, domid);
  if (gref > MAX_GREF) throw new HypercallError("EBUSY", `domain ${domid}'s grant table is full`);
  ctx.state.grants.put({ domid, gref, granteeDomid, readOnly });
  return { gref };
}

export function endAccess(ctx: HostCtx, subjectLabel: string, domid: number, gref: number): { gref: number } {
  const subject = subjectOf(ctx, subjectLabel);
  const { actor, flags } = actorOf(ctx, subject, domid);
  runChecks(ctx, "grant.end-access", { subject, actor }, flags);
  const g = entry(ctx, domid, gref);
  if (ctx.state.mappings.where("grant", `${domid}:${gref}`).length > 0) {
    throw new HypercallError("EBUSY", `grant ${gref} of domain ${domid} is still mapped`);
  }
  ctx.state.grants.delete(`${g.domid}:${g.gref}`);
  return { gref };
}

/** GNTTABOP_map_grant_ref: mapper → granter : grant map_read (+ map_write unless read-only). */
export function map(ctx: HostCtx, subjectLabel: string, domid: number, granterDomid: number, gref: number, readOnly: boolean): { handle: number } {
  const subject = subjectOf(ctx, subjectLabel);
  const { actor, flags } = actorOf(ctx, subject, domid);
  const granter = principalOf(domainOf(ctx, granterDomid));
  const all = new Set<Flag>(flags);
  if (!readOnly) all.add("writable");
  runChecks(ctx, "grant.map", { subject, actor, peer: granter }, all);
  const g = entry(ctx, granterDomid, gref);
  if (g.granteeDomid !== domid) throw new HypercallError("EACCES", `grant ${gref} of domain ${granterDomid} is not granted to domain ${domid}`);
  if (g.readOnly && !readOnly) throw new HypercallError("EACCES", `grant ${gref} of domain ${granterDomid} is read-only`);
  acmGate(ctx, { kind: "share", a: { domid, label: actor.label }, b: { domid: granterDomid, label: granter.label }, via: "grant" });
  const handle = takeHandle(ctx);
  ctx.state.mappings.put({ handle, mapperDomid: domid, granterDomid, gref, readOnly });
  return { handle };
}

/** GNTTABOP_unmap_grant_ref: the handle is looked up first, then mapper → granter : grant unmap. */
export function unmap(ctx: HostCtx, subjectLabel: string, domid: number, handle: number): { handle: number } {
  const subject = subjectOf(ctx, subjectLabel);
  const { actor, flags } = actorOf(ctx, subject, domid);
  const m = ctx.state.mappings.get(handle);
  if (!m || m.mapperDomid !== domid) throw new HypercallError("EINVAL", `domain ${domid} has no grant mapping ${handle}`);
  if (ctx.state.devices.where("ringHandle", handle).length > 0) throw new HypercallError("EBUSY", `mapping ${handle} belongs to a PV device; detach the device`);
  runChecks(ctx, "grant.unmap", { subject, actor, peer: principalOf(domainOf(ctx, m.granterDomid)) }, flags);
  ctx.state.mappings.delete(handle);
  return { handle };
}

type Side = { domid: number; gref?: number };

/**
 * GNTTABOP_copy: each side is the actor's own page or a grant made to the actor. The check is
 * source buffer's owner → destination buffer's owner : grant copy, before the grants are read.
 */
export function copy(ctx: HostCtx, subjectLabel: string, domid: number, source: Side, dest: Side): { copied: boolean } {
  const subject = subjectOf(ctx, subjectLabel);
  const { actor, flags } = actorOf(ctx, subject, domid);
  const src = principalOf(domainOf(ctx, source.domid));
  const dst = principalOf(domainOf(ctx, dest.domid));
  runChecks(ctx, "grant.copy", { subject, actor, source: src, dest: dst }, flags);
  for (const [side, writes] of [[source, false], [dest, true]] as const) {
    if (side.gref === undefined) {
      if (side.domid !== domid) throw new HypercallError("EINVAL", `a copy side without a grant reference must be domain ${domid}'s own page`);
      continue;
    }
    const g = entry(ctx, side.domid, side.gref);
    if (g.granteeDomid !== domid) throw new HypercallError("EACCES", `grant ${side.gref} of domain ${side.domid} is not granted to domain ${domid}`);
    if (writes && g.readOnly) throw new HypercallError("EACCES", `grant ${side.gref} of domain ${side.domid} is read-only`);
  }
  if (source.domid !== dest.domid) {
    acmGate(ctx, { kind: "share", a: { domid: source.domid, label: src.label }, b: { domid: dest.domid, label: dst.label }, via: "grant" });
  }
  return { copied: true };
}
