import assert from "node:assert/strict";
import {
  autonomousSystem,
  countryLocation,
  createBundle,
  domainName,
  ipv4Addr,
  organizationIdentity,
  relationship,
  splitBundle,
  TLP_MARKING_IDS,
  tlpMarking,
  withAuthor,
} from "./mod.ts";

Deno.test("objects built through mod.ts bundle and split with every ref sent before its user", () => {
  const author = organizationIdentity({
    name: "ProofPoint ET Intelligence",
    organizationType: "vendor",
  });
  const marking = tlpMarking("TLP:AMBER+STRICT");
  const markingRefs = [TLP_MARKING_IDS["TLP:AMBER+STRICT"]];
  const ip = ipv4Addr("198.51.100.7", { labels: ["CnC", "Bot"] });
  const domain = domainName("bad.example.org", { markingRefs });
  const country = countryLocation({ name: "France", country: "FR" }, { markingRefs });
  const as = autonomousSystem(64500, { name: "EXAMPLE-NET", markingRefs });
  const relations = [
    relationship({
      relationshipType: "resolves-to",
      sourceRef: domain.id,
      targetRef: ip.id,
      startTime: "2026-07-30",
    }, {
      markingRefs,
    }),
    relationship({ relationshipType: "located-at", sourceRef: ip.id, targetRef: country.id }, {
      markingRefs,
    }),
    relationship({ relationshipType: "belongs-to", sourceRef: ip.id, targetRef: as.id }, {
      markingRefs,
    }),
  ];
  const objects = [
    author,
    ip,
    domain,
    ...relations.slice(0, 1),
    country,
    relations[1]!,
    as,
    relations[2]!,
  ]
    .map((object) => withAuthor(object, author.id));
  // TLP markings are the platform's own objects: no author on them.
  objects.splice(1, 0, marking);
  const bundle = createBundle([...objects, withAuthor(ipv4Addr("198.51.100.7"), author.id)]);
  assert.equal(bundle.objects.length, objects.length, "the duplicate ip is dropped");

  const { bundles, expectations } = splitBundle(bundle);
  assert.equal(expectations, objects.length);
  const position = new Map(bundles.map((split, index) => [split.objects[0]?.id, index]));
  for (const split of bundles) {
    const [object] = split.objects;
    assert.ok(object);
    assert.equal(split.id, bundle.id);
    for (const [key, value] of Object.entries(object)) {
      const refs = key.endsWith("_refs")
        ? value as string[]
        : key.endsWith("_ref")
        ? [value as string]
        : [];
      for (const ref of refs) {
        assert.ok(
          (position.get(ref) ?? -1) < (position.get(object.id) ?? -1),
          `${ref} before ${object.id}`,
        );
      }
    }
  }
  // author 1, marking 1, ip 1+author, domain/country/AS 1+author+marking, each relationship 1+both ends+author+marking.
  assert.deepEqual(bundles.map((split) => split.x_opencti_seq), [1, 1, 2, 3, 3, 3, 8, 8, 8]);
});
