import { router } from "../../trpc";
import { audit } from "./audit";
import { get } from "./get";

export const realmRouter = router({ get, audit });
