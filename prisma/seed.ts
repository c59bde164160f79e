import { randomUUID } from "node:crypto";
import { hashPassword } from "../server/auth/password";
import { transaction, type Db } from "../server/db/client";
import { unsafeRegisterHost } from "../server/repositories/hosts";
import { unsafeInsertMembership } from "../server/repositories/memberships";
import { unsafeEnsureTemplate, unsafeFindTemplateByName } from "../server/repositories/templates";
import { unsafeCountUsers, unsafeInsertUser } from "../server/repositories/users";
import type { CategoryRange } from "../server/services/categories";
import { requestVmCreate } from "../server/services/lifecycle";
import { createOrganization } from "../server/services/organizations";

/**
 * Demo data for a new installation: two organizations (two realms), their members, a platform
 * operator, and VM templates. Runs only when the database has no users. `db` is the platform
 * client.
 */

export const DEMO_PASSWORD = "realmgate-demo";

export const DEMO_ACCOUNTS = [
  { email: "alice@acme.test", name: "Alice Admin", org: "acme", role: "owner" },
  { email: "olivia@acme.test", name: "Olivia Operator", org: "acme", role: "operator" },
  { email: "victor@acme.test", name: "Victor Viewer", org: "acme", role: "viewer" },
  { email: "bob@globex.test", name: "Bob Owner", org: "globex", role: "owner" },
  { email: "ops@realmgate.test", name: "Pat Platform", org: null, role: "platform operator" },
] as const;

const ORGS = [
  { slug: "acme", name: "Acme Corp", guest: "web-1" },
  { slug: "globex", name: "Globex", guest: "db-1" },
] as const;

export const TEMPLATES = [
  { name: "realm-mgmt", description: "Realm management domain (orchestration VM)", vcpus: 1, memoryMb: 512, diskGb: 4 },
  { name: "debian-12-small", description: "Debian 12, small", vcpus: 1, memoryMb: 1024, diskGb: 10 },
  { name: "debian-12-medium", description: "Debian 12, medium", vcpus: 2, memoryMb: 4096, diskGb: 40 },
  { name: "alpine-3-tiny", description: "Alpine 3, tiny", vcpus: 1, memoryMb: 256, diskGb: 2 },
] as const;

export type HostSpec = { name: string; agentUrl: string; vcpus: number; memoryMb: number };

/** Hosts are (re)registered at every start: their agent URLs follow the configured ports. */
export async function registerHosts(db: Db, hosts: HostSpec[]): Promise<void> {
  for (const host of hosts) await unsafeRegisterHost(db, host);
}

export async function seedDemoData(db: Db, range: CategoryRange): Promise<boolean> {
  if ((await unsafeCountUsers(db)) > 0) return false;
  const requestId = `seed-${randomUUID()}`;
  for (const t of TEMPLATES) await unsafeEnsureTemplate(db, { id: randomUUID(), ...t });
  const mgmt = (await unsafeFindTemplateByName(db, "realm-mgmt"))!;
  const small = (await unsafeFindTemplateByName(db, "debian-12-small"))!;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const users = new Map<string, string>();
  for (const account of DEMO_ACCOUNTS) {
    const id = randomUUID();
    users.set(account.email, id);
    await unsafeInsertUser(db, { id, email: account.email, name: account.name, passwordHash, isPlatformOperator: account.org === null });
  }
  for (const org of ORGS) {
    const owner = DEMO_ACCOUNTS.find((a) => a.org === org.slug && a.role === "owner")!;
    const actor = { userId: users.get(owner.email)!, requestId };
    const { orgId, realmId } = await createOrganization(db, {
      name: org.name,
      slug: org.slug,
      ownerUserId: actor.userId,
      range,
      managementTemplateId: mgmt.id,
      actor,
    });
    for (const member of DEMO_ACCOUNTS.filter((a) => a.org === org.slug && a.role !== "owner")) {
      await unsafeInsertMembership(db, { orgId, userId: users.get(member.email)!, role: member.role as "operator" | "viewer" });
    }
    await transaction(db, (tx) => requestVmCreate(tx, tx, { realmId, name: org.guest, templateId: small.id, actor, rule: "demo data", requireOnlineHost: false }));
  }
  return true;
}
