import { router } from "../../trpc";
import { list } from "./list";

export const templateRouter = router({ list });
