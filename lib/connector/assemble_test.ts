import assert from "node:assert/strict";
import { domainName, ipv4Addr, organizationIdentity, relationship } from "../stix/mod.ts";
import { assemble } from "./assemble.ts";

const entity = ipv4Addr("1.2.3.4");
const resolved = {
  entityType: "IPv4-Addr",
  standardId: entity.id,
  stix: entity,
  stixObjects: [entity],
  readMarkings: [],
};

Deno.test("assemble() puts the updated entity first, then the vendor's new objects", () => {
  const update = ipv4Addr("1.2.3.4", { score: 80 });
  const other = domainName("a.example");
  const { objects, notices } = assemble(resolved, [other, update], {
    maxObjects: 100,
    maxIncomingObjects: 100,
  });
  assert.deepEqual(objects.map((o) => o.id), [entity.id, other.id]);
  assert.equal(objects[0]!.x_opencti_score, 80);
  assert.deepEqual(notices, []);
});

Deno.test("assemble() keeps the author and drops relationships whose ends were cut", () => {
  const author = organizationIdentity({ name: "Vendor" });
  const domains = Array.from({ length: 10 }, (_, i) => domainName(`d${i}.example`));
  const relations = domains.map((d) =>
    relationship({ relationshipType: "resolves-to", sourceRef: d.id, targetRef: entity.id })
  );
  const { objects, notices } = assemble(resolved, [...domains, ...relations, author], {
    maxObjects: 8,
    maxIncomingObjects: 100,
  });
  assert.equal(objects.length, 8);
  assert.ok(objects.some((o) => o.id === author.id), "the author is kept");
  const ids = new Set(objects.map((o) => o.id));
  for (const object of objects.filter((o) => o.type === "relationship")) {
    assert.ok(ids.has(object.source_ref as string) && ids.has(object.target_ref as string));
  }
  assert.equal(notices[0]!.setting, "CONNECTOR_MAX_OBJECTS");
  assert.equal(notices[0]!.total, 22);
});
