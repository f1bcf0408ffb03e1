/**
 * Certificates and favicons from `scan_data` (silentpush.md §3.7, decision 2):
 * naive timestamps are UTC, missing serials or fingerprints are tolerated,
 * favicon values become MD5 hashes only when they are 32 hex characters.
 *
 * @module
 */

import type { Logger } from "../../log/mod.ts";
import { file, type StixObject, x509Certificate } from "../../stix/mod.ts";
import type { Collector } from "./collector.ts";
import { certificateSchema, type ScanData } from "./schemas.ts";

/** Adds the certificates and favicon files of `scanData`, related to `subject`. */
export function addScanData(
  collector: Collector,
  subject: StixObject | undefined,
  scanData: ScanData,
  logger: Logger,
): void {
  if (!scanData || !subject) return;
  for (const raw of scanData.certificates ?? []) {
    const parsed = certificateSchema.safeParse(raw);
    if (!parsed.success) {
      logger.warning("Skipped a malformed Silent Push certificate", {
        reason: parsed.error.issues[0]?.message,
      });
      continue;
    }
    const cert = parsed.data;
    const sha1 = cert.fingerprint_sha1?.trim();
    const certificate = collector.add("certificate", () =>
      x509Certificate({
        hashes: sha1 && /^[0-9a-f]{40}$/i.test(sha1) ? { "SHA-1": sha1.toLowerCase() } : undefined,
        serialNumber: cert.serial_number ?? undefined,
        issuer: cert.issuer_organization ?? undefined,
        validityNotBefore: utcTimestamp(cert.not_before),
        validityNotAfter: utcTimestamp(cert.not_after),
      }));
    collector.relate("related-to", subject, certificate, "Certificate");
  }
  const favicon = scanData.favicon?.[0];
  if (!favicon) return;
  for (const [key, value] of Object.entries(favicon)) {
    if (!key.startsWith("favicon") || value === null || value === undefined || value === "") {
      continue;
    }
    const text = String(value);
    const favicon = collector.add("favicon", () =>
      file({
        name: `${key}: ${text}`,
        hashes: /^[0-9a-f]{32}$/i.test(text) ? { MD5: text.toLowerCase() } : undefined,
      }));
    collector.relate("related-to", subject, favicon, "Favicon");
  }
}

/** `2022-06-22 00:00:00` (naive, UTC per decision 2) or ISO text to ISO-8601; undefined when unparseable. */
export function utcTimestamp(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  const naive = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(trimmed);
  const date = new Date(naive ? `${trimmed.replace(" ", "T")}Z` : trimmed);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
