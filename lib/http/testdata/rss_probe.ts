/**
 * Run by body_limit_test.ts in a process of its own, so that its RSS is the
 * call's alone (tests running in parallel share one process): serves a
 * hostile answer, calls it with the vendor client, and prints what happened
 * as JSON on stdout.
 *
 * `deno run --allow-net=127.0.0.1 rss_probe.ts gzip|plain`
 *
 * @module
 */

import { SecretRedactor } from "../../log/mod.ts";
import { captureLogger } from "../../log/testing.ts";
import { createVendorHttpClient } from "../client.ts";

const MiB = 1024 * 1024;
const kind = Deno.args[0];

/** About 1 MB of gzip that inflates to 1 GiB of zeros. */
async function gzipBomb(): Promise<Uint8Array<ArrayBuffer>> {
  const chunk = new Uint8Array(MiB);
  let sent = 0;
  const zeros = new ReadableStream<BufferSource>({
    pull(controller) {
      if (sent++ < 1024) controller.enqueue(chunk);
      else controller.close();
    },
  });
  return new Uint8Array(
    await new Response(zeros.pipeThrough(new CompressionStream("gzip"))).arrayBuffer(),
  );
}

/** 200 MB of spaces, produced as the client reads them. */
function plainBody(served: { bytes: number }): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode(" ".repeat(64 * 1024));
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (served.bytes >= 200 * MiB) return controller.close();
      served.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

const bomb = kind === "gzip" ? await gzipBomb() : undefined;
const served = { bytes: 0 };
const server = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen() {} },
  () =>
    bomb
      ? new Response(bomb, {
        headers: { "content-encoding": "gzip", "content-type": "application/json" },
      })
      : new Response(plainBody(served), { headers: { "content-type": "application/json" } }),
);

const { logger } = captureLogger();
const http = createVendorHttpClient({
  vendor: "silentpush",
  title: "Silent Push",
  baseUrl: `http://127.0.0.1:${server.addr.port}/api/v1`,
  redactor: new SecretRedactor(),
  maxResponseSetting: "SILENTPUSH_MAX_RESPONSE_MB",
  logger,
});

const before = Deno.memoryUsage().rss;
let peak = before;
const sampler = setInterval(() => {
  peak = Math.max(peak, Deno.memoryUsage().rss);
}, 5);
const error = await http.getJson("enrich/ipv4/1.2.3.4").then(() => undefined, (e) => e);
clearInterval(sampler);
peak = Math.max(peak, Deno.memoryUsage().rss);
await server.shutdown();

// deno-lint-ignore no-console
console.log(JSON.stringify({
  compressedBytes: bomb?.byteLength,
  servedBytes: served.bytes,
  rssGrowthBytes: peak - before,
  error: error
    ? { name: error.name, kind: error.kind, status: error.status, message: error.message }
    : null,
}));
