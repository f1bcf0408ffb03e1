/**
 * A fake OpenCTI GraphQL server for tests, benchmarks and the local sandbox.
 *
 * @module
 */

export {
  type FakeCall,
  type FakeOpenCti,
  type FakeOpenCtiOptions,
  type FakeRejection,
  startFakeOpenCti,
} from "./server.ts";
export {
  FAKE_TLP_MARKINGS,
  type FakeConnection,
  type FakeConnector,
  type FakeConnectorInfo,
  type FakeEntity,
  type FakeEntitySeed,
  type FakeIdentity,
  type FakeLabel,
  type FakeMarking,
  type FakeUser,
  type FakeWork,
  type FakeWorkEntry,
} from "./state.ts";
export { buildFakeSchema, isPlatform7, readFakeSdl, SCHEMA_7_URL, SCHEMA_URL } from "./_schema.ts";
