/**
 * The `enrich` command: ask a vendor about one observable with the configured
 * API key and print the STIX bundle the connector would send, without
 * OpenCTI, so an operator can test a key and preview results. The value is
 * checked for its type before the vendor is asked; nothing is sent anywhere
 * and labels are not created (their names appear in the bundle).
 *
 * @module
 */

import { vendorProbeFailure } from "../app/mod.ts";
import {
  buildVendorSettings,
  chooseVendor,
  DEFAULT_ENRICHMENT_LIMITS,
  readConfigSource,
} from "../config/mod.ts";
import { MessageError, UsageError, VendorError } from "../errors/mod.ts";
import { createLogger, SecretRedactor } from "../log/mod.ts";
import { USER_AGENT } from "../meta/mod.ts";
import { createBundle, type StixBundle } from "../stix/mod.ts";
import { type VendorModule, vendorModule, VENDORS } from "../vendors/mod.ts";
import { entityFrom } from "./observable.ts";

/** Options of {@link enrichCommand}. */
export interface EnrichOptions {
  configPath?: string;
  vendor?: string;
  entityType: string;
  value: string;
  /** Reads env vars; default Deno.env.get. */
  env?: (name: string) => string | undefined;
  /** The stop signal: the vendor call ends at once. */
  signal?: AbortSignal;
}

/** The preview: the bundle and what the connector would report. */
export interface EnrichPreview {
  bundle: StixBundle;
  /** The work message the connector would write. */
  message: string;
  outcome: string;
  /** One line for the operator: the outcome, and how many bundles a real run would send. */
  summary: string;
}

/** Builds the entity, runs the vendor and assembles the bundle. */
export async function enrichCommand(options: EnrichOptions): Promise<EnrichPreview> {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const source = await readConfigSource(options.configPath);
  const vendor = vendorToAsk(options.vendor, source.yaml, env);
  const entity = entityFrom(options.entityType, options.value);
  if (
    !vendor.supportedTypes.some((type) => type.toLowerCase() === entity.entityType.toLowerCase())
  ) {
    throw new UsageError(
      `${vendor.title} cannot enrich ${entity.entityType} (supported: ${
        vendor.supportedTypes.join(", ")
      })`,
    );
  }
  const { settings, secrets, warnings } = buildVendorSettings(vendor, { yaml: source.yaml, env });
  const redactor = new SecretRedactor();
  redactor.add(...secrets);
  const logger = createLogger({ name: vendor.defaults.name, level: "warning", redactor });
  for (const warning of warnings) logger.warning(warning);
  const enricher = vendor.create(settings, {
    logger,
    connectorName: vendor.defaults.name,
    userAgent: USER_AGENT,
    redactor,
  });
  const signal = options.signal
    ? AbortSignal.any([options.signal, AbortSignal.timeout(300_000)])
    : AbortSignal.timeout(300_000);
  let result;
  try {
    result = await enricher.enrich(entity, {
      signal,
      logger,
      now: new Date(),
      labels: { ensure: (value) => Promise.resolve(value) },
      limits: DEFAULT_ENRICHMENT_LIMITS,
      answeredFromCache: () => {},
      report: (notice) => logger.warning("Left out of the enrichment", { ...notice }),
    });
  } catch (error) {
    // The vendor module refuses a value it cannot send before any request.
    if (error instanceof MessageError) throw new UsageError(error.message, { cause: error });
    // A refused key (or a bad base URL or certificate) is configuration, as in run and check.
    if (error instanceof VendorError) throw vendorProbeFailure(error, vendor);
    throw error;
  }
  const updated = result.objects.find((object) => object.id === entity.stix.id);
  const objects = [updated ?? entity.stix, ...result.objects.filter((o) => o !== updated)];
  const bundle = createBundle(objects);
  const count = bundle.objects.length;
  const message = typeof result.message === "function"
    ? result.message({ pushed: count })
    : result.message;
  return {
    bundle,
    message,
    outcome: result.outcome,
    summary: `${result.outcome}: would send ${count} bundle${
      count === 1 ? "" : "s"
    } (one object each) to OpenCTI; this preview sent nothing. The work message would read: ${message}`,
  };
}

/** The `--vendor` named, else the one the configuration runs (lib/config `chooseVendor`). */
function vendorToAsk(
  requested: string | undefined,
  yaml: Record<string, unknown>,
  env: (name: string) => string | undefined,
): VendorModule {
  if (requested !== undefined) return vendorModule(requested);
  const connector = yaml.connector;
  const entry = connector !== null && typeof connector === "object" && !Array.isArray(connector)
    ? connector as Record<string, unknown>
    : undefined;
  const choice = chooseVendor(VENDORS, { entry, yaml, env });
  if (choice.vendor) return choice.vendor;
  throw new UsageError(
    `Say which vendor to ask with --vendor (${
      VENDORS.map((v) => v.name).join(" or ")
    }): connector.vendor (CONNECTOR_VENDOR) ${choice.problem}`,
  );
}
