import type { APIRequestContext, APIResponse } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { apiSignIn, expect, PASSWORD, screenshot, test, trpcMutation, trpcQuery, USERS } from "./fixtures";

/**
 * Server-side sessions and sign-in throttling, in the running product (server/auth/sessions.ts,
 * server/auth/throttle.ts). Integration tests cover the same logic in depth
 * (server/api/sessions.int.test.ts, server/auth/throttle.int.test.ts); these prove the real
 * next-auth routes, cookies and pages behave.
 */

/**
 * A client address of its own per test, so throttling here never locks the suite's loopback
 * address (server/auth/client-address.ts reads X-Forwarded-For: its first hop without a trusted
 * proxy, its last with REALMGATE_TRUST_PROXY=1; both are unique here).
 */
const freshAddress = () => `203.0.113.${1 + (randomBytes(1)[0]! % 250)}, 10.${randomBytes(1)[0]}.0.1`;

test.describe("sessions end server-side", () => {
  test("a cookie copied before sign-out is refused after sign-out", async ({ browser }) => {
    const original = await browser.newContext();
    const copy = await browser.newContext();
    try {
      await apiSignIn(original.request, USERS.olivia);
      await copy.addCookies(await original.cookies());
      expect((await trpcQuery(copy.request, "session.me")).status).toBe(200);

      // Sign out in the first browser, as a person would.
      const page = await original.newPage();
      await page.goto("/realm");
      await page.getByRole("button", { name: "Sign out" }).click();
      await expect(page).toHaveURL(/\/signin$/);

      // The copy still carries a JWT next-auth would accept; the server refuses its session.
      const me = await trpcQuery(copy.request, "session.me");
      expect(me.status).toBe(401);
      expect(me.error?.code).toBe("UNAUTHORIZED");
      const copyPage = await copy.newPage();
      await copyPage.goto("/realm");
      await expect(copyPage).toHaveURL(/\/signin$/);
    } finally {
      await Promise.all([original.close(), copy.close()]);
    }
  });

  test("the account page lists sessions, marks this one, and revokes another", async ({ browser }) => {
    const tag = randomBytes(4).toString("hex");
    const laptop = await browser.newContext({ userAgent: `laptop-${tag}` });
    const phone = await browser.newContext({ userAgent: `phone-${tag}` });
    try {
      await apiSignIn(laptop.request, USERS.olivia);
      await apiSignIn(phone.request, USERS.olivia);
      const page = await laptop.newPage();
      await page.goto("/account");
      await expect(page.getByRole("heading", { name: "Account" })).toBeVisible();
      await expect(page.getByTestId("session-row").filter({ hasText: "this session" })).toContainText(`laptop-${tag}`);
      const phoneRow = page.getByTestId("session-row").filter({ hasText: `phone-${tag}` });
      await expect(phoneRow).toBeVisible();
      await screenshot(page, "account-sessions");

      await phoneRow.getByRole("button", { name: "Revoke" }).click();
      await expect(phoneRow).toHaveCount(0);
      expect((await trpcQuery(phone.request, "session.me")).status).toBe(401);
      expect((await trpcQuery(laptop.request, "session.me")).status).toBe(200);

      // Another user's session id (or none at all) answers NOT_FOUND, and ends nothing.
      const missing = await trpcMutation(laptop.request, "session.revoke", { sessionId: crypto.randomUUID() });
      expect([missing.status, missing.error?.message]).toEqual([404, "session not found"]);
    } finally {
      await Promise.all([laptop.close(), phone.close()]);
    }
  });

  test("the password form names the field that is wrong", async ({ page }) => {
    await apiSignIn(page.request, USERS.olivia);
    await page.goto("/account");
    const form = page.getByTestId("change-password");
    await form.locator('input[name="currentPassword"]').fill("not-the-password");
    await form.locator('input[name="newPassword"]').fill("short");
    await form.locator('input[name="confirm"]').fill("short");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByTestId("newPassword-error")).toHaveText("the new password must have at least 12 characters");
    await form.locator('input[name="newPassword"]').fill("a long enough passphrase");
    await form.locator('input[name="confirm"]').fill("a long enough passphrase");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByTestId("currentPassword-error")).toHaveText("the current password is not correct");
    // Nothing changed: still signed in.
    expect((await trpcQuery(page.request, "session.me")).status).toBe(200);
  });
});

/** One credentials sign-in over HTTP from the given client address. */
async function attempt(request: APIRequestContext, email: string, address: string): Promise<{ response: APIResponse; ms: number }> {
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const started = performance.now();
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email, password: "not-the-password", json: "true" },
    headers: { "x-forwarded-for": address },
    maxRedirects: 0,
  });
  return { response, ms: performance.now() - started };
}

type Answer = { status: number; retryAfter: string | undefined; headers: string[]; body: string; ms: number };

async function thirtyWrongPasswords(request: APIRequestContext, email: string): Promise<Answer[]> {
  const address = freshAddress();
  const answers: Answer[] = [];
  for (let i = 0; i < 30; i++) {
    const { response, ms } = await attempt(request, email, address);
    const headers = response.headers();
    answers.push({
      status: response.status(),
      retryAfter: headers["retry-after"],
      // Per-response values (dates, request ids, nonces, cookies) aside, the same header names.
      headers: Object.keys(headers).filter((h) => !["date", "set-cookie", "x-request-id", "content-length"].includes(h)).sort(),
      body: (await response.text()).replace(/\d+/g, "n"),
      ms,
    });
  }
  return answers;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

test.describe("sign-in throttling", () => {
  // Locks a real account for 30 s: nothing else runs meanwhile, and the account is signed in
  // (its counters cleared) before the lock is released.
  test.use({ platformLock: "exclusive" });

  test("30 wrong passwords in a row get 429 with Retry-After after the 5th, and an unknown email is answered identically", async ({ request }) => {
    test.setTimeout(120_000);
    // A successful sign-in first clears the account's counters (an earlier run's lockouts).
    await apiSignIn(request, USERS.victor, PASSWORD);
    const known = await thirtyWrongPasswords(request, USERS.victor);
    const unknown = await thirtyWrongPasswords(request, `nobody-${randomBytes(4).toString("hex")}@nowhere.test`);

    // next-auth answers a wrong password 401 (CredentialsSignin); from the 6th attempt, 429.
    expect(known.map((a) => a.status)).toEqual([...Array(5).fill(401), ...Array(25).fill(429)]);
    for (const answer of known.slice(5)) {
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
      expect(Number(answer.retryAfter)).toBeLessThanOrEqual(30);
    }
    // Same statuses, header names and bodies (numbers aside: Retry-After counts down).
    const shape = (answers: Answer[]) => answers.map(({ status, headers, body, retryAfter }) => ({ status, headers, body, retryAfter: retryAfter !== undefined }));
    expect(shape(unknown)).toEqual(shape(known));
    // Comparable timing: refused attempts do no password work for either.
    const [k, u] = [median(known.slice(5).map((a) => a.ms)), median(unknown.slice(5).map((a) => a.ms))];
    console.log(`[throttle] median 429 answer: known ${k.toFixed(1)} ms, unknown ${u.toFixed(1)} ms`);
    expect(Math.abs(k - u)).toBeLessThan(Math.max(50, 0.5 * Math.max(k, u)));

    // The lockout passes, and the right password works again (and clears the account's counters).
    await new Promise((resolve) => setTimeout(resolve, (Number(known.at(-1)!.retryAfter) + 1) * 1000));
    await apiSignIn(request, USERS.victor, PASSWORD);
  });

  test("the sign-in page says how long to wait", async ({ browser }) => {
    const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": freshAddress() } });
    try {
      const page = await context.newPage();
      const email = `nobody-${randomBytes(4).toString("hex")}@nowhere.test`;
      await page.goto("/signin");
      const alert = page.locator("form").getByRole("alert");
      for (let i = 0; i < 6; i++) {
        await page.locator('input[name="email"]').fill(email);
        await page.locator('input[name="password"]').fill("not-the-password");
        await page.getByRole("button", { name: "Sign in", exact: true }).click();
        await expect(alert).toBeVisible();
        if (i < 5) await expect(alert).toHaveText("Wrong email or password.");
      }
      await expect(alert).toHaveText(/^Too many attempts\. Try again in \d+ seconds\.$/);
      await screenshot(page, "signin-throttled");
    } finally {
      await context.close();
    }
  });
});

test.describe("live-update streams", () => {
  // Counts one user's open streams in the web process: no other test's streams meanwhile.
  test.use({ platformLock: "exclusive" });

  /** What a live-update stream says within `ms`: the tRPC SSE text so far (it never ends by itself). */
  async function openStream(baseURL: string, cookie: string, ms = 1_500) {
    const abort = new AbortController();
    const response = await fetch(`${baseURL}/api/trpc/vm.onChange`, { headers: { cookie, accept: "text/event-stream" }, signal: abort.signal });
    const reader = response.body!.getReader();
    let text = "";
    const deadline = Date.now() + ms;
    // Until the refusal's event is complete (its data line and the blank line that ends it may
    // come in a later chunk than its name).
    const refused = () => {
      const at = text.indexOf("event: serialized-error");
      return at !== -1 && text.indexOf("\n\n", at) !== -1;
    };
    while (Date.now() < deadline && !refused()) {
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now()))]);
      if (!chunk || chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    return { status: response.status, text, close: () => abort.abort() };
  }

  test("a user's 9th live-update stream is refused with TOO_MANY_REQUESTS, and closed streams give their slots back", async ({ browser, baseURL }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext();
    const streams: Awaited<ReturnType<typeof openStream>>[] = [];
    try {
      await apiSignIn(context.request, USERS.victor);
      const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
      for (let i = 0; i < 8; i++) {
        const stream = await openStream(baseURL!, cookie);
        expect(stream.status).toBe(200);
        expect(stream.text, `stream ${i + 1}`).not.toContain("serialized-error");
        streams.push(stream);
      }
      const ninth = await openStream(baseURL!, cookie);
      expect(ninth.text).toContain("serialized-error");
      expect(ninth.text).toContain("TOO_MANY_REQUESTS");
      ninth.close();

      // A closed stream (the client went away) gives its slot back.
      for (const stream of streams.splice(0, 2)) stream.close();
      await expect(async () => {
        const again = await openStream(baseURL!, cookie);
        streams.push(again);
        expect(again.text).not.toContain("serialized-error");
      }).toPass({ timeout: 20_000 });
    } finally {
      for (const stream of streams) stream.close();
      await context.close();
    }
  });
});
