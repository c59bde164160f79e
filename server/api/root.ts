import { createCallerFactory, router } from "./trpc";
import { agreementRouter } from "./routers/agreement";
import { backendRouter } from "./routers/backend";
import { diskRouter } from "./routers/disk";
import { invitationRouter } from "./routers/invitation";
import { mfaRouter } from "./routers/mfa";
import { networkRouter } from "./routers/network";
import { operationRouter } from "./routers/operation";
import { operatorRouter } from "./routers/operator";
import { realmRouter } from "./routers/realm";
import { sessionRouter } from "./routers/session";
import { templateRouter } from "./routers/template";
import { tokenRouter } from "./routers/token";
import { vmRouter } from "./routers/vm";

export const appRouter = router({
  session: sessionRouter,
  realm: realmRouter,
  vm: vmRouter,
  operation: operationRouter,
  token: tokenRouter,
  template: templateRouter,
  disk: diskRouter,
  backend: backendRouter,
  network: networkRouter,
  operator: operatorRouter,
  mfa: mfaRouter,
  invitation: invitationRouter,
  agreement: agreementRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
