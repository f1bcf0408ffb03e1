import assert from "node:assert/strict";
import { TLP_MARKING_IDS, tlpMarking } from "../stix/mod.ts";
import { entityTlp, gate, type GateInput } from "./gate.ts";

const policy = {
  maxTlp: "TLP:AMBER" as const,
  scope: ["IPv4-Addr"],
  vendorTitle: "Vendor",
  supportedTypes: ["IPv4-Addr", "Domain-Name"],
};
const stix = { type: "ipv4-addr", id: "ipv4-addr--1", value: "1.1.1.1" };

function input(extra: Partial<GateInput>): GateInput {
  return { entityType: "IPv4-Addr", readMarkings: [], stix, objects: [stix], ...extra };
}

Deno.test("entityTlp() takes the highest TLP over the read and the entity's resolved refs", () => {
  assert.equal(
    entityTlp(input({
      readMarkings: [{ definitionType: "TLP", definition: "TLP:GREEN" }],
      stix: { ...stix, object_marking_refs: [TLP_MARKING_IDS["TLP:AMBER+STRICT"]] },
    })),
    "TLP:AMBER+STRICT",
  );
  const red = tlpMarking("TLP:RED");
  const custom = { ...red, id: "marking-definition--custom" };
  assert.equal(
    entityTlp(input({
      stix: { ...stix, object_marking_refs: [custom.id] },
      objects: [stix, custom],
    })),
    "TLP:RED",
  );
});

Deno.test("entityTlp() ignores non-TLP markings and counts one that names a TLP level", () => {
  assert.equal(
    entityTlp(input({ readMarkings: [{ definitionType: "PAP", definition: "PAP:RED" }] })),
    null,
  );
  assert.equal(
    entityTlp(input({ readMarkings: [{ definitionType: "statement", definition: "TLP:RED" }] })),
    "TLP:RED",
  );
});

Deno.test("entityTlp() fails closed on what it cannot read", () => {
  for (
    const bad of [
      input({ readMarkings: null }),
      input({ readMarkings: [{ definition: "TLP:RED" }] }),
      input({ readMarkings: [{ definitionType: "", definition: "" }] }),
      input({ stix: { ...stix, object_marking_refs: ["marking-definition--nowhere"] } }),
      input({ stix: { ...stix, object_marking_refs: "marking-definition--x" } }),
    ]
  ) {
    const tlp = entityTlp(bad);
    assert.ok(tlp !== null && typeof tlp === "object", JSON.stringify(bad.readMarkings));
  }
});

Deno.test("a ref the platform's read resolves is not refused", () => {
  const ref = "marking-definition--pap";
  const result = entityTlp(input({
    readMarkings: [{ standardId: ref, definitionType: "PAP", definition: "PAP:GREEN" }],
    stix: { ...stix, object_marking_refs: [ref] },
  }));
  assert.equal(result, null);
});

Deno.test("gate() refuses by TLP before scope, rejects unreadable markings, passes the rest", () => {
  assert.equal(gate(input({}), policy), undefined);
  assert.equal(
    gate(input({ readMarkings: [{ definitionType: "TLP", definition: "TLP:RED" }] }), policy)?.kind,
    "refused",
  );
  assert.equal(gate(input({ readMarkings: null }), policy)?.kind, "rejected");
  const domain = gate(input({ entityType: "Domain-Name" }), policy);
  assert.equal(domain?.kind, "refused");
  assert.match((domain as { message: string }).message, /not in this connector's scope/);
  const url = gate(input({ entityType: "Url" }), { ...policy, scope: ["Url"] });
  assert.match((url as { message: string }).message, /Vendor cannot enrich Url/);
});
