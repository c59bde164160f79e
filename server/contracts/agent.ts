import { z } from "zod";

/**
 * The host agent's HTTP contract. The worker sends these; the agent validates every body with
 * the same schemas and rejects anything else (400, naming the field) before the hypervisor sees
 * it. Everything below the domain lifecycle section is additive: the worker's requests and the
 * replies it parses are unchanged.
 */

export const securityLabel = z
  .string()
  .regex(/^[a-z_][a-z0-9_]*:[a-z_][a-z0-9_]*:[a-z_][a-z0-9_]*(:[a-z0-9,.:-]+)?$/, "invalid security label");

/** A Xen domain id (DOMID_FIRST_RESERVED = 0x7ff0 and above are pseudo-domains). */
const domid = z.number().int().min(0).max(0x7fef);
const port = z.number().int().min(1).max(4095);

// ---------------------------------------------------------------------------------------
// Domain lifecycle (POST /v1/domains) — the worker's contract; new actions are additive.
// ---------------------------------------------------------------------------------------

export const domainAction = z.enum([
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
]);
export type DomainAction = z.infer<typeof domainAction>;

export const domainRequest = z
  .object({
    /** The operation id: the agent applies each at most once. */
    idempotencyKey: z.uuid(),
    action: domainAction,
    /** The realm's management domain label: the XSM subject of the hypercall. */
    subjectLabel: securityLabel,
    vm: z
      .object({
        uuid: z.uuid(),
        name: z.string().min(1).max(63),
        /** xl `seclabel=`: the label the domain runs under. */
        label: securityLabel,
        /** xl `init_seclabel=`: build under this label, relabel to `label` before the first unpause. */
        initLabel: securityLabel.optional(),
        vcpus: z.number().int().min(1).max(64),
        memoryMb: z.number().int().min(128).max(262_144),
      })
      .strict(),
    /** migrate-out: the destination host's name (recorded in the domain's history). */
    destination: z.string().min(1).max(253).optional(),
    /** snapshot-create / -revert / -delete: the snapshot (the control plane's id for it). resize: `vm` carries the new size. */
    snapshotId: z.uuid().optional(),
  })
  .strict();
export type DomainRequest = z.infer<typeof domainRequest>;

export const domainState = z.enum(["running", "paused", "shutdown", "stopped"]);
export type DomainState = z.infer<typeof domainState>;

export const domainInfo = z.object({
  domid: z.number().int(),
  uuid: z.string(),
  name: z.string(),
  label: z.string(),
  state: domainState,
  vcpus: z.number().int(),
  memoryMb: z.number().int(),
});
export type DomainInfo = z.infer<typeof domainInfo>;

/** What save / migrate-out hand back: enough to restore (= create) the domain elsewhere. */
export const savedImage = z.object({
  uuid: z.string(),
  name: z.string(),
  label: z.string(),
  vcpus: z.number().int(),
  memoryMb: z.number().int(),
  wasRunning: z.boolean(),
  fromBootId: z.string(),
  fromDomid: z.number().int(),
});
export type SavedImage = z.infer<typeof savedImage>;

export const operationError = z.object({ code: z.string(), message: z.string() });

export const domainResult = z.object({
  ok: z.boolean(),
  /** errno-style code on failure: EACCES for an XSM denial, ENOENT, EINVAL, EBUSY … */
  error: operationError.optional(),
  domain: domainInfo.nullable(),
  avc: z.array(z.string()),
  /** true when this idempotency key had already been applied: the stored result is returned. */
  replayed: z.boolean(),
  /** save / migrate-out only. */
  image: savedImage.optional(),
});
export type DomainResult = z.infer<typeof domainResult>;

export const hostStatus = z.object({
  host: z.string(),
  bootId: z.string(),
  domains: z.array(domainInfo),
  capacity: z.object({ vcpus: z.number().int(), memoryMb: z.number().int() }),
  /** The security modules in force (additive; older agents omit it). */
  security: z
    .object({
      xsm: z.object({
        enforcing: z.boolean(),
        /** The FLASK policy it runs: sha256 of the bytes it loaded, and its booleans (additive). */
        policy: z.object({ sha256: z.string(), fileName: z.string() }).optional(),
        booleans: z.record(z.string(), z.boolean()).optional(),
      }),
      acm: z.object({ module: z.string(), policy: z.string() }),
    })
    .optional(),
});
export type HostStatusReply = z.infer<typeof hostStatus>;

// ---------------------------------------------------------------------------------------
// Hypercall endpoints. Each body names the XSM subject (the realm's management domain, or
// dom0) and the domain that issues the hypercall (`domid`); the agent applies an optional
// idempotency key at most once, like /v1/domains.
// ---------------------------------------------------------------------------------------

const envelope = {
  idempotencyKey: z.uuid().optional(),
  subjectLabel: securityLabel,
  /** The domain that issues the hypercall (the toolstack drives it on the subject's behalf). */
  domid,
};

export const evtchnAction = z.enum(["alloc-unbound", "bind-interdomain", "send", "close"]);
export type EvtchnAction = z.infer<typeof evtchnAction>;
export const evtchnRequest = z.discriminatedUnion("action", [
  z.object({ ...envelope, action: z.literal("alloc-unbound"), remoteDomid: domid }).strict(),
  z.object({ ...envelope, action: z.literal("bind-interdomain"), remoteDomid: domid, remotePort: port }).strict(),
  z.object({ ...envelope, action: z.literal("send"), port }).strict(),
  z.object({ ...envelope, action: z.literal("close"), port }).strict(),
]);
export type EvtchnRequest = z.infer<typeof evtchnRequest>;

const grantRef = z.number().int().min(1).max(65_535);
/** One side of a grant copy: a grant reference of `domid`, or (no gref) the caller's own page. */
const copySide = z.object({ domid, gref: grantRef.optional() }).strict();
export const grantAction = z.enum(["grant-access", "end-access", "map", "unmap", "copy"]);
export type GrantAction = z.infer<typeof grantAction>;
export const grantRequest = z.discriminatedUnion("action", [
  z.object({ ...envelope, action: z.literal("grant-access"), granteeDomid: domid, readOnly: z.boolean().default(false) }).strict(),
  z.object({ ...envelope, action: z.literal("end-access"), gref: grantRef }).strict(),
  z.object({ ...envelope, action: z.literal("map"), granterDomid: domid, gref: grantRef, readOnly: z.boolean().default(false) }).strict(),
  z.object({ ...envelope, action: z.literal("unmap"), handle: z.number().int().min(1) }).strict(),
  z.object({ ...envelope, action: z.literal("copy"), source: copySide, dest: copySide }).strict(),
]);
export type GrantRequest = z.infer<typeof grantRequest>;

const xenstorePath = z
  .string()
  .max(3072)
  .regex(/^\/([A-Za-z0-9_@-]+(\/[A-Za-z0-9_@-]+)*)?$/, "invalid xenstore path");
/** xenstored's permission letters: n(one), r(ead), w(rite), b(oth). */
export const xenstorePerm = z.enum(["n", "r", "w", "b"]);
export type XenstorePerm = z.infer<typeof xenstorePerm>;
export const xenstorePermEntry = z.object({ domid, perm: xenstorePerm }).strict();
export const xenstoreAction = z.enum(["read", "write", "rm", "ls", "get-perms", "set-perms"]);
export type XenstoreAction = z.infer<typeof xenstoreAction>;
export const xenstoreRequest = z.discriminatedUnion("action", [
  z.object({ ...envelope, action: z.literal("read"), path: xenstorePath }).strict(),
  z.object({ ...envelope, action: z.literal("write"), path: xenstorePath, value: z.string().max(4096) }).strict(),
  z.object({ ...envelope, action: z.literal("rm"), path: xenstorePath }).strict(),
  z.object({ ...envelope, action: z.literal("ls"), path: xenstorePath }).strict(),
  z.object({ ...envelope, action: z.literal("get-perms"), path: xenstorePath }).strict(),
  /** The first entry names the owner and the default for everyone else, as in xenstored. */
  z.object({ ...envelope, action: z.literal("set-perms"), path: xenstorePath, perms: z.array(xenstorePermEntry).min(1).max(64) }).strict(),
]);
export type XenstoreRequest = z.infer<typeof xenstoreRequest>;

const argoPort = z.number().int().min(0).max(0xffff_ffff);
/** A ring's partner: one domain, or "any" (a wildcard ring). */
const argoPartner = z.union([domid, z.literal("any")]);
export const argoAction = z.enum(["register", "unregister", "send"]);
export type ArgoAction = z.infer<typeof argoAction>;
export const argoRequest = z.discriminatedUnion("action", [
  z.object({ ...envelope, action: z.literal("register"), port: argoPort, partner: argoPartner }).strict(),
  z.object({ ...envelope, action: z.literal("unregister"), port: argoPort, partner: argoPartner }).strict(),
  z.object({ ...envelope, action: z.literal("send"), toDomid: domid, port: argoPort, message: z.string().max(4096) }).strict(),
]);
export type ArgoRequest = z.infer<typeof argoRequest>;

const resourceId = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:-]+$/, "invalid resource id");
export const deviceAction = z.enum(["attach-disk", "detach-disk", "attach-net", "detach-net"]);
export type DeviceAction = z.infer<typeof deviceAction>;
export const deviceRequest = z.discriminatedUnion("action", [
  z
    .object({
      ...envelope,
      action: z.literal("attach-disk"),
      /** The disk's label: realm_disk_t with the VM's level (writable), or shared_image_t (read-only). */
      disk: z.object({ id: resourceId, label: securityLabel, readOnly: z.boolean().default(false) }).strict(),
      /** The backend domain to connect to (a realm's driver domain); absent: the platform's storage backend. */
      backendDomid: domid.optional(),
    })
    .strict(),
  z.object({ ...envelope, action: z.literal("detach-disk"), diskId: resourceId }).strict(),
  z
    .object({
      ...envelope,
      action: z.literal("attach-net"),
      network: z.object({ id: resourceId, label: securityLabel }).strict(),
      /** The backend domain to connect to (a realm's driver domain); absent: the platform's network backend. */
      backendDomid: domid.optional(),
    })
    .strict(),
  z.object({ ...envelope, action: z.literal("detach-net"), networkId: resourceId }).strict(),
]);
export type DeviceRequest = z.infer<typeof deviceRequest>;

/**
 * POST /v1/blocks: a frontend's block request on an attached disk (512-byte blocks), carried by
 * the disk's backend domain; through an untrusted backend (a realm's driver domain) the host
 * seals it (server/xen block-data.ts). Not idempotent-keyed: a read changes nothing, a repeated
 * write stores the same block again.
 */
const blockAddress = { subjectLabel: securityLabel, domid, diskId: resourceId, lba: z.number().int().min(0).max(2 ** 40) };
export const blockRequest = z.discriminatedUnion("action", [
  z.object({ ...blockAddress, action: z.literal("read") }).strict(),
  z.object({ ...blockAddress, action: z.literal("write"), data: z.base64().length(684) }).strict(),
]);
export type BlockRequest = z.infer<typeof blockRequest>;

/** POST /v1/host/backend-store (test hook): what a backend domain's store holds, as the backend reads it. */
export const backendStoreRequest = z.object({ domid }).strict();

/** The reply of every hypercall endpoint: like DomainResult, with an operation-specific `data`. */
export const hypercallResult = z.object({
  ok: z.boolean(),
  error: operationError.optional(),
  avc: z.array(z.string()),
  replayed: z.boolean(),
  /** e.g. { port }, { gref }, { handle }, { value }, { entries }, { perms }, { device }, { domains }. */
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type HypercallResult = z.infer<typeof hypercallResult>;

/** POST /v1/domains/list: the domains `subjectLabel` may see (getdomaininfo filter). */
export const listRequest = z.object({ subjectLabel: securityLabel }).strict();
export type ListRequest = z.infer<typeof listRequest>;

// ---------------------------------------------------------------------------------------
// Explain: POST /v1/access-check computes a decision without acting or logging.
// ---------------------------------------------------------------------------------------

export const accessCheckRequest = z
  .object({
    subject: securityLabel,
    target: securityLabel,
    tclass: z.string().min(1).max(64).regex(/^[a-z_][a-z0-9_]*$/, "invalid class name"),
    perms: z.array(z.string().min(1).max(64).regex(/^[a-z_][a-z0-9_]*$/, "invalid permission name")).min(1).max(32),
    /** Domain ids for the would-be AVC line. */
    source: domid.optional(),
    targetDomid: domid.optional(),
  })
  .strict();
export type AccessCheckRequest = z.infer<typeof accessCheckRequest>;

export const accessCheckReply = z.object({
  allowed: z.boolean(),
  enforcing: z.boolean(),
  granted: z.array(z.string()),
  denied: z.array(z.string()),
  /** Why each denied permission is denied: layer (te, constraint, boolean, rbac, unknown-permission) and detail. */
  reasons: z.record(z.string(), z.object({ layer: z.string(), detail: z.string() })),
  /** The AVC line the check would write, or null when nothing would be logged (allowed, or dontaudit). */
  avc: z.string().nullable(),
  /** Canonical contexts the decision was computed for. */
  scontext: z.string(),
  tcontext: z.string(),
});
export type AccessCheckReply = z.infer<typeof accessCheckReply>;

// ---------------------------------------------------------------------------------------
// ACM (sHype) policy: data, not code. PUT /v1/acm or REALMGATE_HOST_ACM_POLICY (a JSON file).
// ---------------------------------------------------------------------------------------

const acmType = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:,*-]+$/, "invalid ACM type");
export const acmPolicy = z
  .object({
    name: z.string().min(1).max(128),
    /** Chinese Wall: types in one set never run on this host at the same time. */
    conflictSets: z.array(z.object({ name: z.string().min(1).max(128), types: z.array(acmType).min(2) }).strict()),
    /**
     * Explicit types per label: `match` is a full context or a bare type name (the full
     * context wins). `ste: ["*"]` shares with everything (dom0's backends, shared images).
     */
    labels: z.array(z.object({ match: z.string().min(1).max(256), wall: z.array(acmType).default([]), ste: z.array(acmType).default([]) }).strict()),
    /**
     * Types derived from a label's categories when no entry matches, `{categories}` replaced
     * by the low level's categories (e.g. "realm:{categories}" → "realm:c12,c873"); null: none.
     */
    categoryTypes: z.object({ wall: z.string().max(128).nullable(), ste: z.string().max(128).nullable() }).strict(),
  })
  .strict();
export type AcmPolicy = z.infer<typeof acmPolicy>;

export const acmLoadReply = z.object({ ok: z.boolean(), error: operationError.optional(), avc: z.array(z.string()), policy: z.string() });
export type AcmLoadReply = z.infer<typeof acmLoadReply>;

// ---------------------------------------------------------------------------------------
// FLASK policy (`xl loadpolicy`, PUT /v1/xsm/policy) and booleans (`xl setbool`, PUT
// /v1/xsm/booleans), dom0 as subject. A load answers with the sha256 of what the host now
// runs and its decisions compared old vs new (the canary's evidence).
// ---------------------------------------------------------------------------------------

/** Largest policy an operator may upload (Xen's own policy.conf is about 80 KiB). */
export const FLASK_POLICY_MAX_BYTES = 256 * 1024;
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "invalid sha256");

export const flaskPolicyLoad = z
  .object({
    fileName: z.string().min(1).max(128).regex(/^[A-Za-z0-9._-]+$/, "invalid file name"),
    /** The policy's bytes, base64: text (policy.conf) or checkpolicy's binary (policy.30). */
    bytes: z.base64().max(Math.ceil(FLASK_POLICY_MAX_BYTES / 3) * 4),
    /** Refused unless the bytes hash to this (the control plane's record of the version). */
    sha256: sha256Hex,
  })
  .strict();
export type FlaskPolicyLoad = z.infer<typeof flaskPolicyLoad>;

const decisionDifference = z.object({
  source: z.string(),
  target: z.string(),
  tclass: z.string(),
  origin: z.string(),
  granted: z.array(z.string()),
  revoked: z.array(z.string()),
});
export const decisionComparison = z.object({ compared: z.number().int(), differing: z.number().int(), differences: z.array(decisionDifference) });
export type DecisionComparisonReply = z.infer<typeof decisionComparison>;

export const flaskPolicyLoadReply = z.object({
  ok: z.boolean(),
  error: operationError.optional(),
  avc: z.array(z.string()),
  /** What the host runs after the call (the old policy's hash when refused). */
  sha256: z.string(),
  comparison: decisionComparison.nullable(),
});
export type FlaskPolicyLoadReply = z.infer<typeof flaskPolicyLoadReply>;

export const flaskBoolean = z
  .object({ name: z.string().min(1).max(128).regex(/^[A-Za-z0-9_]+$/, "invalid boolean name"), value: z.boolean() })
  .strict();
export type FlaskBoolean = z.infer<typeof flaskBoolean>;
export const flaskBooleanReply = z.object({ ok: z.boolean(), error: operationError.optional(), avc: z.array(z.string()), booleans: z.record(z.string(), z.boolean()) });
export type FlaskBooleanReply = z.infer<typeof flaskBooleanReply>;

// ---------------------------------------------------------------------------------------
// Serial console (POST /v1/console) and metrics (POST /v1/metrics). The subject is the realm's
// management domain; the console is XSM-checked (event bind on the guest's console channel,
// grant map_read/map_write on the guest; input also event send); metrics are filtered by
// getdomaininfo like a listing.
// ---------------------------------------------------------------------------------------

export const consoleAction = z.enum(["open", "read", "write"]);
export type ConsoleAction = z.infer<typeof consoleAction>;
/** At most this much input per request (keystrokes or a pasted line). */
export const CONSOLE_INPUT_MAX = 1024;
export const consoleRequest = z
  .object({
    action: consoleAction,
    subjectLabel: securityLabel,
    /** The VM (the domain's uuid). */
    uuid: z.uuid(),
    /** Output from this absolute offset of the domain's console ring (0: all it keeps). */
    from: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    /** write: the keystrokes. */
    data: z.string().max(CONSOLE_INPUT_MAX).optional(),
  })
  .strict();
export type ConsoleRequest = z.infer<typeof consoleRequest>;

export const consoleReply = z.object({
  ok: z.boolean(),
  error: operationError.optional(),
  avc: z.array(z.string()),
  /** Output from `from` on (ok only); `next` is the offset to ask from next; `dropped`: bytes asked for that the ring no longer holds. */
  output: z.object({ data: z.string(), from: z.number().int(), next: z.number().int(), dropped: z.number().int() }).nullable(),
  domid: z.number().int().nullable(),
});
export type ConsoleReply = z.infer<typeof consoleReply>;

export const metricsRequest = z
  .object({
    subjectLabel: securityLabel,
    /** Domains with a domid above this one (pagination), at most `limit` of them. */
    after: z.number().int().min(-1).max(0x7fef).default(-1),
    limit: z.number().int().min(1).max(2_000).default(1_000),
  })
  .strict();
export type MetricsRequest = z.infer<typeof metricsRequest>;

export const domainCounters = z.object({
  runningSeconds: z.number(),
  cpuNs: z.number(),
  memoryKb: z.number(),
  memoryMaxKb: z.number(),
  diskReadBytes: z.number(),
  diskWriteBytes: z.number(),
  diskReadOps: z.number(),
  diskWriteOps: z.number(),
  netRxBytes: z.number(),
  netTxBytes: z.number(),
});
export type DomainCountersReply = z.infer<typeof domainCounters>;

export const metricsReply = z.object({
  ok: z.boolean(),
  error: operationError.optional(),
  avc: z.array(z.string()),
  /** The meters' epoch: a new one means every counter started again from zero. */
  epoch: z.string(),
  bootId: z.string(),
  domains: z.array(z.object({ uuid: z.string(), domid: z.number().int(), state: domainState, vcpus: z.number().int(), counters: domainCounters })),
  /** The last domid of this page when more may follow, else null. */
  next: z.number().int().nullable(),
});
export type MetricsReply = z.infer<typeof metricsReply>;

// ---------------------------------------------------------------------------------------
// A realm's NDVM (issue 15 part 4): its rule table, the platform's rules, flows through it.
// ---------------------------------------------------------------------------------------

const netPorts = z.object({ from: z.number().int().min(1).max(65535), to: z.number().int().min(1).max(65535) }).strict().nullable();
const netProtocol = z.enum(["tcp", "udp", "icmp", "any"]);
const netSource = z.discriminatedUnion("kind", [z.object({ kind: z.literal("vm"), id: z.string().max(64) }).strict(), z.object({ kind: z.literal("network"), id: z.string().max(64) }).strict()]);
export const ndvmRealmRule = z
  .object({ id: z.string().max(64), from: netSource, to: z.union([netSource, z.object({ kind: z.literal("uplink") }).strict()]), protocol: netProtocol, ports: netPorts })
  .strict();
export const ndvmPlatformRule = z
  .object({ id: z.string().max(64), name: z.string().max(200), to: z.object({ kind: z.literal("uplink"), address: z.string().max(64).nullable() }).strict(), protocol: netProtocol, ports: netPorts })
  .strict();

/** PUT /v1/network/rules: the realm's management domain loads its NDVM's rule table. */
export const ndvmRulesLoad = z.object({ subjectLabel: securityLabel, ndvmDomid: domid, version: z.number().int().min(0), rules: z.array(ndvmRealmRule).max(1000) }).strict();
export type NdvmRulesLoad = z.infer<typeof ndvmRulesLoad>;
/** PUT /v1/network/platform-rules: dom0 loads the platform's rules. */
export const platformRulesLoad = z.object({ subjectLabel: securityLabel, rules: z.array(ndvmPlatformRule).max(1000) }).strict();
export type PlatformRulesLoad = z.infer<typeof platformRulesLoad>;
/** POST /v1/network/flow: "can x reach y" (attempt: false) or a simulated connection attempt, counted. */
export const flowRequest = z
  .object({
    ndvmDomid: domid,
    fromDomid: domid,
    to: z.discriminatedUnion("kind", [z.object({ kind: z.literal("vm"), domid }).strict(), z.object({ kind: z.literal("uplink"), address: z.string().max(64).nullable() }).strict()]),
    protocol: z.enum(["tcp", "udp", "icmp"]),
    port: z.number().int().min(1).max(65535).nullable(),
    attempt: z.boolean(),
  })
  .strict();
export type FlowRequest = z.infer<typeof flowRequest>;
export const flowVerdict = z.object({ allowed: z.boolean(), layer: z.enum(["flask", "ndvm", "realm", "platform"]), ruleId: z.string().nullable(), reason: z.string(), avc: z.array(z.string()) });
/** POST /v1/network/ndvm: what an NDVM enforces (version, hash), the platform rules' hash, the counters per rule. */
export const ndvmStateRequest = z.object({ ndvmDomid: domid }).strict();
export const ndvmStateReply = z.object({
  version: z.number().int().nullable(),
  hash: z.string().nullable(),
  platformHash: z.string(),
  counters: z.record(z.string(), z.object({ allowed: z.number().int(), denied: z.number().int() })),
});
export type NdvmStateReply = z.infer<typeof ndvmStateReply>;

/**
 * A sharing agreement's Argo bridge (issue 15 part 5, xen/argo-bridges.ts). PUT /v1/argo/bridges
 * (dom0 adds one), POST /v1/argo/bridges/destroy (dom0 removes one), POST /v1/argo/bridges/list
 * (dom0's view: bindings and counters), POST /v1/argo/bridges/send (a test send as the source
 * guest: delivered, or refused with the error; the reply's avc holds FLASK's lines).
 */
export const bridgeId = z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/);
export const bridgeCreate = z.object({ subjectLabel: securityLabel, id: bridgeId, fromDomid: domid, toDomid: domid, port: argoPort, twoWay: z.boolean() }).strict();
export type BridgeCreate = z.infer<typeof bridgeCreate>;
export const bridgeDestroy = z.object({ subjectLabel: securityLabel, id: bridgeId }).strict();
export type BridgeDestroy = z.infer<typeof bridgeDestroy>;
export const bridgeList = z.object({ subjectLabel: securityLabel }).strict();
export const bridgeView = z.object({ id: z.string(), label: z.string(), fromDomid: z.number().int(), toDomid: z.number().int(), port: z.number().int(), twoWay: z.boolean(), delivered: z.number().int(), refused: z.number().int(), queued: z.number().int() });
export type BridgeViewReply = z.infer<typeof bridgeView>;
export const bridgeListReply = z.object({ bridges: z.array(bridgeView) });
export const bridgeSend = z.object({ subjectLabel: securityLabel, bridgeId: bridgeId.optional(), fromDomid: domid, toDomid: domid, port: argoPort, message: z.string().max(4096) }).strict();
export type BridgeSend = z.infer<typeof bridgeSend>;
export const bridgeSendReply = z.object({ delivered: z.boolean(), bridgeId: z.string().nullable(), error: z.object({ code: z.string(), message: z.string() }).nullable() });
