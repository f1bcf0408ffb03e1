import assert from "node:assert/strict";
import { AMQPBaseClient, AMQPClient, AMQPError } from "@cloudamqp/amqp-client";
import { captureLogger } from "../log/testing.ts";
import { SecretRedactor } from "../log/mod.ts";
import { type GuardedConnections, guardLibraryErrors, libraryRejection } from "./_guard.ts";

/** An `AMQPError` raised by the library itself, on `client`. */
async function libraryAmqpError(client: AMQPClient): Promise<Error> {
  return await client.channel().then(
    () => assert.fail("a closed client opened a channel"),
    (e) => e,
  );
}

/** The TypeError the library's unbound `rejectConnect` throws. */
function unboundHandlerError(): Error {
  const rejectConnect = AMQPBaseClient.prototype["rejectConnect" as keyof AMQPBaseClient] as (
    error: Error,
  ) => void;
  try {
    rejectConnect.call(undefined, new Error("write EPIPE"));
  } catch (error) {
    return error as Error;
  }
  return assert.fail("rejectConnect ran without its instance");
}

function connections(
  owned: unknown,
  failing = true,
  dropped: unknown[] = [],
): GuardedConnections {
  return {
    owns: (connection) => connection === owned,
    failing: () => failing,
    drop: (connection) => dropped.push(connection),
  };
}

function dispatch(target: EventTarget, reason: unknown): boolean {
  const promise = Promise.reject(reason);
  promise.catch(() => {});
  const event = new PromiseRejectionEvent("unhandledrejection", {
    promise,
    reason,
    cancelable: true,
  });
  target.dispatchEvent(event);
  return event.defaultPrevented;
}

Deno.test("libraryRejection() takes an AMQPError the library raised on an owned connection only", async () => {
  const ours = new AMQPClient("amqp://127.0.0.1:1");
  const theirs = new AMQPClient("amqp://127.0.0.1:1");
  assert.equal(
    libraryRejection(await libraryAmqpError(ours), connections(ours))?.kind,
    "connection_error",
  );
  assert.equal(libraryRejection(await libraryAmqpError(theirs), connections(ours)), undefined);
});

Deno.test("libraryRejection() takes the unbound rejectConnect TypeError only while a connection is failing", () => {
  const error = unboundHandlerError();
  assert.match(error.message, /reading 'connectPromise'/);
  assert.deepEqual(libraryRejection(error, connections(undefined, true)), {
    kind: "internal_error",
    reason: "TypeError: Cannot read properties of undefined (reading 'connectPromise')",
  });
  assert.equal(libraryRejection(error, connections(undefined, false)), undefined);
});

Deno.test("libraryRejection() never takes an error raised outside the library, even of the same shape", () => {
  const error = new TypeError("Cannot read properties of undefined (reading 'connectPromise')");
  assert.equal(libraryRejection(error, connections(undefined, true)), undefined);
  assert.equal(libraryRejection("connection closed", connections(undefined, true)), undefined);
});

Deno.test("libraryRejection() knows the rejectConnect TypeError once bundled, when its frames lost the package path", () => {
  const error = new TypeError("Cannot read properties of undefined (reading 'connectPromise')");
  error.stack =
    `TypeError: ${error.message}\n    at rejectConnect (file:///app/dist/opencti-enrich.js:4711:14)`;
  assert.equal(libraryRejection(error, connections(undefined, true))?.kind, "internal_error");
});

Deno.test("libraryRejection() knows an AMQPError on an owned connection by the connection it names, wherever it was raised", () => {
  const ours = new AMQPClient("amqp://127.0.0.1:1");
  // Raised here, as every frame of a bundle is outside the package's files.
  const error = new AMQPError("Socket closed", ours);
  assert.equal(libraryRejection(error, connections(ours, false))?.kind, "connection_error");
});

Deno.test("the guard prevents the process-ending default for the library's rejections, and only while installed", async () => {
  const client = new AMQPClient("amqp://127.0.0.1:1");
  const target = new EventTarget();
  const { logger } = captureLogger();
  const remove = guardLibraryErrors(connections(client), {
    logger,
    redactor: new SecretRedactor(),
    target,
  });
  assert.equal(dispatch(target, await libraryAmqpError(client)), true);
  assert.equal(dispatch(target, unboundHandlerError()), true);
  assert.equal(
    dispatch(target, new Error("a bug of ours")),
    false,
    "other rejections still end the process",
  );
  remove();
  assert.equal(dispatch(target, unboundHandlerError()), false);
});

Deno.test("the guard drops an owned connection whose frame parsing threw, instead of letting the process end", () => {
  const ours = new AMQPClient("amqp://127.0.0.1:1");
  const theirs = new AMQPClient("amqp://127.0.0.1:1");
  const target = new EventTarget();
  const dropped: unknown[] = [];
  guardLibraryErrors(connections(ours, false, dropped), {
    logger: captureLogger().logger,
    redactor: new SecretRedactor(),
    target,
  });
  const thrown = (error: Error) => {
    const event = new ErrorEvent("error", { error, cancelable: true });
    target.dispatchEvent(event);
    return event.defaultPrevented;
  };
  assert.equal(thrown(new AMQPError("Invalid frame end 0, expected 206", ours)), true);
  assert.deepEqual(dropped, [ours]);
  assert.equal(thrown(new AMQPError("Invalid frame end 0, expected 206", theirs)), false);
  assert.equal(thrown(new TypeError("a bug of ours")), false);
  assert.deepEqual(dropped, [ours]);
});

Deno.test("the guard logs a warning for the first rejection of a burst and the rest at debug", () => {
  const target = new EventTarget();
  const captured = captureLogger();
  let now = 0;
  guardLibraryErrors(connections(undefined), {
    logger: captured.logger,
    redactor: new SecretRedactor(),
    target,
    burstMs: 1000,
    now: () => now,
  });
  for (const at of [0, 400, 1200, 2300]) {
    now = at;
    dispatch(target, unboundHandlerError());
  }
  const levels = captured.records().map((record) => [record.level, record.attributes?.in_burst]);
  // 0 and 400 are one burst; 1200 is 800 ms after 400 (same burst); 2300 starts a new one.
  assert.deepEqual(levels, [["WARNING", 1], ["DEBUG", 2], ["DEBUG", 3], ["WARNING", 1]]);
});
