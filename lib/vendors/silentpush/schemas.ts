/**
 * Zod schemas of the Silent Push v2 answers, limited to the fields the
 * mapping reads. Everything is optional and nullable: the API leaves fields
 * out, and a missing sub-object must never fail an enrichment. Objects are
 * parsed in strip mode, so unknown keys are never copied, and lists stay
 * `unknown` until an {@link Intake} takes its capped share of them.
 *
 * @module
 */

import { z } from "zod";

const text = z.string().nullish().catch(undefined);
const number = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)])
  .nullish().catch(undefined);
const record = <T extends z.ZodRawShape>(shape: T) => z.object(shape).nullish().catch(undefined);

/** One certificate of `scan_data.certificates`. */
export const certificateSchema = z.object({
  serial_number: z.union([z.string(), z.number().transform(String)]).nullish(),
  fingerprint_sha1: text,
  issuer_organization: text,
  not_before: text,
  not_after: text,
});

/** `scan_data`: the certificates list and the favicon list (values may be strings or integers). */
export const scanDataSchema = record({
  certificates: z.unknown().optional(),
  favicon: z.unknown().optional(),
});

/** One `ip2asn` item of an IPv4/IPv6 enrichment (the flags are read from the raw item). */
export const ipInfoSchema = z.object({
  sp_risk_score: number,
  asn: number,
  asname: text,
  asn_reputation_score: number,
  subnet: text,
  subnet_reputation_score: number,
  ip_ptr: text,
  ip_location: record({ country_name: text }),
  scan_data: scanDataSchema,
});

/** The IPv4/IPv6 enrichment answer. */
export const ipEnrichmentSchema = z.object({ ip2asn: z.unknown().optional(), error: text });

/** The domain enrichment answer (the flags are read from the raw answer). */
export const domainEnrichmentSchema = z.object({
  sp_risk_score: number,
  domaininfo: record({ registrar: text, error: text }),
  ns_reputation: record({ ns_srv_reputation: z.unknown().optional() }),
  scan_data: scanDataSchema,
  error: text,
});

/** One name server of `ns_reputation.ns_srv_reputation`. */
export const nameServerSchema = z.object({ domain: text, ns_server: text });

/** The ip-diversity answer. */
export const diversitySchema = z.object({ records: z.unknown().optional(), error: text });

/** One diversity record. */
export const diversityRecordSchema = z.object({
  host: text,
  asn_timelines: z.unknown().optional(),
});

/** One A-record timeline entry. */
export const timelineSchema = z.object({ ip: text, asn: number, asn_name: text });

/** Parsed IP item. */
export type IpInfo = z.infer<typeof ipInfoSchema>;
/** Parsed domain answer. */
export type DomainEnrichment = z.infer<typeof domainEnrichmentSchema>;
/** Parsed scan data. */
export type ScanData = z.infer<typeof scanDataSchema>;
