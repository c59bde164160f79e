import type { AcmPolicy } from "../types";
import type { AcmState } from "../state";

/**
 * The ACM (sHype) module interface. A module is a pure decision function over (policy, its
 * state, event) returning the next state or a refusal; it never mutates the state it is given,
 * which is what lets compose.ts roll the primary back when the secondary refuses.
 */

export type AcmDomain = { domid: number; label: string };
export type AcmResource = { id: string; label: string; what: "block device" | "network" };
export type AcmShare = { a: AcmDomain; b: AcmDomain; via: "event channel" | "grant" };
export type AcmUse = { domain: AcmDomain; resource: AcmResource };

/** Everything a policy reload must re-validate: running domains and current sharing. */
export type AcmWorld = { admitted: AcmDomain[]; shares: AcmShare[]; uses: AcmUse[] };

export type AcmEvent =
  | { kind: "start"; domain: AcmDomain; resources: AcmResource[] }
  | { kind: "destroy"; domid: number }
  | ({ kind: "share" } & AcmShare)
  | ({ kind: "use" } & AcmUse)
  | { kind: "reload"; world: AcmWorld };

export type AcmVerdict = { ok: true; state: AcmState } | { ok: false; reason: string };

export interface AcmModule {
  readonly name: string;
  decide(policy: AcmPolicy, state: AcmState, event: AcmEvent): AcmVerdict;
}

/** The module that decides nothing (REALMGATE_HOST_ACM=none). */
export const noAcm: AcmModule = {
  name: "none",
  decide: (_policy, state) => ({ ok: true, state }),
};
