/**
 * The `enrich` command: ask a vendor about one observable with the configured
 * API key and print the STIX bundle the connector would send, without
 * OpenCTI, so an operator can test a key and preview results. Labels are not
 * created anywhere; their names appear in the bundle.
 *
 * @module
 */

import { buildVendorSettings, DEFAULT_ENRICHMENT_LIMITS, readConfigSource } from "../config/mod.ts";
import { UsageError } from "../errors/mod.ts";
import { createLogger, SecretRedactor } from "../log/mod.ts";
import { USER_AGENT } from "../meta/mod.ts";
import { createBundle, indicatorId, scoId, type StixBundle, type StixObject } from "../stix/mod.ts";
import { type EnrichmentEntity, type VendorModule, vendorModule, VENDORS } from "../vendors/mod.ts";

/** Options of {@link enrichCommand}. */
export interface EnrichOptions {
  configPath?: string;
  vendor?: string;
  entityType: string;
  value: string;
  /** Reads env vars; default Deno.env.get. */
  env?: (name: string) => string | undefined;
}

/** The preview: the bundle and the work message the connector would report. */
export interface EnrichPreview {
  bundle: StixBundle;
  message: string;
  outcome: string;
}

const HASH_BY_LENGTH: Record<number, string> = {
  32: "MD5",
  40: "SHA-1",
  64: "SHA-256",
  128: "SHA-512",
};

/** Builds the entity, runs the vendor and assembles the bundle. */
export async function enrichCommand(options: EnrichOptions): Promise<EnrichPreview> {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const source = await readConfigSource(options.configPath);
  const vendor = chooseVendor(options.vendor, source.yaml, env);
  const { settings, secrets, warnings } = buildVendorSettings(vendor, { yaml: source.yaml, env });
  const redactor = new SecretRedactor();
  redactor.add(...secrets);
  const logger = createLogger({ name: vendor.defaults.name, level: "warning", redactor });
  for (const warning of warnings) logger.warning(warning);
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
  const enricher = vendor.create(settings, {
    logger,
    connectorName: vendor.defaults.name,
    userAgent: USER_AGENT,
  });
  const result = await enricher.enrich(entity, {
    signal: AbortSignal.timeout(300_000),
    logger,
    now: new Date(),
    labels: { ensure: (value) => Promise.resolve(value) },
    limits: DEFAULT_ENRICHMENT_LIMITS,
    answeredFromCache: () => {},
    report: (notice) => logger.warning("Left out of the enrichment", { ...notice }),
  });
  const updated = result.objects.find((object) => object.id === entity.stix.id);
  const objects = [
    updated ?? entity.stix,
    ...result.objects.filter((object) => object !== updated),
  ];
  const bundle = createBundle(objects);
  const message = typeof result.message === "function"
    ? result.message({ pushed: bundle.objects.length })
    : result.message;
  return { bundle, message, outcome: result.outcome };
}

function chooseVendor(
  requested: string | undefined,
  yaml: Record<string, unknown>,
  env: (name: string) => string | undefined,
): VendorModule {
  if (requested !== undefined) return vendorModule(requested);
  const configured = env("CONNECTOR_VENDOR") ??
    (yaml.connector as Record<string, unknown> | undefined)?.vendor;
  if (typeof configured === "string" && configured !== "") return vendorModule(configured);
  const keyed = VENDORS.filter((vendor) => {
    const section = yaml[vendor.section.name] as Record<string, unknown> | undefined;
    const key = env(`${vendor.section.name}_${vendor.apiKeySetting}`.toUpperCase()) ??
      section?.[vendor.apiKeySetting];
    return typeof key === "string" && key !== "";
  });
  if (keyed.length === 1) return keyed[0]!;
  throw new UsageError(
    `Say which vendor to ask with --vendor (${VENDORS.map((v) => v.name).join(" or ")})`,
  );
}

/** Builds the STIX entity a platform export would hold, from a type name and a value. */
export function entityFrom(type: string, value: string): EnrichmentEntity {
  const wanted = type.trim().toLowerCase();
  const trimmed = value.trim();
  if (trimmed === "") throw new UsageError("The value to enrich is empty");
  if (wanted === "file" || wanted === "stixfile") {
    const algorithm = HASH_BY_LENGTH[trimmed.length];
    if (!algorithm || !/^[0-9a-f]+$/i.test(trimmed)) {
      throw new UsageError(
        `A file is given by its MD5, SHA-1, SHA-256 or SHA-512 hash, got "${trimmed}"`,
      );
    }
    const hashes = { [algorithm]: trimmed.toLowerCase() };
    return entity("StixFile", { type: "file", id: scoId("file", { hashes }), hashes });
  }
  if (wanted === "indicator") {
    const stix: StixObject = {
      type: "indicator",
      id: indicatorId(trimmed),
      spec_version: "2.1",
      name: trimmed,
      pattern: trimmed,
      pattern_type: "stix",
    };
    return entity("Indicator", stix);
  }
  const observable = OBSERVABLES[wanted];
  if (!observable) {
    const known = [...Object.keys(OBSERVABLES), "file", "indicator"].join(", ");
    throw new UsageError(`Unknown entity type "${type}"; use one of ${known}`);
  }
  const normalised = observable.stix === "domain-name" ? trimmed.toLowerCase() : trimmed;
  return entity(observable.opencti, {
    type: observable.stix,
    id: scoId(observable.stix, { value: normalised }),
    spec_version: "2.1",
    value: normalised,
  });
}

const OBSERVABLES: Record<string, { stix: string; opencti: string }> = {
  "ipv4-addr": { stix: "ipv4-addr", opencti: "IPv4-Addr" },
  "ipv6-addr": { stix: "ipv6-addr", opencti: "IPv6-Addr" },
  "domain-name": { stix: "domain-name", opencti: "Domain-Name" },
  "hostname": { stix: "hostname", opencti: "Hostname" },
  "url": { stix: "url", opencti: "Url" },
};

function entity(entityType: string, stix: StixObject): EnrichmentEntity {
  return { entityType, standardId: stix.id, stix: { spec_version: "2.1", ...stix } as StixObject };
}
