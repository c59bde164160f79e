import { describe, expect, it } from "vitest";
import { TEMPLATES } from "../../prisma/seed";
import { isGuestTemplate, MANAGEMENT_TEMPLATE_NAME } from "../repositories/templates";
import { MANAGEMENT_TEMPLATE_NAME as ONBOARDING_TEMPLATE_NAME } from "./organizations";

/**
 * The management template is named in one place (repositories/templates.ts): onboarding builds
 * realms' management VMs from it, the seed installs it, and the member-facing template list and
 * create/clone refuse it — all through that one constant (a second copy of the name drifted apart
 * once: renaming one would have offered the management template to members).
 */
describe("the management template: one name, one place", () => {
  it("onboarding builds from the template the member paths refuse", () => {
    expect(ONBOARDING_TEMPLATE_NAME).toBe(MANAGEMENT_TEMPLATE_NAME);
    expect(isGuestTemplate({ name: ONBOARDING_TEMPLATE_NAME })).toBe(false);
  });

  it("the seed installs exactly one template members may not use, and it is that one", () => {
    expect(TEMPLATES.filter((t) => !isGuestTemplate(t)).map((t) => t.name)).toEqual([MANAGEMENT_TEMPLATE_NAME]);
    expect(TEMPLATES.filter((t) => isGuestTemplate(t)).length).toBeGreaterThan(0);
  });
});
