import assert from "node:assert/strict";
import { markingDefinitionId } from "./opencti_id.ts";
import { tlpMarking } from "./markings.ts";
import { TLP_LEVELS } from "./tlp.ts";

Deno.test("tlpMarking() builds TLP:GREEN as a STIX 2.1 tlp marking and TLP:AMBER+STRICT as the statement connectors send", () => {
  const expected = [
    ["TLP:GREEN", "34098fce-860f-48ae-8e50-ebd3cc5e41da", "tlp", { tlp: "green" }],
    ["TLP:AMBER+STRICT", "826578e1-40ad-459f-bc73-ede076f81f37", "statement", {
      statement: "custom",
    }],
  ] as const;
  for (const [level, uuid, definitionType, definition] of expected) {
    assert.deepEqual(tlpMarking(level), {
      type: "marking-definition",
      spec_version: "2.1",
      id: `marking-definition--${uuid}`,
      created: "2017-01-20T00:00:00.000Z",
      name: level,
      definition_type: definitionType,
      definition,
      x_opencti_definition_type: "TLP",
      x_opencti_definition: level,
    });
  }
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
