import assert from "node:assert/strict";
import { canonicalize } from "./canonicalize.ts";
import {
  identityId,
  indicatorId,
  locationId,
  noteId,
  observedDataId,
  relationshipId,
  sightingId,
} from "./opencti_id.ts";
import { scoId } from "./sco_id.ts";
import { STIX_ID_NAMESPACE, uuidV5 } from "./uuid_v5.ts";

/**
 * Our fixture: (id, canonical name) pairs for the objects the connector
 * builds (observables, identities, locations, relationships, notes,
 * indicators, observed data). Sixteen of them match public
 * test files of OpenCTI, pycti, firepit and demisto/content.
 */
const VECTORS: ReadonlyArray<readonly [id: string, canonicalName: string]> = [
  ["domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7", '{"value":"example.com"}'],
  ["ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4", '{"value":"198.51.100.3"}'],
  ["ipv4-addr--2f689bf9-0ff2-545f-aa61-e495eb8cecc7", '{"value":"8.8.8.8"}'],
  ["note--2b4ab5af-2307-58e1-8862-a6a269aae798", '{"content":"My note content!"}'],
  [
    "note--10861e5c-049e-54f6-9736-81c106e39a0b",
    '{"content":"My note content!","created":"2022-11-25T19:00:05.000Z"}',
  ],
  ["observed-data--4765c523-81bc-54c8-b1af-ee81d961dad1", '{"objects":["id"]}'],
  [
    "identity--00f7eb8c-6af2-5ed5-9ede-ede4c623de3b",
    '{"identity_class":"individual","name":"organization"}',
  ],
  [
    "identity--d969b177-497f-598d-8428-b128c8f5f819",
    '{"identity_class":"individual","name":"julien"}',
  ],
  [
    "location--da430873-42c8-57ca-b08b-a797558c6cbd",
    '{"name":"lyon","x_opencti_location_type":"City"}',
  ],
  ["location--2ad8a94d-39cc-508c-b8b6-367783f9ecfe", '{"name":"lyon"}'],
  ["location--57acef55-747a-55ef-9c49-06ca85f8d749", '{"latitude":5.12,"longitude":5.12}'],
  [
    "indicator--e3a64916-7775-5262-9246-9d3783cfdfa6",
    '{"pattern":"[domain-name:value = \'shortsvelventysjo.shop\']"}',
  ],
  [
    "relationship--0b11fa67-da01-5d34-9864-67d4d71c3740",
    '{"relationship_type":"based-on","source_ref":"from_id","target_ref":"to_id"}',
  ],
  [
    "relationship--c5e1e2ce-14d6-535b-911d-267e92119e01",
    '{"relationship_type":"based-on","source_ref":"from_id","start_time":"2022-11-25T19:00:05.000Z","target_ref":"to_id"}',
  ],
  [
    "relationship--a7778a7d-a743-5193-9912-89f88f9ed0b4",
    '{"relationship_type":"based-on","source_ref":"from_id","start_time":"2022-11-25T19:00:05.000Z","stop_time":"2022-11-26T19:00:05.000Z","target_ref":"to_id"}',
  ],
  [
    "sighting--161901df-21bb-527a-b96b-354119279fe2",
    '{"sighting_of_ref":"from_id","type":"sighting","where_sighted_refs":["to_id"]}',
  ],
  [
    "identity--ecab27e5-47a3-5d28-8ba1-bba10f4b6dbb",
    '{"identity_class":"organization","name":"abuseipdb"}',
  ],
  [
    "location--be4ee2db-ecdd-5acf-a5e1-ce03ef2ec91d",
    '{"name":"united states","x_opencti_location_type":"Country"}',
  ],
  [
    "relationship--89b17481-bd2e-5d34-a534-ec6e68f979ff",
    '{"relationship_type":"located-at","source_ref":"ipv4-addr--2f689bf9-0ff2-545f-aa61-e495eb8cecc7","target_ref":"location--be4ee2db-ecdd-5acf-a5e1-ce03ef2ec91d"}',
  ],
  ["autonomous-system--7afc7bdf-d070-5add-90ff-f93503b1654d", '{"number":15169}'],
  [
    "relationship--d4ed1b59-ab87-50ff-a04a-8656941c31ae",
    '{"relationship_type":"belongs-to","source_ref":"ipv4-addr--2f689bf9-0ff2-545f-aa61-e495eb8cecc7","target_ref":"autonomous-system--7afc7bdf-d070-5add-90ff-f93503b1654d"}',
  ],
  [
    "file--5a0c55a1-48a3-5003-9776-42946d1054cb",
    '{"hashes":{"MD5":"44d88612fea8a8f36de82e1278abb02f"}}',
  ],
  ["url--afdf5315-f854-54d9-8b78-fdc90c16e3d8", '{"value":"http://example.com/malware.exe"}'],
  ["ipv6-addr--6469e3a9-b053-5e34-a025-9396ae051d26", '{"value":"2001:db8::1"}'],
  [
    "indicator--7ad3d74b-c761-522d-9359-5e7565a3abb4",
    '{"pattern":"[ipv4-addr:value = \'8.8.8.8\']"}',
  ],
  ["note--86fbcd93-366c-5917-92ba-5c64fe3bde2b", '{"content":"Enrichment result"}'],
  [
    "identity--dd0ea54f-f59b-5619-b4d4-d980e61eb198",
    '{"identity_class":"organization","name":"café"}',
  ],
  [
    "identity--d49f2c8f-c03d-5064-8265-7790080f4a4a",
    '{"identity_class":"organization","name":"silent push"}',
  ],
  [
    "identity--fed9dc45-9659-5e32-9d2d-eb9a45df43a7",
    '{"identity_class":"organization","name":"proofpoint et intelligence"}',
  ],
  [
    "location--e79b4cf1-a256-5efa-bc74-c94c7c7ffde0",
    '{"name":"united states of america","x_opencti_location_type":"Country"}',
  ],
  ["ipv4-addr--0198f97b-e65d-5025-87e5-58bc39d4bdb4", '{"value":"1.2.3.4"}'],
  ["domain-name--47eeb34d-8177-5c44-9716-2295242c6954", '{"value":"citi-bank.ru"}'],
  [
    "file--f772742a-97e3-538f-b375-71fea8937c84",
    '{"hashes":{"MD5":"6c885bee0b4ef2f539b26298b252212d"}}',
  ],
  [
    "relationship--61a3b4fd-cc95-5b67-81ba-ced6f49d9f7c",
    '{"relationship_type":"resolves-to","source_ref":"domain-name--47eeb34d-8177-5c44-9716-2295242c6954","target_ref":"ipv4-addr--0198f97b-e65d-5025-87e5-58bc39d4bdb4"}',
  ],
  [
    "observed-data--3d5ffde7-ff3a-5e9e-b541-5050bde8f376",
    '{"objects":["domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7","ipv4-addr--2f689bf9-0ff2-545f-aa61-e495eb8cecc7"]}',
  ],
];

function uuidOf(id: string): string {
  return id.slice(id.indexOf("--") + 2);
}

Deno.test("uuidV5() over each vector's canonical name gives the vector's id", () => {
  for (const [id, name] of VECTORS) {
    assert.equal(`${id.slice(0, id.indexOf("--"))}--${uuidV5(STIX_ID_NAMESPACE, name)}`, id, name);
  }
});

Deno.test("canonicalize() reproduces each vector's canonical name from its parsed form", () => {
  for (const [, name] of VECTORS) assert.equal(canonicalize(JSON.parse(name)), name);
});

/** Every vector derived from the inputs a caller actually has. */
const DERIVED: ReadonlyArray<readonly [string, () => string]> = [
  ["domain-name example.com", () => scoId("domain-name", { value: "example.com" })],
  ["ipv4-addr 198.51.100.3", () => scoId("ipv4-addr", { value: "198.51.100.3" })],
  ["ipv4-addr 8.8.8.8", () => scoId("ipv4-addr", { value: "8.8.8.8" })],
  ["note without created", () => noteId("  My note content!  ")],
  ["note with created", () => noteId("My note content!", new Date("2022-11-25T19:00:05Z"))],
  ["observed-data", () => observedDataId(["id"])],
  ["identity organization", () => identityId("Organization", "Individual")],
  ["identity julien", () => identityId("Julien", "Individual")],
  ["City lyon", () => locationId({ name: "Lyon", locationType: "City" })],
  [
    "Administrative-Area lyon",
    () => locationId({ name: "Lyon", locationType: "Administrative-Area" }),
  ],
  [
    "Position",
    () => locationId({ name: "X", locationType: "Position", latitude: 5.12, longitude: 5.12 }),
  ],
  ["indicator domain", () => indicatorId("[domain-name:value = 'shortsvelventysjo.shop']")],
  [
    "based-on",
    () =>
      relationshipId({ relationshipType: "based-on", sourceRef: "from_id", targetRef: "to_id" }),
  ],
  [
    "based-on with start",
    () =>
      relationshipId({
        relationshipType: "based-on",
        sourceRef: "from_id",
        targetRef: "to_id",
        startTime: "2022-11-25T19:00:05Z",
      }),
  ],
  [
    "based-on with start and stop",
    () =>
      relationshipId({
        relationshipType: "based-on",
        sourceRef: "from_id",
        targetRef: "to_id",
        startTime: new Date("2022-11-25T19:00:05Z"),
        stopTime: "2022-11-26T19:00:05.000Z",
      }),
  ],
  ["sighting", () => sightingId({ sightingOfRef: "from_id", whereSightedRefs: ["to_id"] })],
  ["AbuseIPDB", () => identityId("AbuseIPDB", "organization")],
  ["United States", () => locationId({ name: "United States", locationType: "Country" })],
  [
    "located-at",
    () =>
      relationshipId({
        relationshipType: "located-at",
        sourceRef: scoId("ipv4-addr", { value: "8.8.8.8" }),
        targetRef: locationId({ name: "United States", locationType: "Country" }),
      }),
  ],
  ["AS15169", () => scoId("autonomous-system", { number: 15169 })],
  [
    "belongs-to",
    () =>
      relationshipId({
        relationshipType: "belongs-to",
        sourceRef: scoId("ipv4-addr", { value: "8.8.8.8" }),
        targetRef: scoId("autonomous-system", { number: 15169 }),
      }),
  ],
  [
    "file by MD5",
    () =>
      scoId("file", {
        hashes: {
          "SHA-256": "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
          "MD5": "44d88612fea8a8f36de82e1278abb02f",
        },
      }),
  ],
  ["url", () => scoId("url", { value: "http://example.com/malware.exe" })],
  ["ipv6-addr", () => scoId("ipv6-addr", { value: "2001:db8::1" })],
  ["indicator ipv4", () => indicatorId("[ipv4-addr:value = '8.8.8.8']")],
  ["note enrichment", () => noteId("Enrichment result")],
  ["café", () => identityId("Café", "organization")],
  ["Silent Push", () => identityId("Silent Push", "organization")],
  ["ProofPoint ET Intelligence", () => identityId("ProofPoint ET Intelligence", "organization")],
  [
    "United States of America",
    () => locationId({ name: "United States of America", locationType: "Country" }),
  ],
  ["ipv4-addr 1.2.3.4", () => scoId("ipv4-addr", { value: "1.2.3.4" })],
  ["domain-name citi-bank.ru", () => scoId("domain-name", { value: "Citi-Bank.RU" })],
  ["file md5 6c88…", () => scoId("file", { hashes: { md5: "6c885bee0b4ef2f539b26298b252212d" } })],
  [
    "resolves-to",
    () =>
      relationshipId({
        relationshipType: "resolves-to",
        sourceRef: scoId("domain-name", { value: "citi-bank.ru" }),
        targetRef: scoId("ipv4-addr", { value: "1.2.3.4" }),
      }),
  ],
  [
    "observed-data over sorted refs",
    () =>
      observedDataId([
        scoId("domain-name", { value: "example.com" }),
        scoId("ipv4-addr", { value: "8.8.8.8" }),
      ]),
  ],
];

Deno.test("the id functions derive every vector from the caller's inputs", () => {
  assert.equal(DERIVED.length, VECTORS.length);
  DERIVED.forEach(([label, derive], index) => {
    const [expected] = VECTORS[index] ?? [""];
    assert.equal(derive(), expected, label);
    assert.match(
      uuidOf(expected),
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

const SHARED_VECTORS = new URL("../../../shared/spec/stix-id-vectors.json", import.meta.url);

function sharedVectorsExist(): boolean {
  try {
    return Deno.statSync(SHARED_VECTORS).isFile;
  } catch {
    return false;
  }
}

Deno.test({
  name: sharedVectorsExist()
    ? "every entry of the shared stix-id-vectors.json derives its id"
    : "every entry of the shared stix-id-vectors.json derives its id (skipped: ../shared/spec/stix-id-vectors.json is absent)",
  ignore: !sharedVectorsExist(),
  fn: () => {
    const entries = JSON.parse(Deno.readTextFileSync(SHARED_VECTORS)) as Array<{
      id: string;
      canonical_name: string;
      namespace: string;
    }>;
    assert.ok(entries.length > 0);
    for (const entry of entries) {
      const type = entry.id.slice(0, entry.id.indexOf("--"));
      assert.equal(`${type}--${uuidV5(entry.namespace, entry.canonical_name)}`, entry.id);
      assert.equal(entry.namespace, STIX_ID_NAMESPACE);
      assert.equal(canonicalize(JSON.parse(entry.canonical_name)), entry.canonical_name);
      assert.ok(
        VECTORS.some(([id, name]) => id === entry.id && name === entry.canonical_name),
        `${entry.id} is missing from this test's own fixture`,
      );
    }
  },
});
