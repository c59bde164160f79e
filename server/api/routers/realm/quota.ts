import { realmQuotaUsage } from "../../../services/quotas";
import { realmAction } from "../../trpc";

/** The caller's realm: its quota and what it uses (read inside the realm, like everything else). */
export const quota = realmAction("realm.read").query(({ ctx }) => realmQuotaUsage(ctx.db, ctx.realm.id));
