/**
 * Certificates and favicons from `scan_data`. Silent Push writes naive
 * timestamps (`2022-06-22 00:00:00`, UTC), may leave out serials or
 * fingerprints, and gives favicon hashes as MD5 text or integer mmh3 values:
 * favicon values become MD5 hashes only when they are 32 hex characters.
 * The certificates list and the favicon keys are capped and checked.
 *
 * @module
 */

import { file, type StixObject, x509Certificate } from "../../stix/mod.ts";
import { checkWith, Intake, type IntakeContext } from "../intake.ts";
import { checkHash, checkText } from "../values.ts";
import { present } from "./_fields.ts";
import type { Collector } from "./collector.ts";
import { certificateSchema, type ScanData } from "./schemas.ts";

/** What {@link addScanData} needs: the caps, the notice sink, and the value the data is about. */
export interface ScanDataContext extends IntakeContext {
  limits: IntakeContext["limits"] & { maxValueLength: number };
  /** The enriched value, for notice subjects. */
  about: string;
}

interface Certificate {
  sha1: string | undefined;
  serial: string | undefined;
  issuer: string | undefined;
  notBefore: string | undefined;
  notAfter: string | undefined;
}

/** Adds the certificates and favicon files of `scanData`, related to `subject`. */
export function addScanData(
  collector: Collector,
  subject: StixObject | undefined,
  scanData: ScanData,
  context: ScanDataContext,
): void {
  if (!scanData || !subject) return;
  const max = context.limits.maxValueLength;
  const certificates = new Intake(`Silent Push certificates of ${context.about}`, context);
  const parsed = certificates.take(scanData.certificates, (raw) => {
    const checked = checkWith(certificateSchema, raw);
    if (!checked.ok) return checked;
    const cert = checked.value;
    const sha1 = present(cert.fingerprint_sha1)
      ? checkHash("sha1", cert.fingerprint_sha1!.trim())
      : undefined;
    const serial = present(cert.serial_number) ? checkText(cert.serial_number, max) : undefined;
    const issuer = present(cert.issuer_organization)
      ? checkText(cert.issuer_organization, max)
      : undefined;
    const refused = [serial, issuer].find((item) => item && !item.ok);
    if (refused && !refused.ok) return refused;
    return {
      ok: true,
      value: {
        sha1: sha1?.ok ? sha1.value : undefined,
        serial: serial?.ok ? serial.value : undefined,
        issuer: issuer?.ok ? issuer.value : undefined,
        notBefore: utcTimestamp(cert.not_before),
        notAfter: utcTimestamp(cert.not_after),
      } satisfies Certificate,
    };
  });
  for (const cert of parsed) {
    const certificate = collector.add("certificate", () =>
      x509Certificate({
        hashes: cert.sha1 ? { "SHA-1": cert.sha1 } : undefined,
        serialNumber: cert.serial,
        issuer: cert.issuer,
        validityNotBefore: cert.notBefore,
        validityNotAfter: cert.notAfter,
      }), { intake: certificates });
    collector.relate("related-to", subject, certificate, { description: "Certificate" });
  }
  certificates.close();
  addFavicons(collector, subject, scanData.favicon, context);
}

/** The `favicon*` keys of the first favicon record, as files named `key: value`. */
function addFavicons(
  collector: Collector,
  subject: StixObject,
  favicons: unknown,
  context: ScanDataContext,
): void {
  const record = Array.isArray(favicons) ? favicons[0] : undefined;
  if (record === null || typeof record !== "object" || Array.isArray(record)) return;
  const values = record as Record<string, unknown>;
  const keys: string[] = [];
  let beyond = 0;
  for (const key in values) {
    if (!key.startsWith("favicon") || !present(values[key])) continue;
    if (keys.length < context.limits.maxRelated) keys.push(key);
    else beyond += 1;
  }
  const intake = new Intake(`Silent Push favicons of ${context.about}`, context);
  intake.beyondCap(beyond);
  const taken = intake.take(keys, (key) => {
    const value = values[key as string];
    const checked = checkText(
      typeof value === "number" ? String(value) : value,
      context.limits.maxValueLength,
    );
    return checked.ok ? { ok: true, value: [key as string, checked.value] as const } : checked;
  });
  for (const [key, text] of taken) {
    const favicon = collector.add("favicon", () =>
      file({
        name: `${key}: ${text}`,
        hashes: /^[0-9a-f]{32}$/i.test(text) ? { MD5: text.toLowerCase() } : undefined,
      }), { intake });
    collector.relate("related-to", subject, favicon, { description: "Favicon" });
  }
  intake.close();
}

/** `2022-06-22 00:00:00` (naive, read as UTC) or ISO text to ISO-8601; undefined when unparseable. */
export function utcTimestamp(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (trimmed.length > 40) return undefined;
  const naive = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(trimmed);
  const date = new Date(naive ? `${trimmed.replace(" ", "T")}Z` : trimmed);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
