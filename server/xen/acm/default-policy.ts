import type { AcmPolicy } from "../types";

/**
 * The ACM policy a host starts with, and the base of every policy the platform pushes: no
 * conflict sets; dom0, xenstore, the platform's backend domains and shared images share with
 * everyone; a realm's domains and disks carry the wall and STE type "realm:<categories>" derived from their label.
 */
export const DEFAULT_ACM_POLICY: AcmPolicy = {
  name: "realmgate-default",
  conflictSets: [],
  labels: [
    { match: "dom0_t", wall: [], ste: ["*"] },
    { match: "xenstore_t", wall: [], ste: ["*"] },
    // The platform's backend domains serve every realm, as dom0's backends did.
    { match: "storage_backend_t", wall: [], ste: ["*"] },
    { match: "net_backend_t", wall: [], ste: ["*"] },
    { match: "shared_image_t", wall: [], ste: ["*"] },
  ],
  categoryTypes: { wall: "realm:{categories}", ste: "realm:{categories}" },
};
