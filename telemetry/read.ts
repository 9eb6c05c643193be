/**
 * Flow-log reading: VPC Flow Logs and Azure VNet flow logs → reconstructed connections. This build
 * has no reader; `natcap import aws-flow-logs|azure-flow-logs` report that plainly.
 *
 * @module
 */
import { ValidationError } from "../sim/errors";
import type { ConnectionTrace } from "./connections";

/**
 * Reads flow-log files and reconstructs connections.
 *
 * @param paths files or directories
 * @param options the cloud, the gateway's network interface (AWS) and the field list of header-less files
 * @throws {ValidationError} always in this build: flow-log reading is not available.
 */
export async function readConnections(
  paths: string[],
  options: { cloud: "aws" | "azure"; interfaceId?: string; fields?: string },
): Promise<ConnectionTrace> {
  throw new ValidationError(
    [{ path: paths.join(", "), value: options.cloud, message: "flow-log reading is not available" }],
    "natcap import",
  );
}
