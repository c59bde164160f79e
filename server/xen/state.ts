import type { DomainState, XenstorePerm } from "./types";
import { DOM0_LABEL } from "../xsm";

/**
 * The host's state as plain data: what the hypervisor holds in memory, what the toolstack
 * persists (host-state.json) and what a crash loses. Every operation works on a copy and the
 * copy replaces the state only when the operation succeeds, so a refused operation leaves it
 * byte-for-byte unchanged.
 */

export type DomainRecord = {
  domid: number;
  uuid: string;
  name: string;
  /** sid: canonical context. */
  label: string;
  /** self_sid = transition(sid, sid, domain). */
  selfLabel: string;
  /** Device models only, after set_target: the guest and target_sid. */
  target?: { domid: number; label: string };
  state: DomainState;
  vcpus: number;
  memoryMb: number;
  history: string[];
};

export type Channel = {
  domid: number;
  port: number;
  /** transition(domain, peer as seen by domain, event). */
  label: string;
  state: "unbound" | "interdomain";
  remoteDomid: number;
  remotePort?: number;
  /** Events delivered to this port and not yet consumed. */
  pending: number;
};

export type GrantEntry = { domid: number; gref: number; granteeDomid: number; readOnly: boolean };
export type GrantMapping = { handle: number; mapperDomid: number; granterDomid: number; gref: number; readOnly: boolean };

export type XenstoreNode = { value: string; perms: { domid: number; perm: XenstorePerm }[] };

export type ArgoRing = { domid: number; port: number; partner: number | "any"; messages: { from: number; text: string }[] };

export type Device = {
  domid: number;
  kind: "vbd" | "vif";
  devid: number;
  /** The disk's or network's id and label (resource use target). */
  resourceId: string;
  label: string;
  readOnly: boolean;
  backendDomid: number;
  frontendPort: number;
  backendPort: number;
  /** The backend's mapping of the frontend's ring page. */
  ringGref: number;
  ringHandle: number;
};

/** Chinese Wall counters (the ACM's only state; STE decides from labels alone). */
export type ChineseWallState = {
  running: Record<string, number>;
  blocked: Record<string, number>;
  /** domid → wall types taken when the domain started; released on destroy. */
  admitted: Record<string, string[]>;
};

export type AcmState = { chineseWall: ChineseWallState };

export type HostState = {
  bootId: string;
  nextDomid: number;
  nextHandle: number;
  domains: DomainRecord[];
  channels: Channel[];
  grants: GrantEntry[];
  mappings: GrantMapping[];
  xenstore: Record<string, XenstoreNode>;
  argo: ArgoRing[];
  devices: Device[];
  acm: AcmState;
};

export function emptyAcmState(): AcmState {
  return { chineseWall: { running: {}, blocked: {}, admitted: {} } };
}

/** A freshly booted host: only dom0, labelled by the policy's initial SID (self label given). */
export function bootState(bootId: string, dom0SelfLabel: string): HostState {
  return {
    bootId,
    nextDomid: 1,
    nextHandle: 1,
    domains: [
      {
        domid: 0,
        uuid: "00000000-0000-0000-0000-000000000000",
        name: "Domain-0",
        label: DOM0_LABEL,
        selfLabel: dom0SelfLabel,
        state: "running",
        vcpus: 1,
        memoryMb: 1024,
        history: ["boot"],
      },
    ],
    channels: [],
    grants: [],
    mappings: [],
    xenstore: {
      "/": { value: "", perms: [{ domid: 0, perm: "n" }] },
      "/local": { value: "", perms: [{ domid: 0, perm: "r" }] },
      "/local/domain": { value: "", perms: [{ domid: 0, perm: "r" }] },
      "/local/domain/0": { value: "", perms: [{ domid: 0, perm: "r" }] },
    },
    argo: [],
    devices: [],
    acm: emptyAcmState(),
  };
}
