/**
 * AWS VPC Flow Logs reader: S3 text files (gzip or plain, a header line of field names in any
 * order, the default or a custom format), CloudWatch Logs exports (no header: `fields`), directories
 * walked recursively. Finds the NAT gateway's interface (the one forwarding clients' traffic to
 * public addresses, or `interfaceId`), and rebuilds its connections to destinations outside the
 * network. Records are parsed from the bytes the gunzip stream gives (scan.ts): no string per
 * line or field.
 * CloudWatch Logs exports may carry each event's ISO timestamp before the record; it is dropped.
 * Parquet delivery (told by its magic bytes) is read row group by row group with hyparquet.
 * Memory follows the flows open (swept once the newest record is past their idle timeout, a 600 s
 * window and delivery skew) and the connections rebuilt, never the number of records.
 *
 * @module
 */

import { statSync } from "node:fs";
import type { ConnectionTrace, ObservedConnection } from "../../reconstruct/connections";
import { checkedInterval, DEFAULT_INTERVAL_SECONDS, type TraceAggregate } from "../../sinks/aggregate";
import { ConnectionStore } from "../../sinks/connection-store";
import { StreamAggregator } from "../../sinks/stream-aggregate";
import { expandPaths, fileKind } from "../lines";
import { FlowLogError, formatSkipped } from "../skips";
import { RecordClassifier } from "./classify";
import { DEFAULT_FIELDS, type FieldIndex, parseFormat } from "./format";
import { forEachParquetRecord } from "./parquet";
import { type AwsFlowLogOptions, AwsRecordReader, type SinkFactory } from "./records";
import { scanTextFile } from "./text-scan";
import { TextScanThread, THREAD_FROM_BYTES } from "./text-scan-thread";
import type { InterfaceTracker } from "./tracker";

export type { AwsFlowLogOptions } from "./records";

/** The tracker of the NAT gateway's interface: the one forwarding clients' traffic, else the busiest egress. */
function chooseInterface(trackers: Map<string, InterfaceTracker>): [string, InterfaceTracker] | undefined {
  let best: [string, InterfaceTracker] | undefined;
  const score = (t: InterfaceTracker) => (t.transit > 0 ? 1e15 : 0) + t.egress;
  for (const entry of trackers) {
    if (entry[1].egress === 0) continue;
    if (best === undefined || score(entry[1]) > score(best[1])) best = entry;
  }
  return best;
}

/**
 * Reads VPC Flow Logs and rebuilds the NAT gateway's connections to destinations outside the
 * network, kept in a columnar store sorted by start (`trace.store`; `trace.connections` is built
 * from it on first use). Bad records are skipped and counted by reason.
 *
 * @param paths files or folders (walked recursively)
 * @throws {FlowLogError} when a path cannot be read or nothing usable remains (naming the files and the reasons)
 */
export async function readAwsFlowLogs(
  paths: readonly string[],
  options: AwsFlowLogOptions = {},
): Promise<ConnectionTrace> {
  const read = await readRecords(
    paths,
    options,
    (reader, gatewayIps) => new ConnectionStore(reader.endpointList, gatewayIps),
  );
  return assemble(read, read.t.sink as ConnectionStore);
}

/**
 * Reads VPC Flow Logs and aggregates the NAT gateway's connections per endpoint and interval while
 * reading: each connection goes into the aggregation once final and is not kept, so memory follows
 * the flows open and the endpoints × intervals, never the number of records or connections.
 * The same as `aggregateTrace(await readAwsFlowLogs(paths, options), intervalSeconds)`.
 *
 * @param intervalSeconds aggregation interval @default 60
 * @throws {FlowLogError} when a path cannot be read or nothing usable remains
 */
export async function aggregateAwsFlowLogs(
  paths: readonly string[],
  options: AwsFlowLogOptions = {},
  intervalSeconds = DEFAULT_INTERVAL_SECONDS,
): Promise<TraceAggregate> {
  checkedInterval(intervalSeconds);
  const read = await readRecords(
    paths,
    options,
    (reader) => new StreamAggregator(reader.endpointList, reader.base ?? 0, intervalSeconds),
  );
  const { t, reader } = read;
  const sink = t.sink as StreamAggregator;
  const t0 = t.minStart;
  return {
    cloud: "aws",
    intervalSeconds,
    startEpochSeconds: (reader.base ?? 0) + t0,
    durationSeconds: t.maxEnd - t0,
    gatewayIpCount: t.gatewayIps.length,
    endpoints: sink.result(),
    recordIntervalSeconds: t.recordInterval,
    provenance: {
      files: read.files,
      recordsRead: reader.recordsRead,
      recordsUsed: t.used,
      skipped: reader.skips.list(),
      connections: sink.count,
      source: "local",
      ...optionalWarnings(reader, t),
    },
  };
}

/** What {@link readRecords} leaves: the files, the reader and the NAT gateway interface's tracker (finished). */
interface RecordsRead {
  files: string[];
  reader: AwsRecordReader;
  t: InterfaceTracker;
}

/** Reads every record into per-interface trackers and finishes the NAT gateway interface's. */
async function readRecords(
  paths: readonly string[],
  options: AwsFlowLogOptions,
  sinkFor: SinkFactory,
): Promise<RecordsRead> {
  const files = expandPaths(paths);
  const reader = new AwsRecordReader(options, sinkFor);
  const fields = options.fields ?? DEFAULT_FIELDS.join(" ");
  const fallback = parseFormat(fields);
  if (options.fields !== undefined && fallback.missing.length > 0) {
    throw new FlowLogError(
      `--fields ${JSON.stringify(options.fields)} lacks ${fallback.missing.join(", ")}: list the fields of the export in order, e.g. "${DEFAULT_FIELDS.join(" ")}"`,
    );
  }
  const { skips } = reader;
  const classifier = new RecordClassifier(options.interfaceId);
  // Large text files are scanned on a worker thread while this one rebuilds the connections.
  let thread: TextScanThread | undefined;
  let threadTried = false;
  try {
    for (const file of files) {
      const kind = fileKind(file);
      if (kind === "parquet") await readParquet(file, reader, options.interfaceId);
      else if (kind === "json") {
        skips.add(
          "JSON file (not a VPC flow log; for Azure VNet flow logs use import azure-flow-logs or replay --cloud azure)",
          file,
          0,
        );
      } else if (kind !== "empty") {
        const gzip = kind === "gzip";
        if (!threadTried && statSync(file).size >= THREAD_FROM_BYTES) {
          threadTried = true;
          thread = TextScanThread.start({ fields, interfaceId: options.interfaceId });
        }
        const read = thread
          ? await thread.scan(file, gzip, (batch) => reader.apply(batch, file))
          : await scanTextFile(file, gzip, fallback, classifier, (batch) => {
              reader.apply(batch, file);
              return true;
            });
        if (read.brokenOff) skips.add(read.brokenOff.reason, file, read.brokenOff.line);
      }
    }
  } finally {
    await thread?.close();
  }
  return { files, reader, t: chooseAndFinish(files, reader, options) };
}

/** Reads a Parquet file row group by row group, each row checked as a text record. */
async function readParquet(
  file: string,
  reader: AwsRecordReader,
  interfaceId: string | undefined,
): Promise<void> {
  const { skips } = reader;
  const classifier = new RecordClassifier(interfaceId);
  let index: FieldIndex | undefined;
  const read = await forEachParquetRecord(
    file,
    (fields) => {
      const format = parseFormat(fields);
      for (const f of format.unknown)
        skips.add(`unknown Parquet column ${JSON.stringify(f)} (ignored)`, file, 0);
      if (format.missing.length > 0) skips.add(`Parquet file lacks ${format.missing.join(", ")}`, file, 0);
      else index = format.index;
    },
    (record, rowNo) => {
      if (!index) return;
      const bytes = Buffer.from(record, "latin1");
      classifier.record(bytes, 0, bytes.length, index, rowNo);
      if (classifier.full) reader.apply(classifier.take(), file);
    },
  );
  reader.apply(classifier.take(), file);
  if (read.brokenOff) skips.add(read.brokenOff, file, read.lines + 1);
}

/** The NAT gateway interface's tracker, finished; the other interfaces are counted as skipped. */
function chooseAndFinish(
  files: string[],
  reader: AwsRecordReader,
  options: AwsFlowLogOptions,
): InterfaceTracker {
  const { skips } = reader;
  const chosen = chooseInterface(reader.trackers);
  if (chosen === undefined) {
    const why = formatSkipped(skips.list()).slice(0, 5).join("; ");
    throw new FlowLogError(
      `no NAT gateway egress record (private source, public destination, TCP or UDP, ACCEPT, OK) in ${files.length} file${files.length === 1 ? "" : "s"}` +
        `${files.length > 0 ? ` (${files.slice(0, 3).join(", ")}${files.length > 3 ? ", ..." : ""})` : ""}` +
        `${why ? `: ${why}` : ""}${options.interfaceId ? `; check --interface ${options.interfaceId}` : ""}`,
    );
  }
  const [iface, t] = chosen;
  for (const [other, o] of reader.trackers) {
    if (other === iface || o.routed === 0) continue;
    skips.add(
      `records of another interface (${iface} was taken as the NAT gateway's; --interface chooses)`,
      o.firstFile,
      o.firstLine,
      o.routed,
    );
  }
  t.finishAll(t.maxEnd);
  if (t.connectionCount === 0 && t.inbound > 0) {
    throw new FlowLogError(
      `the records of ${iface} show inbound connections (${t.inbound} records: SYNs from outside, SYN-ACKs from the interface) and no translated outbound connection: ` +
        "these are a server's interface's flow logs, not a NAT gateway's. Give the flow logs of the NAT gateway's network interface (its eni-… is on the NAT gateway's page; --interface picks it among several)",
    );
  }
  return t;
}

/** A custom format with every field the reader uses, as `aws ec2 create-flow-logs --log-format` takes it. */
export const RECOMMENDED_FORMAT = [
  "version",
  "interface-id",
  "srcaddr",
  "dstaddr",
  "srcport",
  "dstport",
  "protocol",
  "packets",
  "bytes",
  "start",
  "end",
  "action",
  "log-status",
  "tcp-flags",
  "pkt-srcaddr",
  "pkt-dstaddr",
  "flow-direction",
]
  .map((f) => `\${${f}}`)
  .join(" ");

/**
 * What the reader could not do with these logs, in words: several NAT IPs not told apart without
 * pkt-srcaddr / pkt-dstaddr, failures not seen without the client legs or the gateway→client leg.
 */
export function readerWarnings(reader: AwsRecordReader, t: InterfaceTracker): string[] {
  const out: string[] = [];
  if (reader.formatsWithoutPkt > 0) {
    out.push(
      "the flow-log format has no pkt-srcaddr / pkt-dstaddr: a NAT gateway's interface logs its primary private IP in srcaddr and dstaddr whatever IP translated the flow, " +
        "so the connections of several NAT IPs cannot be told apart (two using the same port towards one destination count as one) and failed attempts cannot be seen. " +
        `Create the flow log with a custom format that adds them, e.g. ${RECOMMENDED_FORMAT}`,
    );
  }
  if (t.transit > 0 && t.returns === 0) {
    out.push(
      "the logs show clients' packets to the gateway but never the gateway's packets back to a client: failed attempts cannot be told from carried ones, so none is counted",
    );
  }
  return out;
}
/** `{ warnings }` when there are any, else nothing. */
function optionalWarnings(reader: AwsRecordReader, t: InterfaceTracker): { warnings?: string[] } {
  const warnings = readerWarnings(reader, t);
  return warnings.length > 0 ? { warnings } : {};
}

/** The trace of a finished tracker whose connections are in `columns`. */
function assemble(read: RecordsRead, columns: ConnectionStore): ConnectionTrace {
  const { files, reader, t } = read;
  const t0 = t.minStart;
  columns.origin = t0;
  let built: ObservedConnection[] | undefined;
  const trace = {
    cloud: "aws" as const,
    startEpochSeconds: (reader.base ?? 0) + t0,
    durationSeconds: t.maxEnd - t0,
    // Built on first use: streaming consumers use `eachConnection` or `store` and never hold them all.
    get connections(): readonly ObservedConnection[] {
      if (built === undefined) {
        built = new Array(columns.length);
        for (let k = 0; k < columns.length; k++) built[k] = columns.at(k);
      }
      return built;
    },
    gatewayIps: [...t.gatewayIps].sort(),
    recordIntervalSeconds: t.recordInterval,
    files,
    recordsRead: reader.recordsRead,
    recordsUsed: t.used,
    skipped: reader.skips.list(),
    ...optionalWarnings(reader, t),
  };
  Object.defineProperties(trace, {
    connectionCount: { value: columns.length, enumerable: false },
    store: { value: columns, enumerable: false },
    eachConnection: {
      enumerable: false,
      value: (): Iterable<ObservedConnection> => built ?? columns,
    },
  });
  return trace;
}
