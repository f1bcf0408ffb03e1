/**
 * RabbitMQ: consume the listen queue, publish results with confirms,
 * reconnect. The only importer of `@cloudamqp/amqp-client`.
 *
 * @module
 */

export {
  type Broker,
  type BrokerOptions,
  brokerUrl,
  connectBroker,
  type Consumer,
  type Delivery,
  describeBroker,
  type PublishOptions,
} from "./broker.ts";
