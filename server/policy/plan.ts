import { createHash } from "node:crypto";
import type { DeviceAction, DomainAction } from "../contracts/agent";
import type { LifecycleAction } from "./lifecycle";

/**
 * How a control-plane action becomes agent requests (pure). Most are one request; a hard stop
 * is destroy-then-rebuild, a migration is migrate-out at the source then migrate-in at the
 * destination. Each step has its own idempotency key derived from the operation id, so a
 * redelivered operation replays the steps already applied instead of repeating them.
 */

export type OperationParams = {
  mode?: "clean" | "hard";
  destinationHostId?: string;
  then?: "start";
  diskId?: string;
  networkId?: string;
  /** attach-disk / attach-net: the realm's driver domain to connect through (absent: the platform's backend). */
  backendId?: string;
  /** snapshot / revert / delete-snapshot: the snapshot; revert: the state it was taken in. */
  snapshotId?: string;
  revertTo?: "running" | "paused" | "stopped";
  /** resize: the new size, and the size before (what the VM gives back once the host applied it). */
  size?: { vcpus: number; memoryMb: number };
  from?: { vcpus: number; memoryMb: number };
  /** create of a clone: the copies of the source's disks, attached once the domain is built. */
  diskIds?: string[];
  cloneOf?: string;
};

export type Step = { on: "source" | "destination"; action: DomainAction } | { on: "source"; device: DeviceAction; diskId?: string };

export function planSteps(action: LifecycleAction, params: OperationParams): Step[] {
  const at = (a: DomainAction, on: Step["on"] = "source"): Step => ({ on, action: a });
  switch (action) {
    case "create":
      // A clone's disks (copies of the source's) are attached to the domain once it is built.
      return [at("create"), ...(params.diskIds ?? []).map((diskId): Step => ({ on: "source", device: "attach-disk", diskId }))];
    case "start":
      return [at("start")];
    case "stop":
      return params.mode === "hard" ? [at("destroy"), at("create")] : [at("stop")];
    case "pause":
      return [at("pause")];
    case "resume":
      return [at("unpause")];
    case "reboot":
      return [at("reboot")];
    case "destroy":
      return [at("destroy")];
    case "migrate":
      return [at("migrate-out"), at("migrate-in", "destination")];
    case "attach-disk":
    case "detach-disk":
    case "attach-net":
    case "detach-net":
      return [{ on: "source", device: action }];
    case "resize":
      return [at("resize")];
    case "snapshot":
      return [at("snapshot-create")];
    case "revert":
      return [at("snapshot-revert")];
    case "delete-snapshot":
      return [at("snapshot-delete")];
  }
}

/** Step 0 uses the operation id itself; later steps a UUID derived from it. */
export function stepKey(operationId: string, step: number): string {
  if (step === 0) return operationId;
  const h = createHash("sha256").update(`${operationId}:${step}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The compensating step of a migration whose migrate-in failed: rebuild at the source. */
export const ROLLBACK_STEP = 99;
