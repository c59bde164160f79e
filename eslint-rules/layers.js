import path from "node:path";

/**
 * realmgate/layers: the import boundaries of the layout README.md describes, in one table.
 *
 * - Layers run downward: a folder imports only the folders its row lists (and itself). Pure
 *   decisions (policy/) and the engines know nothing of the database; repositories know nothing
 *   of services or the API; the agent process knows nothing of the database or the web tier.
 * - The engines are libraries: outside server/xsm and server/xen, they are imported only through
 *   their index.ts.
 * - Only db/ and repositories/ import the generated Prisma client.
 *
 * Test files may reach across layers (a test calls below a layer to prove the next one holds),
 * but they too import the engines through their index.
 */

const ROOT = path.resolve(import.meta.dirname, "..");

/** Folder (or file) → what it may import. Longest match wins; unlisted paths are unrestricted. */
const LAYERS = {
  "server/xsm": [],
  "server/xen": ["server/xsm"],
  "server/contracts": [],
  "server/errors.ts": [],
  "server/policy": ["server/contracts", "server/xsm"],
  "server/db": ["server/generated"],
  "server/repositories": ["server/db", "server/generated", "server/errors.ts", "server/policy", "server/contracts"],
  "server/services": ["server/db", "server/errors.ts", "server/policy", "server/contracts", "server/repositories", "server/xsm", "server/xen"],
  "server/edge": [],
  "server/auth": ["server/db", "server/errors.ts", "server/policy", "server/repositories", "server/edge"],
  "server/api": ["server/db", "server/errors.ts", "server/policy", "server/contracts", "server/repositories", "server/services", "server/auth", "server/xsm", "server/edge"],
  "server/worker": ["server/db", "server/errors.ts", "server/policy", "server/contracts", "server/repositories", "server/services", "server/xsm", "server/xen"],
  "server/agent": ["server/contracts", "server/xsm", "server/xen"],
  "server/config.ts": ["server/services", "server/db"],
  "components": ["server/policy", "server/api", "server/edge"],
  // The CLI is a client of the REST surface only: it speaks HTTP through its generated types.
  "server/cli": [],
};

const LIBRARIES = ["server/xsm", "server/xen"];

const within = (rel, dir) => rel === dir || rel.startsWith(`${dir}/`) || rel === dir.replace(/\.ts$/, "");

function layerOf(rel) {
  let best = null;
  for (const dir of Object.keys(LAYERS)) if (within(rel, dir) && (!best || dir.length > best.length)) best = dir;
  return best;
}

/** The import's path relative to the project root, or null for a package. */
function resolve(specifier, importer) {
  if (specifier.startsWith("@/")) return path.normalize(specifier.slice(2));
  if (!specifier.startsWith(".")) return null;
  return path.relative(ROOT, path.resolve(path.dirname(importer), specifier));
}

export default {
  meta: {
    type: "problem",
    docs: { description: "import boundaries between layers, libraries and the Prisma client" },
    schema: [],
  },
  create(context) {
    const importer = path.relative(ROOT, context.filename);
    const isTest = /\.(int\.)?test\.tsx?$/.test(importer) || importer.startsWith("server/test/");
    const from = layerOf(importer);
    const check = (node, specifier) => {
      if (typeof specifier !== "string") return;
      const target = resolve(specifier, context.filename);
      if (target === null) return;
      for (const lib of LIBRARIES) {
        if (within(target, lib) && !within(importer, lib) && target !== lib && target !== `${lib}/index` && target !== `${lib}/index.ts`) {
          context.report({ node, message: `import ${lib} through its index ("${lib}"), not its internals (${target})` });
          return;
        }
      }
      if (isTest || from === null) return;
      const to = layerOf(target);
      if (to === null || to === from) return;
      if (!LAYERS[from].includes(to)) {
        const allowed = LAYERS[from].length ? LAYERS[from].join(", ") : "nothing outside itself";
        context.report({ node, message: `${from} may not import ${to} (it may import ${allowed}; see README "Layout")` });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === "Literal" && check(node, node.source.value),
    };
  },
};
