import assert from "node:assert/strict";
import { StixError } from "./errors.ts";
import { splitBundle } from "./splitter.ts";
import type { StixObject } from "./types.ts";

// Plain ids keep the scenarios readable; the splitter only looks at the type prefix.
const AUTHOR = "identity--author";
const MARKING = "marking-definition--amber";
const IP = "ipv4-addr--ip";
const DOMAIN = "domain-name--domain";
const REL = "relationship--resolves";

const author = { type: "identity", id: AUTHOR, name: "Vendor", identity_class: "organization" };
const marking = { type: "marking-definition", id: MARKING, name: "TLP:AMBER" };
const ip = {
  type: "ipv4-addr",
  id: IP,
  value: "1.2.3.4",
  x_opencti_created_by_ref: AUTHOR,
  object_marking_refs: [MARKING],
};
const domain = { type: "domain-name", id: DOMAIN, value: "example.com" };
const rel = {
  type: "relationship",
  id: REL,
  relationship_type: "resolves-to",
  source_ref: DOMAIN,
  target_ref: IP,
  created_by_ref: AUTHOR,
  object_marking_refs: [MARKING],
};

function bundleOf(...objects: StixObject[]) {
  return { type: "bundle" as const, id: "bundle--original", spec_version: "2.1" as const, objects };
}

function sent(result: ReturnType<typeof splitBundle>): Array<[string, number]> {
  return result.bundles.map((bundle) => [bundle.objects[0]?.id ?? "", bundle.x_opencti_seq]);
}

Deno.test("splitBundle() sends each object after the objects it refers to, one per bundle", () => {
  const result = splitBundle(bundleOf(rel, ip, domain, author, marking));
  // nb_deps = 1 + the deps of every ref present: ip = 1 + author + marking, rel = 1 + domain + ip + author + marking.
  assert.deepEqual(sent(result), [[DOMAIN, 1], [AUTHOR, 1], [MARKING, 1], [IP, 3], [REL, 7]]);
  assert.equal(result.expectations, 5);
  assert.deepEqual(result.dropped, []);
});

Deno.test("splitBundle() wraps each object like pycti, keeping the bundle id and adding nb_deps", () => {
  const result = splitBundle(bundleOf(ip, author, marking), { eventVersion: "4" });
  assert.deepEqual(result.bundles[2], {
    type: "bundle",
    id: "bundle--original",
    spec_version: "2.1",
    x_opencti_seq: 3,
    objects: [{ ...ip, nb_deps: 3 }],
    x_opencti_event_version: "4",
  });
  assert.deepEqual(Object.keys(result.bundles[2] ?? {}), [
    "type",
    "id",
    "spec_version",
    "x_opencti_seq",
    "objects",
    "x_opencti_event_version",
  ]);
  assert.equal("x_opencti_event_version" in (splitBundle(bundleOf(ip)).bundles[0] ?? {}), false);
});

Deno.test("splitBundle() keeps a ref to an object missing from the bundle, counting it as 0", () => {
  const dangling = { ...rel, target_ref: "ipv4-addr--elsewhere" };
  const result = splitBundle(bundleOf(dangling, domain, author, marking));
  assert.deepEqual(sent(result), [[DOMAIN, 1], [AUTHOR, 1], [MARKING, 1], [REL, 4]]);
  assert.equal(result.bundles[3]?.objects[0]?.target_ref, "ipv4-addr--elsewhere");
});

Deno.test("splitBundle() with cleanupInconsistent drops refs to missing objects and the relationships they break", () => {
  const dangling = { ...rel, target_ref: "ipv4-addr--elsewhere" };
  const unmarked = { ...ip, object_marking_refs: [MARKING, "marking-definition--gone"] };
  const result = splitBundle(bundleOf(dangling, domain, unmarked, author, marking), {
    cleanupInconsistent: true,
  });
  assert.deepEqual(sent(result), [[DOMAIN, 1], [AUTHOR, 1], [MARKING, 1], [IP, 3]]);
  assert.equal(result.expectations, 4);
  assert.deepEqual(result.bundles[3]?.objects[0]?.object_marking_refs, [MARKING]);
  assert.equal(result.dropped.length, 1);
  assert.equal(result.dropped[0]?.id, REL);
  assert.equal(result.dropped[0]?.target_ref, null);
});

Deno.test("splitBundle() breaks a reference cycle and a self reference", () => {
  const a = { type: "note", id: "note--a", content: "a", object_refs: ["note--b"] };
  const b = { type: "note", id: "note--b", content: "b", object_refs: ["note--a"] };
  const self = { type: "identity", id: "identity--self", created_by_ref: "identity--self" };
  const result = splitBundle(bundleOf(a, b, self));
  assert.deepEqual(sent(result), [["note--b", 1], ["identity--self", 1], ["note--a", 2]]);
  assert.deepEqual(result.bundles[0]?.objects[0]?.object_refs, []);
  assert.deepEqual(result.bundles[2]?.objects[0]?.object_refs, ["note--b"]);
  assert.equal(result.bundles[1]?.objects[0]?.created_by_ref, null);
});

Deno.test("splitBundle() sends a duplicated id once, as its last occurrence", () => {
  const first = { ...domain, x_opencti_score: 10 };
  const last = { ...domain, x_opencti_score: 90 };
  const result = splitBundle(bundleOf(first, ip, last));
  assert.deepEqual(sent(result), [[DOMAIN, 1], [IP, 1]]);
  assert.equal(result.bundles[0]?.objects[0]?.x_opencti_score, 90);
  assert.equal(result.expectations, 2);
});

Deno.test("splitBundle() drops unsupported types and the refs that point at them", () => {
  const custom = { type: "x-vendor-thing", id: "x-vendor-thing--1" };
  const note = {
    type: "note",
    id: "note--n",
    object_refs: ["x-vendor-thing--1", IP],
    x_extra_ref: "x-vendor-thing--1",
  };
  const result = splitBundle(bundleOf(custom, note, { ...ip, object_marking_refs: [] }));
  assert.deepEqual(sent(result), [[IP, 1], ["note--n", 2]]);
  assert.deepEqual(result.bundles[1]?.objects[0]?.object_refs, [IP]);
  assert.equal(result.bundles[1]?.objects[0]?.x_extra_ref, null);
  assert.deepEqual(result.dropped.map((object) => object.id), ["x-vendor-thing--1"]);
  assert.equal(result.expectations, 2);
});

Deno.test("splitBundle() drops a sighting that lost where it was sighted", () => {
  const sighting = {
    type: "sighting",
    id: "sighting--s",
    sighting_of_ref: IP,
    where_sighted_refs: ["identity--gone"],
  };
  const result = splitBundle(bundleOf(sighting, { ...ip, object_marking_refs: [] }), {
    cleanupInconsistent: true,
  });
  assert.deepEqual(sent(result), [[IP, 1]]);
  assert.deepEqual(result.dropped[0]?.where_sighted_refs, []);
});

Deno.test("splitBundle() de-duplicates external references and kill chain phases as pycti does", () => {
  const malware = {
    type: "malware",
    id: "malware--m",
    external_references: [
      { source_name: "A", url: "https://a.example" },
      { source_name: "B", url: "https://a.example" },
      { source_name: "A", external_id: "T1" },
      { source_name: "A", external_id: "T1", description: "again" },
      { source_name: "A", description: "no url, no external id" },
    ],
    kill_chain_phases: [
      { kill_chain_name: "mitre", phase_name: "execution" },
      { kill_chain_name: "mitre", phase_name: "execution" },
      { kill_chain_name: "mitre", phase_name: "persistence" },
    ],
  };
  const [split] = splitBundle(bundleOf(malware)).bundles;
  assert.deepEqual(split?.objects[0]?.external_references, [
    { source_name: "A", url: "https://a.example" },
    { source_name: "A", external_id: "T1" },
  ]);
  assert.deepEqual(split?.objects[0]?.kill_chain_phases, [
    { kill_chain_name: "mitre", phase_name: "execution" },
    { kill_chain_name: "mitre", phase_name: "persistence" },
  ]);
});

Deno.test("splitBundle() resolves refs made with an object's OpenCTI internal id", () => {
  const entity = {
    ...domain,
    extensions: {
      "extension-definition--ea279b3e-5c71-4632-ac08-831c66a786ba": { id: "internal-uuid" },
    },
  };
  const note = { type: "note", id: "note--n", object_refs: ["internal-uuid"] };
  assert.deepEqual(sent(splitBundle(bundleOf(entity, note))), [[DOMAIN, 1], ["note--n", 2]]);
  // pycti quirk, kept for fidelity: reached first through its internal id, the
  // object is counted again under its STIX id, so it is sent (and expected) twice.
  const quirk = splitBundle(bundleOf(note, entity));
  assert.deepEqual(sent(quirk), [[DOMAIN, 1], [DOMAIN, 1], ["note--n", 2]]);
  assert.equal(quirk.expectations, 3);
});

Deno.test("splitBundle() leaves the input bundle untouched", () => {
  const input = bundleOf(rel, ip, domain, author, marking);
  const before = structuredClone(input);
  splitBundle(input, { cleanupInconsistent: true });
  assert.deepEqual(input, before);
});

Deno.test("splitBundle() shares the nested values it does not change instead of copying them", () => {
  const extensions = { "extension-definition--x": { score: 50 } };
  const labelled = { ...ip, extensions, labels: ["a", "b"] };
  const [split] = splitBundle(bundleOf(labelled)).bundles;
  const emitted = split!.objects[0]!;
  assert.notEqual(emitted, labelled, "the emitted object is a copy: it gains nb_deps");
  assert.equal(emitted.extensions, extensions);
  assert.equal(emitted.labels, labelled.labels);
});

Deno.test("splitBundle() returns no bundles and no expectations for an empty bundle", () => {
  assert.deepEqual(splitBundle(bundleOf()), { bundles: [], expectations: 0, dropped: [] });
});

Deno.test("splitBundle() refuses input that is not a bundle of identified objects", () => {
  assert.throws(
    () => splitBundle({ id: "bundle--x" }),
    (error: unknown) =>
      error instanceof StixError &&
      error.message === "Cannot split the bundle: it has no objects list",
  );
  assert.throws(() => splitBundle({ objects: [{ type: "note" }] }), /object #0 has no string "id"/);
});
