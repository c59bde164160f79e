import { createHash } from "node:crypto";
import type { AcmPolicy } from "../contracts/agent";
import { labelCategories } from "../contracts/labels";
import { guestLabel, type RealmCategory } from "../services/labels";

/**
 * The ACM policy every host enforces, built from the operators' conflict sets (pure). Realm
 * domains and disks carry the wall and STE type "realm:<categories>"; dom0, xenstore and shared
 * images share with everyone. The name is a digest of the content, so a host whose policy name
 * differs is out of date.
 */

export type ConflictPair = { low: RealmCategory; high: RealmCategory };

const realmType = (realm: RealmCategory) => `realm:${labelCategories(guestLabel(realm))}`;

export function buildAcmPolicy(conflicts: ConflictPair[]): AcmPolicy {
  const body: Omit<AcmPolicy, "name"> = {
    conflictSets: conflicts
      .map((c) => ({ types: [realmType(c.low), realmType(c.high)] }))
      .sort((a, b) => a.types.join().localeCompare(b.types.join()))
      .map((c, i) => ({ name: `realm-conflict-${i + 1}`, types: c.types })),
    labels: [
      { match: "dom0_t", wall: [], ste: ["*"] },
      { match: "xenstore_t", wall: [], ste: ["*"] },
      { match: "shared_image_t", wall: [], ste: ["*"] },
    ],
    categoryTypes: { wall: "realm:{categories}", ste: "realm:{categories}" },
  };
  const digest = createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 12);
  return { name: `realmgate-${digest}`, ...body };
}
