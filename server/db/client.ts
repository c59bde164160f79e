import { AsyncLocalStorage } from "node:async_hooks";
import { createHash, createHmac } from "node:crypto";
import net from "node:net";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient, type Prisma } from "../generated/prisma/client";

/** A client with its own pool (the tenant or platform role). */
export type Db = PrismaClient;
/** What a repository query runs on: a client, or a transaction of one. */
export type Tx = Prisma.TransactionClient;

/**
 * Two clients per process (see db/roles.ts for the roles):
 * - tenant (realmgate_app): row-level security applies; sees a realm's rows only inside a
 *   transaction bound to the realm (withRealm), nothing otherwise.
 * - platform (realmgate_platform, BYPASSRLS): the worker, operator views, sign-in and realm
 *   creation. Code that uses it for tenant tables is named unsafe….
 * Each logs in as its own role; the web tier creates them on first use from
 * REALMGATE_TENANT_DATABASE_URL and REALMGATE_PLATFORM_DATABASE_URL.
 */
export function createDb(connectionString: string, options: { poolSize?: number; keySource?: PrismaClient; plans?: "custom" | "auto" } = {}): PrismaClient {
  // Waiting for a connection gives up after 10 s, as Prisma's transactions did (maxWait).
  // Prepared statements (below) keep their parse; each execution is still planned for its own
  // values (force_custom_plan), as unnamed statements were: a plan cached for one realm's values
  // can be thousands of times slower for another's (a realm of 100,000 VMs beside realms of 10).
  const pool = new TransactionPool({
    connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    stream: coalescingSocket,
    // `plans: "auto"` (the worker): PostgreSQL's own default, a cached generic plan once it costs
    // no more than the custom ones did. The worker's statements are the same few, by key or by
    // host, realm-size blind; planning was a third of its claim's and settle's time (issue 12).
    options: `-c plan_cache_mode=${options.plans === "auto" ? "auto" : "force_custom_plan"}`,
  });
  // An idle connection's error (the server restarted, the database was dropped) is the pool's to
  // handle: it drops that connection, and the next query opens another.
  pool.on("error", (error) => console.warn(`[db] idle connection lost: ${error.message}`));
  const adapter = new PrismaPg(pool, { statementNameGenerator: preparedName as (query: { sql: string }) => string, disposeExternalPool: true });
  const client = new PrismaClient({ adapter });
  // The realm binding key is readable by the platform role only: a tenant client borrows it.
  keySources.set(client, options.keySource ?? client);
  connectionStrings.set(client, connectionString);
  pools.set(client, pool);
  return client;
}

const globalForUrls = globalThis as unknown as { realmgateConnectionStrings?: WeakMap<PrismaClient, string> };
const connectionStrings = (globalForUrls.realmgateConnectionStrings ??= new WeakMap());

/**
 * The URL a client logs in with, for a repository that must stream through a `pg` cursor of its
 * own (the audit verifier reads every chain row; Prisma decodes rows several times slower).
 */
export function connectionStringOf(db: PrismaClient): string {
  const url = connectionStrings.get(db);
  if (!url) throw new Error("this client was not made by createDb");
  return url;
}

export const TENANT_URL_ENV = "REALMGATE_TENANT_DATABASE_URL";
export const PLATFORM_URL_ENV = "REALMGATE_PLATFORM_DATABASE_URL";

/** The platform role's URL (LISTEN connections, the worker). */
export function platformDatabaseUrl(): string {
  const url = process.env[PLATFORM_URL_ENV];
  if (!url) throw new Error(`${PLATFORM_URL_ENV} is not set; start Realmgate with \`npm start\``);
  return url;
}

type Role = "tenant" | "platform";
const globalForDb = globalThis as unknown as { realmgateDb?: Partial<Record<Role, PrismaClient>> };

function shared(role: Role): PrismaClient {
  const clients = (globalForDb.realmgateDb ??= {});
  const existing = clients[role];
  if (existing) return existing;
  if (role === "platform") return (clients.platform = createDb(platformDatabaseUrl()));
  const url = process.env[TENANT_URL_ENV];
  if (!url) throw new Error(`${TENANT_URL_ENV} is not set; start Realmgate with \`npm start\``);
  return (clients.tenant = createDb(url, { keySource: shared("platform") }));
}

/** The web tier's tenant client: row-level security applies. */
export const tenantDb = (): PrismaClient => shared("tenant");

/** The platform client: bypasses row-level security. */
export const platformDb = (): PrismaClient => shared("platform");

// ---------------------------------------------------------------------------------------------
// Realm binding. Threat: SQL run as the tenant role choosing another realm. The realm a
// transaction sees is set as '<realm>.<expiry>.<HMAC-SHA256 of both>', and the database
// (realmgate_current_realm(), migration database_roles) accepts only a value signed with a key
// the tenant role cannot read.

// On globalThis, like the shared clients: Next loads this module once per bundle (pages, route
// handlers), and a client made by one copy must find its key source from any other.
const globalForKeys = globalThis as unknown as { realmgateKeySources?: WeakMap<PrismaClient, PrismaClient>; realmgateKeys?: WeakMap<PrismaClient, Promise<Buffer>> };
const keySources = (globalForKeys.realmgateKeySources ??= new WeakMap());
const keys = (globalForKeys.realmgateKeys ??= new WeakMap());
/** A binding is valid this long: longer than any transaction (their timeout is 20 s). */
const BINDING_TTL_S = 300;

function bindingKey(db: PrismaClient): Promise<Buffer> {
  const source = keySources.get(db) ?? db;
  let key = keys.get(source);
  if (!key) {
    key = source.$queryRaw<{ key: Uint8Array }[]>`SELECT "key" FROM "realmgate_private"."realm_binding_key"`.then((rows) => {
      if (!rows[0]) throw new Error("the realm binding key is missing (migration database_roles not applied?)");
      return Buffer.from(rows[0].key);
    });
    keys.set(source, key);
    key.catch(() => keys.delete(source));
  }
  return key;
}

/** The signed value that binds a transaction to a realm (exported for the tests that forge one). */
export function realmBinding(key: Buffer, realmId: string, now = Date.now()): string {
  const payload = `${realmId.toLowerCase()}.${Math.floor(now / 1000) + BINDING_TTL_S}`;
  return `${payload}.${createHmac("sha256", key).update(payload).digest("hex")}`;
}

// ---------------------------------------------------------------------------------------------
// Transactions. Profiles of the web tier (issue 12) showed each statement Prisma sends costing
// about 0.7 ms of CPU before it reaches the driver, and an interactive transaction four of them
// (BEGIN, the realm binding, the query, COMMIT). So a transaction is opened and closed here, on
// the connection itself: BEGIN and the binding go as one message, COMMIT as another. Prisma's own
// interactive transaction runs on that connection once fn first uses Prisma's API (its BEGIN and
// COMMIT are not sent again; LazyPrismaTransaction): repositories keep Prisma's API and its
// per-transaction batching, and the hot statements can go straight to the driver through `sql`
// below. Which connection is "this transaction's" is found through the async context, per pool,
// and only by Prisma's transaction as it starts: another transaction, even of the same pool,
// always gets a connection of its own.

/**
 * A transaction in progress on one of a pool's connections. `open` turns false when it ends:
 * code that outlives it in the same async context (a stream's generator, a promise left
 * running) must never reach that connection again, since it is back in the pool and may be
 * another request's by then. `joined`: Prisma's transaction client rides on it (once only). Kept here,
 * not per module: the web process loads this module twice (the API and Next's bundle), and
 * either copy may run a transaction on a client the other made.
 */
type Current = { connection: pg.PoolClient; open: boolean; joined: boolean; ahead?: { name: string; values: string; rows: unknown[] } };
type Scope = Map<TransactionPool, Current>;
const globalForScope = globalThis as unknown as { realmgateTxScope?: AsyncLocalStorage<Scope>; realmgatePools?: WeakMap<object, TransactionPool>; realmgateTxConnections?: WeakMap<object, Current> };
const scope = (globalForScope.realmgateTxScope ??= new AsyncLocalStorage<Scope>());
/** The pool of each client createDb made. */
const pools = (globalForScope.realmgatePools ??= new WeakMap());
/** The connection of each open transaction client (the `tx` a transaction's fn receives). */
const txConnections = (globalForScope.realmgateTxConnections ??= new WeakMap());

/**
 * A pg pool whose `connect`, called by Prisma to start its interactive transaction inside one of
 * ours, hands out our transaction's connection with BEGIN and COMMIT made no-ops (ours frame it).
 */
class TransactionPool extends pg.Pool {
  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  override connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): Promise<pg.PoolClient> | void {
    // Our transaction's own Prisma transaction joins it (runTransaction starts it first thing);
    // any other one (Prisma's implicit transaction for a nested write on the base client, say)
    // gets a connection of its own, as it always did.
    const current = scope.getStore()?.get(this);
    if (callback || !current?.open || current.joined) return callback ? super.connect(callback) : super.connect();
    return Promise.resolve(framedConnection(current));
  }

  /** A connection of the pool's own, never one of a transaction in progress (a new transaction's). */
  fresh(): Promise<pg.PoolClient> {
    return super.connect();
  }
}

/**
 * A transaction's connection as Prisma's transaction sees it: BEGIN, COMMIT and ROLLBACK are ours
 * (runTransaction sends them once fn is done), so Prisma's are not sent. A failure inside fn
 * reaches runTransaction, which rolls back.
 */
function framedConnection(current: Current): pg.PoolClient {
  const { connection } = current;
  const done = (command: string) => Promise.resolve({ rows: [], fields: [], rowCount: 0, command });
  const query = (config: unknown, ...rest: unknown[]) => {
    const text = typeof config === "string" ? config : (config as { text?: string }).text;
    if (text === "BEGIN") {
      current.joined = true;
      return done("BEGIN");
    }
    if (text === "COMMIT" || text === "ROLLBACK") return done(text);
    if (!current.open) return Promise.reject(new Error("a statement on a transaction that has ended"));
    return (connection.query as (...a: unknown[]) => unknown)(config, ...rest);
  };
  return new Proxy(connection, {
    get(target, property) {
      if (property === "query") return query;
      // runTransaction releases it once its COMMIT or ROLLBACK is sent.
      if (property === "release") return () => {};
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * A socket that sends what is written to it within one tick in one system call. The driver
 * writes each message of a query (bind, describe, execute, sync) on its own, which made two
 * system calls per statement; on these machines a loopback send costs about half a millisecond
 * of CPU, more than the statement itself (issue 12: `writev` and `writeBuffer` were a quarter
 * of the web process's busy time).
 */
function coalescingSocket(): net.Socket {
  const socket = new net.Socket();
  const write = socket.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = function (this: net.Socket, ...args: unknown[]) {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as net.Socket["write"];
  return socket;
}

/**
 * Prepared statement names for Prisma's queries, so PostgreSQL parses and plans each shape once
 * per connection. Bounded: queries whose text varies with their input (IN lists) would otherwise
 * grow every connection's statement cache without end; past the bound they go unnamed.
 */
const PREPARED_LIMIT = 2000;
const preparedNames = new Map<string, string>();
function preparedName(query: { sql: string }): string | undefined {
  let name = preparedNames.get(query.sql);
  if (name === undefined && preparedNames.size < PREPARED_LIMIT) {
    name = `p${createHash("sha1").update(query.sql).digest("base64url")}`;
    preparedNames.set(query.sql, name);
  }
  return name;
}

/** A statement for `sql`: named, so each connection prepares it once. */
export type Statement = { readonly name: string; readonly text: string };
export function statement(name: string, text: string): Statement {
  return { name: `rg_${name}`, text };
}

/**
 * A statement a transaction's first message may run ahead of fn (withRealm `prefetch`), as SQL's
 * EXECUTE of the connection's prepared statement with these values as literals (escaped by the
 * driver): the same plan and the same rows as `sql(tx, statement, values)`, which then serves
 * them once instead of asking. A connection that has not prepared it yet just asks.
 */
export type Prefetch = { readonly statement: Statement; readonly values: readonly string[] };

/** Whether `connection` prepared `stmt` (the driver keeps the names it parsed, per connection). */
function preparedOn(connection: pg.PoolClient, stmt: Statement): boolean {
  const parsed = (connection as unknown as { connection?: { parsedStatements?: Record<string, string> } }).connection?.parsedStatements;
  return parsed?.[stmt.name] === stmt.text;
}

/**
 * Runs a statement on the driver directly (a hot path's statement: no ORM in between), in the
 * transaction `db` belongs to, or on its pool outside one. Rows come as the driver decodes them:
 * bigint and numeric as strings, timestamps as Dates, json parsed.
 */
export function sql<R>(db: Tx | PrismaClient, stmt: Statement, values: unknown[]): Promise<R[]> {
  return run<R>(db, { name: stmt.name, text: stmt.text, values });
}

/**
 * `sql` for a statement composed with Prisma.sql (fragments shared by several statements, like
 * the audit record's columns): the same statement text gets the same prepared name.
 */
export function sqlOf<R>(db: Tx | PrismaClient, query: Prisma.Sql): Promise<R[]> {
  return run<R>(db, { name: preparedName({ sql: query.text }), text: query.text, values: query.values });
}

/** A statement in the transaction `db` belongs to, or on its pool outside one. */
async function run<R>(db: Tx | PrismaClient, config: { name: string | undefined; text: string; values: unknown[] }): Promise<R[]> {
  const connection = openConnectionOf(db);
  if (connection) {
    // The statement ran ahead in the transaction's first message (withRealm `prefetch`): its rows, once.
    const current = txConnections.get(db)!;
    if (current.ahead && current.ahead.name === config.name && current.ahead.values === config.values.join("\u0000")) {
      const { rows } = current.ahead;
      current.ahead = undefined;
      return rows as R[];
    }
    return (await connection.query(config)).rows as R[];
  }
  const pool = pools.get(db);
  if (!pool) throw new Error("sql(): this client was not made by createDb, or its transaction has ended");
  return (await pool.query(config)).rows as R[];
}

/** The connection of the transaction `db` is the client of, while it is open; throws after. */
function openConnectionOf(db: Tx | PrismaClient): pg.PoolClient | null {
  const current = txConnections.get(db);
  if (!current) return null;
  if (!current.open) throw new Error("a statement on a transaction that has ended");
  return current.connection;
}

const TRANSACTION_TIMEOUT_MS = 20_000;

/**
 * The transaction client fn receives: Prisma's interactive transaction on our connection, started
 * only when fn first uses Prisma's API through it. A transaction whose statements all go through
 * `sql` (a lifecycle request's lock and write, a realm read) never starts one: starting it (its
 * transaction client and timers, `_transactionWithCallback` in profiles) was about a fifth of the
 * web process's CPU per lifecycle request (issue 12, bench/README.md). Each Prisma call waits for
 * the transaction to start, then runs on it as before.
 */
class LazyPrismaTransaction {
  /** What fn sees: `sql(tx, …)` finds the connection through it; any other use starts Prisma's. */
  readonly tx: Tx;
  private started: { client: Promise<Tx>; done: Promise<unknown>; finish: (error?: unknown) => void } | null = null;
  private readonly deadline: number;

  constructor(
    private readonly db: PrismaClient,
    private readonly current: Current,
    /** The scope Prisma's transaction starts in: TransactionPool.connect hands it our connection. */
    private readonly joining: Scope,
    private readonly timeoutMs: number,
  ) {
    this.deadline = Date.now() + timeoutMs;
    const forward = (property: PropertyKey) => {
      // A model (`tx.vm.findFirst(…)`) or a client method (`tx.$queryRaw\`…\``), run once Prisma's transaction is open.
      const call = (path: PropertyKey[], args: unknown[]) =>
        this.client().then((client) => {
          let target: unknown = client;
          let self: unknown = client;
          for (const key of path) {
            self = target;
            target = (target as Record<PropertyKey, unknown>)[key];
          }
          return (target as (...a: unknown[]) => unknown).apply(self, args);
        });
      return new Proxy(function () {}, {
        apply: (_target, _self, args: unknown[]) => call([property], args),
        get: (_target, method) => (method === "then" ? undefined : (...args: unknown[]) => call([property, method], args)),
      });
    };
    this.tx = new Proxy({} as Tx, {
      // Never a thenable (an async function may return it); symbols (inspection) are nothing of Prisma's.
      get: (_target, property) => (property === "then" || typeof property === "symbol" ? undefined : forward(property)),
    });
    txConnections.set(this.tx, current);
  }

  private client(): Promise<Tx> {
    if (!this.started) {
      // Settled by end(): Prisma's callback returns it, so its transaction lasts as long as fn.
      let finish!: (error?: unknown) => void;
      const ended = new Promise<void>((resolve, reject) => (finish = (error) => (error === undefined ? resolve() : reject(error))));
      ended.catch(() => undefined); // fn's error is rethrown by runTransaction, not reported here
      let resolveClient!: (client: Tx) => void;
      const client = new Promise<Tx>((resolve) => (resolveClient = resolve));
      const done = scope.run(this.joining, () =>
        this.db.$transaction(
          (prismaTx) => {
            txConnections.set(prismaTx, this.current);
            resolveClient(prismaTx);
            return ended;
          },
          // Prisma starts on our connection at once (waiting for one is the pool's 10 s); the
          // time fn already took counts against its timeout.
          { timeout: Math.max(1, this.deadline - Date.now()) },
        ),
      );
      // A transaction that failed to start fails the call that started it.
      this.started = { client: Promise.race([client, done.then(() => client)]), done, finish };
    }
    return this.started.client;
  }

  /** fn is done (with `error` if it failed): Prisma's transaction, if it started, ends first. */
  async end(error?: unknown): Promise<void> {
    if (this.started) {
      this.started.finish(error);
      if (error === undefined) await this.started.done;
      else await this.started.done.catch(() => undefined);
    } else if (error === undefined && Date.now() > this.deadline) {
      // The same limit Prisma's own transaction has: one held past it is rolled back, not committed.
      throw new Error(`transaction ran longer than its ${this.timeoutMs} ms timeout and was rolled back`);
    }
  }
}

/**
 * One transaction on a connection of db's pool: `prelude` (BEGIN, with anything that must run
 * first) in one message, fn with Prisma's transaction client on that connection, COMMIT; on any
 * error, ROLLBACK. A connection that failed is discarded, not returned to the pool.
 * `readOnly`: the prelude began a READ ONLY transaction, which PostgreSQL keeps from writing; its
 * COMMIT then has nothing to make durable, so fn's result is returned without waiting for it
 * (the connection goes back to the pool once it is done).
 */
async function runTransaction<T>(db: PrismaClient, prelude: string, fn: (tx: Tx) => Promise<T>, options: { timeout: number; readOnly?: boolean; prefetch?: Prefetch }): Promise<T> {
  const pool = pools.get(db);
  if (!pool) throw new Error("transaction(): this client was not made by createDb");
  const connection = await pool.fresh();
  // While it is ours, a connection that dies (the server restarted) reports it here, not as an
  // unhandled 'error' event that would end the process; the statement in flight fails anyway.
  let lost: Error | undefined;
  const onError = (error: Error) => (lost = error);
  connection.on("error", onError);
  const current: Current = { connection, open: true, joined: false };
  let released = false;
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    current.open = false;
    connection.off("error", onError);
    connection.release(error ?? lost);
  };
  try {
    const ahead = options.prefetch && preparedOn(connection, options.prefetch.statement) ? options.prefetch : undefined;
    if (!ahead) await connection.query(prelude);
    else {
      const values = ahead.values.map((value) => connection.escapeLiteral(value)).join(", ");
      const results = (await connection.query(`${prelude}; EXECUTE ${ahead.statement.name}(${values})`)) as unknown as pg.QueryResult[];
      current.ahead = { name: ahead.statement.name, values: ahead.values.join("\u0000"), rows: results[results.length - 1]!.rows };
    }
    // fn runs where no transaction of this pool is in progress: a Prisma transaction it starts on
    // the base client gets a connection of its own. Only its own (the lazy one, through tx) joins ours.
    const outside: Scope = new Map(scope.getStore());
    outside.delete(pool);
    const joining: Scope = new Map(outside);
    joining.set(pool, current);
    const prisma = new LazyPrismaTransaction(db, current, joining, options.timeout);
    let result: T;
    try {
      result = await scope.run(outside, () => fn(prisma.tx));
    } catch (error) {
      await prisma.end(error);
      throw error;
    }
    await prisma.end();
    // From here on nothing of fn's reaches the connection (a promise it left running included).
    current.open = false;
    const commit = connection.query("COMMIT");
    if (options.readOnly) {
      commit.then(() => release(), (error: Error) => release(error));
      return result;
    }
    await commit;
    release();
    return result;
  } catch (error) {
    current.open = false;
    if (!released) await connection.query("ROLLBACK").then(() => release(), (rollbackError: Error) => release(rollbackError));
    throw error;
  }
}

/**
 * Runs fn in a transaction bound to one realm: PostgreSQL's policies show and accept only
 * that realm's rows for its duration.
 */
export async function withRealm<T>(
  db: PrismaClient,
  realmId: string,
  fn: (tx: Tx) => Promise<T>,
  options: { check?: string; readOnly?: boolean; genericPlans?: boolean; prefetch?: Prefetch } = {},
): Promise<T> {
  const binding = realmBinding(await bindingKey(db), realmId);
  // Inlined, not a parameter, so BEGIN and the binding go as one message: realmBinding makes only
  // hex digits, dots and dashes, checked here anyway.
  if (!/^[0-9a-f.-]+$/.test(binding)) throw new Error("realm binding: unexpected characters");
  // `check`: a statement of the repositories that must hold before fn runs (sessions.ts
  // memberAccessCheck), sent in the same message; if it raises, fn never runs.
  const check = options.check ? `; ${options.check}` : "";
  const begin = options.readOnly ? "BEGIN READ ONLY" : "BEGIN";
  // `genericPlans`: the transaction's statements look rows up by key only (a lifecycle request:
  // the VM's lock, then one write; realm.get and vm.get: one VM), so each connection's cached
  // generic plan serves every realm instead of planning each statement again (createDb's
  // force_custom_plan, for this transaction only).
  const plans = options.genericPlans ? "; SET LOCAL plan_cache_mode = force_generic_plan" : "";
  // `prefetch`: the statement fn starts with (a VM procedure's read of its VM), run in that same
  // message when the connection has it prepared, so the request costs one round trip less.
  return runTransaction(db, `${begin}${plans}; SELECT set_config('realmgate.realm', '${binding}', true)${check}`, fn, {
    timeout: TRANSACTION_TIMEOUT_MS,
    readOnly: options.readOnly,
    prefetch: options.prefetch,
  });
}

/**
 * Runs fn in one transaction of `db` (state and its audit record commit together or not at
 * all). On the platform client row-level security does not apply: callers are platform code.
 */
export function transaction<T>(db: PrismaClient, fn: (tx: Tx) => Promise<T>, options: { timeout?: number } = {}): Promise<T> {
  return runTransaction(db, "BEGIN", fn, { timeout: options.timeout ?? TRANSACTION_TIMEOUT_MS });
}
