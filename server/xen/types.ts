/**
 * The simulated hypervisor's own vocabulary: the operations it implements, domain states, the
 * saved image, xenstore permissions and the ACM policy's shape. Plain TypeScript, independent
 * of any wire format: the agent validates its HTTP requests against its own contract and maps
 * them onto these (a contract action the hypervisor lacks does not compile there).
 */

export const DOMAIN_ACTIONS = [
  "create",
  "start",
  "stop",
  "destroy",
  "pause",
  "unpause",
  "resume",
  "reboot",
  "save",
  "restore",
  "migrate-out",
  "migrate-in",
  "resize",
  "snapshot-create",
  "snapshot-revert",
  "snapshot-delete",
] as const;
export type DomainAction = (typeof DOMAIN_ACTIONS)[number];

export const EVTCHN_ACTIONS = ["alloc-unbound", "bind-interdomain", "send", "close"] as const;
export type EvtchnAction = (typeof EVTCHN_ACTIONS)[number];

export const GRANT_ACTIONS = ["grant-access", "end-access", "map", "unmap", "copy"] as const;
export type GrantAction = (typeof GRANT_ACTIONS)[number];

export const XENSTORE_ACTIONS = ["read", "write", "rm", "ls", "get-perms", "set-perms"] as const;
export type XenstoreAction = (typeof XENSTORE_ACTIONS)[number];

export const ARGO_ACTIONS = ["register", "unregister", "send"] as const;
export type ArgoAction = (typeof ARGO_ACTIONS)[number];

export const DEVICE_ACTIONS = ["attach-disk", "detach-disk", "attach-net", "detach-net"] as const;
export type DeviceAction = (typeof DEVICE_ACTIONS)[number];

/** The block data path (block-data.ts): a frontend's block request, carried by the backend serving the disk. */
export const BLOCK_ACTIONS = ["read", "write"] as const;
export type BlockAction = (typeof BLOCK_ACTIONS)[number];

/** A realm's NDVM (network-flows.ts): loading its rule table, and a flow through it. */
export const NET_ACTIONS = ["load-rules", "flow"] as const;
export type NetAction = (typeof NET_ACTIONS)[number];

/** A sharing agreement's Argo bridge (argo-bridges.ts): dom0 adds and removes it; a guest sends through it. */
export const BRIDGE_ACTIONS = ["create", "destroy", "send", "list"] as const;
export type BridgeAction = (typeof BRIDGE_ACTIONS)[number];

/** The guest's serial console (console.ts): open = bind its channel and map its ring; write = input. */
export const CONSOLE_ACTIONS = ["open", "read", "write"] as const;
export type ConsoleAction = (typeof CONSOLE_ACTIONS)[number];

/** A domain's run state as getdomaininfo reports it. */
export type DomainState = "running" | "paused" | "shutdown" | "stopped";

/** xenstored's permission letters: n(one), r(ead), w(rite), b(oth). */
export type XenstorePerm = "n" | "r" | "w" | "b";

/** What save / migrate-out hand back: enough to restore (= create) the domain elsewhere. */
export type SavedImage = {
  uuid: string;
  name: string;
  label: string;
  vcpus: number;
  memoryMb: number;
  wasRunning: boolean;
  fromBootId: string;
  fromDomid: number;
};

/** The ACM module a host runs: sHype's primary (Chinese Wall), secondary (STE), both, or none. */
export const ACM_MODULE_NAMES = ["none", "chinese-wall", "ste", "chinese-wall+ste"] as const;
export type AcmModuleName = (typeof ACM_MODULE_NAMES)[number];

/** An ACM (sHype) policy: data, not code. */
export type AcmPolicy = {
  name: string;
  /** Chinese Wall: types in one set never run on this host at the same time. */
  conflictSets: { name: string; types: string[] }[];
  /**
   * Explicit types per label: `match` is a full context or a bare type name (the full context
   * wins). `ste: ["*"]` shares with everything (dom0's backends, shared images).
   */
  labels: { match: string; wall: string[]; ste: string[] }[];
  /**
   * Types derived from a label's categories when no entry matches, `{categories}` replaced by
   * the low level's categories (e.g. "realm:{categories}" → "realm:c12,c873"); null: none.
   */
  categoryTypes: { wall: string | null; ste: string | null };
};
