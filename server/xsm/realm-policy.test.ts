import { beforeEach, describe, expect, it } from "vitest";
import { goldenSuite } from "./golden";
import { loadRealmPolicy } from "./load";
import { SecurityServer } from "./security-server";

/**
 * Golden decisions for the realm policy (golden/realm-decisions.json, read by golden.ts, the
 * same suite an operator's replacement policy must pass): each case states the expected verdict,
 * the layer that denied each permission and the exact AVC lines.
 */
const golden = goldenSuite();
const policy = loadRealmPolicy();

describe("realm policy golden decisions", () => {
  let server: SecurityServer;
  beforeEach(() => {
    server = new SecurityServer(policy);
  });

  it.each(golden.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const ssid = server.contextToSid(golden.labels[c.source]!);
    const tsid = server.contextToSid(golden.labels[c.target]!);
    const d = server.hasPerm(ssid, tsid, c.class, c.perms, c.audit);
    expect({
      allowed: d.allowed,
      denied: d.denied,
      layers: Object.fromEntries(Object.entries(d.reasons).map(([p, r]) => [p, r.layer])),
      auditLines: d.auditLines,
    }).toEqual(c.expect);
    expect(server.auditLog.lines()).toEqual(c.expect.auditLines);
  });

  it("labels every golden case uses are canonical", () => {
    for (const label of Object.values(golden.labels)) {
      expect(server.sidToContext(server.contextToSid(label))).toBe(label);
    }
  });
});
