import assert from "node:assert/strict";
import { expectVendorError, testClient, withServer } from "./_testing.ts";

const MiB = 1024 * 1024;

/** What testdata/rss_probe.ts reports of one call. */
interface Probe {
  compressedBytes?: number;
  servedBytes: number;
  rssGrowthBytes: number;
  error: { name: string; kind: string; status?: number; message: string } | null;
}

/**
 * Serves a hostile answer and calls it in a process of its own, so the RSS
 * measured is the call's alone (parallel tests share this process).
 */
async function probe(kind: "gzip" | "plain"): Promise<Probe> {
  const script = new URL("./testdata/rss_probe.ts", import.meta.url);
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      "--no-prompt",
      decodeURIComponent(script.pathname),
      kind,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  return JSON.parse(new TextDecoder().decode(output.stdout)) as Probe;
}

const TOO_LARGE =
  'Silent Push answered "enrich/ipv4/1.2.3.4" with more than 8 MB; raise SILENTPUSH_MAX_RESPONSE_MB if answers this large are expected';

/** The probed call failed as too large, and the process's RSS stayed under 100 MB. */
function assertCutOffWithoutTheMemory(result: Probe): void {
  assert.deepEqual(result.error, {
    name: "VendorError",
    kind: "invalid_response",
    status: 200,
    message: TOO_LARGE,
  });
  const growth = result.rssGrowthBytes;
  assert.ok(growth < 100 * MiB, `RSS grew by ${Math.round(growth / MiB)} MB`);
}

Deno.test("a gzip bomb fails at the cap counted after decoding, without the memory", async () => {
  const result = await probe("gzip");
  assert.ok(result.compressedBytes! < 4 * MiB, `${result.compressedBytes} bytes of gzip`);
  assertCutOffWithoutTheMemory(result);
});

Deno.test("a 200 MB plain body is cut off at the cap while it streams", async () => {
  const result = await probe("plain");
  assertCutOffWithoutTheMemory(result);
  const served = result.servedBytes;
  assert.ok(served < 64 * MiB, `the server was stopped after ${Math.round(served / MiB)} MB`);
});

/** A body that counts what is read of it and produces chunks only on demand. */
function countingBody(chunkBytes: number, read: { bytes: number }): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(chunkBytes).fill(0x61);
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      read.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
}

Deno.test("a Content-Length above the cap fails before the body is read", async () => {
  const read = { bytes: 0 };
  const { http } = testClient("https://vendor.example/api", {
    maxResponseBytes: 1000,
    maxResponseSetting: "ACME_MAX_RESPONSE_MB",
    fetch: () =>
      Promise.resolve(
        new Response(countingBody(1024, read), { headers: { "content-length": "999999999" } }),
      ),
  });
  const error = await http.getJson("x").catch((e) => e);
  expectVendorError(error, "invalid_response", 200);
  assert.equal(
    error.message,
    'acme answered "x" with more than 1000 bytes; raise ACME_MAX_RESPONSE_MB if answers this large are expected',
  );
  assert.equal(read.bytes, 0);
});

Deno.test("an answer of exactly the cap is accepted", async () => {
  const body = JSON.stringify({ pad: "x".repeat(990) });
  const { http } = testClient("https://vendor.example/api", {
    maxResponseBytes: body.length,
    fetch: () => Promise.resolve(new Response(body)),
  });
  assert.equal(((await http.getJson("x")).body as { pad: string }).pad.length, 990);
});

Deno.test("an error body is read only up to 4 KB for its excerpt", async () => {
  const read = { bytes: 0 };
  let calls = 0;
  const { http } = testClient("https://vendor.example/api", {
    retry: { maxRetries: 0 },
    fetch: () => {
      calls++;
      return Promise.resolve(new Response(countingBody(1024, read), { status: 500 }));
    },
  });
  const error = await http.getJson("x").catch((e) => e);
  expectVendorError(error, "server", 500);
  assert.equal(calls, 1);
  assert.ok(read.bytes <= 5 * 1024, `${read.bytes} bytes read`);
  assert.match(error.message, /^acme answered "x" with HTTP 500: a{200}…$/);
});

Deno.test("the deadline covers the body: a trickling answer fails at the deadline", async () => {
  const stopped = new AbortController();
  await withServer(() =>
    new Response(
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          await new Promise((resolve) => {
            const timer = setTimeout(resolve, 1000);
            stopped.signal.addEventListener("abort", () => {
              clearTimeout(timer);
              resolve(undefined);
            });
          });
          if (!stopped.signal.aborted) controller.enqueue(new TextEncoder().encode(" "));
        },
        cancel() {
          stopped.abort();
        },
      }),
      { headers: { "content-type": "application/json" } },
    ), async (base) => {
    const { http, events } = testClient(base, { timeoutMs: 1500, retry: { maxRetries: 0 } });
    const started = performance.now();
    const error = await http.getJson("x").catch((e) => e);
    const elapsed = performance.now() - started;
    stopped.abort();
    expectVendorError(error, "timeout");
    assert.equal(error.message, 'acme did not answer "x" within 1500 ms');
    assert.ok(elapsed >= 1400 && elapsed < 3000, `failed after ${Math.round(elapsed)} ms`);
    assert.deepEqual(events, ["acme:200", "acme:timeout"], "headers came, the body did not");
  });
});
