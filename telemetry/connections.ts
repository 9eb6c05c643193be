/**
 * Connections reconstructed from telemetry (VPC Flow Logs, Azure VNet flow logs): the one shape the
 * flow-log readers produce and the aggregation (`natcap import`) and trace-driven replay
 * (`natcap replay`) consume. Pure data; times are seconds from the trace's start.
 *
 * @module
 */

/** How an observed connection ended. */
export type ObservedClose =
  /** A FIN was seen. */
  | "fin"
  /** An RST was seen. */
  | "rst"
  /** No close was seen and traffic stopped: the gateway ended it at its idle timeout (always for UDP). */
  | "idle"
  /** Still open when the logs end: it holds its port to the end of the trace. */
  | "open";

/** One connection (or one failed attempt) towards a destination endpoint. */
export interface ObservedConnection {
  /** Destination address (IPv4). */
  readonly address: string;
  /** Destination port. */
  readonly port: number;
  /** Transport protocol. */
  readonly protocol: "tcp" | "udp";
  /** Seconds from the trace start to the connection's first packet (its opening). */
  readonly start: number;
  /** Seconds from the trace start to its last packet seen (the same as `start` for a failed attempt). */
  readonly end: number;
  /** How it ended. */
  readonly close: ObservedClose;
  /** True when the logs show an attempt that never reached the destination (an observed port-allocation failure). */
  readonly failed: boolean;
  /** The gateway IP that served it, when the logs show it (AWS `pkt-srcaddr`). */
  readonly gatewayIp?: string;
}

/** Why input records were skipped, with counts; each reason names a file and line where it first occurred. */
export interface SkippedRecords {
  /** Reason, e.g. `NODATA record`, `IPv6 address`, `truncated gzip`. */
  readonly reason: string;
  /** Records skipped for this reason. */
  readonly count: number;
  /** `file:line` of the first such record. */
  readonly firstAt: string;
}

/** Everything a flow-log reader recovered from its input. */
export interface ConnectionTrace {
  /** The cloud the logs come from. */
  readonly cloud: "aws" | "azure";
  /** Unix seconds of the trace start (time 0 of every connection). */
  readonly startEpochSeconds: number;
  /** Seconds from the trace start to its last record. */
  readonly durationSeconds: number;
  /** Connections sorted by `start`. */
  readonly connections: readonly ObservedConnection[];
  /** Number of connections (the length of `connections`, known without building that array). */
  readonly connectionCount?: number;
  /**
   * The connections in the order of `connections`, built one at a time as they are iterated, so a
   * consumer that streams over them never holds them all (absent: iterate `connections`).
   */
  readonly eachConnection?: () => Iterable<ObservedConnection>;
  /** Distinct gateway IPs seen (empty when the logs cannot show them, e.g. Azure). */
  readonly gatewayIps: readonly string[];
  /** Files read. */
  readonly files: readonly string[];
  /** Records read in all. */
  readonly recordsRead: number;
  /** Records that contributed to a connection. */
  readonly recordsUsed: number;
  /** Records skipped, by reason. */
  readonly skipped: readonly SkippedRecords[];
}
