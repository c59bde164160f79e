import { readFile } from "node:fs/promises";
import path from "node:path";
import { withoutNestedMain } from "@/components/api-reference/scalar-markup";

/**
 * @scalar/api-reference's standalone browser bundle, served from our own origin: pages load
 * scripts only from here (the CSP), and no CDN is reachable from every deployment. The package
 * does not export the file, so it is read from node_modules, once per process.
 */
const PACKAGE_DIR = path.join(process.cwd(), "node_modules", "@scalar", "api-reference");

/** Bumped whenever the served bundle's edits change, so browsers drop a cached copy. */
const BUNDLE_EDITION = "section-1";

let bundle: Promise<Buffer> | null = null;
let version: Promise<string> | null = null;

export function scalarBundle(): Promise<Buffer> {
  bundle ??= readFile(path.join(PACKAGE_DIR, "dist", "browser", "standalone.js"), "utf8").then((text) => Buffer.from(withoutNestedMain(text)));
  return bundle;
}

/** The installed version and our edition of it: the bundle's URL carries both, so a long cache never serves a stale one. */
export function scalarVersion(): Promise<string> {
  version ??= readFile(path.join(PACKAGE_DIR, "package.json"), "utf8").then(
    (text) => `${String((JSON.parse(text) as { version: string }).version)}-${BUNDLE_EDITION}`,
  );
  return version;
}
