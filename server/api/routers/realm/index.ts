import { router } from "../../trpc";
import { get } from "./get";

export const realmRouter = router({ get });
