import { randomUUID } from "node:crypto";
import { encryptTotpSecret } from "../server/auth/mfa";
import { hashPassword } from "../server/auth/password";
import { transaction, type Db } from "../server/db/client";
import { unsafeRegisterHost } from "../server/repositories/hosts";
import { unsafeInsertMembership } from "../server/repositories/memberships";
import { unsafeEnableTotp, unsafeSavePendingTotp } from "../server/repositories/mfa";
import { MANAGEMENT_TEMPLATE_NAME, unsafeEnsureTemplate, unsafeFindTemplateByName } from "../server/repositories/templates";
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
  // Globex viewers with no second factor yet: the MFA journeys (e2e/mfa.spec.ts) enrol them.
  { email: "gina@globex.test", name: "Gina Viewer", org: "globex", role: "viewer" },
  { email: "pete@globex.test", name: "Pete Viewer", org: "globex", role: "viewer" },
  // A consultant in two organizations: the header's realm switcher (e2e/realm-switcher.spec.ts).
  // Acme is its first membership: /realm without ?org= shows Acme.
  { email: "casey@consult.test", name: "Casey Consultant", org: "acme", role: "admin", alsoIn: { org: "globex", role: "viewer" } },
  { email: "ops@realmgate.test", name: "Pat Platform", org: null, role: "platform operator" },
  // Signed up, member of nothing yet: /realm says to ask an owner for an invitation.
  { email: "nomad@realmgate.test", name: "Nora Nomad", org: null, role: "no organization" },
] as const;

/**
 * The demo operator's TOTP secret (base32), fixed so the demo and the e2e suite can compute its
 * codes: operators need a second factor to request break-glass. Add it to an authenticator app,
 * or print a code with `node -e 'import("otplib").then(async o=>console.log(await o.generate({secret:"REALMGATEDEMOOPSTOTPSECRET234567"})))'`.
 * A demo value: a real installation enrols its operators' own authenticators.
 */
export const DEMO_OPERATOR_TOTP_SECRET = "REALMGATEDEMOOPSTOTPSECRET234567";

const ORGS = [
  { slug: "acme", name: "Acme Corp", guest: "web-1" },
  { slug: "globex", name: "Globex", guest: "db-1" },
] as const;

export const TEMPLATES = [
  { name: MANAGEMENT_TEMPLATE_NAME, description: "Realm management domain (orchestration VM)", vcpus: 1, memoryMb: 512, diskGb: 4 },
  { name: "debian-12-small", description: "Debian 12, small", vcpus: 1, memoryMb: 1024, diskGb: 10 },
  { name: "debian-12-medium", description: "Debian 12, medium", vcpus: 2, memoryMb: 4096, diskGb: 40 },
  { name: "alpine-3-tiny", description: "Alpine 3, tiny", vcpus: 1, memoryMb: 256, diskGb: 2 },
] as const;

export type HostSpec = { name: string; agentUrl: string; vcpus: number; memoryMb: number };

/** Hosts are (re)registered at every start: their agent URLs follow the configured ports. */
export async function registerHosts(db: Db, hosts: HostSpec[]): Promise<void> {
  for (const host of hosts) await unsafeRegisterHost(db, host);
}

export async function seedDemoData(db: Db, range: CategoryRange, secrets: { nextAuthSecret?: string } = {}): Promise<boolean> {
  if ((await unsafeCountUsers(db)) > 0) return false;
  const requestId = `seed-${randomUUID()}`;
  for (const t of TEMPLATES) await unsafeEnsureTemplate(db, { id: randomUUID(), ...t });
  const mgmt = (await unsafeFindTemplateByName(db, MANAGEMENT_TEMPLATE_NAME))!;
  const small = (await unsafeFindTemplateByName(db, "debian-12-small"))!;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const users = new Map<string, string>();
  for (const account of DEMO_ACCOUNTS) {
    const id = randomUUID();
    users.set(account.email, id);
    const isPlatformOperator = account.role === "platform operator";
    await unsafeInsertUser(db, { id, email: account.email, name: account.name, passwordHash, isPlatformOperator });
    if (isPlatformOperator) {
      await unsafeSavePendingTotp(db, id, encryptTotpSecret(id, DEMO_OPERATOR_TOTP_SECRET, secrets.nextAuthSecret));
      await unsafeEnableTotp(db, id, 0);
    }
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
      await unsafeInsertMembership(db, { orgId, userId: users.get(member.email)!, role: member.role as "admin" | "operator" | "viewer" });
    }
    // Second memberships come after every first one (ORGS are seeded in order): first is first.
    for (const member of DEMO_ACCOUNTS.filter((a) => "alsoIn" in a && a.alsoIn.org === org.slug)) {
      if ("alsoIn" in member) await unsafeInsertMembership(db, { orgId, userId: users.get(member.email)!, role: member.alsoIn.role });
    }
    await transaction(db, (tx) => requestVmCreate(tx, tx, { realmId, name: org.guest, templateId: small.id, actor, rule: "demo data", requireOnlineHost: false }));
  }
  return true;
}
