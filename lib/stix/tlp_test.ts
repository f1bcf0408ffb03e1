import assert from "node:assert/strict";
import {
  highestTlp,
  isTlpAllowed,
  parseTlp,
  TLP_LEVELS,
  TLP_MARKING_IDS,
  type TlpLevel,
} from "./tlp.ts";

const tlp = (definition: string | null, definition_type: string | null = "TLP") => ({
  definition_type,
  definition,
});

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
  assert.deepEqual(TLP_MARKING_IDS, {
    "TLP:CLEAR": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
    "TLP:WHITE": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
    "TLP:GREEN": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
    "TLP:AMBER": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
    "TLP:AMBER+STRICT": "marking-definition--826578e1-40ad-459f-bc73-ede076f81f37",
    "TLP:RED": "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
  });
});

Deno.test("highestTlp() takes the highest TLP, not the last one", () => {
  assert.equal(highestTlp([tlp("TLP:RED"), tlp("TLP:GREEN")]), "TLP:RED");
  assert.equal(
    highestTlp([tlp("TLP:AMBER"), tlp("TLP:AMBER+STRICT"), tlp("TLP:CLEAR")]),
    "TLP:AMBER+STRICT",
  );
});

Deno.test("highestTlp() ignores non-TLP markings and compares the type case-insensitively", () => {
  assert.equal(highestTlp([tlp("PAP:RED", "PAP"), tlp("TLP:GREEN", "tlp")]), "TLP:GREEN");
  assert.equal(highestTlp([tlp("Statement", "statement"), tlp(null, null)]), null);
  assert.equal(highestTlp([]), null);
});

Deno.test("highestTlp() reports a TLP marking with an unreadable definition as unknown, above RED", () => {
  assert.equal(highestTlp([tlp("TLP:RED"), tlp("TLP:PURPLE")]), "unknown");
  assert.equal(highestTlp([tlp(null), tlp("TLP:GREEN")]), "unknown");
});

/** opencti-protocol.md §5: what each max lets through. */
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
