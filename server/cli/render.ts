import type { components } from "./api-types";

/** Pure text rendering: tables, VMs, operations and their steps. */

export type Vm = components["schemas"]["Vm"];
export type Operation = components["schemas"]["Operation"];
export type Step = Operation["steps"][number];

/** A list as a table, or the words for an empty one ("no disks"). */
export function listing(headers: string[], rows: (string | number | null | undefined)[][], empty: string): string {
  return rows.length > 0 ? table(headers, rows) : empty;
}

/** An API date-time as "2026-12-01 23:03:06" (the server's UTC). */
export const timestamp = (iso: string): string => iso.replace("T", " ").slice(0, 19);

/** Columns padded to their widest cell; `null`/`undefined` cells show as "-". */
export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [
    headers,
    ...rows.map((row) => row.map((c) => (c === null || c === undefined || c === "" ? "-" : String(c)))),
  ];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  return cells
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function formatMemory(mb: number): string {
  return mb >= 1024 && mb % 1024 === 0 ? `${mb / 1024} GiB` : `${mb} MiB`;
}

export function formatDuration(ms: number): string {
  return ms < 1000
    ? `${ms} ms`
    : ms < 60_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** "running", or "starting → running" while the VM is on its way to the desired state. */
export function vmState(vm: Pick<Vm, "observedState" | "desiredState">): string {
  return vm.observedState === vm.desiredState ? vm.observedState : `${vm.observedState} → ${vm.desiredState}`;
}

export function vmTable(vms: Vm[]): string {
  return table(
    ["NAME", "ID", "STATE", "VCPUS", "MEMORY", "HOST", "KIND"],
    vms.map((vm) => [vm.name, vm.id, vmState(vm), vm.vcpus, formatMemory(vm.memoryMb), vm.host?.name, vm.kind]),
  );
}

export function vmDetail(vm: Vm): string {
  const lines: [string, string | number | null | undefined][] = [
    ["Name", vm.name],
    ["ID", vm.id],
    ["State", vmState(vm)],
    ["Reason", vm.stateReason],
    ["Kind", vm.kind],
    ["vCPUs", vm.vcpus],
    ["Memory", formatMemory(vm.memoryMb)],
    ["Template", vm.template?.name],
    ["Host", vm.host ? `${vm.host.name} (${vm.host.status})` : null],
    ["Domain id", vm.domid],
    ["Disks", vm.disks.map((d) => `${d.name} (${d.sizeGb} GiB)`).join(", ")],
    ["Networks", vm.networks.map((n) => n.network.name).join(", ")],
    ["Created", vm.createdAt],
  ];
  return lines
    .filter(([, value]) => value !== null && value !== undefined && value !== "")
    .map(([label, value]) => `${`${label}:`.padEnd(11)}${value}`)
    .join("\n");
}

const MARK: Record<Step["status"], string> = { done: "✓", running: "…", pending: " ", failed: "✗" };

const clock = (at: string | null) => (at ? new Date(at).toISOString().slice(11, 19) : "");

/** One step as a line: "  ✓ dispatched  23:14:29  1 attempt". */
export function stepLine(step: Step): string {
  const parts = [
    `  ${MARK[step.status]} ${step.name.padEnd(10)}`,
    step.status === "running" ? "running" : clock(step.at),
    step.detail ?? "",
  ];
  return parts.filter(Boolean).join("  ").trimEnd();
}

/** The steps worth showing: every one that has started (pending ones are still to come). */
export const visibleSteps = (op: Operation) => op.steps.filter((s) => s.status !== "pending");

/**
 * A key per step state: a step is printed again only when this changes. A done step is printed
 * once (its attempt count may still grow while a later step retries); a running one again when
 * its detail (the retry's reason) changes.
 */
export const stepKey = (step: Step) =>
  `${step.name}:${step.status}${step.status === "done" ? "" : `:${step.detail ?? ""}`}`;

export function operationSummary(op: Operation): string {
  const took = op.durationMs !== null ? ` in ${formatDuration(op.durationMs)}` : "";
  if (op.status === "succeeded") return `${op.action} succeeded${took}`;
  if (op.status === "failed") return `${op.action} failed${took}: ${op.error ?? "no reason given"}`;
  return `${op.action} is ${op.status}`;
}

export function operationDetail(op: Operation): string {
  const lines = [
    `Operation ${op.id}: ${op.action} of VM ${op.vmId}`,
    `Status:    ${op.status}`,
    ...op.steps.map(stepLine),
  ];
  if (op.error) lines.push(`Error:     ${op.error}`);
  if (op.result?.avc.length) lines.push("AVC:", ...op.result.avc.map((l) => `  ${l}`));
  if (op.durationMs !== null) lines.push(`Took:      ${formatDuration(op.durationMs)}`);
  return lines.join("\n");
}
