import type { APIResponse, Page } from "@playwright/test";
import { expect, test, USERS } from "./fixtures";

/**
 * Security headers on every kind of answer (pages, API, static files), a per-request CSP nonce
 * that Next.js puts on its own scripts, pages that run without a single CSP violation, and a
 * console that refuses to be framed (server/edge/security-headers.ts, proxy.ts, next.config.ts).
 */

function expectBaseHeaders(response: APIResponse, what: string): void {
  const h = response.headers();
  expect(h["x-content-type-options"], what).toBe("nosniff");
  expect(h["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
  expect(h["permissions-policy"], what).toContain("camera=()");
  expect(h["permissions-policy"], what).toContain("publickey-credentials-get=(self)");
  expect(h["x-frame-options"], what).toBe("DENY");
  expect(h["content-security-policy"], what).toContain("frame-ancestors 'none'");
  // Plain HTTP here: no HSTS.
  expect(h["strict-transport-security"], what).toBeUndefined();
}

const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];

test.describe("security headers", () => {
  test("pages carry a nonce CSP (fresh per response, on every script tag), API and static files a load-nothing CSP", async ({ request }) => {
    const first = await request.get("/signin");
    const second = await request.get("/signin");
    expect(first.status()).toBe(200);
    expectBaseHeaders(first, "/signin");
    const csp = first.headers()["content-security-policy"]!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp.split("; ").find((d) => d.startsWith("script-src"))).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    const nonce = nonceOf(csp)!;
    expect(nonceOf(second.headers()["content-security-policy"]!)).not.toBe(nonce);

    // Every script tag of the page carries this response's nonce.
    const html = await first.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    for (const path of ["/api/trpc/session.me", "/api/auth/csrf", "/api/auth/session"]) {
      const response = await request.get(path);
      expectBaseHeaders(response, path);
      expect(response.headers()["content-security-policy"], path).toContain("default-src 'none'");
    }
    const chunk = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(chunk).toBeDefined();
    const asset = await request.get(chunk!);
    expect(asset.status()).toBe(200);
    expectBaseHeaders(asset, chunk!);
  });

  test("HSTS only when the reverse proxy says the request came over TLS", async ({ request }) => {
    const overTls = await request.get("/signin", { headers: { "x-forwarded-proto": "https" } });
    expect(overTls.headers()["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
    const api = await request.get("/api/auth/csrf", { headers: { "x-forwarded-proto": "https" } });
    expect(api.headers()["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
    expect((await request.get("/signin")).headers()["strict-transport-security"]).toBeUndefined();
  });

  /** Collects CSP violations the page reports (an init script is not subject to the page's CSP). */
  async function watchViolations(page: Page): Promise<string[]> {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.exposeFunction("__reportCspViolation", (text: string) => violations.push(text));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        (window as unknown as { __reportCspViolation: (t: string) => void }).__reportCspViolation(
          `${event.violatedDirective} blocked ${event.blockedURI}`,
        );
      });
    });
    return violations;
  }

  test("script injection: sign-in, realm and operator pages run without a single CSP violation", async ({ page, pageAs }) => {
    const anonymousViolations = await watchViolations(page);
    await page.goto("/signin");
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
    // Hydrated: the form is React's, not a bare HTML post.
    await page.locator('input[name="email"]').fill("nobody@acme.test");
    await page.locator('input[name="password"]').fill("wrong-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("alert")).toBeVisible();
    expect(anonymousViolations).toEqual([]);

    const alice = await pageAs(USERS.alice);
    const aliceViolations = await watchViolations(alice);
    await alice.goto("/realm");
    // In the header's navigation: while a page streams, React keeps a hidden copy of it elsewhere.
    await expect(alice.getByRole("navigation").getByTestId("whoami")).toBeVisible();
    await alice.waitForLoadState("networkidle");
    expect(aliceViolations).toEqual([]);

    const ops = await pageAs(USERS.ops);
    const opsViolations = await watchViolations(ops);
    await ops.goto("/operator");
    await expect(ops.getByRole("navigation").getByTestId("whoami")).toBeVisible();
    await ops.waitForLoadState("networkidle");
    expect(opsViolations).toEqual([]);
  });

  test("clickjacking: another origin cannot frame the console", async ({ page, request, baseURL }) => {
    for (const path of ["/signin", "/realm", "/operator", "/"]) {
      const response = await request.get(path, { maxRedirects: 0 });
      expect(response.headers()["content-security-policy"], path).toContain("frame-ancestors 'none'");
      expect(response.headers()["x-frame-options"], path).toBe("DENY");
    }
    // A page of another origin (127.0.0.1 is not localhost) tries to frame the sign-in page.
    const otherOrigin = baseURL!.replace("localhost", "127.0.0.1");
    await page.route(`${otherOrigin}/attacker`, (route) =>
      route.fulfill({ contentType: "text/html", body: `<iframe id="victim" src="${baseURL}/signin"></iframe>` }),
    );
    await page.goto(`${otherOrigin}/attacker`);
    await page.waitForTimeout(1_000);
    const framed = page.frames().find((f) => f !== page.mainFrame());
    const rendered = framed ? await framed.locator('input[name="email"]').count().catch(() => 0) : 0;
    expect(rendered).toBe(0);
    // Positive control: the same page outside a frame renders its form.
    await page.goto("/signin");
    await expect(page.locator('input[name="email"]')).toBeVisible();
  });
});
