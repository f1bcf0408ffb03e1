/**
 * The connector ping: right after registration, then every 40 s as pycti
 * does. The platform records each ping (and each registration) as the
 * connector's heartbeat; a connector whose last heartbeat is more than 5
 * minutes old is inactive, and the platform stops sending it automatic
 * enrichments. A ping can fail even when the platform answers (it reports an
 * error when it cannot write the heartbeat).
 *
 * So failures are told apart by how long they last: the first failed ping is
 * a warning with its cause; failures lasting 2 minutes (well before the
 * 5-minute expiry) are an error, and `healthy` turns false until a ping
 * succeeds again, which is logged too. A ping still unanswered after those 2
 * minutes counts as failing; pings never overlap.
 *
 * A state reset by an admin is adopted as pycti does: the platform then
 * answers `""` once, and the connector drops its state.
 *
 * @module
 */

import type { Logger } from "../log/mod.ts";
import type { RuntimeObserver } from "./observer.ts";
import type { ConnectorInfo, LifecyclePort } from "./ports.ts";

/** pycti's ping interval. */
export const PING_INTERVAL_MS = 40_000;

/** How long pings may fail before the connector counts as unhealthy. */
export const UNHEALTHY_AFTER_MS = 120_000;

/** How long the platform keeps a connector active after its last heartbeat. */
const HEARTBEAT_EXPIRY_MINUTES = 5;

/** Options of {@link startPinger}. */
export interface PingerOptions {
  connectorId: string;
  /** The state returned at registration (JSON text or null). */
  initialState: string | null;
  queueThreshold: number;
  api: LifecyclePort;
  logger: Logger;
  observer: RuntimeObserver;
  /** Default {@link PING_INTERVAL_MS}. */
  intervalMs?: number;
  /** How long failures last before the error and `healthy` false. Default {@link UNHEALTHY_AFTER_MS}. */
  unhealthyAfterMs?: number;
  /** Told when `healthy` changes (e.g. to reflect it in readiness). */
  onHealthChange?: (healthy: boolean) => void;
  /** For tests: the clock, in ms. Default `Date.now`. */
  now?: () => number;
  /** For tests: calls `tick` every `ms` until the returned function is called. Default `setInterval`. */
  every?: (tick: () => void, ms: number) => () => void;
}

/** A running ping loop. */
export interface Pinger {
  /** Stops pinging; resolves when an in-progress ping ended. */
  stop(): Promise<void>;
  /** The connector state as last agreed with the platform. */
  readonly state: string | null;
  /** False from the moment failures have lasted `unhealthyAfterMs` until the next successful ping. */
  readonly healthy: boolean;
}

/** Starts pinging immediately and then every interval. */
export function startPinger(options: PingerOptions): Pinger {
  const { api, logger, observer, connectorId } = options;
  const now = options.now ?? Date.now;
  const unhealthyAfterMs = options.unhealthyAfterMs ?? UNHEALTHY_AFTER_MS;
  let state = normaliseState(options.initialState);
  let stopped = false;
  let healthy = true;
  let inFlight: { promise: Promise<void>; since: number } | undefined;
  /** When the first ping of the current run of failures started. */
  let failingSince: number | undefined;
  let failures = 0;
  let lastSuccess = now();
  const info: ConnectorInfo = {
    run_and_terminate: false,
    buffering: false,
    queue_threshold: options.queueThreshold,
    queue_messages_size: 0,
    next_run_datetime: null,
    last_run_datetime: null,
  };

  const setHealthy = (value: boolean) => {
    if (healthy === value) return;
    healthy = value;
    options.onHealthChange?.(value);
  };

  const checkOutage = (reason: string) => {
    if (!healthy || failingSince === undefined) return;
    const lasted = now() - failingSince;
    if (lasted < unhealthyAfterMs) return;
    logger.error(
      `Pinging the API has failed for ${
        seconds(lasted)
      } s: OpenCTI stops sending automatic enrichments to a connector without a heartbeat for ${HEARTBEAT_EXPIRY_MINUTES} minutes`,
      {
        connector_id: connectorId,
        reason,
        failures,
        last_success: new Date(lastSuccess).toISOString(),
      },
    );
    setHealthy(false);
  };

  const succeeded = (connectorState: string | null) => {
    observer.ping(true);
    if (failingSince !== undefined) {
      logger.info("Pinging the API works again: the heartbeat is recorded", {
        connector_id: connectorId,
        failures,
        outage_s: seconds(now() - failingSince),
      });
    }
    failures = 0;
    failingSince = undefined;
    lastSuccess = now();
    setHealthy(true);
    const remote = normaliseState(connectorState);
    if (remote !== state) {
      logger.info("Connector state has been remotely reset", { connector_id: connectorId });
      state = remote;
    }
  };

  const failed = (error: unknown, started: number) => {
    observer.ping(false);
    failures += 1;
    failingSince ??= started;
    const reason = error instanceof Error ? error.message : String(error);
    if (failures === 1) {
      logger.warning("Error pinging the API: the platform may not have recorded the heartbeat", {
        connector_id: connectorId,
        reason,
        error,
      });
    } else {
      logger.debug("Error pinging the API again", { connector_id: connectorId, failures, reason });
    }
    checkOutage(reason);
  };

  const ping = async (started: number) => {
    try {
      const answer = await api.pingConnector(connectorId, { state: state ?? "null", info });
      succeeded(answer.connectorState);
    } catch (error) {
      failed(error, started);
    }
  };

  const tick = () => {
    if (stopped) return;
    if (inFlight) {
      // Never overlap; a ping unanswered for the whole threshold counts as failing.
      const pending = now() - inFlight.since;
      if (pending >= unhealthyAfterMs) {
        failingSince ??= inFlight.since;
        checkOutage(`the ping has not been answered for ${seconds(pending)} s`);
      }
      return;
    }
    const started = now();
    const run = { since: started, promise: Promise.resolve() };
    inFlight = run;
    run.promise = ping(started).finally(() => {
      if (inFlight === run) inFlight = undefined;
    });
  };

  tick();
  const cancel = (options.every ?? every)(tick, options.intervalMs ?? PING_INTERVAL_MS);
  return {
    async stop() {
      stopped = true;
      cancel();
      await inFlight?.promise;
    },
    get state() {
      return state;
    },
    get healthy() {
      return healthy;
    },
  };
}

function every(tick: () => void, ms: number): () => void {
  const timer = setInterval(tick, ms);
  return () => clearInterval(timer);
}

function seconds(ms: number): number {
  return Math.round(ms / 1000);
}

/** pycti treats null, "", and anything that is not a JSON object as "no state". */
function normaliseState(state: string | null | undefined): string | null {
  if (!state) return null;
  try {
    const parsed = JSON.parse(state);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? state : null;
  } catch {
    return null;
  }
}
