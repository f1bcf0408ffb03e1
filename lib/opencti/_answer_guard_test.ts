import assert from "node:assert/strict";
import {
  AnswerTooLarge,
  guardAnswer,
  MAX_ANSWER_BYTES,
  PlatformRedirect,
} from "./_answer_guard.ts";
import { rejection, testClient, TOKEN } from "./_test_harness.ts";

/** A local server answering every request with `answer`; it records what reached it. */
function serve(answer: (request: Request) => Response) {
  const seen: Array<{ authorization: string | null }> = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    seen.push({ authorization: request.headers.get("authorization") });
    return answer(request);
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    seen,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

function chunks(count: number, size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent++ < count) controller.enqueue(new Uint8Array(size).fill(0x20));
      else controller.close();
    },
  });
}

Deno.test("a redirect is never followed: the token stays with OPENCTI_URL and the error names the address to set", async () => {
  await using elsewhere = serve(() => Response.json({ data: { about: { version: "6.8.10" } } }));
  await using platform = serve(() =>
    new Response(null, {
      status: 301,
      headers: { location: `${elsewhere.url}/graphql?session=s3cr3t-state` },
    })
  );
  const client = testClient({ url: platform.url, retry: { maxRetries: 3 } });
  const error = await rejection(client.about());
  assert.equal(elsewhere.seen.length, 0, "nothing, and no token, went to the redirect's target");
  assert.equal(platform.seen.length, 1, "a redirect is not retried");
  assert.equal(platform.seen[0]!.authorization, `Bearer ${TOKEN}`);
  assert.equal(error.kind, "redirect");
  assert.equal(error.status, 301);
  assert.equal(error.transient, false);
  assert.match(
    error.message,
    /answered "About" with HTTP 301, a redirect to "http:\/\/127\.0\.0\.1:\d+\/graphql"/,
  );
  assert.match(
    error.message,
    new RegExp(`set OPENCTI_URL \\(opencti.url\\) to "${elsewhere.url}"`),
  );
  assert.doesNotMatch(error.message, /s3cr3t-state/, "the redirect's query is not quoted");
  await client.close();
});

Deno.test("a platform answer over the size limit fails clearly, whether it declares its length or streams", async () => {
  const oversized = MAX_ANSWER_BYTES + 1;
  await using declared = serve(() =>
    new Response(chunks(1, 16), { headers: { "content-length": String(oversized) } })
  );
  await using streamed = serve(() => new Response(chunks(65, 1024 * 1024)));
  for (const url of [declared.url, streamed.url]) {
    const client = testClient({ url, retry: { maxRetries: 2 } });
    const error = await rejection(client.about());
    assert.equal(error.kind, "invalid_response", url);
    assert.equal(error.transient, false, url);
    assert.match(error.message, /answered "About" with more than 64 MB/, url);
    await client.close();
  }
  assert.equal(streamed.seen.length, 1, "not retried");
});

Deno.test("guardAnswer() passes an answer within the limit through and refuses one past it", async () => {
  const where = { requestUrl: "http://octi:8080/graphql", maxBytes: 10 };
  const declared = new Response("0123456789", { headers: { "content-length": "10" } });
  assert.equal(await guardAnswer(declared, where), declared, "a declared length is trusted");
  const chunked = await guardAnswer(new Response(chunks(2, 5)), where);
  assert.equal(await chunked.text(), " ".repeat(10));
  assert.equal(chunked.status, 200);
  await assert.rejects(guardAnswer(new Response(chunks(3, 4)), where), AnswerTooLarge);
  await assert.rejects(
    guardAnswer(new Response("x", { headers: { "content-length": "11" } }), where),
    AnswerTooLarge,
  );
  await assert.rejects(
    guardAnswer(new Response(null, { status: 307, headers: { location: "/other/graphql" } }), {
      requestUrl: "http://octi:8080/graphql",
    }),
    (error) =>
      error instanceof PlatformRedirect && error.location === "http://octi:8080/other/graphql",
  );
});
