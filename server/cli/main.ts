import { processIo } from "./io";
import { run } from "./program";

/** The `realmgate` executable's entry (scripts/realmgate-cli.mjs loads it through tsx). */
process.exitCode = await run(process.argv.slice(2), processIo());
