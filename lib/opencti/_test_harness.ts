/**
 * What the client's tests share: a fake OpenCTI with a client pointed at it
 * (retry pauses recorded, not waited), a client with the test credentials,
 * a registration input, and a helper that expects an {@link OpenCtiError}.
 *
 * @module
 */

import assert from "node:assert/strict";
import { OpenCtiError } from "../errors/mod.ts";
import { type CapturedLogger, captureLogger } from "../log/testing.ts";
import {
  type FakeOpenCti,
  type FakeOpenCtiOptions,
  startFakeOpenCti,
} from "../../tests/fake_opencti/mod.ts";
import { createOpenCtiClient, type OpenCtiClient, type OpenCtiClientOptions } from "./client.ts";
import type { ConnectorInfo, RegisterInput } from "./types.ts";

/** The token the fake accepts. */
export const TOKEN = "tok-5f1c2a9e-do-not-leak";

/** The user agent the client sends. */
export const USER_AGENT = "opencti-enrich/0.0.0-test";

/** A fake platform and a client talking to it. */
export interface Harness extends AsyncDisposable {
  fake: FakeOpenCti;
  client: OpenCtiClient;
  /** The retry pauses asked for, in ms (none is waited). */
  delays: number[];
  log: CapturedLogger;
}

/** Starts the fake with `fakeOptions` and a client with `clientOptions` (3 retries, no waiting). */
export async function harness(
  fakeOptions: FakeOpenCtiOptions = {},
  clientOptions: Partial<OpenCtiClientOptions> = {},
): Promise<Harness> {
  const fake = await startFakeOpenCti({ token: TOKEN, ...fakeOptions });
  const log = captureLogger();
  const delays: number[] = [];
  const client = createOpenCtiClient({
    url: fake.url,
    token: TOKEN,
    userAgent: USER_AGENT,
    logger: log.logger,
    retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 4 },
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
    ...clientOptions,
  });
  return {
    fake,
    client,
    delays,
    log,
    async [Symbol.asyncDispose]() {
      await client.close();
      await fake.close();
    },
  };
}

/**
 * A client with the test token and user agent, logging to a fresh capture;
 * `options` add to or replace those.
 */
export function testClient(
  options: Pick<OpenCtiClientOptions, "url"> & Partial<OpenCtiClientOptions>,
): OpenCtiClient {
  return createOpenCtiClient({
    token: TOKEN,
    userAgent: USER_AGENT,
    logger: captureLogger().logger,
    ...options,
  });
}

/** The connector info pycti sends for an enrichment connector. */
export const INFO: ConnectorInfo = {
  run_and_terminate: false,
  buffering: false,
  queue_threshold: 500,
  queue_messages_size: 0,
  next_run_datetime: null,
  last_run_datetime: null,
};

/** A registration input for connector `id`, with the extra fields given. */
export function registerInput(id: string, extra: Partial<RegisterInput> = {}): RegisterInput {
  return {
    id,
    name: "Silent Push",
    type: "INTERNAL_ENRICHMENT",
    scope: ["IPv4-Addr", "Domain-Name"],
    auto: true,
    auto_update: true,
    enrichment_resolution: "stix_bundle",
    only_contextual: false,
    playbook_compatible: true,
    listen_callback_uri: null,
    ...extra,
  };
}

/** Awaits `promise`, which must reject with an {@link OpenCtiError}, and returns that error. */
export async function rejection(promise: Promise<unknown>): Promise<OpenCtiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OpenCtiError, `expected an OpenCtiError, got ${error}`);
    return error;
  }
  assert.fail("expected the call to fail");
}
