import assert from "node:assert/strict";
import {
  buildSchema,
  type GraphQLNamedType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  validate,
} from "graphql";
import { readFakeSdl, SCHEMA_7_URL } from "../../tests/fake_opencti/mod.ts";
import {
  ALL_DOCUMENTS,
  type GraphQlDocument,
  labelFilter,
  REGISTER_CONNECTOR,
  REGISTER_CONNECTOR_LEGACY,
  REGISTER_CONNECTOR_WITH_METADATA,
  type RegistrationDocument,
} from "./documents.ts";

/** The platforms' full schemas, next to the repository (`../shared/...` from its root). */
const REAL_6_URL = new URL("../../../shared/opencti/schema-6.8.10.graphql", import.meta.url);
const REAL_7_URL = new URL("../../../shared/opencti/schema-7.buildable.graphql", import.meta.url);
const REAL_6_PRESENT = exists(REAL_6_URL);
const REAL_7_PRESENT = exists(REAL_7_URL);
const SKIPPED = REAL_6_PRESENT
  ? ""
  : " (ignored: ../shared/opencti/schema-6.8.10.graphql not found)";
const SKIPPED_7 = REAL_7_PRESENT
  ? ""
  : " (ignored: ../shared/opencti/schema-7.buildable.graphql not found)";

function exists(url: URL): boolean {
  try {
    return Deno.statSync(url).isFile;
  } catch {
    return false;
  }
}

const realSchemas = new Map<string, GraphQLSchema>();
async function loadRealSchema(url: URL = REAL_6_URL): Promise<GraphQLSchema> {
  let schema = realSchemas.get(url.href);
  if (!schema) {
    // The platform's printed schema carries directives our build does not need to re-check.
    schema = buildSchema(await Deno.readTextFile(url), { assumeValidSDL: true });
    realSchemas.set(url.href, schema);
  }
  return schema;
}

async function ourSchema(version = "6.8.10"): Promise<GraphQLSchema> {
  return buildSchema(await readFakeSdl(version));
}

function validationErrors(schema: GraphQLSchema, query: string): string[] {
  return validate(schema, parse(query)).map((error) => error.message);
}

function isRegistration(document: GraphQlDocument): document is RegistrationDocument {
  return "newerFields" in document;
}

/**
 * Checks every document against `schema`: it must validate exactly when the
 * schema's `RegisterConnectorInput` has every newer field it sends, and
 * otherwise fail naming the missing ones. Returns the names that failed.
 */
function checkDocuments(schema: GraphQLSchema): string[] {
  const input = schema.getType("RegisterConnectorInput");
  assert.ok(input && isInputObjectType(input));
  const has = new Set(Object.keys(input.getFields()));
  const failed: string[] = [];
  for (const document of ALL_DOCUMENTS) {
    const errors = validationErrors(schema, document.query);
    const missing = isRegistration(document)
      ? document.newerFields.filter((field) => !has.has(field))
      : [];
    if (missing.length === 0) {
      assert.deepEqual(errors, [], document.name);
      continue;
    }
    failed.push(document.name);
    for (const field of missing) {
      assert.ok(errors.some((error) => error.includes(`"${field}"`)), `${document.name}: ${field}`);
    }
  }
  return failed;
}

Deno.test("every document is a single operation named as its constant says", () => {
  const names = new Set<string>();
  for (const document of ALL_DOCUMENTS) {
    const operations = parse(document.query).definitions.filter((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION
    );
    assert.equal(operations.length, 1, document.name);
    const operation = operations[0];
    assert.ok(operation && operation.kind === Kind.OPERATION_DEFINITION);
    assert.equal(operation.name?.value, document.name);
    assert.ok(!names.has(document.name), `duplicate operation name "${document.name}"`);
    names.add(document.name);
  }
});

Deno.test("on our 6.8.10 schema every document validates except those sending version and slug", async () => {
  const failed = checkDocuments(await ourSchema("6.8.10"));
  assert.deepEqual(failed, [
    "RegisterConnectorLegacyWithMetadata",
    "RegisterConnectorWithMetadata",
  ]);
});

Deno.test("on our 7.x schema every document validates", async () => {
  assert.deepEqual(checkDocuments(await ourSchema("7.260807.0")), []);
});

Deno.test("the 6.8.9+ registration fails validation before 6.8.9 and the legacy one passes", async () => {
  const old = await ourSchema("6.8.8");
  const errors = validationErrors(old, REGISTER_CONNECTOR.query);
  assert.ok(errors.some((message) => message.includes("auto_update")), errors.join("; "));
  assert.ok(errors.some((message) => message.includes("enrichment_resolution")));
  assert.deepEqual(validationErrors(old, REGISTER_CONNECTOR_LEGACY.query), []);
  checkDocuments(old);
});

Deno.test("the label filter is pycti's filter group on the exact value", () => {
  assert.deepEqual(labelFilter("malicious"), {
    mode: "and",
    filters: [{ key: "value", values: ["malicious"] }],
    filterGroups: [],
  });
});

Deno.test({
  name:
    `every document validates against the platform's 6.8.10 schema, except version/slug registrations${SKIPPED}`,
  ignore: !REAL_6_PRESENT,
  async fn() {
    const schema = await loadRealSchema(REAL_6_URL);
    const failed = checkDocuments(schema);
    assert.deepEqual(failed, [
      "RegisterConnectorLegacyWithMetadata",
      "RegisterConnectorWithMetadata",
    ]);
    const errors = validationErrors(schema, REGISTER_CONNECTOR_WITH_METADATA.query);
    assert.ok(errors.some((error) => /"version" is not defined by type/.test(error)));
  },
});

Deno.test({
  name: `every document validates against the platform's 7.x schema${SKIPPED_7}`,
  ignore: !REAL_7_PRESENT,
  async fn() {
    assert.deepEqual(checkDocuments(await loadRealSchema(REAL_7_URL)), []);
  },
});

Deno.test({
  name: `our 7.x additions declare fields the 7.x platform has, with its types${SKIPPED_7}`,
  ignore: !REAL_7_PRESENT,
  async fn() {
    const real = await loadRealSchema(REAL_7_URL);
    const ours = await ourSchema("7.260807.0");
    const extended = parse(await Deno.readTextFile(SCHEMA_7_URL)).definitions.flatMap((
      definition,
    ) =>
      definition.kind === Kind.OBJECT_TYPE_EXTENSION ||
        definition.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION
        ? [definition.name.value]
        : []
    );
    assert.deepEqual(extended, ["RegisterConnectorInput", "Connector"]);
    const problems = extended.flatMap((name) =>
      compareType(ours.getType(name)!, real.getType(name)!)
    );
    assert.deepEqual(problems, []);
  },
});

Deno.test({
  name:
    `our schema declares only types, fields and arguments the platform has, with its types${SKIPPED}`,
  ignore: !REAL_6_PRESENT,
  async fn() {
    const real = await loadRealSchema(REAL_6_URL);
    const ours = await ourSchema();
    const problems: string[] = [];
    for (const type of Object.values(ours.getTypeMap())) {
      if (type.name.startsWith("__")) continue;
      const twin = real.getType(type.name);
      if (!twin) {
        problems.push(`type ${type.name} does not exist`);
        continue;
      }
      problems.push(...compareType(type, twin));
    }
    assert.deepEqual(problems, []);
  },
});

function compareType(ours: GraphQLNamedType, real: GraphQLNamedType): string[] {
  const problems: string[] = [];
  if (ours.constructor !== real.constructor) {
    return [`${ours.name} is a ${ours.constructor.name} here and a ${real.constructor.name} there`];
  }
  if (isObjectType(ours) || isInterfaceType(ours)) {
    const realFields = (real as typeof ours).getFields();
    for (const field of Object.values(ours.getFields())) {
      const twin = realFields[field.name];
      if (!twin) {
        problems.push(`${ours.name}.${field.name} does not exist`);
        continue;
      }
      if (String(field.type) !== String(twin.type)) {
        problems.push(`${ours.name}.${field.name} is ${field.type}, the platform has ${twin.type}`);
      }
      for (const arg of field.args) {
        const realArg = twin.args.find((candidate) => candidate.name === arg.name);
        if (!realArg) problems.push(`${ours.name}.${field.name}(${arg.name}) does not exist`);
        else if (String(arg.type) !== String(realArg.type)) {
          problems.push(
            `${ours.name}.${field.name}(${arg.name}) is ${arg.type}, the platform has ${realArg.type}`,
          );
        }
      }
    }
    const realInterfaces = new Set((real as typeof ours).getInterfaces().map((i) => i.name));
    for (const implemented of ours.getInterfaces()) {
      if (!realInterfaces.has(implemented.name)) {
        problems.push(`${ours.name} does not implement ${implemented.name} on the platform`);
      }
    }
  } else if (isInputObjectType(ours) && isInputObjectType(real)) {
    const realFields = real.getFields();
    for (const field of Object.values(ours.getFields())) {
      const twin = realFields[field.name];
      if (!twin) problems.push(`${ours.name}.${field.name} does not exist`);
      else if (String(field.type) !== String(twin.type)) {
        problems.push(`${ours.name}.${field.name} is ${field.type}, the platform has ${twin.type}`);
      }
    }
  } else if (isEnumType(ours) && isEnumType(real)) {
    const realValues = new Set(real.getValues().map((value) => value.name));
    for (const value of ours.getValues()) {
      if (!realValues.has(value.name)) problems.push(`${ours.name}.${value.name} does not exist`);
    }
  } else if (!isScalarType(ours)) {
    problems.push(`${ours.name}: unexpected kind`);
  }
  return problems;
}
