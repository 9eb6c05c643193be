/**
 * One entry point for the flow-log readers: `readConnections` picks the AWS or Azure reader by
 * `cloud` and returns the reconstructed connections.
 *
 * @module
 */
import { type AwsFlowLogOptions, readAwsFlowLogs } from "./aws-flow-logs";
import { type AzureFlowLogOptions, readAzureFlowLogs } from "./azure-flow-logs";
import type { ConnectionTrace } from "./connections";

/** Options of {@link readConnections}. */
export interface ReadConnectionsOptions extends AwsFlowLogOptions, AzureFlowLogOptions {
  /** Which cloud's flow logs the paths hold: VPC Flow Logs (aws) or VNet flow logs (azure). */
  cloud: "aws" | "azure";
}

/**
 * Reads flow logs (files or folders, walked recursively) and rebuilds the connections through the
 * NAT gateway. Records that cannot be used are skipped and counted in `skipped`.
 *
 * @throws {FlowLogError} when a path cannot be read or nothing usable remains
 */
export function readConnections(
  paths: readonly string[],
  options: ReadConnectionsOptions,
): Promise<ConnectionTrace> {
  return options.cloud === "aws" ? readAwsFlowLogs(paths, options) : readAzureFlowLogs(paths, options);
}
