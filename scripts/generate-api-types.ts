import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { API_TYPES_FILE, generateApiTypes } from "./api-types";

/** `npm run api:types`: regenerates server/cli/api-types.ts from the OpenAPI document. */

const file = fileURLToPath(API_TYPES_FILE);
const fresh = await generateApiTypes();
let current = "";
try {
  current = readFileSync(file, "utf8");
} catch {
  // first generation
}
if (current === fresh) {
  console.log(`${file} is up to date`);
} else {
  writeFileSync(file, fresh);
  console.log(`wrote ${file}`);
}
