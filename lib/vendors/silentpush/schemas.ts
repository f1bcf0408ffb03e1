/**
 * Zod schemas of the Silent Push v2 answers, limited to the fields the mapping
 * reads (silentpush.md §2.3). Everything is optional and nullable: the API
 * leaves fields out, and a missing sub-object must never fail an enrichment.
 *
 * @module
 */

import { z } from "zod";

const flag = z.boolean().nullish().catch(undefined);
const text = z.string().nullish().catch(undefined);
const number = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)])
  .nullish().catch(undefined);
const record = <T extends z.ZodRawShape>(shape: T) =>
  z.looseObject(shape).nullish().catch(undefined);

/** One certificate of `scan_data.certificates`. */
export const certificateSchema = z.looseObject({
  serial_number: z.union([z.string(), z.number().transform(String)]).nullish(),
  fingerprint_sha1: text,
  issuer_organization: text,
  not_before: text,
  not_after: text,
});

/** `scan_data`: certificates and the favicon record (values may be strings or integers). */
export const scanDataSchema = record({
  certificates: z.array(z.unknown()).nullish().catch(undefined),
  favicon: z.array(z.record(z.string(), z.unknown())).nullish().catch(undefined),
});

/** One `ip2asn` item of an IPv4/IPv6 enrichment. */
export const ipInfoSchema = z.looseObject({
  sp_risk_score: number,
  asn: number,
  asname: text,
  asn_reputation_score: number,
  subnet: text,
  subnet_reputation_score: number,
  ip_ptr: text,
  ip_location: record({ country_name: text, country_code: text }),
  benign_info: record({ known_benign: flag }),
  ip_flags: record({ is_proxy: flag, is_sinkhole: flag, is_vpn: flag }),
  sinkhole_info: record({ known_sinkhole_ip: flag }),
  ip_has_expired_certificate: flag,
  ip_has_open_directory: flag,
  ip_is_dsl_dynamic: flag,
  ip_is_ipfs_node: flag,
  ip_is_tor_exit_node: flag,
  scan_data: scanDataSchema,
  error: text,
});

/** The IPv4/IPv6 enrichment answer. */
export const ipEnrichmentSchema = z.looseObject({
  ip2asn: z.array(z.unknown()).nullish(),
  error: text,
});

/** The domain enrichment answer. */
export const domainEnrichmentSchema = z.looseObject({
  sp_risk_score: number,
  domaininfo: record({ registrar: text, is_new: flag, error: text }),
  domain_urls: record({
    results_summary: z.record(z.string(), z.unknown()).nullish().catch(undefined),
  }),
  host_flags: z.array(z.record(z.string(), z.unknown())).nullish().catch(undefined),
  is_private_suffix: flag,
  ns_reputation: record({
    is_expired: flag,
    is_parked: flag,
    is_sinkholed: flag,
    ns_srv_reputation: z.array(z.unknown()).nullish().catch(undefined),
  }),
  nschanges: z.record(z.string(), z.unknown()).nullish().catch(undefined),
  scan_data: scanDataSchema,
  error: text,
});

/** One name server of `ns_reputation.ns_srv_reputation`. */
export const nameServerSchema = z.looseObject({ domain: text, ns_server: text });

/** The ip-diversity answer. */
export const diversitySchema = z.looseObject({
  records: z.array(z.unknown()).nullish(),
  error: text,
});

/** One diversity record. */
export const diversityRecordSchema = z.looseObject({
  host: text,
  asn_timelines: z.array(z.unknown()).nullish().catch(undefined),
});

/** One A-record timeline entry. */
export const timelineSchema = z.looseObject({ ip: text, asn: number, asn_name: text });

/** Parsed types. */
export type IpInfo = z.infer<typeof ipInfoSchema>;
/** Parsed domain answer. */
export type DomainEnrichment = z.infer<typeof domainEnrichmentSchema>;
/** Parsed scan data. */
export type ScanData = z.infer<typeof scanDataSchema>;
