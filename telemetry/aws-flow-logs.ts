/**
 * AWS VPC Flow Logs reader: S3 text files (gzip or plain, a header line of field names in any
 * order, the default or a custom format), CloudWatch Logs exports (no header: `fields`), directories
 * walked recursively. Finds the NAT gateway's interface (the one forwarding clients' traffic to
 * public addresses, or `interfaceId`), and rebuilds its connections to destinations outside the
 * network. Lines are split with `indexOf` into column offsets and only the fields used are cut out.
 *
 * @module
 */
import { AWS } from "../sim/limits";
import {
  DEFAULT_FIELDS,
  type FieldIndex,
  looksLikeHeader,
  NEWEST_KNOWN_VERSION,
  parseFormat,
} from "./aws-format";
import { type Endpoint, InterfaceTracker, type RawConnection } from "./aws-tracker";
import type { ConnectionTrace } from "./connections";
import { expandPaths, fileKind, forEachLine } from "./lines";
import { FlowLogError, formatSkipped, isPrivateIpv4, SkipCounter } from "./skips";

/** Options of {@link readAwsFlowLogs}. */
export interface AwsFlowLogOptions {
  /** The NAT gateway's network interface (`eni-…`). @default the interface that forwards clients' traffic */
  interfaceId?: string;
  /** Field names of header-less files (CloudWatch Logs exports), space separated. @default the version 2 default format */
  fields?: string;
}

/** Seconds behind the newest record after which live state is final: idle timeout + a 600 s window + delivery skew. */
const SWEEP_LAG_SECONDS = AWS.idleTimeoutSeconds.value + 600 + 300;

/** Streams records into per-interface trackers. */
class AwsRecordReader {
  readonly skips = new SkipCounter();
  readonly trackers = new Map<string, InterfaceTracker>();
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly bounds = new Int32Array(64);
  recordsRead = 0;
  private sinceSweep = 0;
  private newest = Number.NEGATIVE_INFINITY;
  private swept = Number.NEGATIVE_INFINITY;
  private lastIface = "";
  private lastTracker: InterfaceTracker | undefined;

  constructor(private readonly options: AwsFlowLogOptions) {}

  private tracker(iface: string, file: string, line: number): InterfaceTracker {
    if (iface === this.lastIface && this.lastTracker) return this.lastTracker;
    let t = this.trackers.get(iface);
    if (t === undefined) {
      t = new InterfaceTracker(AWS.idleTimeoutSeconds.value);
      t.firstFile = file;
      t.firstLine = line;
      this.trackers.set(iface, t);
    }
    this.lastIface = iface;
    this.lastTracker = t;
    return t;
  }

  private endpoint(address: string, port: number, protocol: "tcp" | "udp"): Endpoint {
    const key = `${address} ${port} ${protocol}`;
    let e = this.endpoints.get(key);
    if (e === undefined) {
      e = { address, port, protocol, diffs: new Map() };
      this.endpoints.set(key, e);
    }
    return e;
  }

  /** Reads one record line in the format `ix`. */
  record(line: string, ix: FieldIndex, file: string, lineNo: number): void {
    this.recordsRead++;
    const b = this.bounds;
    const last = ix.count - 1;
    let n = 0;
    let pos = 0;
    b[0] = 0;
    while (n < last) {
      const sp = line.indexOf(" ", pos);
      if (sp < 0) break;
      pos = sp + 1;
      b[++n] = pos;
    }
    if (n !== last || line.indexOf(" ", pos) >= 0) {
      this.skips.add(`wrong number of fields (expected ${ix.count})`, file, lineNo);
      return;
    }
    const field = (i: number) => line.substring(b[i], i < last ? b[i + 1] - 1 : line.length);
    const int = (i: number) => {
      const to = i < last ? b[i + 1] - 1 : line.length;
      let v = 0;
      for (let p = b[i]; p < to; p++) {
        const c = line.charCodeAt(p) - 48;
        if (c < 0 || c > 9) return Number.NaN;
        v = v * 10 + c;
      }
      return to > b[i] ? v : Number.NaN;
    };
    if (ix.logStatus >= 0) {
      const status = field(ix.logStatus);
      if (status !== "OK") {
        this.skips.add(
          status === "SKIPDATA"
            ? "SKIPDATA record (the flow-log service dropped records in this window)"
            : `${status} record`,
          file,
          lineNo,
        );
        return;
      }
    }
    if (ix.version >= 0) {
      const v = int(ix.version);
      if (v > NEWEST_KNOWN_VERSION) {
        this.skips.add(
          `record version ${v} (newer than version ${NEWEST_KNOWN_VERSION}, the newest known)`,
          file,
          lineNo,
        );
        return;
      }
    }
    if (ix.action >= 0 && field(ix.action) !== "ACCEPT") {
      this.skips.add("REJECT record (refused traffic holds no gateway port)", file, lineNo);
      return;
    }
    const proto = int(ix.protocol);
    if (proto !== 6 && proto !== 17) {
      this.skips.add(
        Number.isNaN(proto) ? "no protocol" : `protocol ${proto} (not TCP or UDP)`,
        file,
        lineNo,
      );
      return;
    }
    const src = field(ix.srcaddr);
    const dst = field(ix.dstaddr);
    if (src.includes(":") || dst.includes(":")) {
      this.skips.add("IPv6 address (NAT gateways translate IPv4)", file, lineNo);
      return;
    }
    const start = int(ix.start);
    const end = int(ix.end);
    const sport = int(ix.srcport);
    const dport = int(ix.dstport);
    if (
      Number.isNaN(start) ||
      Number.isNaN(end) ||
      Number.isNaN(sport) ||
      Number.isNaN(dport) ||
      src === "-"
    ) {
      this.skips.add("missing address, port or time", file, lineNo);
      return;
    }
    if (end < start) {
      this.skips.add("end before start", file, lineNo);
      return;
    }
    if (end < this.swept) {
      this.skips.add(
        "record older than the logs already read (clock skew or files far out of order)",
        file,
        lineNo,
      );
      return;
    }
    const iface = ix.interfaceId >= 0 ? field(ix.interfaceId) : "-";
    if (this.options.interfaceId !== undefined && iface !== this.options.interfaceId) {
      this.skips.add(`another interface than ${this.options.interfaceId}`, file, lineNo);
      return;
    }
    const protocol = proto === 6 ? "tcp" : "udp";
    const flags = ix.tcpFlags >= 0 && proto === 6 ? int(ix.tcpFlags) : -1;
    const direction = ix.flowDirection >= 0 ? field(ix.flowDirection) : "";
    const t = this.tracker(iface, file, lineNo);
    const srcPrivate = isPrivateIpv4(src);
    const dstPrivate = isPrivateIpv4(dst);
    if (srcPrivate && !dstPrivate && direction !== "ingress") {
      let gatewayIp: string | undefined;
      if (ix.pktSrcaddr >= 0) {
        const p = field(ix.pktSrcaddr);
        if (p !== "-") gatewayIp = p;
      }
      const key = `${src} ${sport} ${dst} ${dport} ${proto}`;
      t.egressRecord(key, this.endpoint(dst, dport, protocol), start, end, flags < 0 ? -1 : flags, gatewayIp);
    } else if (!srcPrivate && dstPrivate) {
      if (!t.responseRecord(`${dst} ${dport} ${src} ${sport} ${proto}`, start, end, flags)) {
        this.skips.add("inbound record of no outbound connection", file, lineNo);
      }
    } else if (srcPrivate && dstPrivate && ix.pktDstaddr >= 0 && direction !== "egress") {
      const target = field(ix.pktDstaddr);
      if (target !== "-" && target !== dst && !isPrivateIpv4(target) && !target.includes(":")) {
        const key = `${src} ${sport} ${target} ${dport} ${proto}`;
        t.clientRecord(key, this.endpoint(target, dport, protocol), start, end, flags);
      } else this.skips.add("traffic inside the network", file, lineNo);
    } else
      this.skips.add(
        srcPrivate ? "traffic inside the network" : "traffic between public addresses",
        file,
        lineNo,
      );
    if (end > this.newest) this.newest = end;
    if (++this.sinceSweep >= 65_536 && this.sinceSweep >= this.liveSize()) this.sweep();
  }

  private liveSize(): number {
    let n = 0;
    for (const t of this.trackers.values()) n += t.liveCount;
    return n;
  }

  private sweep(): void {
    this.sinceSweep = 0;
    const horizon = this.newest - SWEEP_LAG_SECONDS;
    if (horizon <= this.swept) return;
    this.swept = horizon;
    for (const t of this.trackers.values()) t.sweep(horizon);
  }
}

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
      skips.add(
        "Parquet file (not read yet: deliver the flow logs as text, or convert to CSV text)",
        file,
        0,
      );
      continue;
    }
    if (kind === "json") {
      skips.add("JSON file (not a VPC flow log; Azure VNet flow logs need --cloud azure)", file, 0);
      continue;
    }
    if (kind === "empty") continue;
    let format: ReturnType<typeof parseFormat> | undefined;
    let unusable = false;
    const read = await forEachLine(file, kind === "gzip", (line, lineNo) => {
      if (format === undefined) {
        if (looksLikeHeader(line)) {
          format = parseFormat(line);
          for (const f of format.unknown)
            skips.add(`unknown header field ${JSON.stringify(f)} (column ignored)`, file, lineNo);
          if (format.missing.length > 0) unusable = true;
          return;
        }
        format = fallback;
      }
      if (unusable) {
        reader.recordsRead++;
        skips.add(`format lacks ${format.missing.join(", ")}`, file, lineNo);
        return;
      }
      reader.record(line, format.index, file, lineNo);
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
  const connections: RawConnection[] = t.done;
  for (const c of connections) {
    c.start -= t0;
    c.end -= t0;
    if (c.gatewayIp === undefined) delete c.gatewayIp;
  }
  connections.sort((a, b) => a.start - b.start);
  return {
    cloud: "aws",
    startEpochSeconds: t0,
    durationSeconds: t.maxEnd - t0,
    connections,
    gatewayIps: [...t.gatewayIps].sort(),
    files,
    recordsRead: reader.recordsRead,
    recordsUsed: t.used,
    skipped: skips.list(),
  };
}
