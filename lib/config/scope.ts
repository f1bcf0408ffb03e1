/**
 * Checking a connector's scope against its vendor. The platform sends an
 * enrichment connector only the entity types of its registered scope, so a
 * typo (`IPv4-Adr`) or a type the vendor cannot enrich is registered as is and
 * no message ever arrives. The loader refuses both, naming the vendor's types;
 * matching is case-insensitive and the result uses the platform's spelling.
 *
 * @module
 */

/**
 * Entity types of the OpenCTI platform an enrichment scope may name, in its
 * spelling (the `entity_type` of observables and domain objects in the
 * platform's GraphQL schema). Used only to tell a typo from a real type the
 * vendor does not enrich.
 */
export const OPENCTI_ENTITY_TYPES: readonly string[] = [
  "Artifact",
  "Autonomous-System",
  "Bank-Account",
  "Credential",
  "Cryptocurrency-Wallet",
  "Cryptographic-Key",
  "Directory",
  "Domain-Name",
  "Email-Addr",
  "Email-Message",
  "Email-Mime-Part-Type",
  "Hostname",
  "IPv4-Addr",
  "IPv6-Addr",
  "Mac-Addr",
  "Media-Content",
  "Mutex",
  "Network-Traffic",
  "Payment-Card",
  "Persona",
  "Phone-Number",
  "Process",
  "Software",
  "SSH-Key",
  "StixFile",
  "Text",
  "Tracking-Number",
  "Url",
  "User-Account",
  "User-Agent",
  "Windows-Registry-Key",
  "Windows-Registry-Value-Type",
  "X509-Certificate",
  "Attack-Pattern",
  "Campaign",
  "Channel",
  "City",
  "Country",
  "Course-Of-Action",
  "Event",
  "Grouping",
  "Incident",
  "Indicator",
  "Individual",
  "Infrastructure",
  "Intrusion-Set",
  "Malware",
  "Malware-Analysis",
  "Note",
  "Observed-Data",
  "Opinion",
  "Organization",
  "Region",
  "Report",
  "Sector",
  "System",
  "Threat-Actor-Group",
  "Threat-Actor-Individual",
  "Tool",
  "Vulnerability",
];

/** The outcome of {@link checkScope}: the normalised scope, and one problem per refused item. */
export interface ScopeCheck {
  /** Accepted items in the vendor's spelling, repeats dropped, in the given order. */
  scope: string[];
  /** One sentence per refused item. */
  problems: string[];
}

/** Checks each scope item against the vendor's supported types. */
export function checkScope(
  items: readonly string[],
  vendor: { readonly title: string; readonly supportedTypes: readonly string[] },
): ScopeCheck {
  const scope: string[] = [];
  const problems: string[] = [];
  const supported = vendor.supportedTypes.join(", ");
  for (const item of items) {
    const match = findType(vendor.supportedTypes, item);
    if (match !== undefined) {
      if (!scope.includes(match)) scope.push(match);
      continue;
    }
    const known = findType(OPENCTI_ENTITY_TYPES, item);
    if (known !== undefined) {
      problems.push(
        `has "${item}", which ${vendor.title} cannot enrich (the platform would send it and the work would fail); ${vendor.title} enriches: ${supported}`,
      );
      continue;
    }
    const guess = closest(item, [...vendor.supportedTypes, ...OPENCTI_ENTITY_TYPES]);
    const hint = guess === undefined ? "" : ` (did you mean "${guess}"?)`;
    problems.push(
      `has "${item}", which is not an OpenCTI entity type${hint}, so the platform would never send it; ${vendor.title} enriches: ${supported}`,
    );
  }
  return { scope, problems };
}

function findType(types: readonly string[], item: string): string | undefined {
  const wanted = item.trim().toLowerCase();
  return types.find((type) => type.toLowerCase() === wanted);
}

/** The candidate nearest to `item` by edit distance, when it is close enough to be a typo. */
function closest(item: string, candidates: readonly string[]): string | undefined {
  const wanted = item.trim().toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(wanted, name.toLowerCase());
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  const limit = Math.max(1, Math.floor(wanted.length / 4));
  return best !== undefined && best.distance <= limit ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
