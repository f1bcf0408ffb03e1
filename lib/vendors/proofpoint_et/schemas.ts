/**
 * The ET Intelligence answers (the query-api-docs of Proofpoint's
 * `EmergingThreats/query-api-docs` repository, `source/includes/_ips.md`,
 * `_domains.md`, `_samples.md`): the envelope, the object answers, and one
 * check per list item, so a bad item is skipped (and counted) while the rest
 * of the list is kept. Objects are parsed in strip mode: unknown keys are
 * never copied.
 *
 * @module
 */

import { z } from "zod";
import { checkWith } from "../intake.ts";
import {
  checkAnswer,
  checkDomain,
  type Checked,
  checkHash,
  checkIpv4,
  checkText,
} from "../values.ts";
import { countryName } from "./countries.ts";

/** `{success, response, message}`; `success` is not required to be true (the reference does not check it). */
export const envelopeSchema = z.object({
  success: z.boolean().optional(),
  response: z.unknown().optional(),
  message: z.string().nullish(),
});

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}/, "expected a YYYY-MM-DD date").transform((
  text,
) => text.slice(0, 10));
const md5 = z.string().regex(/^[0-9a-f]{32}$/i, "expected an MD5").transform((text) =>
  text.toLowerCase()
);
const seen = { first_seen: date, last_seen: date };

const asnSchema = z.object({
  asn: z.number().int().positive().max(4_294_967_295),
  owner: z.unknown().optional(),
});

const sampleDetailsSchema = z.object({
  md5sum: md5,
  file_size: z.number().int().positive().nullish().catch(undefined),
  sha256: z.string().regex(/^[0-9a-f]{64}$/i).transform((text) => text.toLowerCase()).nullish()
    .catch(undefined),
});

/** A reputation entry. */
export interface Reputation {
  category: string;
  score: number;
}

/** An item of a related list, with when it was seen (`YYYY-MM-DD`). */
export interface Seen<T> {
  value: T;
  first_seen: string;
  last_seen: string;
}

/** A geolocation, with the country name resolved. */
export interface Geoloc {
  name: string;
  country_code: string | undefined;
  region: string | undefined;
  city: string | undefined;
  latitude: number | undefined;
  longitude: number | undefined;
}

const reputationSchema = z.object({
  category: z.unknown().optional(),
  score: z.number().int().min(0).max(127),
});

const SEEN_ITEMS = {
  domain: z.object({ domain: z.unknown().optional(), ...seen }).transform((
    { domain, ...dates },
  ) => ({
    value: domain,
    ...dates,
  })),
  ip: z.object({ ip: z.unknown().optional(), ...seen }).transform(({ ip, ...dates }) => ({
    value: ip,
    ...dates,
  })),
  source: z.object({ source: z.unknown().optional(), ...seen }).transform((
    { source, ...dates },
  ) => ({
    value: source,
    ...dates,
  })),
};

const geolocSchema = z.object({
  country_code: z.string().regex(/^[a-z]{2}$/i, "expected a 2-letter country code").nullish(),
  country: z.unknown().optional(),
  region: z.unknown().optional(),
  city: z.unknown().optional(),
  latitude: z.number().min(-90).max(90).nullish(),
  longitude: z.number().min(-180).max(180).nullish(),
});

/** An autonomous system of `ips/{ip}/asn`. */
export interface Asn {
  asn: number;
  owner: string;
}

/** Details of `samples/{md5}`. */
export type SampleDetails = z.infer<typeof sampleDetailsSchema>;

/** The answer of `ips/{ip}/asn`: a 32-bit AS number and its owner's name. */
export function asnAnswer(raw: unknown, maxLength: number): Checked<Asn> {
  const parsed = checkWith(asnSchema, raw);
  if (!parsed.ok) return parsed;
  const owner = checkText(parsed.value.owner, maxLength);
  if (!owner.ok) return { ok: false, reason: `owner: ${owner.reason}` };
  return { ok: true, value: { asn: parsed.value.asn, owner: owner.value } };
}

/** The answer of `samples/{md5}`: the MD5, and the size and SHA-256 when valid. */
export function sampleDetailsAnswer(raw: unknown): Checked<SampleDetails> {
  return checkWith(sampleDetailsSchema, raw);
}

/** One entry of `ips/{ip}/reputation` or `domains/{d}/reputation`. */
export function reputationItem(raw: unknown, maxLength: number): Checked<Reputation> {
  const parsed = checkWith(reputationSchema, raw);
  if (!parsed.ok) return parsed;
  const category = checkText(parsed.value.category, maxLength);
  if (!category.ok) return { ok: false, reason: `category: ${category.reason}` };
  return { ok: true, value: { category: category.value, score: parsed.value.score } };
}

/** One item of a related list: its `key` (a domain, an IPv4 or an MD5) checked, and its dates. */
export function seenItem(
  raw: unknown,
  key: "domain" | "ip" | "source",
  maxLength: number,
): Checked<Seen<string>> {
  const parsed = checkWith(SEEN_ITEMS[key], raw);
  if (!parsed.ok) return parsed;
  const check = key === "domain"
    ? checkDomain
    : key === "ip"
    ? checkIpv4
    : (text: string) => checkHash("md5", text);
  const value = checkAnswer(parsed.value.value, maxLength, check);
  if (!value.ok) return { ok: false, reason: `${key}: ${value.reason}` };
  return { ok: true, value: { ...parsed.value, value: value.value } };
}

/** One entry of `ips/{ip}/geoloc`: the payload's country name, else the code's English name. */
export function geolocItem(raw: unknown, maxLength: number): Checked<Geoloc> {
  const parsed = checkWith(geolocSchema, raw);
  if (!parsed.ok) return parsed;
  const item = parsed.value;
  const given = item.country === null || item.country === undefined || item.country === ""
    ? undefined
    : checkText(item.country, maxLength);
  if (given && !given.ok) return { ok: false, reason: `country: ${given.reason}` };
  const code = item.country_code?.toUpperCase() ?? undefined;
  const name = given?.value ?? (code ? countryName(code) : undefined);
  if (!name) return { ok: false, reason: `no country name for the code ${code ?? "(none)"}` };
  const optional = (value: unknown) => {
    const checked = value === null || value === undefined ? undefined : checkText(value, maxLength);
    return checked?.ok ? checked.value : undefined;
  };
  const located = typeof item.latitude === "number" && typeof item.longitude === "number";
  return {
    ok: true,
    value: {
      name,
      country_code: code,
      region: optional(item.region),
      city: optional(item.city),
      latitude: located ? item.latitude! : undefined,
      longitude: located ? item.longitude! : undefined,
    },
  };
}
