import { randomUUID } from "node:crypto";
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./api-types";
import type { Settings } from "./config";
import { CliError, describeApiFailure, EXIT_FAILED, NOT_LOGGED_IN } from "./errors";

/**
 * The REST client (openapi-fetch over the generated types): the bearer token, one
 * Idempotency-Key per invocation on every mutation (a retried request returns the first answer
 * instead of acting twice), and failures turned into CliErrors in words.
 */

export type Api = Client<paths>;

export type Connection = {
  api: Api;
  url: string;
  tokenSent: boolean;
  idempotencyKey: string;
};

const RETRIES = 2;

export function connect(
  settings: Pick<Settings, "url" | "token">,
  options: { requireToken?: boolean } = {},
): Connection {
  if (options.requireToken !== false && !settings.token) throw new CliError(NOT_LOGGED_IN);
  const idempotencyKey = randomUUID();
  const headers: Record<string, string> = { "user-agent": "realmgate-cli" };
  if (settings.token) headers.authorization = `Bearer ${settings.token}`;
  const url = settings.url;
  // Mutations are retried on a dropped connection with the same key: the server answers the
  // retry with the first answer. Reads are retried the same way (they change nothing).
  const fetchWithRetry = async (request: Request): Promise<Response> => {
    if (request.method !== "GET" && request.method !== "HEAD") request.headers.set("idempotency-key", idempotencyKey);
    for (let attempt = 0; ; attempt++) {
      try {
        return await fetch(request.clone());
      } catch (error) {
        if (attempt >= RETRIES) throw new CliError(`cannot reach ${url}: ${causeOf(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 300 * (attempt + 1)));
      }
    }
  };
  const api = createClient<paths>({ baseUrl: `${url}/api/v1`, headers, fetch: fetchWithRetry });
  return { api, url, tokenSent: Boolean(settings.token), idempotencyKey };
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The answer's data, or a CliError in words (`thing` names what a 404 did not find). */
export async function ok<T>(connection: Connection, request: Promise<Answer<T>>, thing?: string): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await request;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot reach ${connection.url}: ${causeOf(error)}`);
  }
  if (answer.response.ok) return answer.data as T;
  const { status } = answer.response;
  const retryAfter = answer.response.headers.get("retry-after");
  throw new CliError(
    describeApiFailure({ status, body: answer.error, tokenSent: connection.tokenSent, thing, retryAfter }),
    EXIT_FAILED,
    {
      status,
      retryAfterSeconds: retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : null,
    },
  );
}

/** Every item of a cursor-paginated list: asks for page after page (nextCursor) until the last. */
export async function allPages<T>(
  connection: Connection,
  page: (cursor: string | undefined) => Promise<Answer<{ items: T[]; nextCursor: string | null }>>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const answer = await ok(connection, page(cursor));
    items.push(...answer.items);
    cursor = answer.nextCursor ?? undefined;
  } while (cursor);
  return items;
}
