import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";
import { createContext } from "../api/context";
import { createCaller } from "../api/root";
import { handleRest, REST_BASE } from "../api/rest";
import { startSession } from "../auth/sessions";
import type { Role } from "../policy/permissions";
import { createOrganization } from "../services/organizations";
import { DEFAULT_CATEGORY_RANGE } from "../services/categories";

/** Small factories for integration tests: hosts, templates, a tenant with members of each role. */

// A fixed hash: password checks are not what these tests are about.
const UNUSED_PASSWORD_HASH = "$argon2id$v=19$m=19456,t=2,p=1$dW51c2VkLXNhbHQ$unused";

export async function setupPlatform(db: Db, options: { hostStatus?: "online" | "unreachable"; agentUrls?: string[] } = {}) {
  const urls = options.agentUrls ?? ["http://127.0.0.1:9", "http://127.0.0.1:9"];
  const hosts = [];
  for (const [i, agentUrl] of urls.entries()) {
    hosts.push(
      await db.host.create({
        data: { id: randomUUID(), name: `host-${i}-${randomUUID().slice(0, 6)}`, agentUrl, vcpus: 16, memoryMb: 32_768, status: options.hostStatus ?? "online" },
      }),
    );
  }
  const { template, mgmtTemplate } = await createTemplates(db, { nameSuffix: `-${randomUUID().slice(0, 6)}` });
  return { hosts, template, mgmtTemplate };
}

export type TemplateSize = { vcpus: number; memoryMb: number; diskGb: number };
/** The management VM's template (every realm gets one such VM) and a small guest's. */
export const MGMT_TEMPLATE: TemplateSize = { vcpus: 1, memoryMb: 256, diskGb: 1 };
export const SMALL_TEMPLATE: TemplateSize = { vcpus: 1, memoryMb: 512, diskGb: 4 };

/** The two templates every test platform has: "small" for guests and "mgmt" for the realms' management VMs. */
export async function createTemplates(db: Db, options: { small?: Partial<TemplateSize>; nameSuffix?: string } = {}) {
  const suffix = options.nameSuffix ?? "";
  const template = await db.template.create({
    data: { id: randomUUID(), name: `small${suffix}`, description: "test", ...SMALL_TEMPLATE, ...options.small },
  });
  const mgmtTemplate = await db.template.create({
    data: { id: randomUUID(), name: `mgmt${suffix}`, description: "test mgmt", ...MGMT_TEMPLATE },
  });
  return { template, mgmtTemplate };
}

/**
 * A user; a platform operator comes with a second factor enrolled, as break-glass requires (the
 * secret is never checked here: sign-in is not what these tests are about).
 */
export async function createUser(db: Db, name: string, isPlatformOperator = false) {
  return db.user.create({
    data: {
      id: randomUUID(),
      email: `${name}-${randomUUID().slice(0, 8)}@test.local`,
      name,
      passwordHash: UNUSED_PASSWORD_HASH,
      isPlatformOperator,
      ...(isPlatformOperator ? { totp: { create: { secretCiphertext: "unused-in-tests", enabledAt: new Date() } } } : {}),
    },
  });
}

export type Tenant = Awaited<ReturnType<typeof setupTenant>>;

export async function setupTenant(db: Db, slug: string, mgmtTemplateId: string) {
  const owner = await createUser(db, `${slug}-owner`);
  const { orgId, realmId, category } = await createOrganization(db, {
    name: slug,
    slug: `${slug}-${randomUUID().slice(0, 6)}`,
    ownerUserId: owner.id,
    range: DEFAULT_CATEGORY_RANGE,
    managementTemplateId: mgmtTemplateId,
    actor: { userId: owner.id, requestId: "test" },
  });
  const members: Record<Role, { id: string }> = { owner, admin: owner, operator: owner, viewer: owner };
  for (const role of ["admin", "operator", "viewer"] as const) {
    const user = await createUser(db, `${slug}-${role}`);
    await db.membership.create({ data: { orgId, userId: user.id, role } });
    members[role] = user;
  }
  return { orgId, realmId, category, members };
}

/**
 * A tRPC caller as the web route builds it: tenant and platform clients of the test database,
 * and a signed-in user: a fresh server-side session with the user's current epoch, made on the
 * caller's first call (a token minted now). With `sid`, that session and `sessionEpoch` instead.
 */
export function callerFor(
  t: { db: Db; tenantDb: Db },
  user: { id: string; sessionEpoch?: number; sid?: string } | null,
  // As the route derives it from the request (edge/same-origin.ts); tests call as the app would.
  // requestedOrg: the organization the request names (edge/realm-selection.ts); none: the first.
  origin: { provenSameOrigin: boolean; requestedOrg?: string | null } = { provenSameOrigin: true },
) {
  if (!user) return createCaller(createContext({ tenant: t.tenantDb, platform: t.db }, null, undefined, origin));
  let claim: Promise<{ sid: string; epoch: number }> | undefined;
  return createCaller(async () => {
    claim ??= user.sid
      ? Promise.resolve({ sid: user.sid, epoch: user.sessionEpoch ?? 0 })
      : startSession(t.db, user.id, { userAgent: "integration test", clientAddress: null }).catch(
          () => ({ sid: randomUUID(), epoch: 0 }), // no such user: a session id with no row, refused like any other
        );
    const { sid, epoch } = await claim;
    return createContext({ tenant: t.tenantDb, platform: t.db }, { id: user.id, epoch, sid }, undefined, origin);
  });
}

/** A tRPC caller authenticated by an API token (`Authorization: Bearer`), from `peer`. */
export function tokenCallerFor(t: { db: Db; tenantDb: Db }, token: string, peer = "127.0.0.1") {
  return createCaller(createContext({ tenant: t.tenantDb, platform: t.db }, null, undefined, { provenSameOrigin: true, bearer: token, peer }));
}

/**
 * The REST surface (/api/v1) as the route runs it: `rest("GET", "/vms", { token })`. With `user`
 * instead of a token, a browser's session cookie (same-origin, as the console would send).
 */
export function restFor(t: { db: Db; tenantDb: Db }) {
  return async (
    method: string,
    path: string,
    options: { token?: string; user?: { id: string }; body?: unknown; headers?: Record<string, string> } = {},
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads whatever JSON the API answered
  ): Promise<{ status: number; headers: Headers; body: any }> => {
    const headers = new Headers(options.headers);
    if (options.token !== undefined) headers.set("authorization", `Bearer ${options.token}`);
    if (options.body !== undefined) headers.set("content-type", "application/json");
    if (options.user) headers.set("x-realmgate-client", "web");
    const session = options.user ? await startSession(t.db, options.user.id, { userAgent: "rest test", clientAddress: null }) : null;
    const epoch = options.user ? (await t.db.user.findUniqueOrThrow({ where: { id: options.user.id } })).sessionEpoch : 0;
    const response = await handleRest(
      new Request(`http://localhost${REST_BASE}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) }),
      { clients: { tenant: t.tenantDb, platform: t.db }, sessionUser: async () => (session && options.user ? { id: options.user.id, epoch, sid: session.sid } : null) },
    );
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };
}
