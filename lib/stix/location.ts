/**
 * The Country location OpenCTI shows on observables (`located-at` targets).
 *
 * @module
 */

import {
  domainObject,
  type DomainOptions,
  fail,
  optionalNumber,
  optionalText,
  requiredText,
  whereIn,
} from "./_properties.ts";
import { locationId } from "./opencti_id.ts";
import type { StixObject } from "./types.ts";

/** Properties of {@link countryLocation}. */
export interface CountryProperties {
  /** Country name; its lower-cased, trimmed form makes the id. */
  name: string;
  /** `country`, usually the ISO 3166-1 alpha-2 code. */
  country?: string | undefined;
  /** `region`. */
  region?: string | undefined;
  /** `city`. */
  city?: string | undefined;
  /** −90…90; given together with `longitude`. */
  latitude?: number | undefined;
  /** −180…180; given together with `latitude`. */
  longitude?: number | undefined;
  /** `description`. */
  description?: string | undefined;
}

/**
 * Builds a `location` with `x_opencti_location_type: "Country"` and the id
 * pycti's `Location.generate_id(name, "Country")` gives. STIX asks for a
 * country, a region or coordinates; without any of them the name stands in
 * as `country`, as pycti connectors do.
 */
export function countryLocation(
  properties: CountryProperties,
  options: DomainOptions = {},
): StixObject {
  const where = whereIn("location");
  const name = requiredText(properties.name, where("name"));
  const latitude = optionalNumber(properties.latitude, where("latitude"), { min: -90, max: 90 });
  const longitude = optionalNumber(properties.longitude, where("longitude"), {
    min: -180,
    max: 180,
  });
  if ((latitude === undefined) !== (longitude === undefined)) {
    fail(
      where(latitude === undefined ? "latitude" : "longitude"),
      "latitude and longitude go together",
    );
  }
  const region = optionalText(properties.region, where("region"));
  const country = optionalText(properties.country, where("country")) ??
    (region === undefined && latitude === undefined ? name : undefined);
  return domainObject("location", locationId({ name, locationType: "Country" }), {
    name,
    description: optionalText(properties.description, where("description")),
    country,
    region,
    city: optionalText(properties.city, where("city")),
    latitude,
    longitude,
    x_opencti_location_type: "Country",
  }, options);
}
