/**
 * The REST surface's types for the examples: the ones generated from the OpenAPI document for
 * the CLI (`npm run api:types`). server/api/examples.int.test.ts replaces this file, in a copy of
 * the examples, with types generated afresh from the running server's /api/openapi.json, so a
 * change of the document that breaks the example fails the test.
 */
export type { paths } from "../server/cli/api-types";
