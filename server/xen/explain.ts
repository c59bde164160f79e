import { DOM0_LABEL } from "../xsm";
import { noAcm } from "./acm/module";
import { DEFAULT_ACM_POLICY } from "./acm/default-policy";
import { attach, detach, type AttachSpec } from "./devices";
import { createDomain, domainOperation, lifecycle, type DomainOperation } from "./domains";
import { HypercallError } from "./errors";
import { takeSnapshot } from "./snapshots";
import { Hypervisor } from "./hypervisor";
import type { OperationName } from "./operations";
import { formatReasons, type AccessRequest, type SecurityModule } from "./security";
import type { DeviceAction, DomainState } from "./types";

/**
 * "Would the hypervisor allow this operation, and why not?" answered by rehearsing it: the
 * operation runs through its real hook, with the checks of the operation table, on a scratch
 * host that holds only dom0, the subject's domain and the target, against the same policy.
 * Nothing is logged and the scratch host is thrown away. Because the hook and the table are the
 * ones the agent runs, explain cannot drift from enforcement (explain.test.ts compares them).
 *
 * The scratch host runs no ACM module: the answer is XSM/FLASK's alone (Chinese Wall and STE
 * depend on what else runs on a real host).
 */

export type CheckVerdict = {
  tclass: string;
  perms: readonly string[];
  scontext: string;
  tcontext: string;
  allowed: boolean;
  /** Why each denied permission is denied: layer (te, constraint, boolean, rbac …) and detail. */
  reasons: Record<string, { layer: string; detail: string }>;
  /** The AVC line enforcement would write, or null (allowed, or dontaudit). */
  avc: string | null;
};

export type OperationVerdict = {
  op: OperationName;
  allowed: boolean;
  /** Every check the operation made, in order, up to and including the first denial. */
  checks: CheckVerdict[];
  /** Why the operation failed, when it did (EACCES for a denial). */
  error?: { code: string; message: string };
};

export type Rehearsal = {
  op: DomainOperation | `device.${DeviceAction}`;
  /** The XSM subject: a realm's management domain, or dom0. */
  subject: string;
  /** The domain acted upon: its label and the state the operation expects it in. */
  target: { label: string; state: Extract<DomainState, "stopped" | "running" | "paused"> };
  /** device operations: the disk's or network's label. */
  resource?: string;
};

const TARGET_UUID = "00000000-0000-4000-8000-0000000000a1";
const SUBJECT_UUID = "00000000-0000-4000-8000-0000000000a0";
const RESOURCE_ID = "explained-resource";
/** The snapshot a revert or delete is rehearsed on (taken by dom0 while staging), and the one a snapshot-create takes. */
const SNAPSHOT_ID = "00000000-0000-4000-8000-0000000000a2";

export function explainOperation(xsm: SecurityModule, rehearsal: Rehearsal): OperationVerdict {
  const recorder = recording(xsm);
  const hv = new Hypervisor(recorder.module, { acmModule: noAcm, acmPolicy: DEFAULT_ACM_POLICY, options: { argoMacPermissive: false } }, { bootId: "explain" });
  const spec = { uuid: TARGET_UUID, name: "explained", label: rehearsal.target.label, vcpus: 1, memoryMb: 512 };
  const isCreate = rehearsal.op === "domain.create" || rehearsal.op === "domain.restore" || rehearsal.op === "domain.migrate-in";
  const device = rehearsal.op.startsWith("device.") ? deviceSpec(rehearsal) : null;
  // The stage, set by dom0: the subject's own domain (so acting on itself uses its self label)
  // and the target in the state the operation expects.
  hv.run((ctx) => {
    if (rehearsal.subject !== DOM0_LABEL && rehearsal.subject !== rehearsal.target.label) {
      createDomain(ctx, DOM0_LABEL, { ...spec, uuid: SUBJECT_UUID, name: "subject", label: rehearsal.subject });
    }
    if (isCreate) return;
    const target = createDomain(ctx, DOM0_LABEL, spec);
    if (rehearsal.target.state !== "stopped") lifecycle(ctx, DOM0_LABEL, "domain.start", target.domid);
    if (rehearsal.target.state === "paused") lifecycle(ctx, DOM0_LABEL, "domain.pause", target.domid);
    if (device?.detach) attach(ctx, DOM0_LABEL, target.domid, device.spec);
    if (rehearsal.op === "domain.snapshot-revert" || rehearsal.op === "domain.snapshot-delete") takeSnapshot(ctx, DOM0_LABEL, TARGET_UUID, SNAPSHOT_ID);
  });
  recorder.start();
  try {
    hv.run((ctx) => {
      if (!device) return domainOperation(ctx, rehearsal.subject, rehearsal.op as DomainOperation, spec, undefined, SNAPSHOT_ID);
      const domid = ctx.state.domains.where("uuid", TARGET_UUID)[0]!.domid;
      return device.detach
        ? detach(ctx, rehearsal.subject, domid, device.spec.kind, RESOURCE_ID)
        : attach(ctx, rehearsal.subject, domid, device.spec);
    });
    return { op: rehearsal.op, allowed: true, checks: recorder.checks };
  } catch (error) {
    if (!(error instanceof HypercallError)) throw error;
    return { op: rehearsal.op, allowed: false, checks: recorder.checks, error: { code: error.code, message: error.message } };
  }
}

function deviceSpec(r: Rehearsal): { spec: AttachSpec; detach: boolean } {
  if (!r.resource) throw new HypercallError("EINVAL", `${r.op} needs the resource's label`);
  const kind = r.op === "device.attach-disk" || r.op === "device.detach-disk" ? "vbd" : "vif";
  return { spec: { kind, id: RESOURCE_ID, label: r.resource, readOnly: false }, detach: r.op.startsWith("device.detach") };
}

/** The module the scratch host runs: decisions computed by explain (nothing logged), recorded once started. */
function recording(xsm: SecurityModule) {
  const checks: CheckVerdict[] = [];
  let on = false;
  const module: SecurityModule = {
    ...xsm,
    check(request: AccessRequest) {
      // Scratch domain ids mean nothing to the reader: the lines name contexts only.
      const e = xsm.explain({ ...request, source: undefined, targetDomid: undefined });
      if (on) {
        checks.push({ tclass: request.tclass, perms: request.perms, scontext: e.scontext, tcontext: e.tcontext, allowed: e.allowed, reasons: e.reasons, avc: e.avc });
      }
      const reason = formatReasons(e.reasons);
      return { allowed: e.allowed, avc: e.avc && !e.allowed ? [e.avc] : [], reason: reason || undefined };
    },
  };
  return {
    module,
    checks,
    start: () => {
      on = true;
    },
  };
}
