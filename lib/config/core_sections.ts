// Over 300 lines: one declaration per setting of the three core sections, the schema's single source.
/**
 * The sections every connector reads, with the keys, env names and defaults
 * of pycti's connector helper (OpenCTI-Platform/client-python,
 * `pycti/connector/opencti_connector_helper.py`), plus this project's own
 * additions (concurrency, shutdown deadline, TLP refusal mode, vendor choice,
 * limits, cache, metrics host).
 *
 * @module
 */

import {
  booleanOrPathSetting,
  booleanSetting,
  defineSection,
  enumSetting,
  integerSetting,
  listSetting,
  stringSetting,
  urlSetting,
} from "./settings.ts";
import type { EnrichmentLimits } from "./types.ts";

/** The TLP levels a max-TLP setting accepts, in pycti's spelling. */
export { TLP_LEVELS } from "../stix/mod.ts";

/** `opencti.*`: where the platform is and how to authenticate. */
export const OPENCTI_SECTION = defineSection("opencti", "How to reach the OpenCTI platform.", {
  url: urlSetting({
    description:
      "The OpenCTI platform's base URL, including any base path but without /graphql (the connector adds it).",
    required: true,
  }),
  token: stringSetting({
    description: "The API token of the connector's OpenCTI user.",
    secret: true,
    required: true,
  }),
  custom_headers: stringSetting({
    description: 'Extra HTTP headers for every OpenCTI request, as "name1:value1;name2:value2".',
    catalog: false,
  }),
  ssl_verify: booleanOrPathSetting({
    description:
      "Verify the platform's TLS certificate: true, false, or the path of a PEM CA bundle added to the trusted roots. Deno always verifies: false cannot turn that off, so a private CA needs its bundle here.",
    catalog: false,
  }, false),
  json_logging: booleanSetting({
    description: "Write logs as JSON lines (pycti's shape); false writes plain text.",
    catalog: false,
  }, true),
  timeout: integerSetting(
    {
      description: "Seconds one OpenCTI request may take before it is abandoned (and retried).",
      catalog: false,
    },
    60,
    { min: 1, max: 3600 },
  ),
  max_retries: integerSetting(
    {
      description:
        "Retries of an OpenCTI request that failed for a transient reason (unreachable, timeout, HTTP 502/503/504), with backoff up to 10 s.",
      catalog: false,
    },
    6,
    { min: 0, max: 100 },
  ),
});

/** `connector.*`: the connector's identity on the platform and the runtime's own settings. */
export const CONNECTOR_SECTION = defineSection(
  "connector",
  "The connector's registration and the runtime's behaviour.",
  {
    id: stringSetting({
      description:
        "Unique id of this connector on the platform, a UUIDv4 of your own kept across restarts; it names the connector's queues, so two deployments with one id share a queue.",
      required: true,
      perInstance: true,
      catalog: false,
    }),
    name: stringSetting({
      description: "Name shown in OpenCTI; also the logger name.",
      vendorDefault: "name",
      perInstance: true,
    }),
    scope: listSetting({
      description:
        "Entity types this connector enriches, comma-separated (e.g. IPv4-Addr,Url); each must be a type its vendor enriches (matched case-insensitively).",
      vendorDefault: "scope",
      perInstance: true,
    }),
    log_level: enumSetting(["debug", "info", "warning", "warn", "error"], {
      description: "Lowest level of log lines written.",
    }, "error"),
    type: enumSetting(["INTERNAL_ENRICHMENT"], {
      description: "Connector type; this program is an internal-enrichment connector.",
      perInstance: true,
    }, "INTERNAL_ENRICHMENT"),
    auto: booleanSetting({
      description: "Enrich entities automatically when they are created.",
      vendorDefault: "auto",
      perInstance: true,
    }),
    vendor: stringSetting({
      description:
        "Which vendor module this connector runs (silentpush or proofpoint-et); inferred when exactly one vendor section has an API key.",
      perInstance: true,
    }),
    auto_update: booleanSetting({
      description: "Enrich entities automatically when they are updated (OpenCTI 6.8.9+).",
      perInstance: true,
    }, false),
    enrichment_resolution: stringSetting({
      description:
        'What the platform sends with each message (OpenCTI 6.8.9+): "none" or "stix_bundle".',
      perInstance: true,
      catalog: false,
    }, "none"),
    only_contextual: booleanSetting({
      description: "Registered as pycti does; meaningful for import-file connectors only.",
      perInstance: true,
      catalog: false,
      noEffect: true,
    }, false),
    playbook_compatible: booleanSetting({
      description: "Offer this connector as a playbook step.",
      perInstance: true,
    }, true),
    concurrency: integerSetting(
      {
        description:
          "How many enrichment messages are processed at once (the AMQP prefetch count).",
      },
      8,
      { min: 1, max: 1024 },
    ),
    shutdown_timeout: integerSetting(
      {
        description:
          "Seconds in-flight messages get to finish after SIGTERM/SIGINT; unfinished ones return to the queue.",
      },
      30,
      { min: 0, max: 3600 },
    ),
    tlp_refusal: enumSetting(["error", "message"], {
      description:
        'When an entity is above the max TLP: "error" ends the work in error (pycti connectors raise), "message" completes it with a message.',
    }, "error"),
    listen_protocol: enumSetting(["AMQP"], {
      description: "How messages arrive; only AMQP is supported.",
      catalog: false,
    }, "AMQP"),
    queue_protocol: enumSetting(["amqp"], {
      description: "How results are sent; only amqp is supported.",
      envFallbacks: ["QUEUE_PROTOCOL"],
      catalog: false,
    }, "amqp"),
    queue_threshold: integerSetting(
      {
        description: "Reported in pings as pycti does (MB); no effect on enrichment.",
        catalog: false,
        noEffect: true,
      },
      500,
      { min: 0 },
    ),
    send_to_queue: booleanSetting({
      description:
        "Publish results to the platform; false publishes nothing and skips work updates (dry run).",
      catalog: false,
    }, true),
    run_and_terminate: booleanSetting({
      description: "Accepted for compatibility; an enrichment connector always keeps running.",
      catalog: false,
      noEffect: true,
    }, false),
    validate_before_import: booleanSetting({
      description: "Accepted for compatibility; enrichment results are never held for validation.",
      catalog: false,
      noEffect: true,
    }, false),
    expose_metrics: booleanSetting({
      description: "Serve Prometheus metrics and health endpoints on metrics_port.",
    }, false),
    metrics_host: stringSetting({
      description: "Address the metrics and health listener binds to.",
      catalog: false,
    }, "0.0.0.0"),
    metrics_port: integerSetting(
      {
        description: "Port of the metrics and health listener.",
      },
      9095,
      { min: 1, max: 65535 },
    ),
    metrics_namespace: stringSetting({
      description: "Prefix of metric names (namespace_subsystem_name).",
      catalog: false,
    }),
    metrics_subsystem: stringSetting({
      description: "Second prefix of metric names.",
      catalog: false,
    }),
    max_requeues: integerSetting(
      {
        description:
          "Times a message goes back to the queue because OpenCTI or the broker could not serve it; then its work ends in error with the reason.",
        catalog: false,
      },
      10,
      { min: 0, max: 10_000 },
    ),
    delivery_timeout: integerSetting(
      {
        description:
          "Seconds the platform calls after a vendor answer (expectations, publishing, closing the work) are retried in place, so a blip does not repeat the vendor's work.",
        catalog: false,
      },
      300,
      { min: 1, max: 86_400 },
    ),
    max_objects: integerSetting(
      {
        description:
          "Most STIX objects one enrichment may send; the rest are dropped and the work message says how many.",
        catalog: false,
      },
      2000,
      { min: 10, max: 1_000_000 },
    ),
    max_related: integerSetting(
      {
        description:
          "Most items taken from one list in a vendor answer (resolutions, samples, name servers, …).",
        catalog: false,
      },
      500,
      { min: 1, max: 1_000_000 },
    ),
    max_labels: integerSetting(
      {
        description: "Most labels one enrichment adds to an entity.",
        catalog: false,
      },
      50,
      { min: 0, max: 10_000 },
    ),
    max_label_length: integerSetting(
      {
        description: "Longest label, in characters; longer vendor labels are cut.",
        catalog: false,
      },
      128,
      { min: 8, max: 4096 },
    ),
    max_value_length: integerSetting(
      {
        description:
          "Longest observable value, in characters, sent to a vendor or taken from its answer.",
        catalog: false,
      },
      2048,
      { min: 64, max: 1_000_000 },
    ),
    max_incoming_objects: integerSetting(
      {
        description:
          "Most objects of a message's stix_objects re-published with the enrichment (the entity always is).",
        catalog: false,
      },
      1000,
      { min: 1, max: 1_000_000 },
    ),
    cache_url: stringSetting({
      description:
        "redis://[user:password@]host:port[/db] of a shared store for the vendor answer cache and the vendors' rate limits, for several replicas; unset keeps both in memory.",
      secret: true,
      catalog: false,
    }),
    cache_max_entries: integerSetting(
      {
        description: "Most vendor answers kept in the in-memory cache.",
        catalog: false,
      },
      10_000,
      { min: 1, max: 10_000_000 },
    ),
    cache_max_mb: integerSetting(
      {
        description: "Most megabytes of vendor answers kept in the in-memory cache.",
        catalog: false,
      },
      16,
      { min: 1, max: 65_536 },
    ),
  },
);

/** The enrichment limits at their defaults (the `connector.max_*` settings). */
export const DEFAULT_ENRICHMENT_LIMITS: EnrichmentLimits = {
  maxObjects: CONNECTOR_SECTION.settings.max_objects.default!,
  maxRelated: CONNECTOR_SECTION.settings.max_related.default!,
  maxLabels: CONNECTOR_SECTION.settings.max_labels.default!,
  maxLabelLength: CONNECTOR_SECTION.settings.max_label_length.default!,
  maxValueLength: CONNECTOR_SECTION.settings.max_value_length.default!,
  maxIncomingObjects: CONNECTOR_SECTION.settings.max_incoming_objects.default!,
};

/** `mq.*`: overrides of the broker coordinates the platform returns at registration. */
export const MQ_SECTION = defineSection(
  "mq",
  "Overrides of the RabbitMQ coordinates returned by the platform at registration.",
  {
    host: stringSetting({ description: "Broker host.", catalog: false }),
    port: integerSetting({ description: "Broker port.", catalog: false }, undefined, {
      min: 1,
      max: 65535,
    }),
    vhost: stringSetting({ description: "Broker virtual host.", catalog: false }),
    use_ssl: booleanSetting({ description: "Connect with TLS (amqps).", catalog: false }),
    user: stringSetting({ description: "Broker user.", catalog: false }),
    pass: stringSetting({ description: "Broker password.", secret: true, catalog: false }),
    use_ssl_ca: stringSetting({
      description: "CA certificate: PEM text or a file path.",
      catalog: false,
    }),
    use_ssl_cert: stringSetting({
      description: "Client certificate: PEM text or a file path.",
      catalog: false,
    }),
    use_ssl_key: stringSetting({
      description: "Client private key: PEM text or a file path.",
      secret: true,
      catalog: false,
    }),
    use_ssl_passphrase: stringSetting({
      description: "Passphrase of the client private key.",
      secret: true,
      catalog: false,
    }),
    use_ssl_reject_unauthorized: booleanSetting({
      description:
        "Verify the broker's certificate and host name; false (pycti's default) does not.",
      catalog: false,
    }, false),
  },
);

/** The three sections every configuration has. */
export const CORE_SECTIONS = [OPENCTI_SECTION, CONNECTOR_SECTION, MQ_SECTION] as const;
