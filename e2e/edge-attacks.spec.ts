import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { apiSignIn, signInPage, expect, ok, test, trpcQuery, USERS, vmIdByName } from "./fixtures";

/**
 * Attacks on the HTTP edge over real HTTP (server/web/api.ts, proxy.ts,
 * server/edge/*): oversized bodies and batches, prototype keys, malformed bodies, bad callback
 * URLs and a poisoned callback-url cookie, and denials planted by cross-site GETs.
 */

let alice: APIRequestContext;
let bob: APIRequestContext;

test.beforeAll(async ({ playwright }, testInfo) => {
  const baseURL = testInfo.project.use.baseURL;
  alice = await playwright.request.newContext({ baseURL });
  bob = await playwright.request.newContext({ baseURL });
  await apiSignIn(alice, USERS.alice);
  await apiSignIn(bob, USERS.bob);
});
test.afterAll(async () => {
  await alice?.dispose();
  await bob?.dispose();
});

test.describe("request limits", () => {
  test("oversized body: a 10 MB body is refused with 413 before it is parsed", async ({ baseURL }) => {
    const started = Date.now();
    const big = await alice.post("/api/trpc/vm.create", {
      headers: { "content-type": "application/json" },
      data: Buffer.from(`{"json":{"name":"${"x".repeat(10 * 1024 * 1024)}"}}`),
    });
    expect(big.status()).toBe(413);
    expect(await big.json()).toEqual({
      error: {
        json: {
          message: "request body too large (limit 1048576 bytes)",
          code: -32413,
          data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413, limit: 1048576 },
        },
      },
    });
    expect(Date.now() - started).toBeLessThan(5_000);

    // Without a Content-Length (chunked), the stream is counted and cut off.
    let sent = 0;
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 64 * 1024 * 1024) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const chunked = await fetch(`${baseURL}/api/trpc/vm.create`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  test("batch fan-out: more than 20 calls in one request are refused naming the limit", async () => {
    const paths = Array(21).fill("vm.list").join(",");
    const input = encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: 21 }, (_, i) => [i, {}]))));
    const refused = await alice.get(`/api/trpc/${paths}?batch=1&input=${input}`);
    expect(refused.status()).toBe(400);
    expect(((await refused.json()) as { error: { json: { message: string } } }).error.json.message).toBe(
      "too many calls in one batch: 21 (limit 20)",
    );
    const twenty = Array(20).fill("vm.list").join(",");
    const input20 = encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [i, {}]))));
    expect((await alice.get(`/api/trpc/${twenty}?batch=1&input=${input20}`)).status()).toBe(200);
  });
});

test.describe("malformed input", () => {
  test("prototype pollution: a __proto__ key is invalid input naming the key", async () => {
    const webId = randomUUID();
    const polluted = await alice.post("/api/trpc/vm.start", {
      headers: { "content-type": "application/json" },
      data: `{"json":{"vmId":"${webId}","__proto__":{"isAdmin":true}}}`,
    });
    expect(polluted.status()).toBe(400);
    const body = (await polluted.json()) as { error: { json: { message: string; data: { code: string } } } };
    expect(body.error.json.message).toBe("invalid input: key __proto__ is not allowed");
    expect(body.error.json.data.code).toBe("BAD_REQUEST");
    // In a query's input too.
    const query = await alice.get(
      `/api/trpc/vm.get?input=${encodeURIComponent(`{"json":{"vmId":"${webId}","constructor":{"prototype":{}}}}`)}`,
    );
    expect(query.status()).toBe(400);
  });

  test("a body of null (or a batch entry of null) is plain invalid input, not an internal message", async () => {
    for (const [path, data] of [
      ["/api/trpc/vm.start", "null"],
      ["/api/trpc/vm.start?batch=1", '{"0":null}'],
      ["/api/trpc/vm.start", "[1,2]"],
    ] as const) {
      const response = await alice.post(path, { headers: { "content-type": "application/json" }, data });
      expect(response.status(), `${path} ${data}`).toBe(400);
      const text = await response.text();
      expect(text).not.toContain("destructure");
      expect(text).toContain("invalid input");
    }
  });
});

test.describe("callback URLs", () => {
  const BAD = ["javascript:alert(1)", "ftp://x", "https://localhost.evil.test", "//evil.test", "http://localhost:3100.evil.test/"];

  test("bad callbackUrl values never answer 500, and sign-in never redirects off-site", async ({ request, baseURL }) => {
    for (const bad of BAD) {
      const q = encodeURIComponent(bad);
      for (const path of [`/api/auth/signin?callbackUrl=${q}`, `/api/auth/signin/credentials?callbackUrl=${q}`, `/signin?callbackUrl=${q}`, `/api/auth/session?callbackUrl=${q}`]) {
        const response = await request.get(path, { maxRedirects: 0 });
        expect(response.status(), `${path}`).toBeLessThan(500);
        expect(response.headers()["location"] ?? "", path).not.toMatch(/evil|javascript|ftp:/);
      }
      // A credentials sign-in asking to go to the bad URL lands at home.
      const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
      const signIn = await request.post("/api/auth/callback/credentials", {
        form: { csrfToken: csrf.csrfToken, email: USERS.victor, password: "realmgate-demo", json: "true", callbackUrl: bad },
        maxRedirects: 0,
      });
      expect(signIn.status(), bad).toBe(200);
      expect(((await signIn.json()) as { url: string }).url, bad).toBe(`${baseURL}/`);
      await request.post("/api/auth/signout", { form: { csrfToken: csrf.csrfToken, json: "true" }, maxRedirects: 0 });
    }
  });

  test("poisoned callback-url cookie: pages and API calls of that browser still answer, and the cookie is expired", async ({ pageAs, baseURL }) => {
    const page = await pageAs(USERS.alice);
    const context = page.context();
    // Planted by another page (a sibling subdomain, an injected header): the browser sends it everywhere.
    const plant = (value: string) => context.addCookies([{ name: "next-auth.callback-url", value, url: baseURL! }]);
    // Expired, emptied, or replaced by next-auth with a same-origin value: never the planted one.
    const planted = async () => {
      const value = (await context.cookies()).find((c) => c.name === "next-auth.callback-url")?.value;
      if (!value) return false; // gone, or emptied (next-auth ignores an empty value)
      return !decodeURIComponent(value).startsWith(`${baseURL}/`) && decodeURIComponent(value) !== baseURL;
    };
    for (const bad of BAD) {
      for (const path of ["/", "/realm", "/signin", "/api/auth/session", "/api/auth/csrf", "/api/trpc/session.me"]) {
        await plant(bad);
        const response = await page.request.get(path, { maxRedirects: 0 });
        expect(response.status(), `${path} with callback-url=${bad}`).toBeLessThan(500);
        expect(await planted(), `${path} expired the cookie ${bad}`).toBe(false);
      }
      // A page load in the browser, and its client-side tRPC calls, work and stay signed in.
      await plant(bad);
      const response = await page.goto("/realm");
      expect(response?.status()).toBe(200);
      await expect(page.getByTestId("whoami")).toContainText("Acme Corp");
      await plant(bad);
      const me = await page.request.get("/api/trpc/session.me");
      expect(me.status()).toBe(200);
    }
  });
});

test.describe("denials planted cross-site", () => {
  test.use({ platformLock: "exclusive" });

  type Denial = { details?: { unverifiedVmId?: string } };

  test("a GET without same-origin proof answers the same NOT_FOUND but writes no deny row; the app's own client header does", async ({ page }) => {
    const acmeVm = await vmIdByName(alice, "web-1");
    const get = (headers: Record<string, string>) =>
      bob.get(`/api/trpc/vm.get?input=${encodeURIComponent(JSON.stringify({ json: { vmId: acmeVm } }))}`, { headers });
    const crossSite = await get({ "sec-fetch-site": "cross-site" });
    const bare = await get({});
    const fromApp = await get({ "x-realmgate-client": "web" });
    expect(crossSite.status()).toBe(404);
    const answer = ((await crossSite.json()) as { error: { json: { message: string } } }).error.json.message;
    expect(((await bare.json()) as { error: { json: { message: string } } }).error.json.message).toBe(answer);
    expect(((await fromApp.json()) as { error: { json: { message: string } } }).error.json.message).toBe(answer);
    expect([bare.status(), fromApp.status()]).toEqual([404, 404]);

    // Only the app's own request left a row in bob's name (the operator's view of all denials).
    const random = randomUUID();
    await bob.get(`/api/trpc/vm.get?input=${encodeURIComponent(JSON.stringify({ json: { vmId: random } }))}`, {
      headers: { "sec-fetch-site": "cross-site" },
    });
    await signInPage(page, USERS.ops);
    const denials = ok(await trpcQuery<{ items: Denial[] }>(page.request, "operator.denials", { limit: 25 })).items;
    expect(denials.filter((d) => d.details?.unverifiedVmId === acmeVm)).toHaveLength(1);
    expect(denials.filter((d) => d.details?.unverifiedVmId === random)).toHaveLength(0);
  });
});
