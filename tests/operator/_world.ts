/**
 * What an operator's first hour needs to be replayed: a fake OpenCTI on the
 * real RabbitMQ (declaring the connector's queues at registration, as the
 * platform does, unless told not to), a fake Silent Push, and the env vars of
 * a working deployment to break one at a time. The program always runs as a
 * fresh process (tests/support/connector_process.ts).
 *
 * @module
 */

import {
  type FakeOpenCti,
  type FakeOpenCtiOptions,
  startFakeOpenCti,
} from "../fake_opencti/mod.ts";
import type { FakeVendorServer } from "../fake_vendors/fake_server.ts";
import { startFakeSilentPush } from "../fake_vendors/silentpush.ts";
import { type ProgramResult, runProgram } from "../support/connector_process.ts";
import { PlatformBroker } from "../support/platform_queues.ts";

/** A fake platform and vendor, and a working configuration for them. */
export interface OperatorWorld extends AsyncDisposable {
  /** The platform's side of the broker. */
  readonly platform: PlatformBroker;
  readonly octi: FakeOpenCti;
  readonly vendor: FakeVendorServer;
  readonly connectorId: string;
  /** The env vars of a working deployment, with `changes` applied (undefined removes a var). */
  env(changes?: Record<string, string | undefined>): Record<string, string>;
}

/** Options of {@link startWorld}. */
export interface WorldOptions {
  /** Declare the connector's queues at registration (default true), as the platform does. */
  declareQueues?: boolean;
  /** More options of the fake platform. */
  octi?: Omit<FakeOpenCtiOptions, "onRegister">;
}

/** Starts the fakes. */
export async function startWorld(options: WorldOptions = {}): Promise<OperatorWorld> {
  const platform = await PlatformBroker.open();
  const declare = options.declareQueues ?? true;
  const octi = await startFakeOpenCti({
    ...options.octi,
    ...(declare ? { onRegister: (id: string) => platform.declare(id) } : {}),
  });
  const vendor = startFakeSilentPush();
  const connectorId = crypto.randomUUID();
  return {
    platform,
    octi,
    vendor,
    connectorId,
    env(changes = {}) {
      const env: Record<string, string | undefined> = {
        OPENCTI_URL: octi.url,
        OPENCTI_TOKEN: octi.token,
        // Failures are reported at the first attempt: the tests are about the message.
        OPENCTI_MAX_RETRIES: "0",
        CONNECTOR_ID: connectorId,
        SILENTPUSH_API_KEY: vendor.apiKey,
        SILENTPUSH_API_BASE_URL: vendor.url,
        ...changes,
      };
      return Object.fromEntries(
        Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
      );
    },
    async [Symbol.asyncDispose]() {
      await platform.delete(connectorId);
      await platform.close();
      await vendor.close();
      await octi.close();
    },
  };
}

/** `check` and then `run` on the same environment; `run` is expected to end by itself. */
export async function checkAndRun(
  env: Record<string, string>,
): Promise<{ check: ProgramResult; run: ProgramResult }> {
  const check = await runProgram(["check"], { env, timeoutMs: 30_000 });
  const run = await runProgram(["run"], { env, timeoutMs: 30_000 });
  return { check, run };
}
