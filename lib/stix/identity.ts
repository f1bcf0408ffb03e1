/**
 * Organization identities: a connector's author and the registrars it finds.
 *
 * @module
 */

import {
  compact,
  type DomainOptions,
  domainProperties,
  fail,
  optionalText,
} from "./_properties.ts";
import { identityId } from "./opencti_id.ts";
import type { StixObject } from "./types.ts";

/** Properties of {@link organizationIdentity}. */
export interface OrganizationProperties {
  /** Organization name; its lower-cased, trimmed form makes the id. */
  name: string;
  /** `description`. */
  description?: string | undefined;
  /** `contact_information`. */
  contactInformation?: string | undefined;
  /** `x_opencti_organization_type`, e.g. `vendor`. */
  organizationType?: string | undefined;
}

/** Builds an `identity` with `identity_class: "organization"` and pycti's `Identity.generate_id` id. */
export function organizationIdentity(
  properties: OrganizationProperties,
  options: DomainOptions = {},
): StixObject {
  const stixType = "identity";
  const where = (property: string) => ({ stixType, property });
  const name = optionalText(properties.name, where("name"));
  if (name === undefined) fail(where("name"), "it is required");
  return compact({
    type: stixType,
    spec_version: "2.1",
    id: identityId(name, "organization"),
    name,
    description: optionalText(properties.description, where("description")),
    identity_class: "organization",
    contact_information: optionalText(properties.contactInformation, where("contact_information")),
    x_opencti_organization_type: optionalText(
      properties.organizationType,
      where("x_opencti_organization_type"),
    ),
    ...domainProperties(options, stixType),
  }) as StixObject;
}
