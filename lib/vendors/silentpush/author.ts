/**
 * The Silent Push author identity: an organization whose id is pycti's
 * `Identity.generate_id("Silent Push", "organization")`, with the contact,
 * description and links of the reference connector (OpenCTI-Platform/connectors,
 * `internal-enrichment/silentpush-enrichment/src/connector/use_cases/enricher.py`,
 * `build_author`).
 *
 * @module
 */

import { organizationIdentity, type StixObject } from "../../stix/mod.ts";

/** The author every created object carries. */
export const SILENTPUSH_AUTHOR: StixObject = organizationIdentity({
  name: "Silent Push",
  contactInformation: "help@silentpush.com",
  description:
    "Silent Push maps the internet's infrastructure to reveal Indicators of Future Attacks (IOFA): the domains, IP addresses and name servers adversaries set up before they strike.\nWe know first.",
}, {
  externalReferences: [
    {
      source_name: "Home Page",
      url: "https://www.silentpush.com/",
      description: "Silent Push: preemptive threat intelligence.\nSign up today!",
    },
    {
      source_name: "Community Free Edition",
      url: "https://explore.silentpush.com/",
      description: "Explore Silent Push data for free.\nSign up today!",
    },
    {
      source_name: "Enterprise Edition",
      url: "https://app.silentpush.com/",
      description: "The full Silent Push platform.\nSign up today!",
    },
  ],
});
