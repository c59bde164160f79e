import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { withoutNestedMain } from "./scalar-markup";

describe("the served Scalar bundle (no <main> nested in the page's main)", () => {
  it("renders Scalar's main elements as sections, leaving other uses of the word alone", () => {
    const source = 'P(`main`,{"aria-label":x},[]);j(),M(`main`,$lr,[]);r.tagName===`main`;e.MAIN=`main`;a.main(`main`,1)';
    expect(withoutNestedMain(source)).toBe(
      'P(`section`,{"aria-label":x},[]);j(),M(`section`,$lr,[]);r.tagName===`main`;e.MAIN=`main`;a.main(`main`,1)',
    );
  });

  it("fails loudly for a bundle that renders no main element (an upgrade that changed its markup)", () => {
    expect(() => withoutNestedMain("h(`div`,{})")).toThrow(/no <main>/);
  });

  it("the installed @scalar/api-reference bundle creates no main element once edited", async () => {
    const file = path.join(process.cwd(), "node_modules", "@scalar", "api-reference", "dist", "browser", "standalone.js");
    const edited = withoutNestedMain(await readFile(file, "utf8"));
    expect(edited).not.toMatch(/(?<![\w$.])[A-Za-z_$][\w$]*\(`main`,/);
    expect(edited).toContain("(`section`,{\"aria-label\"");
  });
});
