import assert from "node:assert/strict";
import { isTlpAllowed, parseTlp, TLP_LEVELS, TLP_MARKING_IDS, type TlpLevel } from "./tlp.ts";

Deno.test("parseTlp() reads the six spelled levels, ignoring case and spaces", () => {
  for (const level of TLP_LEVELS) assert.equal(parseTlp(level), level);
  assert.equal(parseTlp(" tlp:amber+strict "), "TLP:AMBER+STRICT");
  assert.equal(parseTlp("tlp:clear"), "TLP:CLEAR");
});

Deno.test("parseTlp() answers unknown for anything else", () => {
  for (const bad of ["", "AMBER", "TLP:ORANGE", "TLP: RED", "PAP:RED", "TLP:AMBER STRICT"]) {
    assert.equal(parseTlp(bad), "unknown", bad);
  }
});

Deno.test("TLP_MARKING_IDS holds the platform's fixed ids, CLEAR and WHITE sharing one", () => {
  const levelsByUuid: Record<string, TlpLevel[]> = {
    "613f2e26-407d-48c7-9eca-b8e91df99dc9": ["TLP:CLEAR", "TLP:WHITE"],
    "34098fce-860f-48ae-8e50-ebd3cc5e41da": ["TLP:GREEN"],
    "f88d31f6-486f-44da-b317-01333bde0b82": ["TLP:AMBER"],
    "826578e1-40ad-459f-bc73-ede076f81f37": ["TLP:AMBER+STRICT"],
    "5e57c739-391a-4eb3-b6be-7d15ca92d5ed": ["TLP:RED"],
  };
  const expected = Object.entries(levelsByUuid).flatMap(([uuid, levels]) =>
    levels.map((level) => [level, `marking-definition--${uuid}`])
  );
  assert.deepEqual(TLP_MARKING_IDS, Object.fromEntries(expected));
});

/** What each max lets through, as pycti's `check_max_tlp` allows (client-python pycti/connector/opencti_connector_helper.py). */
const ALLOWED: Record<TlpLevel, TlpLevel[]> = {
  "TLP:CLEAR": ["TLP:WHITE", "TLP:CLEAR"],
  "TLP:WHITE": ["TLP:WHITE", "TLP:CLEAR"],
  "TLP:GREEN": ["TLP:WHITE", "TLP:CLEAR", "TLP:GREEN"],
  "TLP:AMBER": ["TLP:WHITE", "TLP:CLEAR", "TLP:GREEN", "TLP:AMBER"],
  "TLP:AMBER+STRICT": ["TLP:WHITE", "TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT"],
  "TLP:RED": [...TLP_LEVELS],
};

Deno.test("isTlpAllowed() follows pycti's allowed sets for every max", () => {
  for (const max of TLP_LEVELS) {
    for (const level of TLP_LEVELS) {
      assert.equal(isTlpAllowed(level, max), ALLOWED[max].includes(level), `${level} under ${max}`);
    }
  }
});

Deno.test("isTlpAllowed() lets an entity without TLP through and never an unknown TLP", () => {
  for (const max of TLP_LEVELS) {
    assert.equal(isTlpAllowed(null, max), true);
    assert.equal(isTlpAllowed("unknown", max), false);
  }
});
