/**
 * Scalar renders its content in a `<main>` of its own, which on our page sits inside the layout's
 * `<main id="main">`: two main landmarks, one nested (axe's landmark-no-duplicate-main and
 * landmark-main-is-top-level). The bundle is served with each `main` element Scalar creates (a
 * Vue render call `h(\`main\`, …)`, minified to some identifier) made a `section`: with its
 * aria-label it is a named region inside our main. Its styles select classes, not the tag.
 * Throws when the bundle has no such call, so an upgrade that renders differently fails loudly
 * (e2e/accessibility.spec.ts also checks the page) instead of quietly nesting mains again.
 */
export function withoutNestedMain(source: string): string {
  let edits = 0;
  const edited = source.replace(/(?<![\w$.])([A-Za-z_$][\w$]*)\(`main`,/g, (_whole, call: string) => {
    edits++;
    return `${call}(\`section\`,`;
  });
  if (edits === 0) throw new Error("the Scalar bundle renders no <main> element where expected: check withoutNestedMain against this version");
  return edited;
}
