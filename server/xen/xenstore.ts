import type { XenstorePerm } from "./types";
import { HypercallError } from "./errors";
import { actorOf, runChecks, subjectOf, type HostCtx } from "./host-context";
import { parentPath, type XenstoreNode, type XenstoreRow } from "./state";

/**
 * xenstore, with xenstored's simple permission model: each node has an owner (the first
 * permission entry, which also gives everyone else's default) and per-domain entries
 * n/r/w/b. The owner and dom0 may do anything; set-perms is the owner's or dom0's alone. New
 * nodes inherit their parent's permissions with the writer as owner.
 *
 * Threat: one domain reading or rewriting another's configuration (its device backends, its
 * console). A realm's domains own their /local/domain/<id> trees with "n" for everyone else.
 * The XSM part is only the toolstack driving the actor (operations table); node access is
 * decided here and refused with EACCES without an AVC line, as xenstored does.
 */

export type XenstoreOp = "read" | "write" | "rm" | "ls" | "get-perms" | "set-perms";

function allowed(node: XenstoreNode, domid: number, want: "r" | "w" | "owner"): boolean {
  const owner = node.perms[0];
  if (domid === 0 || owner?.domid === domid) return true;
  if (want === "owner") return false;
  const perm: XenstorePerm = node.perms.slice(1).find((p) => p.domid === domid)?.perm ?? owner?.perm ?? "n";
  return perm === "b" || perm === want;
}

function node(ctx: HostCtx, path: string): XenstoreRow {
  const n = ctx.state.xenstore.get(path);
  if (!n) throw new HypercallError("ENOENT", `xenstore: ${path} does not exist`);
  return n;
}

function need(ctx: HostCtx, path: string, domid: number, want: "r" | "w" | "owner"): XenstoreRow {
  const n = node(ctx, path);
  if (!allowed(n, domid, want)) throw new HypercallError("EACCES", `xenstore: domain ${domid} may not ${want === "r" ? "read" : want === "w" ? "write" : "change permissions of"} ${path}`);
  return n;
}

/**
 * Writes a node as `domid`, creating missing ancestors (they inherit the nearest existing
 * one's perms); returns the paths it created.
 */
function write(ctx: HostCtx, domid: number, path: string, value: string): string[] {
  const xs = ctx.state.xenstore;
  const existing = xs.get(path);
  if (existing) {
    if (!allowed(existing, domid, "w")) throw new HypercallError("EACCES", `xenstore: domain ${domid} may not write ${path}`);
    xs.put({ ...existing, value });
    return [];
  }
  const missing: string[] = [];
  let at = path;
  while (!xs.has(at)) {
    missing.unshift(at);
    at = parentPath(at);
  }
  const ancestor = xs.get(at)!;
  if (!allowed(ancestor, domid, "w")) throw new HypercallError("EACCES", `xenstore: domain ${domid} may not create nodes under ${at}`);
  const inherited = [{ domid, perm: ancestor.perms[0]?.perm ?? "n" }, ...ancestor.perms.slice(1)];
  for (const p of missing) xs.put({ path: p, value: p === path ? value : "", perms: structuredClone(inherited) });
  return missing;
}

/** Removes a node and its subtree (walked through the parent index: the subtree's size, not the store's). */
function remove(ctx: HostCtx, path: string): void {
  const xs = ctx.state.xenstore;
  for (const child of xs.where("parent", path)) if (child.path !== path) remove(ctx, child.path);
  xs.delete(path);
}

export function xenstoreOp(
  ctx: HostCtx,
  subjectLabel: string,
  req: { action: XenstoreOp; domid: number; path: string; value?: string; perms?: XenstoreNode["perms"] },
): Record<string, unknown> {
  const subject = subjectOf(ctx, subjectLabel);
  const { actor, flags } = actorOf(ctx, subject, req.domid);
  runChecks(ctx, `xenstore.${req.action}`, { subject, actor }, flags);
  const me = req.domid;
  switch (req.action) {
    case "read":
      return { value: need(ctx, req.path, me, "r").value };
    case "write":
      write(ctx, me, req.path, req.value ?? "");
      return { path: req.path };
    case "rm":
      if (req.path === "/") throw new HypercallError("EINVAL", "xenstore: cannot remove /");
      need(ctx, req.path, me, "w");
      remove(ctx, req.path);
      return { path: req.path };
    case "ls": {
      need(ctx, req.path, me, "r");
      const prefix = req.path === "/" ? "/" : `${req.path}/`;
      const entries = ctx.state.xenstore
        .where("parent", req.path)
        .map((n) => n.path)
        .filter((p) => p.startsWith(prefix) && p !== prefix && !p.slice(prefix.length).includes("/"))
        .map((p) => p.slice(prefix.length))
        .sort();
      return { entries };
    }
    case "get-perms":
      return { perms: need(ctx, req.path, me, "r").perms };
    case "set-perms":
      ctx.state.xenstore.put({ ...need(ctx, req.path, me, "owner"), perms: structuredClone(req.perms ?? []) });
      return { path: req.path };
  }
}

/** The toolstack's part of domain creation: /local/domain/<id>, owned by the domain itself. */
export function createDomainNode(ctx: HostCtx, domid: number): void {
  ctx.state.xenstore.put({ path: `/local/domain/${domid}`, value: "", perms: [{ domid, perm: "n" }] });
}

/** Writes a node as dom0 (the toolstack); it and any directories it creates get `perms`. */
export function toolstackWrite(ctx: HostCtx, path: string, value: string, perms: XenstoreNode["perms"]): void {
  const created = write(ctx, 0, path, value);
  for (const p of new Set([...created, path])) ctx.state.xenstore.put({ ...ctx.state.xenstore.get(p)!, perms: structuredClone(perms) });
}

export function removeNodes(ctx: HostCtx, path: string): void {
  remove(ctx, path);
}
