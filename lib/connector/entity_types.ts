/**
 * OpenCTI entity types as the platform names them, derived from a STIX
 * object when a message does not say (playbooks).
 *
 * @module
 */

const OCTI_EXTENSION = "extension-definition--ea279b3e-5c71-4632-ac08-831c66a786ba";

const STIX_TO_OPENCTI: Record<string, string> = {
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

/** The OpenCTI type of a STIX object: the platform's extension `type`, `x_opencti_type`, or mapped from `type`. */
export function openCtiTypeOf(stix: { type: string; [key: string]: unknown }): string {
  const extensions = stix.extensions as Record<string, Record<string, unknown>> | undefined;
  const fromExtension = extensions?.[OCTI_EXTENSION]?.type;
  if (typeof fromExtension === "string" && fromExtension !== "") return fromExtension;
  if (typeof stix.x_opencti_type === "string" && stix.x_opencti_type !== "") {
    return stix.x_opencti_type;
  }
  return STIX_TO_OPENCTI[stix.type] ?? stix.type;
}

/** True when `entityType` is in `scope`, compared case-insensitively as the platform does. */
export function isInScope(entityType: string, scope: readonly string[]): boolean {
  const wanted = entityType.toLowerCase();
  return scope.some((item) => item.trim().toLowerCase() === wanted);
}
