import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, ok, trpcAllPages, trpcMutation, uniqueName } from "./fixtures";

/**
 * Shared by e2e/accessibility.spec.ts, e2e/mobile.spec.ts and e2e/screenshots.spec.ts: waiting
 * for a page to settle, axe, and the data those pages need (an invitation link, Acme's id).
 */

/** WCAG 2.0/2.1 A and AA, plus axe's best practices. */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

/** Until the page's heading shows and its client queries stopped saying "Loading…". */
export async function settle(page: Page): Promise<void> {
  await expect(page.getByRole("main").getByRole("heading", { level: 1 }).first()).toBeVisible();
  await expect
    .poll(
      async () =>
        page
          .getByRole("main")
          .getByText(/^Loading/)
          .count(),
      { message: "the page finished loading", timeout: 15_000 },
    )
    .toBe(0);
  // Charts and late queries paint after the data arrives.
  await page.waitForTimeout(300);
}

export type AxeFinding = {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
  nodes: number;
};

/** Axe's serious and critical violations of the page as it is now (all of them are logged). */
export async function seriousViolations(page: Page, label: string): Promise<AxeFinding[]> {
  return violations(page, label, ["serious", "critical"]);
}

/** Axe's violations of these impacts (default: any, minor included); all of them are logged. */
export async function violations(page: Page, label: string, impacts: string[] = ["minor", "moderate", "serious", "critical"]): Promise<AxeFinding[]> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const findings = results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.length,
    targets: v.nodes.slice(0, 4).map((n) => n.target.join(" ")),
  }));
  for (const f of findings) {
    console.log(
      `[axe] ${label}: ${f.impact} ${f.id} (${f.nodes}×): ${f.help}\n        ${f.targets.join("\n        ")}`,
    );
  }
  return findings.filter((f) => impacts.includes(f.impact ?? ""));
}

/** A fresh invitation link into the caller's realm (needs realm.members.manage). */
export async function invitationLink(request: APIRequestContext): Promise<string> {
  const created = ok(
    await trpcMutation<{ link: string }>(request, "realm.invitations.create", {
      email: `${uniqueName("a11y")}@example.test`,
      role: "viewer",
    }),
  );
  // The link carries NEXTAUTH_URL's origin; the page is this server's.
  const url = new URL(created.link);
  return url.pathname;
}

/** Acme's organization id, for the operator's organization page. */
export async function acmeOrgId(opsRequest: APIRequestContext): Promise<string> {
  const orgs = await trpcAllPages<{ id: string; slug: string }>(opsRequest, "operator.organizations.list");
  const acme = orgs.find((o) => o.slug === "acme");
  expect(acme, "Acme among the organizations").toBeDefined();
  return acme!.id;
}
