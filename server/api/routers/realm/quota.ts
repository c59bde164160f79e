import { quotaOutput } from "../../../contracts/api";
import { realmQuotaUsage } from "../../../services/quotas";
import { realmAction } from "../../trpc";

/** The caller's realm: its quota and what it uses (read inside the realm, like everything else). */
export const quota = realmAction("realm.read")
  .meta({ openapi: { method: "GET", path: "/realm/quota", tags: ["Realm"], summary: "The realm's quota and usage" } })
  .output(quotaOutput)
  .query(({ ctx }) => realmQuotaUsage(ctx.db, ctx.realm.id));
