import { describe, expect, it } from "vitest";
import { provesSameOrigin } from "./same-origin";

describe("same-origin proof (denials planted by cross-site links)", () => {
  it.each([
    ["a cross-site link (GET, Sec-Fetch-Site: cross-site)", "GET", { "sec-fetch-site": "cross-site" }, false],
    ["a sibling subdomain (same-site)", "GET", { "sec-fetch-site": "same-site" }, false],
    ["a GET from a client that says nothing (no Sec-Fetch-Site, no header)", "GET", {}, false],
    ["a wrong client header value", "GET", { "x-realmgate-client": "evil" }, false],
    ["a POST that is not JSON", "POST", { "content-type": "text/plain" }, false],
    ["this app's pages (Sec-Fetch-Site: same-origin)", "GET", { "sec-fetch-site": "same-origin" }, true],
    ["a typed URL or bookmark (Sec-Fetch-Site: none)", "GET", { "sec-fetch-site": "none" }, true],
    ["this app's tRPC client header", "GET", { "x-realmgate-client": "web" }, true],
    ["a JSON POST (needs a preflight cross-site)", "POST", { "content-type": "application/json" }, true],
  ])("%s → %s", (_name, method, headers, expected) => {
    expect(provesSameOrigin(method, new Headers(headers))).toBe(expected);
  });
});
