/**
 * The author identity: an organization named after the connector (so its id
 * follows `CONNECTOR_NAME`, as in the reference connector), of type vendor,
 * described with the ET Intelligence API's introduction.
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
