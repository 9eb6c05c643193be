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

/** Close kinds by code: the code of a close kind is its index here. */
export const CLOSE_CODES: readonly ObservedClose[] = ["fin", "rst", "idle", "open"];

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
  /** Bytes carried in both directions, when the logs count them (absent: not known). */
  readonly bytes?: number;
}

/** A destination endpoint as the connection sinks and stores know it (by index). */
export interface EndpointRef {
  readonly address: string;
  readonly port: number;
  readonly protocol: "tcp" | "udp";
}

/**
 * Receives a reader's connections in start order (never decreasing), as they become final. A
 * connection still going on when its start is handed out is opened with {@link ConnectionSink.open}
 * and ended later with {@link ConnectionSink.close}, at an end no earlier than any start handed out
 * before the close. Times are the reader's own seconds; endpoints and gateway IPs are indices.
 */
export interface ConnectionSink {
  /**
   * A finished connection (or a failed attempt, `end` = `start`).
   *
   * @param close index in {@link CLOSE_CODES}
   * @param gateway gateway IP index, -1 when unknown
   */
  add(endpoint: number, start: number, end: number, close: number, failed: boolean, gateway: number): void;
  /** A connection still going on; returns the handle to close it with. */
  open(endpoint: number, start: number, gateway: number): number;
  /** Ends the connection opened as `handle`. */
  close(handle: number, end: number, close: number, gateway: number): void;
  /**
   * Bytes the gateway carried for an endpoint (both directions), when the logs count them; called
   * once per connection, in no particular order. Absent: the sink does not use them.
   */
  carried?(endpoint: number, bytes: number): void;
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

/** Read access to a columnar store of connections sorted by start (telemetry/sinks/connection-store.ts). */
export interface ConnectionStoreView {
  /** Connections held. */
  readonly length: number;
  /** Endpoints by index. */
  readonly endpoints: readonly EndpointRef[];
  /** Seconds from the trace start to connection `i`'s first packet. */
  start(i: number): number;
  /** Seconds from the trace start to connection `i`'s last packet. */
  end(i: number): number;
  /** Last packet − first packet of connection `i`, seconds. */
  duration(i: number): number;
  /** Endpoint index of connection `i`. */
  endpoint(i: number): number;
  /** Close code (index in {@link CLOSE_CODES}) of connection `i`. */
  closeCode(i: number): number;
  /** True when connection `i` is a failed attempt. */
  isFailed(i: number): boolean;
  /** Connection `i` as an object. */
  at(i: number): ObservedConnection;
  /**
   * Bytes the gateway carried for an endpoint, when the reader counted them per endpoint rather
   * than per connection (AWS records: see {@link ConnectionSink.carried}).
   */
  bytesCarried?(endpoint: number): number | undefined;
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
  /**
   * The connections as typed-array columns sorted by start (what `connections` is built from, and
   * what replay reads), when the reader kept them (absent: build one from `connections`).
   */
  readonly store?: ConnectionStoreView;
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
  /** What the logs could not show, in words (e.g. several NAT IPs not told apart without pkt-srcaddr). */
  readonly warnings?: readonly string[];
  /**
   * Seconds at most between the records of a connection still going on, as the logs show it (AWS:
   * the flow log's aggregation interval, told from the records' spans). Absent: the cloud's default.
   */
  readonly recordIntervalSeconds?: number;
}
