import {
  test as base,
  expect,
  type APIRequestContext,
  type APIResponse,
  type BrowserContext,
  type Cookie,
  type Page,
} from "@playwright/test";
import { randomBytes } from "node:crypto";
import { generate } from "otplib";
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Shared helpers for the e2e suite. One product instance serves every test (see
 * scripts/e2e-server.ts), so tests create their own VMs with unique names and wait explicitly
 * for worker-driven state changes.
 */

export const PASSWORD = "realmgate-demo";

export const USERS = {
  alice: "alice@acme.test", // owner of Acme Corp
  olivia: "olivia@acme.test", // operator role in Acme: start/stop, no create/destroy
  victor: "victor@acme.test", // viewer in Acme
  bob: "bob@globex.test", // owner of Globex
  gina: "gina@globex.test", // viewer in Globex, no MFA until e2e/mfa.spec.ts enrols TOTP
  pete: "pete@globex.test", // viewer in Globex, no MFA until e2e/mfa.spec.ts registers a passkey
  ops: "ops@realmgate.test", // platform operator, no org
  casey: "casey@consult.test", // admin in Acme (the first membership), viewer in Globex: the realm switcher
  nomad: "nomad@realmgate.test", // no organization at all
} as const;

/** Worker-driven changes (agent round trips, host heartbeats) get this long. */
export const STATE_TIMEOUT = 20_000;

/** A VM name matching ^[a-z][a-z0-9-]*$, unique per call. */
export function uniqueName(prefix = "e2e"): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `e2e/artifacts/screenshots/${name}.png`, fullPage: true });
}

// ---------------------------------------------------------------------------------------------
// Sign-in

/**
 * The demo operator's TOTP secret (prisma/seed.ts DEMO_OPERATOR_TOTP_SECRET): operators need a
 * second factor for break-glass, so ops signs in with password + a computed code.
 */
export const DEMO_OPERATOR_TOTP_SECRET = "REALMGATEDEMOOPSTOTPSECRET234567";
const TOTP_SECRETS: Partial<Record<string, string>> = { [USERS.ops]: DEMO_OPERATOR_TOTP_SECRET };

/** The TOTP code of `secret` for the 30 s step `stepsAhead` after the current one. */
export async function totpCode(secret: string, stepsAhead = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * stepsAhead });
}

/**
 * Through the sign-in form, as a person would. Does not wait for the landing page. With a TOTP
 * secret (ops by default), answers the second step with a current code.
 */
export async function signIn(page: Page, email: string, password = PASSWORD, totpSecret = TOTP_SECRETS[email]): Promise<void> {
  await page.goto("/signin");
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  if (!totpSecret) return;
  const code = page.locator('input[name="code"]');
  await code.waitFor();
  // As in apiSignIn: another worker's sign-in may have used this step's code; then the form says
  // so, and a person would enter the next code.
  const reused = page.getByText("That code was already used.");
  const deadline = Date.now() + 4 * 30_000;
  for (let attempt = 0; ; attempt++) {
    await code.fill(await totpCode(totpSecret, attempt % 2));
    await page.getByRole("button", { name: "Verify" }).click();
    const outcome = await Promise.race([
      page.waitForURL((url) => url.pathname !== "/signin", { timeout: 15_000 }).then(() => "signed-in" as const, () => "unknown" as const),
      reused.waitFor({ timeout: 15_000 }).then(() => "reused" as const, () => "unknown" as const),
    ]);
    if (outcome !== "reused" || Date.now() > deadline) return;
    if (attempt % 2 === 1) await pause(31_000 - (Date.now() % 30_000));
  }
}

/** The `error` of a next-auth JSON answer ({url}), or null. */
async function signInError(response: APIResponse): Promise<string | null> {
  const body = (await response.json().catch(() => null)) as { url?: string } | null;
  return body?.url ? new URL(body.url, "http://localhost").searchParams.get("error") : null;
}

/**
 * next-auth credentials sign-in over HTTP: the session cookie lands in the request context's
 * cookie jar (for `page.request` that is the browser context's jar, so pages are signed in too).
 */
export async function apiSignIn(request: APIRequestContext, email: string, password = PASSWORD, totpSecret = TOTP_SECRETS[email]): Promise<void> {
  const csrf = await request.get("/api/auth/csrf");
  expect(csrf.ok()).toBe(true);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const post = (code?: string) =>
    request.post("/api/auth/callback/credentials", {
      form: { csrfToken, email, password, json: "true", ...(code ? { code } : {}) },
      maxRedirects: 0,
    });
  let response = await post();
  if (totpSecret && (await signInError(response)) === "MfaRequired") {
    // A code is accepted once (its 30 s step is then used): another sign-in of the same user in
    // this step takes the next step's code (accepted one step early), and a third waits for it.
    // Sign-ins of the same user in other workers may take each step first: keep going for up to
    // four steps (the test's own timeout is longer).
    const deadline = Date.now() + 4 * 30_000;
    for (let attempt = 0; ; attempt++) {
      response = await post(await totpCode(totpSecret, attempt % 2));
      if ((await signInError(response)) !== "MfaReused" || Date.now() > deadline) break;
      if (attempt % 2 === 1) await pause(31_000 - (Date.now() % 30_000));
    }
  }
  expect(response.status(), `sign-in of ${email} (${await signInError(response)})`).toBe(200);
  expect(await sessionEmail(request), `session of ${email}`).toBe(email);
}

/**
 * Sessions of TOTP users (ops) kept by this worker process: their cookies, per email.
 *
 * A TOTP code is accepted once, and at most one 30 s step early, so one account can complete a
 * second-factor sign-in about once per step. The suite's operator tests run on several workers;
 * signing ops in afresh for each test made them queue for codes (a test once waited past its
 * timeout). The product's rule stays: each worker signs ops in once, through the same form post,
 * and later tests reuse that session's cookies, after checking that the session still stands (a
 * test that signed out or revoked it makes the next one sign in again).
 */
const keptSessions = new Map<string, Cookie[]>();

/**
 * Signs `page`'s browser context in as `email`. Users without a second factor sign in afresh
 * (apiSignIn); a TOTP user reuses this worker's session when it still stands.
 */
export async function signInPage(page: Page, email: string): Promise<void> {
  const context = page.context();
  if (!TOTP_SECRETS[email]) return apiSignIn(page.request, email);
  const kept = keptSessions.get(email);
  if (kept) {
    await context.addCookies(kept);
    if ((await sessionEmail(page.request)) === email) return;
    await context.clearCookies();
    keptSessions.delete(email);
  }
  await apiSignIn(page.request, email);
  keptSessions.set(email, await context.cookies());
}

/** The signed-in user's email per next-auth, or null without a session. */
export async function sessionEmail(request: APIRequestContext): Promise<string | null> {
  const response = await request.get("/api/auth/session");
  expect(response.ok()).toBe(true);
  const session = (await response.json()) as { user?: { email?: string } } | null;
  return session?.user?.email ?? null;
}

// ---------------------------------------------------------------------------------------------
// Platform-wide state across workers
//
// A few tests change state that every realm or every test sees: an operator's break-glass grant
// (ops's /realm stops being not-found) and Chinese Wall conflict sets (placement and migration of
// every VM of the two realms); a few read "the newest N" of a shared list (denials of all realms,
// Acme's audit trail) that other tests' activity would push their rows out of. Those tests run
// under an exclusive lock; every other test holds the same lock shared, so nothing else runs
// meanwhile (operator-tools.spec.ts holds the only exclusive ones). A reader-writer
// lock between worker processes, made of files: a writer first claims `writer` (O_EXCL), then
// waits until no reader file remains; a reader writes its file, then backs off while a writer
// claims the lock. Files of dead processes (a killed run) are stale and removed.

const LOCK_DIR = path.join(tmpdir(), "realmgate-e2e-platform-lock-3100");
const READERS = path.join(LOCK_DIR, "readers");
const WRITER = path.join(LOCK_DIR, "writer");

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** No test holds the lock this long (test timeout 60 s): older files are left over from a killed run. */
const STALE_MS = 180_000;

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

/** Whether a writer holds or claims the lock; a stale writer file is removed. */
function writerPresent(): boolean {
  let text: string;
  try {
    text = readFileSync(WRITER, "utf8");
  } catch {
    return false;
  }
  const pid = Number(text);
  const age = ageMs(WRITER);
  // A pid not written yet: just claimed, alive while young.
  const alive = Number.isInteger(pid) && pid > 0 ? processAlive(pid) && age < STALE_MS : age < 5_000;
  if (!alive) rmSync(WRITER, { force: true });
  return alive;
}

function readersPresent(): boolean {
  return readdirSync(READERS).some((file) => {
    const full = path.join(READERS, file);
    if (processAlive(Number(file.split("-")[0])) && ageMs(full) < STALE_MS) return true;
    rmSync(full, { force: true });
    return false;
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function acquirePlatformLock(mode: "shared" | "exclusive"): Promise<() => void> {
  mkdirSync(READERS, { recursive: true });
  if (mode === "shared") {
    const file = `${process.pid}-${randomBytes(4).toString("hex")}`;
    const full = path.join(READERS, file);
    for (;;) {
      if (!writerPresent()) {
        writeFileSync(full, String(process.pid));
        // Re-checked after writing: a writer that claimed meanwhile either sees this file or is seen here.
        if (!writerPresent()) return () => rmSync(full, { force: true });
        rmSync(full, { force: true });
      }
      await pause(100);
    }
  }
  for (;;) {
    try {
      const fd = openSync(WRITER, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      writerPresent();
      await pause(100);
    }
  }
  while (readersPresent()) await pause(100);
  return () => rmSync(WRITER, { force: true });
}

type Fixtures = {
  /** Opens a fresh browser context signed in (via the API) as `email`; closed after the test. */
  pageAs: (email: string) => Promise<Page>;
  /**
   * "exclusive" for a test that changes platform-wide state (break-glass, Chinese Wall): no other
   * test runs meanwhile. Set with `test.use({ platformLock: "exclusive" })` in a describe block.
   */
  platformLock: "shared" | "exclusive";
  platformLockHeld: void;
};

export const test = base.extend<Fixtures>({
  platformLock: ["shared", { option: true }],
  platformLockHeld: [
    async ({ platformLock }, use) => {
      const release = await acquirePlatformLock(platformLock);
      try {
        await use();
      } finally {
        release();
      }
    },
    // Waiting is expected: the platform-wide tests run one at a time and several take 20–30 s
    // each, so a shared test queued behind them can wait well over a minute on two workers.
    { auto: true, timeout: 180_000 },
  ],
  pageAs: async ({ browser }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (email) => {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      await signInPage(page, email);
      return page;
    });
    for (const context of contexts) await context.close();
  },
});

export { expect };

// ---------------------------------------------------------------------------------------------
// tRPC over HTTP (superjson wire format: input `{"json": value}`, result `{"result":{"data":{"json": …}}}`)

export type TrpcError = {
  message: string;
  code: string;
  httpStatus: number;
  fieldErrors?: Record<string, string[]> | null;
};
export type TrpcResult<T> = {
  status: number;
  data: T | undefined;
  error: TrpcError | undefined;
  response: APIResponse;
};

async function parseTrpc<T>(response: APIResponse): Promise<TrpcResult<T>> {
  const body = (await response.json()) as {
    result?: { data?: { json?: T } };
    error?: {
      json?: {
        message: string;
        data?: { code: string; httpStatus: number; fieldErrors?: Record<string, string[]> | null };
      };
    };
  };
  const e = body.error?.json;
  return {
    status: response.status(),
    data: body.result?.data?.json,
    error: e
      ? {
          message: e.message,
          code: e.data?.code ?? "",
          httpStatus: e.data?.httpStatus ?? 0,
          fieldErrors: e.data?.fieldErrors,
        }
      : undefined,
    response,
  };
}

export async function trpcQuery<T = unknown>(
  request: APIRequestContext,
  path: string,
  input?: unknown,
): Promise<TrpcResult<T>> {
  const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  return parseTrpc<T>(await request.get(`/api/trpc/${path}${query}`));
}

export async function trpcMutation<T = unknown>(
  request: APIRequestContext,
  path: string,
  input: unknown,
): Promise<TrpcResult<T>> {
  return parseTrpc<T>(await request.post(`/api/trpc/${path}`, { data: { json: input } }));
}

/** Fails the test with the error when a call did not succeed. */
/** Every item of a cursor-paginated list ({items, nextCursor}), following nextCursor 200 at a time. */
export async function trpcAllPages<T>(request: APIRequestContext, path: string, input: Record<string, unknown> = {}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = ok(await trpcQuery<{ items: T[]; nextCursor: string | null }>(request, path, { ...input, limit: 200, ...(cursor ? { cursor } : {}) }));
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

export function ok<T>(result: TrpcResult<T>): T {
  expect(result.error, `tRPC error ${JSON.stringify(result.error)}`).toBeUndefined();
  expect(result.status).toBe(200);
  return result.data as T;
}

export type VmSummary = { id: string; name: string; kind: "guest" | "management"; observedState: string };
export type Template = { id: string; name: string; vcpus: number; memoryMb: number };

/** A page of vm.list (cursor-paginated): `{ items, nextCursor }`. */
export type VmPage<T = VmSummary> = { items: T[]; nextCursor: string | null };

export async function listVms(request: APIRequestContext): Promise<VmSummary[]> {
  return listAll<VmSummary>(request, "vm.list");
}

/** Every item of a cursor-paginated list procedure (disk.list, template.list…): follows nextCursor to the last page. */
export async function listAll<T>(request: APIRequestContext, path: string, input: Record<string, unknown> = {}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = ok(await trpcQuery<VmPage<T>>(request, path, { ...input, limit: 200, ...(cursor ? { cursor } : {}) }));
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

export async function vmIdByName(request: APIRequestContext, name: string): Promise<string> {
  const vm = (await listVms(request)).find((v) => v.name === name);
  expect(vm, `VM ${name} in the caller's realm`).toBeDefined();
  return vm!.id;
}

/** Creates a VM through the API (caller needs vm.create) and waits until the worker made it. */
export async function createVm(request: APIRequestContext, name: string, template = "alpine-3-tiny"): Promise<string> {
  const templates = await listAll<Template>(request, "template.list");
  const templateId = templates.find((t) => t.name === template)?.id;
  expect(templateId, `template ${template}`).toBeDefined();
  const { vmId } = ok(
    await trpcMutation<{ vmId: string; operationId: string }>(request, "vm.create", { name, templateId }),
  );
  await expectVmState(request, vmId, "stopped");
  return vmId;
}

/** Polls vm.get until the VM reaches `state` (worker-driven, so allow STATE_TIMEOUT). */
export async function expectVmState(request: APIRequestContext, vmId: string, state: string): Promise<void> {
  await expect
    .poll(async () => (await trpcQuery<VmSummary>(request, "vm.get", { vmId })).data?.observedState, {
      message: `VM ${vmId} becomes ${state}`,
      timeout: STATE_TIMEOUT,
    })
    .toBe(state);
}

/** Creates a VM named `name` through the API, starts it and returns its id once it runs. */
export async function createRunningVm(request: APIRequestContext, name: string): Promise<string> {
  const vmId = await createVm(request, name);
  ok(await trpcMutation(request, "vm.start", { vmId }));
  await expectVmState(request, vmId, "running");
  return vmId;
}

/** Polls operation.get until the operation succeeded (worker-driven, so allow STATE_TIMEOUT). */
export async function expectOperationSucceeded(request: APIRequestContext, operationId: string): Promise<void> {
  await expect
    .poll(async () => ok(await trpcQuery<{ status: string }>(request, "operation.get", { operationId })).status, { timeout: STATE_TIMEOUT })
    .toBe("succeeded");
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
