import { createCallerFactory, router } from "./trpc";
import { diskRouter } from "./routers/disk";
import { invitationRouter } from "./routers/invitation";
import { mfaRouter } from "./routers/mfa";
import { networkRouter } from "./routers/network";
import { operatorRouter } from "./routers/operator";
import { realmRouter } from "./routers/realm";
import { sessionRouter } from "./routers/session";
import { templateRouter } from "./routers/template";
import { vmRouter } from "./routers/vm";

export const appRouter = router({
  session: sessionRouter,
  realm: realmRouter,
  vm: vmRouter,
  template: templateRouter,
  disk: diskRouter,
  network: networkRouter,
  operator: operatorRouter,
  mfa: mfaRouter,
  invitation: invitationRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
