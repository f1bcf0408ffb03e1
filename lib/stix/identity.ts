/**
 * Organization identities: a connector's author and the registrars it finds.
 *
 * @module
 */

import {
  domainObject,
  type DomainOptions,
  optionalText,
  requiredText,
  whereIn,
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
  const where = whereIn("identity");
  const name = requiredText(properties.name, where("name"));
  return domainObject("identity", identityId(name, "organization"), {
    name,
    description: optionalText(properties.description, where("description")),
    identity_class: "organization",
    contact_information: optionalText(properties.contactInformation, where("contact_information")),
    x_opencti_organization_type: optionalText(
      properties.organizationType,
      where("x_opencti_organization_type"),
    ),
  }, options);
}
