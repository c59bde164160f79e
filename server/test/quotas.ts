import pg from "pg";

/**
 * Realms made by tests are not limited by the documented default quota (a fault test drives 24
 * VMs through one realm); tests about quotas set a realm's limits themselves.
 */
export async function liftDefaultQuotas(ownerUrl: string): Promise<void> {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    await owner.query(`UPDATE "quota_defaults" SET "vcpus" = 100000, "memory_mb" = 100000000, "vms" = 100000, "disk_gb" = 10000000, "networks" = 100000`);
  } finally {
    await owner.end();
  }
}
