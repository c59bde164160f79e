/**
 * Realm quotas (pure): what a create needs, whether a realm's usage leaves room for it, and the
 * words of a refusal. Threat: one tenant exhausting the fleet (or the disk and network budget)
 * and blocking every other realm. The decision here explains a refusal; the reservation itself
 * is one conditional UPDATE in the create's transaction (repositories/quotas.ts), so the
 * database, not this function, is what makes concurrent creates safe.
 */

export const QUOTA_RESOURCES = ["vcpus", "memoryMb", "vms", "diskGb", "networks"] as const;
export type QuotaResource = (typeof QUOTA_RESOURCES)[number];
export type QuotaAmounts = Record<QuotaResource, number>;
export type QuotaSnapshot = { limits: QuotaAmounts; used: QuotaAmounts };

/** What is being created: names the object in the refusal ("this VM needs 4"). */
export type QuotaSubject = "VM" | "disk" | "network" | "snapshot" | "resize" | "driver domain";

export const NOTHING: QuotaAmounts = { vcpus: 0, memoryMb: 0, vms: 0, diskGb: 0, networks: 0 };

/** The documented defaults for a new realm (README, Configuration: REALMGATE_DEFAULT_QUOTA). */
export const DEFAULT_QUOTA: QuotaAmounts = { vcpus: 32, memoryMb: 65_536, vms: 20, diskGb: 500, networks: 10 };

/** The largest limit an operator can set (PostgreSQL integer, with room for the sum). */
export const MAX_QUOTA_LIMIT = 1_000_000_000;

const UNIT: Record<QuotaResource, { one: string; many: string; suffix: string; label: string }> = {
  vcpus: { one: "vCPU", many: "vCPUs", suffix: "", label: "vCPUs" },
  memoryMb: { one: "MiB of memory", many: "MiB of memory", suffix: " MiB", label: "Memory (MiB)" },
  vms: { one: "VM", many: "VMs", suffix: "", label: "VMs" },
  diskGb: { one: "GiB of disk", many: "GiB of disk", suffix: " GiB", label: "Disk (GiB)" },
  networks: { one: "network", many: "networks", suffix: "", label: "Networks" },
};

/** A resource's name for people ("vCPUs", "Memory (MiB)"). */
export const quotaLabel = (resource: QuotaResource): string => UNIT[resource].label;

const count = (n: number) => n.toLocaleString("en-US");

/** The form field a refusal belongs to, per object created. */
const FIELD: Record<QuotaSubject, Partial<Record<QuotaResource, string>>> = {
  VM: { vcpus: "vcpus", memoryMb: "memoryMb", vms: "name" },
  disk: { diskGb: "sizeGb" },
  network: { networks: "name" },
  // A snapshot's storage counts against disk GiB; a resize holds only what it adds.
  snapshot: { diskGb: "name" },
  resize: { vcpus: "vcpus", memoryMb: "memoryMb" },
  "driver domain": { vcpus: "name", memoryMb: "name" },
};

export type QuotaDecision =
  | { allowed: true }
  | { allowed: false; resource: QuotaResource; used: number; limit: number; need: number; field: string | null; message: string };

/** What creating one object holds against its realm's quota. */
export function quotaNeed(subject: "VM", size: { vcpus: number; memoryMb: number }): QuotaAmounts;
export function quotaNeed(subject: "disk", size: { sizeGb: number }): QuotaAmounts;
export function quotaNeed(subject: "network"): QuotaAmounts;
export function quotaNeed(subject: "snapshot", size: { sizeGb: number }): QuotaAmounts;
export function quotaNeed(subject: "resize", delta: { vcpus: number; memoryMb: number }): QuotaAmounts;
export function quotaNeed(subject: "driver domain", size: { vcpus: number; memoryMb: number }): QuotaAmounts;
export function quotaNeed(subject: QuotaSubject, size?: { vcpus?: number; memoryMb?: number; sizeGb?: number }): QuotaAmounts {
  switch (subject) {
    case "VM":
      return { ...NOTHING, vcpus: size!.vcpus!, memoryMb: size!.memoryMb!, vms: 1 };
    case "disk":
      return { ...NOTHING, diskGb: size!.sizeGb! };
    case "network":
      return { ...NOTHING, networks: 1 };
    case "snapshot":
      return { ...NOTHING, diskGb: size!.sizeGb! };
    case "resize":
      // What a resize adds (a shrink adds nothing: it is released, not reserved).
      return { ...NOTHING, vcpus: Math.max(0, size!.vcpus ?? 0), memoryMb: Math.max(0, size!.memoryMb ?? 0) };
    case "driver domain":
      // A domain on its host, not one of the realm's VMs: vCPUs and memory only.
      return { ...NOTHING, vcpus: size!.vcpus!, memoryMb: size!.memoryMb! };
  }
}

/**
 * Whether `need` fits beside the realm's usage; the first resource that does not is the refusal
 * ("Acme Corp uses 30 of 32 vCPUs; this VM needs 4"). A resource the request does not use never
 * refuses it, so a realm over one limit (an operator lowered it) can still create other things.
 */
export function decideQuota(orgName: string, snapshot: QuotaSnapshot | null, subject: QuotaSubject, need: QuotaAmounts): QuotaDecision {
  if (!snapshot) {
    // Fail closed: every realm gets its row when it is created; a realm without one is a bug.
    return { allowed: false, resource: "vms", used: 0, limit: 0, need: 0, field: null, message: `${orgName} has no quota on record; ask a platform operator to set one` };
  }
  for (const resource of QUOTA_RESOURCES) {
    const n = need[resource];
    if (n <= 0) continue;
    const used = snapshot.used[resource];
    const limit = snapshot.limits[resource];
    if (used + n <= limit) continue;
    const unit = UNIT[resource];
    const message = `${orgName} uses ${count(used)} of ${count(limit)} ${limit === 1 ? unit.one : unit.many}; this ${subject} needs ${count(n)}${unit.suffix}`;
    return { allowed: false, resource, used, limit, need: n, field: FIELD[subject][resource] ?? null, message };
  }
  return { allowed: true };
}

/** Whether a change raises any limit above the configured defaults (an override: audited as such). */
export function isOverride(limits: QuotaAmounts, defaults: QuotaAmounts): boolean {
  return QUOTA_RESOURCES.some((r) => limits[r] > defaults[r]);
}

/**
 * REALMGATE_DEFAULT_QUOTA: "vcpus=32,memoryMb=65536,vms=20,diskGb=500,networks=10"; a key left
 * out keeps its documented default. Throws with a message naming the bad part.
 */
export function parseQuotaSpec(raw: string | undefined, base: QuotaAmounts = DEFAULT_QUOTA): QuotaAmounts {
  const result = { ...base };
  if (raw === undefined || raw.trim() === "") return result;
  const seen = new Set<string>();
  for (const part of raw.split(",")) {
    const [key, value, ...rest] = part.split("=").map((s) => s.trim());
    if (!key || value === undefined || rest.length) throw new Error(`REALMGATE_DEFAULT_QUOTA: '${part.trim()}' is not key=value`);
    if (!(QUOTA_RESOURCES as readonly string[]).includes(key)) {
      throw new Error(`REALMGATE_DEFAULT_QUOTA: unknown quota '${key}' (known: ${QUOTA_RESOURCES.join(", ")})`);
    }
    if (seen.has(key)) throw new Error(`REALMGATE_DEFAULT_QUOTA: '${key}' is given twice`);
    seen.add(key);
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n > MAX_QUOTA_LIMIT) {
      throw new Error(`REALMGATE_DEFAULT_QUOTA: ${key} must be a whole number from 0 to ${MAX_QUOTA_LIMIT}, got '${value}'`);
    }
    result[key as QuotaResource] = n;
  }
  return result;
}
