/**
 * Zod schemas of the ET Intelligence answers (proofpoint-et.md §2.3-2.4). The
 * envelope is checked first; list items are then validated one by one, so a
 * bad item is skipped and logged while the rest is kept (decision 3).
 *
 * @module
 */

import { z } from "zod";

/** `{success, response, message}`; `success` is not required to be true (parity). */
export const envelopeSchema = z.looseObject({
  success: z.boolean().optional(),
  response: z.unknown(),
  message: z.string().nullish(),
});

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}/, "expected a YYYY-MM-DD date").transform((
  text,
) => text.slice(0, 10));
const md5 = z.string().regex(/^[0-9a-f]{32}$/i, "expected an MD5").transform((text) =>
  text.toLowerCase()
);
const ipv4 = z.string().regex(
  /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/,
  "expected an IPv4 address",
);
const domain = z.string().regex(
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9-]{2,63}$/i,
  "expected a domain name",
);

/** One reputation entry. */
export const reputationSchema = z.looseObject({
  category: z.string().min(1),
  score: z.number().int().min(0).max(127),
});

/** One domain of `ips/{ip}/domains`. */
export const domainItemSchema = z.looseObject({ domain, first_seen: date, last_seen: date });

/** One IP of `domains/{d}/ips`. */
export const ipItemSchema = z.looseObject({ ip: ipv4, first_seen: date, last_seen: date });

/** One sample of `…/samples`. */
export const sampleItemSchema = z.looseObject({ source: md5, first_seen: date, last_seen: date });

/** One geolocation of `ips/{ip}/geoloc`. */
export const geolocSchema = z.looseObject({
  country_code: z.string().length(2).nullish(),
  country: z.string().nullish(),
  region: z.string().nullish(),
  city: z.string().nullish(),
  latitude: z.number().min(-90).max(90).nullish(),
  longitude: z.number().min(-180).max(180).nullish(),
});

/** `ips/{ip}/asn`. */
export const asnSchema = z.looseObject({
  asn: z.number().int().positive(),
  owner: z.string().min(1),
});

/** `samples/{md5}`. */
export const sampleDetailsSchema = z.looseObject({
  md5sum: md5,
  submit_date: z.string().optional(),
  file_type: z.string().nullish(),
  file_size: z.number().int().positive().nullish(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/i).transform((text) => text.toLowerCase()).nullish(),
});

/** Parsed item types. */
export type Reputation = z.infer<typeof reputationSchema>;
/** A domain item. */
export type DomainItem = z.infer<typeof domainItemSchema>;
/** An IP item. */
export type IpItem = z.infer<typeof ipItemSchema>;
/** A sample item. */
export type SampleItem = z.infer<typeof sampleItemSchema>;
/** A geolocation. */
export type Geoloc = z.infer<typeof geolocSchema>;
/** An ASN answer. */
export type Asn = z.infer<typeof asnSchema>;
/** Sample details. */
export type SampleDetails = z.infer<typeof sampleDetailsSchema>;
