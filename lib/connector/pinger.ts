/**
 * The connector ping (opencti-protocol.md §3): right after registration, then
 * every 40 s, so the platform keeps the connector "active" (updated less than
 * 5 minutes ago) and sends it automatic enrichments. A state reset by an admin
 * is adopted as pycti does.
 *
 * @module
 */

import type { Logger } from "../log/mod.ts";
import type { RuntimeObserver } from "./observer.ts";
import type { ConnectorInfo, LifecyclePort } from "./ports.ts";

/** pycti's ping interval. */
export const PING_INTERVAL_MS = 40_000;

/** Options of {@link startPinger}. */
export interface PingerOptions {
  connectorId: string;
  /** The state returned at registration (JSON text or null). */
  initialState: string | null;
  queueThreshold: number;
  api: LifecyclePort;
  logger: Logger;
  observer: RuntimeObserver;
  intervalMs?: number;
}

/** A running ping loop. */
export interface Pinger {
  /** Stops pinging; resolves when an in-progress ping ended. */
  stop(): Promise<void>;
  /** The connector state as last agreed with the platform. */
  readonly state: string | null;
}

/** Starts pinging immediately and then every interval. */
export function startPinger(options: PingerOptions): Pinger {
  const { api, logger, observer, connectorId } = options;
  let state = normaliseState(options.initialState);
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  const info: ConnectorInfo = {
    run_and_terminate: false,
    buffering: false,
    queue_threshold: options.queueThreshold,
    queue_messages_size: 0,
    next_run_datetime: null,
    last_run_datetime: null,
  };
  const ping = async () => {
    try {
      const answer = await api.pingConnector(connectorId, { state: state ?? "null", info });
      observer.ping(true);
      const remote = normaliseState(answer.connectorState);
      if (remote !== state) {
        logger.info("Connector state has been remotely reset", { connector_id: connectorId });
        state = remote;
      }
    } catch (error) {
      observer.ping(false);
      logger.error("Error pinging the API", { reason: String(error), error });
    }
  };
  const tick = () => {
    if (stopped) return;
    current = ping();
  };
  tick();
  const timer = setInterval(tick, options.intervalMs ?? PING_INTERVAL_MS);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
    get state() {
      return state;
    },
  };
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
