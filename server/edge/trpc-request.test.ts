import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, batchCalls, checkBatchSize, checkTrpcInput, edgeErrorResponse, readBodyCapped } from "./trpc-request";

const streamOf = (chunks: number, size: number) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < chunks; i++) controller.enqueue(new Uint8Array(size).fill(0x20));
      controller.close();
    },
  });

describe("tRPC request limits", () => {
  it("counts the calls of a batch from the URL path", () => {
    expect(batchCalls("/api/trpc/vm.list", "/api/trpc")).toBe(1);
    expect(batchCalls("/api/trpc/a,b,c", "/api/trpc")).toBe(3);
    expect(checkBatchSize("/api/trpc/" + Array(20).fill("vm.list").join(","), "/api/trpc")).toBeNull();
    expect(checkBatchSize("/api/trpc/" + Array(21).fill("vm.list").join(","), "/api/trpc")).toEqual({
      status: 400,
      code: "BAD_REQUEST",
      message: "too many calls in one batch: 21 (limit 20)",
      limit: 20,
    });
  });
  it("oversized body: a declared length over the cap is refused without reading", async () => {
    const req = new Request("http://x/api/trpc/a", { method: "POST", body: "{}", headers: { "content-length": String(10 * 1024 * 1024) } });
    const read = await readBodyCapped(req);
    expect(read).toMatchObject({ ok: false, error: { status: 413, limit: MAX_BODY_BYTES } });
    expect(req.bodyUsed).toBe(false);
  });
  it("oversized body: a streamed body without a length is cut off once it passes the cap", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const req = new Request("http://x/api/trpc/a", { method: "POST", body, duplex: "half" } as RequestInit);
    expect(await readBodyCapped(req)).toMatchObject({ ok: false, error: { status: 413, code: "PAYLOAD_TOO_LARGE" } });
    expect(pulled).toBeLessThan(40);
  });
  it("reads a body within the cap", async () => {
    const req = new Request("http://x/api/trpc/a", { method: "POST", body: streamOf(4, 1024), duplex: "half" } as RequestInit);
    const read = await readBodyCapped(req);
    expect(read.ok && read.text.length).toBe(4096);
  });
  it("answers in tRPC's error envelope, naming the limit", async () => {
    const response = edgeErrorResponse({ status: 413, code: "PAYLOAD_TOO_LARGE", message: "request body too large (limit 1048576 bytes)", limit: 1048576 });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: { json: { message: "request body too large (limit 1048576 bytes)", code: -32413, data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413, limit: 1048576 } } },
    });
  });
});

describe("tRPC input shape", () => {
  it.each([
    ['{"json":{"vmId":"x","__proto__":{"isAdmin":true}}}', "__proto__"],
    ['{"json":{"constructor":{"prototype":{"x":1}}}}', "prototype"],
    ['{"0":{"json":{"a":{"b":{"__proto__":null}}}}}', "__proto__"],
  ])("prototype pollution: %s is invalid input naming the key", (text, key) => {
    expect(checkTrpcInput(text, text.startsWith('{"0"'))?.message).toBe(`invalid input: key ${key} is not allowed`);
  });
  it.each([["null"], ["[]"], ['"x"'], ["1"]])("a body of %s is plain invalid input", (text) => {
    expect(checkTrpcInput(text, false)).toMatchObject({ status: 400, code: "BAD_REQUEST" });
  });
  it("a batch entry that is not an object is invalid input", () => {
    expect(checkTrpcInput('{"0":null}', true)).toMatchObject({ status: 400 });
  });
  it.each([['{"json":{"vmId":"x"}}', false], ["{}", false], ['{"0":{"json":1},"1":{}}', true], ["", false], [null, false], ["not json", false]])(
    "lets %s through",
    (text, isBatch) => {
      expect(checkTrpcInput(text, isBatch)).toBeNull();
    },
  );
});
