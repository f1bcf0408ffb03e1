/**
 * The STIX types OpenCTI knows, as pycti 6.8.10 lists them
 * (`pycti/utils/opencti_stix2_utils.py`), the platform's entity type of
 * each, and the ids of the two STIX extensions OpenCTI puts its own
 * properties in.
 *
 * @module
 */

/** The extension holding OpenCTI's properties of any object (its `type`, `id`, `granted_refs`, ...). */
export const OPENCTI_EXTENSION = "extension-definition--ea279b3e-5c71-4632-ac08-831c66a786ba";

/** The extension holding OpenCTI's properties of an observable (`score`, `labels`, ...). */
export const OPENCTI_SCO_EXTENSION = "extension-definition--f93e2c80-4231-4f9a-af8b-95c9bd566a82";

/**
 * The platform's entity type of each STIX type it spells otherwise
 * (pycti's `STIX_CYBER_OBSERVABLE_MAPPING` for observables; the domain
 * objects are the STIX type in title case).
 */
const OPENCTI_TYPES: Readonly<Record<string, string>> = {
  "ipv4-addr": "IPv4-Addr",
  "ipv6-addr": "IPv6-Addr",
  "domain-name": "Domain-Name",
  "hostname": "Hostname",
  "url": "Url",
  "file": "StixFile",
  "email-addr": "Email-Addr",
  "email-message": "Email-Message",
  "mac-addr": "Mac-Addr",
  "autonomous-system": "Autonomous-System",
  "x509-certificate": "X509-Certificate",
  "network-traffic": "Network-Traffic",
  "user-account": "User-Account",
  "windows-registry-key": "Windows-Registry-Key",
  "cryptocurrency-wallet": "Cryptocurrency-Wallet",
  "user-agent": "User-Agent",
  "phone-number": "Phone-Number",
  "text": "Text",
  "indicator": "Indicator",
  "vulnerability": "Vulnerability",
  "malware": "Malware",
  "threat-actor": "Threat-Actor",
  "intrusion-set": "Intrusion-Set",
  "campaign": "Campaign",
  "report": "Report",
  "note": "Note",
  "observed-data": "Observed-Data",
};

const STIX_TYPES: ReadonlyMap<string, string> = new Map(
  Object.entries(OPENCTI_TYPES).map(([stix, opencti]) => [opencti.toLowerCase(), stix]),
);

/** The platform's entity type of a STIX type, e.g. `file` → `StixFile`; a type it does not list is returned as it is. */
export function openCtiEntityType(stixType: string): string {
  return OPENCTI_TYPES[stixType] ?? stixType;
}

/** The STIX type of a platform entity type, case-insensitively, e.g. `StixFile` → `file`; others lower-cased. */
export function stixTypeOf(entityType: string): string {
  const wanted = entityType.toLowerCase();
  return STIX_TYPES.get(wanted) ?? wanted;
}

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
