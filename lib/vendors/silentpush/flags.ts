/**
 * The flag labels of the reference connector (Silent Push's OpenCTI
 * connector, `src/connector/use_cases/ip_enricher.py` and
 * `domain_enricher.py` in the OpenCTI-Platform/connectors repository,
 * `internal-enrichment/silentpush-enrichment`), with their colours. A label is
 * added when its flag is exactly `true` in the answer.
 *
 * @module
 */

/** A flag label: where its value is read and the label's colour. */
export interface FlagLabel {
  name: string;
  color: string;
  /**
   * Paths of the boolean in the answer, e.g. `[["ip_flags", "is_proxy"]]`;
   * the first path whose last key is present wins.
   */
  paths: readonly (readonly string[])[];
}

const flag = (name: string, color: string, ...path: string[]): FlagLabel => ({
  name,
  color,
  paths: [path.length > 0 ? path : [name]],
});

/** IP flags, read from the first `ip2asn` item. */
export const IP_FLAGS: readonly FlagLabel[] = [
  flag("known_benign", "#4caf50", "benign_info", "known_benign"),
  flag("is_proxy", "#af4c68", "ip_flags", "is_proxy"),
  flag("is_sinkhole", "#a1713a", "ip_flags", "is_sinkhole"),
  flag("is_vpn", "#782b2e", "ip_flags", "is_vpn"),
  flag("ip_has_expired_certificate", "#e09109"),
  flag("ip_has_open_directory", "#4f96bd"),
  flag("ip_is_dsl_dynamic", "#841a99"),
  flag("ip_is_ipfs_node", "#070354"),
  flag("ip_is_tor_exit_node", "#c795cc"),
  flag("known_sinkhole_ip", "#c75f98", "sinkhole_info", "known_sinkhole_ip"),
];

const NSCHANGES_COLORS: ReadonlyArray<[string, string]> = [
  ["has_change_circular", "#a1713a"],
  ["has_change_expire_from", "#782b2e"],
  ["has_change_expire_to", "#e09109"],
  ["has_change_ns_in_domain_from", "#4f96bd"],
  ["has_change_ns_in_domain_to", "#841a99"],
  ["has_change_ns_srv_domain_density_low_from", "#070354"],
  ["has_change_ns_srv_domain_density_low_to", "#c795cc"],
  ["has_change_parked_from", "#c75f98"],
  ["has_change_parked_to", "#4caf50"],
  ["has_change_sinkhole_from", "#af4c68"],
  ["has_change_sinkhole_to", "#a1713a"],
  ["last_change_circular_to", "#782b2e"],
  ["last_change_expire_from", "#e09109"],
  ["last_change_expire_to", "#4f96bd"],
  ["last_change_ns_in_domain_from", "#841a99"],
  ["last_change_ns_in_domain_to", "#070354"],
  ["last_change_ns_srv_domain_density_low_from", "#c795cc"],
  ["last_change_ns_srv_domain_density_low_to", "#c75f98"],
  ["last_change_parked_from", "#4caf50"],
  ["last_change_parked_to", "#af4c68"],
  ["last_change_sinkhole_from", "#a1713a"],
  ["last_change_sinkhole_to", "#782b2e"],
];

/**
 * Domain flags, read from the domain answer. Silent Push answers put the
 * `nschanges` flags under `nschanges.results_summary`, older answers directly
 * under `nschanges`: the summary is read first, then `nschanges` itself.
 */
export const DOMAIN_FLAGS: readonly FlagLabel[] = [
  flag("alexa_top10k", "#4caf50", "domain_urls", "results_summary", "alexa_top10k"),
  flag("is_dynamic_domain", "#af4c68", "domain_urls", "results_summary", "is_dynamic_domain"),
  flag("is_url_shortener", "#a1713a", "domain_urls", "results_summary", "is_url_shortener"),
  flag("tranco_top10k", "#782b2e", "domain_urls", "results_summary", "tranco_top10k"),
  flag("is_new", "#e09109", "domaininfo", "is_new"),
  flag(
    "host_has_expired_certificate",
    "#4f96bd",
    "host_flags",
    "0",
    "host_has_expired_certificate",
  ),
  flag("host_has_open_directory", "#841a99", "host_flags", "0", "host_has_open_directory"),
  flag("host_has_open_s3_bucket", "#070354", "host_flags", "0", "host_has_open_s3_bucket"),
  flag("is_private_suffix", "#c795cc"),
  flag("is_expired", "#c75f98", "ns_reputation", "is_expired"),
  flag("is_parked", "#4caf50", "ns_reputation", "is_parked"),
  flag("is_sinkholed", "#af4c68", "ns_reputation", "is_sinkholed"),
  ...NSCHANGES_COLORS.map(([name, color]): FlagLabel => ({
    name,
    color,
    paths: [["nschanges", "results_summary", name], ["nschanges", name]],
  })),
];

/** The labels whose flag is exactly `true` in `data` (read in place: nothing is copied). */
export function raisedFlags(data: unknown, flags: readonly FlagLabel[]): FlagLabel[] {
  return flags.filter((item) => flagValue(data, item.paths) === true);
}

function flagValue(data: unknown, paths: readonly (readonly string[])[]): unknown {
  for (const path of paths) {
    let current = data;
    let found = true;
    for (const key of path) {
      if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) {
        found = false;
        break;
      }
      current = (current as Record<string, unknown>)[key];
    }
    if (found) return current;
  }
  return undefined;
}
