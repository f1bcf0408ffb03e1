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
import { readFakeSdl, sdlForVersion } from "../../tests/fake_opencti/mod.ts";
import {
  ALL_DOCUMENTS,
  labelFilter,
  REGISTER_CONNECTOR,
  REGISTER_CONNECTOR_LEGACY,
} from "./documents.ts";

/** The platform's full schema, next to the repository (`../shared/...` from its root). */
const REAL_SCHEMA_URL = new URL("../../../shared/opencti/schema-6.8.10.graphql", import.meta.url);
const REAL_SCHEMA_PRESENT = exists(REAL_SCHEMA_URL);
const SKIPPED = REAL_SCHEMA_PRESENT
  ? ""
  : " (ignored: ../shared/opencti/schema-6.8.10.graphql not found)";

function exists(url: URL): boolean {
  try {
    return Deno.statSync(url).isFile;
  } catch {
    return false;
  }
}

let realSchema: GraphQLSchema | undefined;
async function loadRealSchema(): Promise<GraphQLSchema> {
  // The platform's printed schema carries directives our build does not need to re-check.
  realSchema ??= buildSchema(await Deno.readTextFile(REAL_SCHEMA_URL), { assumeValidSDL: true });
  return realSchema;
}

async function ourSchema(version = "6.8.10"): Promise<GraphQLSchema> {
  return buildSchema(sdlForVersion(await readFakeSdl(), version));
}

function validationErrors(schema: GraphQLSchema, query: string): string[] {
  return validate(schema, parse(query)).map((error) => error.message);
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

Deno.test("every document validates against our connector-facing schema", async () => {
  const schema = await ourSchema();
  for (const document of ALL_DOCUMENTS) {
    assert.deepEqual(validationErrors(schema, document.query), [], document.name);
  }
});

Deno.test("the 6.8.9+ registration fails validation before 6.8.9 and the legacy one passes", async () => {
  const old = await ourSchema("6.8.8");
  const errors = validationErrors(old, REGISTER_CONNECTOR.query);
  assert.ok(errors.some((message) => message.includes("auto_update")), errors.join("; "));
  assert.ok(errors.some((message) => message.includes("enrichment_resolution")));
  assert.deepEqual(validationErrors(old, REGISTER_CONNECTOR_LEGACY.query), []);
});

Deno.test("the label filter is pycti's filter group on the exact value", () => {
  assert.deepEqual(labelFilter("malicious"), {
    mode: "and",
    filters: [{ key: "value", values: ["malicious"] }],
    filterGroups: [],
  });
});

Deno.test({
  name: `every document validates against the platform's 6.8.10 schema${SKIPPED}`,
  ignore: !REAL_SCHEMA_PRESENT,
  async fn() {
    const schema = await loadRealSchema();
    for (const document of ALL_DOCUMENTS) {
      assert.deepEqual(validationErrors(schema, document.query), [], document.name);
    }
  },
});

Deno.test({
  name:
    `our schema declares only types, fields and arguments the platform has, with its types${SKIPPED}`,
  ignore: !REAL_SCHEMA_PRESENT,
  async fn() {
    const real = await loadRealSchema();
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
