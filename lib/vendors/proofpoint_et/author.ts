/**
 * The author identity (proofpoint-et.md §3.1): an organization named after
 * the connector, of type vendor, described with the ET Intelligence API's
 * introduction.
 *
 * @module
 */

import { organizationIdentity, type StixObject } from "../../stix/mod.ts";

const DESCRIPTION =
  "The ET Intelligence API is organized around REST with JSON responses. It gives access to Proofpoint Emerging Threats reputation data: categories and scores for IP addresses and domains, the malware samples that contacted them, passive DNS history, geolocation and autonomous systems.";

/** The author identity for a connector named `name`. */
export function etAuthor(name: string): StixObject {
  return organizationIdentity({ name, description: DESCRIPTION, organizationType: "vendor" });
}
