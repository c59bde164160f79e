import { readFileSync } from "node:fs";
import path from "node:path";
import { getDMMF } from "@prisma/get-dmmf";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";

/**
 * The migrations (hand-written SQL) and schema.prisma (what the client is generated from) must
 * describe the same database: tables, columns, types, nullability, defaults, enums, indexes and
 * foreign keys. A change to one without the other fails here.
 */

type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  isRequired: boolean;
  isList: boolean;
  hasDefaultValue: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
};
type DmmfModel = { name: string; dbName: string | null; fields: DmmfField[] };
type DmmfIndex = { model: string; type: "id" | "normal" | "unique" | "fulltext"; fields: { name: string }[] };
type Dmmf = { datamodel: { models: DmmfModel[]; enums: { name: string; values: { name: string }[] }[]; indexes: DmmfIndex[] } };

/** Indexes Prisma's schema language cannot express (partial and expression indexes), kept in SQL on purpose. */
const SQL_ONLY_INDEXES = new Set(["vms_one_management_per_realm", "operations_one_open_per_vm", "operations_open_created_at_idx", "break_glass_grants_one_active_per_operator", "api_tokens_live_name_key", "audit_events_alarms_idx", "audit_events_denials_time_idx", "audit_events_alarms_time_idx", "users_email_prefix_idx", "users_name_prefix_idx", "vms_name_prefix_idx", "console_io_pending_idx", "audit_events_root_decision_idx", "audit_events_root_layer_idx", "audit_events_phase_decision_idx", "audit_events_phase_layer_idx"]);

const schemaText = readFileSync(path.resolve(import.meta.dirname, "../../prisma/schema.prisma"), "utf8");
const dmmf = getDMMF({ datamodel: schemaText }) as unknown as Dmmf;
const models = dmmf.datamodel.models;
const tableOf = (m: DmmfModel) => m.dbName ?? m.name;
const columnOf = (f: DmmfField) => f.dbName ?? f.name;

function expectedType(field: DmmfField): string {
  // PostgreSQL names an array type after its element type with a leading underscore (text[]: _text).
  if (field.isList) return `_${expectedType({ ...field, isList: false })}`;
  if (field.kind === "enum") return field.type;
  const native = field.nativeType?.[0];
  if (native === "Uuid") return "uuid";
  if (native === "Timestamptz") return `timestamptz(${field.nativeType?.[1][0] ?? 6})`;
  const base: Record<string, string> = { String: "text", Int: "int4", BigInt: "int8", Boolean: "bool", Json: "jsonb", Bytes: "bytea", DateTime: "timestamp(3)", Float: "float8" };
  return base[field.type] ?? `unknown:${field.type}`;
}

let testDb: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  testDb = await createTestDatabase();
  client = new pg.Client({ connectionString: testDb.urls.owner });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await testDb.drop();
});

describe("migrated database matches schema.prisma", () => {
  it("has exactly the tables of the schema (plus Prisma's bookkeeping)", async () => {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    const expected = [...models.map(tableOf), "_prisma_migrations"].sort();
    expect(rows.map((r) => r.table_name).sort()).toEqual(expected);
  });

  it("has the same enums with the same values", async () => {
    const { rows } = await client.query<{ typname: string; labels: string[] }>(
      `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const actual = Object.fromEntries(rows.map((r) => [r.typname, r.labels]));
    const expected = Object.fromEntries(dmmf.datamodel.enums.map((e) => [e.name, e.values.map((v) => v.name)]));
    expect(actual).toEqual(expected);
  });

  describe.each(models.map((m) => [m.name, m] as const))("model %s", (_name, model) => {
    it("has the same columns, types, nullability and defaults", async () => {
      const { rows } = await client.query<{ column_name: string; udt_name: string; is_nullable: string; column_default: string | null; datetime_precision: number | null }>(
        `SELECT column_name, udt_name, is_nullable, column_default, datetime_precision
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
        [tableOf(model)],
      );
      const actual = Object.fromEntries(
        rows.map((r) => [
          r.column_name,
          {
            type: r.udt_name === "timestamptz" || r.udt_name === "timestamp" ? `${r.udt_name}(${r.datetime_precision})` : r.udt_name,
            required: r.is_nullable === "NO",
            hasDefault: r.column_default !== null,
          },
        ]),
      );
      const scalars = model.fields.filter((f) => f.kind === "scalar" || f.kind === "enum");
      const expected = Object.fromEntries(
        scalars.map((f) => [columnOf(f), { type: expectedType(f), required: f.isRequired, hasDefault: f.hasDefaultValue }]),
      );
      expect(actual).toEqual(expected);
    });

    it("has the same primary key, unique and plain indexes", async () => {
      const { rows } = await client.query<{ indexname: string; columns: string[]; is_unique: boolean; is_primary: boolean; is_partial: boolean }>(
        `SELECT c.relname AS indexname, i.indisunique AS is_unique, i.indisprimary AS is_primary,
                i.indpred IS NOT NULL AS is_partial,
                array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
         WHERE t.relname = $1`,
        [tableOf(model)],
      );
      const fieldColumn = new Map(model.fields.map((f) => [f.name, columnOf(f)]));
      const describeIndex = (kind: string, columns: string[]) => `${kind}(${columns.join(",")})`;
      const actual = rows
        .filter((r) => !SQL_ONLY_INDEXES.has(r.indexname))
        .map((r) => describeIndex(r.is_primary ? "id" : r.is_unique ? "unique" : "normal", r.columns))
        .sort();
      const expected = dmmf.datamodel.indexes
        .filter((i) => i.model === model.name)
        .map((i) => describeIndex(i.type, i.fields.map((f) => fieldColumn.get(f.name)!)))
        .sort();
      expect(actual).toEqual(expected);
      expect(rows.filter((r) => r.is_partial).every((r) => SQL_ONLY_INDEXES.has(r.indexname))).toBe(true);
    });

    it("has the same foreign keys", async () => {
      const { rows } = await client.query<{ columns: string[]; ref_table: string; ref_columns: string[]; on_delete: string }>(
        `SELECT array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns,
                ref.relname AS ref_table,
                array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS ref_columns,
                con.confdeltype AS on_delete
         FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid JOIN pg_class ref ON ref.oid = con.confrelid
         WHERE con.contype = 'f' AND t.relname = $1`,
        [tableOf(model)],
      );
      const onDelete: Record<string, string> = { a: "NoAction", r: "Restrict", c: "Cascade", n: "SetNull", d: "SetDefault" };
      const actual = rows.map((r) => `${r.columns.join(",")}->${r.ref_table}(${r.ref_columns.join(",")}) ${onDelete[r.on_delete]}`).sort();
      const byName = new Map(models.map((m) => [m.name, m]));
      const expected = model.fields
        .filter((f) => f.kind === "object" && f.relationFromFields && f.relationFromFields.length > 0)
        .map((f) => {
          const target = byName.get(f.type)!;
          const cols = f.relationFromFields!.map((n) => columnOf(model.fields.find((x) => x.name === n)!));
          const refCols = f.relationToFields!.map((n) => columnOf(target.fields.find((x) => x.name === n)!));
          return `${cols.join(",")}->${tableOf(target)}(${refCols.join(",")}) ${f.relationOnDelete ?? "Restrict"}`;
        })
        .sort();
      expect(actual).toEqual(expected);
    });
  });
});
