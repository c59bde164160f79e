import { createServer, type IncomingMessage } from "node:http";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { connect, ok } from "./client";

/** The CLI's HTTP client over loopback: a dropped connection is retried with the same Idempotency-Key. */

async function listen(server: ReturnType<typeof createServer>): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("the CLI's REST client", () => {
  it("retries a mutation whose connection dropped with the same Idempotency-Key, so the server can answer it once", async () => {
    const seen: { method: string; key: string | undefined; body: string }[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        seen.push({ method: req.method ?? "", key: req.headers["idempotency-key"] as string | undefined, body });
        if (seen.length === 1) return req.socket.destroy(); // the first answer is lost on the way back
        res.writeHead(202, { "content-type": "application/json" });
        res.end(JSON.stringify({ operationId: "00000000-0000-4000-8000-000000000001" }));
      });
    });
    const url = await listen(server);
    try {
      const connection = connect({ url, token: "rgt_test" });
      const answer = await ok(
        connection,
        connection.api.POST("/vms/{vmId}/start", {
          params: { path: { vmId: "00000000-0000-4000-8000-000000000002" } },
          body: {},
        }),
      );
      expect(answer).toEqual({ operationId: "00000000-0000-4000-8000-000000000001" });
      expect(seen).toHaveLength(2);
      expect(seen[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
      expect(seen[1]).toEqual(seen[0]);
      // Reads carry no key; a second invocation (a new connection) gets a new one.
      expect(connect({ url, token: "rgt_test" }).idempotencyKey).not.toBe(connection.idempotencyKey);
    } finally {
      server.close();
    }
  });

  it("an unreachable server is a failure in words", async () => {
    const probe = createTcpServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const connection = connect({ url: `http://127.0.0.1:${port}`, token: "rgt_test" });
    await expect(ok(connection, connection.api.GET("/vms", {}))).rejects.toThrow(
      `cannot reach http://127.0.0.1:${port}: ECONNREFUSED`,
    );
  });
});
