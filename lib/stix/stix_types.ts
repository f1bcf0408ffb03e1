/**
 * The STIX types OpenCTI knows, as pycti 6.8.10 lists them
 * (`pycti/utils/opencti_stix2_utils.py`).
 *
 * @module
 */

/** STIX types OpenCTI treats as observables (pycti `STIX_CYBER_OBSERVABLE_MAPPING`). */
export const OBSERVABLE_TYPES: ReadonlySet<string> = new Set([
  "autonomous-system",
  "directory",
  "domain-name",
  "email-addr",
  "email-message",
  "email-mime-part-type",
  "artifact",
  "file",
  "x509-certificate",
  "ipv4-addr",
  "ipv6-addr",
  "mac-addr",
  "mutex",
  "network-traffic",
  "process",
  "software",
  "url",
  "user-account",
  "windows-registry-key",
  "windows-registry-value-type",
  "hostname",
  "cryptographic-key",
  "cryptocurrency-wallet",
  "text",
  "user-agent",
  "bank-account",
  "phone-number",
  "credential",
  "tracking-number",
  "payment-card",
  "media-content",
  "simple-observable",
  "persona",
  "ssh-key",
]);

/** Returns true for an observable (SCO) type. */
export function isObservableType(type: string): boolean {
  return OBSERVABLE_TYPES.has(type);
}

/** Types pycti's splitter keeps: entities, meta, internal objects, observables, relationships, PIRs. */
export const SPLITTER_TYPES: ReadonlySet<string> = new Set([
  // meta objects
  "label",
  "vocabulary",
  "kill-chain-phase",
  // core objects
  "attack-pattern",
  "campaign",
  "case-incident",
  "x-opencti-case-incident",
  "case-rfi",
  "x-opencti-case-rfi",
  "case-rft",
  "x-opencti-case-rft",
  "channel",
  "course-of-action",
  "data-component",
  "x-mitre-data-component",
  "data-source",
  "x-mitre-data-source",
  "event",
  "external-reference",
  "feedback",
  "x-opencti-feedback",
  "grouping",
  "identity",
  "incident",
  "indicator",
  "infrastructure",
  "intrusion-set",
  "language",
  "location",
  "malware",
  "malware-analysis",
  "marking-definition",
  "narrative",
  "note",
  "observed-data",
  "opinion",
  "report",
  "task",
  "x-opencti-task",
  "threat-actor",
  "tool",
  "vulnerability",
  "security-coverage",
  // internal objects
  "user",
  "group",
  "capability",
  "role",
  "settings",
  "notification",
  "work",
  "trash",
  "draftworkspace",
  "playbook",
  "deleteoperation",
  "workspace",
  "publicdashboard",
  // observables
  ...OBSERVABLE_TYPES,
  // relationships
  "relationship",
  "sighting",
  "pir",
]);
