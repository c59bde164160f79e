import { createHash } from "node:crypto";
import type { AcmPolicy } from "../contracts/agent";
import { DEFAULT_ACM_POLICY, acmTypes } from "../xen";
import { guestLabel, type RealmCategory } from "../xsm";

/**
 * The ACM policy every host enforces (pure): the hosts' default policy (its labels and the wall
 * and STE types derived from a label's categories) plus the operators' conflict sets, each a
 * pair of realms' wall types. The name is a digest of the content, so a host whose policy name
 * differs is out of date.
 */

export type ConflictPair = { low: RealmCategory; high: RealmCategory };

/** The wall types a realm's domains carry under the default policy ("realm:c12,c873"). */
const wallTypes = (realm: RealmCategory) => acmTypes(DEFAULT_ACM_POLICY, guestLabel(realm)).wall;

export function buildAcmPolicy(conflicts: ConflictPair[]): AcmPolicy {
  const body: Omit<AcmPolicy, "name"> = {
    conflictSets: conflicts
      .map((c) => ({ types: [...wallTypes(c.low), ...wallTypes(c.high)] }))
      .sort((a, b) => a.types.join().localeCompare(b.types.join()))
      .map((c, i) => ({ name: `realm-conflict-${i + 1}`, types: c.types })),
    labels: DEFAULT_ACM_POLICY.labels,
    categoryTypes: DEFAULT_ACM_POLICY.categoryTypes,
  };
  const digest = createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 12);
  return { name: `realmgate-${digest}`, ...body };
}
