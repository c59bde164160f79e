import { describe, expect, it } from "vitest";
import type { DomainInfo } from "../contracts/agent";
import { correction } from "./host-monitor";

const domain = (state: DomainInfo["state"]): DomainInfo => ({ domid: 3, uuid: "u", name: "n", label: "l", state, vcpus: 1, memoryMb: 512 });
const guest = (observedState: string, desiredState: string) => ({ observedState, desiredState, kind: "guest" }) as Parameters<typeof correction>[0];

describe("reconciliation decisions", () => {
  it("does nothing when the host agrees", () => {
    expect(correction(guest("running", "running"), domain("running"))).toBeNull();
    expect(correction(guest("stopped", "stopped"), domain("stopped"))).toBeNull();
    expect(correction(guest("paused", "paused"), domain("paused"))).toBeNull();
  });
  it("restarts a domain that stopped on its own", () => {
    expect(correction(guest("running", "running"), domain("stopped"))).toMatchObject({ action: "start" });
    expect(correction(guest("running", "running"), domain("paused"))).toMatchObject({ action: "resume" });
  });
  it("stops a domain that should be stopped", () => {
    expect(correction(guest("stopped", "stopped"), domain("running"))).toMatchObject({ action: "stop" });
  });
  it("rebuilds a domain the host lost, and starts it again if it ran", () => {
    expect(correction(guest("running", "running"), undefined)).toMatchObject({ action: "create", then: "start" });
    expect(correction(guest("stopped", "stopped"), undefined)).toMatchObject({ action: "create", then: undefined });
  });
  it("leaves destroyed and in-flight VMs alone", () => {
    expect(correction(guest("stopped", "destroyed"), undefined)).toBeNull();
    expect(correction(guest("starting", "running"), domain("stopped"))).toBeNull();
  });
  it("rebuilds a realm's failed management VM", () => {
    expect(correction({ observedState: "failed", desiredState: "failed", kind: "management" } as Parameters<typeof correction>[0], undefined)).toMatchObject({
      action: "create",
      then: "start",
    });
  });
});
