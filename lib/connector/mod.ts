/**
 * The connector runtime: message parsing, lifecycle (register, ping), TLP
 * gate, scope, dispatch to the vendor module, bundle sending, concurrency and
 * graceful shutdown.
 *
 * @module
 */

export { brokerConnection, type BrokerConnectionSettings } from "./connection.ts";
export { isInScope, openCtiTypeOf } from "./entity_types.ts";
export { type Failure, failureOf, type Step } from "./outcome.ts";
export { WorkMemory } from "./memory.ts";
export {
  type ConnectorRequest,
  type EnrichmentRequest,
  MAX_MESSAGE_BYTES,
  parseMessage,
  type PlaybookRequest,
} from "./message.ts";
export { type EnrichmentOutcome, NOOP_OBSERVER, type RuntimeObserver } from "./observer.ts";
export type * from "./ports.ts";
export { type Disposition, MessageProcessor, type ProcessorDeps } from "./processor.ts";
export { buildPushMessage, decodePushContent, type PushMessage } from "./push_message.ts";
export { ConnectorRuntime, type RuntimeDeps, type StartStep } from "./runtime.ts";
