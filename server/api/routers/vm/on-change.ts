import { realmEvents } from "../../../services/realm-hub";
import { realmAction } from "../../trpc";

/** Live updates (server-sent events) for the caller's realm only; payloads carry ids only. */
export const onChange = realmAction("vm.read").subscription(async function* ({ ctx, signal }) {
  for await (const event of realmEvents(ctx.realm.id, signal)) {
    yield { kind: event.kind, vmId: event.vmId ?? null, operationId: event.operationId ?? null };
  }
});
