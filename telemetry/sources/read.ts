/**
 * One entry point for the flow-log readers: `readConnections` picks the AWS or Azure reader by
 * `cloud` and returns the reconstructed connections; `aggregateFlowLogs` returns their aggregation
 * (for AWS computed while reading, without keeping the connections).
 *
 * @module
 */

import type { ConnectionTrace } from "../reconstruct/connections";
import { aggregateTrace, DEFAULT_INTERVAL_SECONDS, type TraceAggregate } from "../sinks/aggregate";
import { type AwsFlowLogOptions, aggregateAwsFlowLogs, readAwsFlowLogs } from "./aws/flow-logs";
import { type AzureFlowLogOptions, readAzureFlowLogs } from "./azure/flow-logs";

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

/**
 * Reads flow logs and aggregates the connections per endpoint and interval (what `natcap import`
 * writes a workload from). VPC Flow Logs are aggregated while they are read, so memory follows the
 * connections open, not the number of records; Azure's JSON blobs are read whole, then aggregated.
 *
 * @param intervalSeconds aggregation interval @default 60
 * @throws {FlowLogError} when a path cannot be read or nothing usable remains
 */
export async function aggregateFlowLogs(
  paths: readonly string[],
  options: ReadConnectionsOptions,
  intervalSeconds = DEFAULT_INTERVAL_SECONDS,
): Promise<TraceAggregate> {
  if (options.cloud === "aws") return aggregateAwsFlowLogs(paths, options, intervalSeconds);
  return aggregateTrace(await readAzureFlowLogs(paths, options), intervalSeconds);
}
