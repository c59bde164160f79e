#!/usr/bin/env node
// The `realmgate` command (package.json "bin"): runs the TypeScript CLI in server/cli through
// tsx's loader, registered for this process only (no build step).
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("../server/cli/main.ts");
