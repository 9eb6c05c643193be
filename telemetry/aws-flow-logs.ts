/**
 * AWS VPC Flow Logs reader: S3 text files (gzip or plain, a header line of field names in any
 * order, the default or a custom format), CloudWatch Logs exports (no header: `fields`), directories
 * walked recursively. Finds the NAT gateway's interface (the one forwarding clients' traffic to
 * public addresses, or `interfaceId`), and rebuilds its connections to destinations outside the
 * network. Lines are split with `indexOf` into column offsets and only the fields used are cut out.
 * CloudWatch Logs exports may carry each event's ISO timestamp before the record; it is dropped.
 * Parquet delivery (told by its magic bytes) is read row group by row group with hyparquet.
 * Memory follows the flows open (swept once the newest record is past their idle timeout, a 600 s
 * window and delivery skew) and the connections rebuilt, never the number of records.
 *
 * @module
 */
import { DEFAULT_FIELDS, type FieldIndex, looksLikeHeader, parseFormat } from "./aws-format";
import { forEachParquetRecord } from "./aws-parquet";
import { type AwsFlowLogOptions, AwsRecordReader } from "./aws-records";
import type { InterfaceTracker } from "./aws-tracker";
import type { ConnectionTrace, ObservedConnection } from "./connections";
import { expandPaths, fileKind, forEachLine } from "./lines";
import { FlowLogError, formatSkipped } from "./skips";

export type { AwsFlowLogOptions } from "./aws-records";

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
 * network. Bad records are skipped and counted by reason.
 *
 * @param paths files or folders (walked recursively)
 * @throws {FlowLogError} when a path cannot be read or nothing usable remains (naming the files and the reasons)
 */
export async function readAwsFlowLogs(
  paths: readonly string[],
  options: AwsFlowLogOptions = {},
): Promise<ConnectionTrace> {
  const files = expandPaths(paths);
  const reader = new AwsRecordReader(options);
  const fallback = parseFormat(options.fields ?? DEFAULT_FIELDS.join(" "));
  if (options.fields !== undefined && fallback.missing.length > 0) {
    throw new FlowLogError(
      `--fields ${JSON.stringify(options.fields)} lacks ${fallback.missing.join(", ")}: list the fields of the export in order, e.g. "${DEFAULT_FIELDS.join(" ")}"`,
    );
  }
  const { skips } = reader;
  for (const file of files) {
    const kind = fileKind(file);
    if (kind === "parquet") {
      let index: FieldIndex | undefined;
      const read = await forEachParquetRecord(
        file,
        (fields) => {
          const format = parseFormat(fields);
          for (const f of format.unknown)
            skips.add(`unknown Parquet column ${JSON.stringify(f)} (ignored)`, file, 0);
          if (format.missing.length > 0)
            skips.add(`Parquet file lacks ${format.missing.join(", ")}`, file, 0);
          else index = format.index;
        },
        (record, rowNo) => {
          if (index) reader.record(record, 0, record.length, index, file, rowNo);
        },
      );
      if (read.brokenOff) skips.add(read.brokenOff, file, read.lines + 1);
      continue;
    }
    if (kind === "json") {
      skips.add("JSON file (not a VPC flow log; Azure VNet flow logs need --cloud azure)", file, 0);
      continue;
    }
    if (kind === "empty") continue;
    let format: ReturnType<typeof parseFormat> | undefined;
    let stamped = false;
    let unusable = false;
    const read = await forEachLine(file, kind === "gzip", (text, from, to, lineNo) => {
      if (format === undefined) {
        const line = text.slice(from, to);
        if (looksLikeHeader(line)) {
          format = parseFormat(line);
          for (const f of format.unknown)
            skips.add(`unknown header field ${JSON.stringify(f)} (column ignored)`, file, lineNo);
          if (format.missing.length > 0) unusable = true;
          return;
        }
        format = fallback;
        // CloudWatch Logs exports to S3 put the event's ISO timestamp before each record.
        stamped = /^\d{4}-\d\d-\d\dT\S+ /.test(line);
      }
      if (stamped) {
        const sp = text.indexOf(" ", from);
        if (sp >= 0 && sp < to) from = sp + 1;
      }
      if (unusable) {
        reader.recordsRead++;
        skips.add(`format lacks ${format.missing.join(", ")}`, file, lineNo);
        return;
      }
      reader.record(text, from, to, format.index, file, lineNo);
    });
    if (read.brokenOff) skips.add(read.brokenOff, file, read.lines + 1);
  }
  return assemble(files, reader, options);
}

function assemble(files: string[], reader: AwsRecordReader, options: AwsFlowLogOptions): ConnectionTrace {
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
    if (other === iface || o.used === 0) continue;
    skips.add(
      `records of another interface (${iface} was taken as the NAT gateway's; --interface chooses)`,
      o.firstFile,
      o.firstLine,
      o.used,
    );
  }
  t.finishAll(t.maxEnd);
  const t0 = t.minStart;
  const columns = t.done;
  const order = columns.startOrder();
  const endpoints = reader.endpointList();
  const gatewayNames = [...t.gatewayIps];
  let built: ObservedConnection[] | undefined;
  const trace = {
    cloud: "aws" as const,
    startEpochSeconds: (reader.base ?? 0) + t0,
    durationSeconds: t.maxEnd - t0,
    // Built on first use: streaming consumers use `eachConnection` and never hold them all.
    get connections(): readonly ObservedConnection[] {
      if (built === undefined) {
        built = new Array(order.length);
        for (let k = 0; k < order.length; k++) built[k] = columns.at(order[k], endpoints, gatewayNames, t0);
      }
      return built;
    },
    gatewayIps: [...t.gatewayIps].sort(),
    files,
    recordsRead: reader.recordsRead,
    recordsUsed: t.used,
    skipped: skips.list(),
  };
  Object.defineProperties(trace, {
    connectionCount: { value: order.length, enumerable: false },
    eachConnection: {
      enumerable: false,
      value: function* eachConnection(): Generator<ObservedConnection> {
        if (built !== undefined) yield* built;
        else for (let k = 0; k < order.length; k++) yield columns.at(order[k], endpoints, gatewayNames, t0);
      },
    },
  });
  return trace;
}
