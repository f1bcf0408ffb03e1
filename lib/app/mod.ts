/**
 * The composition root: builds a connector process (redactor, logger,
 * metrics, vendor store, OpenCTI client, broker connector, runtime) from a
 * loaded configuration, and sorts start-up failures into configuration
 * problems and runtime failures.
 *
 * @module
 */

export {
  type Connector,
  type ConnectorDeps,
  createConnector,
  type CreateVendorStore,
  type StartOptions,
} from "./connector.ts";
export {
  isVendorProbeFatal,
  startupFailure,
  type StartupStepName,
  vendorProbeFailure,
} from "./failures.ts";
export { type StartLine, startLine } from "./start_line.ts";
export { probeVendors, type VendorProbe } from "./vendor_probe.ts";
