import assert from "node:assert/strict";
import { AMBER_STRICT, assertStixError, AUTHOR } from "./_testing.ts";
import { countryLocation } from "./location.ts";
import { locationId } from "./opencti_id.ts";

Deno.test("countryLocation() emits a Country with pycti's id and created_by_ref", () => {
  const denver = {
    name: "United States",
    country: "US",
    region: "Colorado",
    city: "Denver",
    latitude: 39.7392,
    longitude: -104.9903,
  };
  assert.deepEqual(
    countryLocation(denver, { createdByRef: AUTHOR, markingRefs: [AMBER_STRICT] }),
    {
      type: "location",
      spec_version: "2.1",
      id: "location--be4ee2db-ecdd-5acf-a5e1-ce03ef2ec91d",
      ...denver,
      x_opencti_location_type: "Country",
      created_by_ref: AUTHOR,
      object_marking_refs: [AMBER_STRICT],
    },
  );
});

Deno.test("countryLocation() with only a name and country has nothing else", () => {
  assert.deepEqual(
    countryLocation({ name: "United States of America", country: "United States of America" }),
    {
      type: "location",
      spec_version: "2.1",
      id: "location--e79b4cf1-a256-5efa-bc74-c94c7c7ffde0",
      name: "United States of America",
      country: "United States of America",
      x_opencti_location_type: "Country",
    },
  );
});

Deno.test("countryLocation() refuses a location STIX would reject", () => {
  const check = (fn: () => unknown, property: string, message: RegExp) =>
    assertStixError(fn, property, message, "location");
  check(
    () => countryLocation({ name: "", country: "FR" }),
    "name",
    /Invalid location name: expected a non-empty string/,
  );
  check(
    () => countryLocation({ name: "France", latitude: 48 }),
    "longitude",
    /latitude and longitude go together/,
  );
  check(
    () => countryLocation({ name: "France", latitude: 91, longitude: 2 }),
    "latitude",
    /91 is outside -90–90/,
  );
  check(
    () => countryLocation({ name: "France", country: "FR" }, { created: "soon" }),
    "created",
    /Invalid created "soon"/,
  );
});

Deno.test("countryLocation() without a code uses the name as country, as pycti connectors do", () => {
  const location = countryLocation({ name: "France" });
  assert.equal(location.country, "France");
  assert.equal(location.id, locationId({ name: "France", locationType: "Country" }));
  assert.equal(countryLocation({ name: "France", region: "Europe" }).country, undefined);
});
