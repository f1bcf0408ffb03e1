/**
 * Indicator enrichment: each observable of the indicator (at most
 * `maxRelated` of them) is enriched, then an observed-data with a
 * deterministic id (pycti's `ObservedData.generate_id` over the sorted refs)
 * is related to the existing indicator, which is not re-sent. The platform
 * puts the observables in its STIX extension as `observable_values`
 * (opencti `opencti-graphql/src/modules/indicator/indicator-converter.ts`);
 * pycti's export puts them at the top level as `x_opencti_observable_values`;
 * else simple equality comparisons of the pattern are read.
 *
 * @module
 */

import { errorMessage, VendorError } from "../../errors/mod.ts";
import {
  observedData,
  OPENCTI_EXTENSION,
  openCtiEntityType,
  type StixObject,
  stixTypeOf,
} from "../../stix/mod.ts";
import { Intake } from "../intake.ts";
import { quoteValue } from "../values.ts";
import { type Collector, silentPushCollector } from "./collector.ts";
import { enrichDomain } from "./domain.ts";
import { enrichIp, type MappingContext } from "./ip.ts";
import { enrichUrl } from "./url.ts";

/** An observable named by an indicator. */
export interface IndicatorObservable {
  type: string;
  value: string;
}

/** The STIX types of the observables Silent Push enriches for an indicator. */
const PATTERN_TYPES: ReadonlySet<string> = new Set([
  "ipv4-addr",
  "ipv6-addr",
  "domain-name",
  "hostname",
  "url",
]);

const OBSERVED_TYPES = new Set([
  "ipv4-addr",
  "ipv6-addr",
  "domain-name",
  "url",
  "hostname",
  "autonomous-system",
]);

/** The observables of an indicator: the platform's extension, the top-level field, else the pattern. */
export function indicatorObservables(indicator: StixObject): IndicatorObservable[] {
  const extensions = indicator.extensions as Record<string, Record<string, unknown>> | undefined;
  for (
    const candidate of [
      extensions?.[OPENCTI_EXTENSION]?.observable_values,
      indicator.x_opencti_observable_values,
    ]
  ) {
    if (Array.isArray(candidate) && candidate.length > 0) {
      return candidate.flatMap((item) =>
        item && typeof item === "object" && typeof item.type === "string" &&
          typeof item.value === "string"
          ? [{ type: item.type, value: item.value }]
          : []
      );
    }
  }
  return typeof indicator.pattern === "string" ? patternObservables(indicator.pattern) : [];
}

/** Simple equality comparisons of a STIX pattern, e.g. `[ipv4-addr:value = '1.2.3.4']`. */
export function patternObservables(pattern: string): IndicatorObservable[] {
  const found: IndicatorObservable[] = [];
  const comparison = /([a-z0-9-]+):value\s*=\s*'((?:[^'\\]|\\.)*)'/g;
  for (const match of pattern.matchAll(comparison)) {
    const type = match[1]!;
    if (PATTERN_TYPES.has(type)) {
      found.push({ type: openCtiEntityType(type), value: match[2]!.replace(/\\(.)/g, "$1") });
    }
  }
  return found;
}

/** Enriches every supported observable of the indicator and relates an observed-data to it. */
export async function enrichIndicator(
  indicator: StixObject,
  now: Date,
  context: MappingContext,
  collector: Collector,
): Promise<{ found: boolean; observables: number }> {
  const supported = indicatorObservables(indicator).filter((item) =>
    PATTERN_TYPES.has(stixTypeOf(item.type))
  );
  const name = typeof indicator.name === "string" ? indicator.name : String(indicator.id);
  const intake = new Intake(`Silent Push observables of indicator ${quoteValue(name)}`, context);
  const observables = intake.take(
    supported,
    (item) => ({ ok: true, value: item as IndicatorObservable }),
  );
  let found = false;
  let firstError: unknown;
  let failures = 0;
  for (const observable of observables) {
    // Each observable in its own collection, so a failure leaves no half-mapped objects behind.
    const own = silentPushCollector(context);
    try {
      const result = await enrichObservable(observable, context, own);
      found ||= result;
      own.close();
      collector.merge(own);
    } catch (error) {
      if (error instanceof VendorError && error.kind === "auth") throw error;
      failures++;
      firstError ??= error;
      intake.reject(errorMessage(error));
    }
  }
  if (observables.length > 0 && failures === observables.length) throw firstError;
  intake.close();
  const refs = collector.objects().filter((object) => OBSERVED_TYPES.has(object.type)).map((o) =>
    o.id
  );
  if (refs.length > 0) {
    const observed = collector.add(
      "observed-data",
      () =>
        observedData({
          objectRefs: refs,
          firstObserved: now,
          lastObserved: now,
          numberObserved: 1,
        }),
    );
    if (observed) {
      collector.relate("related-to", observed, indicator, { description: "Indicator observables" });
    }
  }
  return { found, observables: observables.length };
}

async function enrichObservable(
  observable: IndicatorObservable,
  context: MappingContext,
  collector: Collector,
): Promise<boolean> {
  switch (observable.type.toLowerCase()) {
    case "ipv4-addr":
      return (await enrichIp("ipv4-addr", observable.value, context, collector)).found;
    case "ipv6-addr":
      return (await enrichIp("ipv6-addr", observable.value, context, collector)).found;
    case "domain-name":
      return (await enrichDomain("domain-name", observable.value, context, collector)).found;
    case "hostname":
      return (await enrichDomain("hostname", observable.value, context, collector)).found;
    default:
      return (await enrichUrl(observable.value, context, collector)).found;
  }
}
