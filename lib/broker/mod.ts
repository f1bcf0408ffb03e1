/**
 * RabbitMQ: consume the listen queue, publish results with confirms,
 * reconnect. The only importer of `@cloudamqp/amqp-client`; implements the
 * runtime's `BrokerPort` (lib/connector).
 *
 * @module
 */

export {
  type Broker,
  type BrokerOptions,
  brokerUrl,
  connectBroker,
  describeBroker,
} from "./broker.ts";
