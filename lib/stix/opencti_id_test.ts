import assert from "node:assert/strict";
import { StixError } from "./errors.ts";
import {
  externalReferenceId,
  identityId,
  indicatorId,
  locationId,
  markingDefinitionId,
  noteId,
  observedDataId,
  relationshipId,
  sightingId,
} from "./opencti_id.ts";
import { TLP_MARKING_IDS } from "./tlp.ts";
import { stixIdFromName } from "./uuid_v5.ts";

const BASE = { relationshipType: "based-on", sourceRef: "from_id", targetRef: "to_id" };

Deno.test("relationshipId() ignores stop_time unless start_time is given", () => {
  assert.equal(
    relationshipId({ ...BASE, stopTime: "2022-11-26T19:00:05.000Z" }),
    "relationship--0b11fa67-da01-5d34-9864-67d4d71c3740",
  );
});

Deno.test("relationshipId() writes timestamps in the platform's millisecond UTC form", () => {
  const expected = "relationship--c5e1e2ce-14d6-535b-911d-267e92119e01";
  assert.equal(relationshipId({ ...BASE, startTime: "2022-11-25T20:00:05+01:00" }), expected);
  assert.equal(
    relationshipId({ ...BASE, startTime: new Date(Date.UTC(2022, 10, 25, 19, 0, 5)) }),
    expected,
  );
});

Deno.test("relationshipId() refuses a missing ref and an unreadable time", () => {
  assert.throws(
    () => relationshipId({ ...BASE, sourceRef: "" }),
    (error: unknown) =>
      error instanceof StixError && error.property === "source_ref" &&
      error.message === "Invalid relationship source_ref: expected a non-empty string",
  );
  assert.throws(
    () => relationshipId({ ...BASE, startTime: "25/11/2022" }),
    /Invalid start_time "25\/11\/2022": expected a Date or a timestamp/,
  );
  assert.throws(
    () => relationshipId({ ...BASE, startTime: new Date("nope") }),
    /Invalid start_time an invalid Date/,
  );
});

Deno.test("locationId() keys Country, City and Region by lower-cased, trimmed name and kind", () => {
  for (const locationType of ["Country", "City", "Region"] as const) {
    assert.equal(
      locationId({ name: "  United States ", locationType, latitude: 1, longitude: 2 }),
      stixIdFromName(
        "location",
        `{"name":"united states","x_opencti_location_type":"${locationType}"}`,
      ),
    );
  }
});

Deno.test("locationId() keys a Position by its coordinates, else by name", () => {
  assert.equal(
    locationId({ name: "Here", locationType: "Position", latitude: 48.8566 }),
    stixIdFromName("location", '{"latitude":48.8566}'),
  );
  assert.equal(
    locationId({ name: "Here", locationType: "Position", longitude: 2.3522 }),
    stixIdFromName("location", '{"longitude":2.3522}'),
  );
  assert.equal(
    locationId({ name: "Here", locationType: "Position" }),
    stixIdFromName("location", '{"name":"here"}'),
  );
});

Deno.test("locationId() keys an Administrative-Area by name only, as the platform does", () => {
  assert.equal(
    locationId({ name: "Lyon", locationType: "Administrative-Area" }),
    "location--2ad8a94d-39cc-508c-b8b6-367783f9ecfe",
  );
});

Deno.test("locationId() and identityId() refuse a blank name", () => {
  assert.throws(
    () => locationId({ name: "   ", locationType: "Country" }),
    /Invalid location name: it is blank/,
  );
  assert.throws(
    () => identityId("", "organization"),
    /Invalid identity name: expected a non-empty string/,
  );
});

Deno.test("identityId() lower-cases the identity class", () => {
  assert.equal(
    identityId("AbuseIPDB", "Organization"),
    "identity--ecab27e5-47a3-5d28-8ba1-bba10f4b6dbb",
  );
});

Deno.test("noteId() and indicatorId() trim their text and refuse blank text", () => {
  assert.equal(noteId("\n Enrichment result \t"), "note--86fbcd93-366c-5917-92ba-5c64fe3bde2b");
  assert.equal(
    indicatorId(" [ipv4-addr:value = '8.8.8.8'] "),
    "indicator--7ad3d74b-c761-522d-9359-5e7565a3abb4",
  );
  assert.throws(() => noteId("  "), /Invalid note content: it is blank/);
  assert.throws(() => indicatorId(""), /Invalid indicator pattern/);
});

Deno.test("observedDataId() keeps the order it is given and refuses an empty list", () => {
  assert.notEqual(observedDataId(["a", "b"]), observedDataId(["b", "a"]));
  assert.throws(() => observedDataId([]), /without object refs/);
});

Deno.test("externalReferenceId() uses the url alone, else source name and external id", () => {
  assert.equal(
    externalReferenceId({ url: "https://x.example/1", sourceName: "X", externalId: "1" }),
    stixIdFromName("external-reference", '{"url":"https://x.example/1"}'),
  );
  assert.equal(
    externalReferenceId({ sourceName: "X", externalId: "1" }),
    stixIdFromName("external-reference", '{"external_id":"1","source_name":"X"}'),
  );
  assert.throws(
    () => externalReferenceId({ sourceName: "X" }),
    /needs a url, or a source_name and an external_id/,
  );
});

Deno.test("sightingId() counts last_seen only with first_seen", () => {
  const base = { sightingOfRef: "from_id", whereSightedRefs: ["to_id"] };
  assert.equal(
    sightingId({ ...base, lastSeen: "2022-11-26T00:00:00Z" }),
    "sighting--161901df-21bb-527a-b96b-354119279fe2",
  );
  assert.equal(
    sightingId({ ...base, firstSeen: "2022-11-25T00:00:00Z", lastSeen: "2022-11-26T00:00:00Z" }),
    stixIdFromName(
      "sighting",
      '{"first_seen":"2022-11-25T00:00:00.000Z","last_seen":"2022-11-26T00:00:00.000Z",' +
        '"sighting_of_ref":"from_id","type":"sighting","where_sighted_refs":["to_id"]}',
    ),
  );
});

Deno.test("markingDefinitionId() returns the fixed TLP ids and derives the others", () => {
  assert.equal(markingDefinitionId("TLP", "TLP:WHITE"), TLP_MARKING_IDS["TLP:CLEAR"]);
  assert.equal(
    markingDefinitionId("TLP", "TLP:AMBER+STRICT"),
    "marking-definition--826578e1-40ad-459f-bc73-ede076f81f37",
  );
  assert.equal(
    markingDefinitionId("PAP", "PAP:GREEN"),
    stixIdFromName("marking-definition", '{"definition":"PAP:GREEN","definition_type":"PAP"}'),
  );
});
