import assert from "node:assert/strict";
import { markingDefinitionId } from "./opencti_id.ts";
import { tlpMarking } from "./markings.ts";
import { TLP_LEVELS } from "./tlp.ts";

Deno.test("tlpMarking() builds the STIX 2.1 TLP:GREEN marking with OpenCTI's definition properties", () => {
  assert.deepEqual(tlpMarking("TLP:GREEN"), {
    type: "marking-definition",
    spec_version: "2.1",
    id: "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
    created: "2017-01-20T00:00:00.000Z",
    name: "TLP:GREEN",
    definition_type: "tlp",
    definition: { tlp: "green" },
    x_opencti_definition_type: "TLP",
    x_opencti_definition: "TLP:GREEN",
  });
});

Deno.test("tlpMarking() builds TLP:AMBER+STRICT as the statement connectors send", () => {
  assert.deepEqual(tlpMarking("TLP:AMBER+STRICT"), {
    type: "marking-definition",
    spec_version: "2.1",
    id: "marking-definition--826578e1-40ad-459f-bc73-ede076f81f37",
    created: "2017-01-20T00:00:00.000Z",
    name: "TLP:AMBER+STRICT",
    definition_type: "statement",
    definition: { statement: "custom" },
    x_opencti_definition_type: "TLP",
    x_opencti_definition: "TLP:AMBER+STRICT",
  });
});

Deno.test("tlpMarking() gives every level the fixed id pycti derives for it", () => {
  for (const level of TLP_LEVELS) {
    const marking = tlpMarking(level);
    assert.equal(marking.id, markingDefinitionId("TLP", level), level);
    assert.equal(marking.x_opencti_definition, level);
  }
  assert.equal(tlpMarking("TLP:CLEAR").id, tlpMarking("TLP:WHITE").id);
  assert.deepEqual(tlpMarking("TLP:CLEAR").definition, { tlp: "clear" });
});
