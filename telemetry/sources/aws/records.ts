/**
 * The VPC Flow Logs record reader's stateful half: checked records (rows of a {@link RecordBatch},
 * classify.ts) are held to the lateness bound, keyed (endpoints, translated addresses and gateway IPs
 * as small ids) and routed to the tracker of their interface as a gateway→destination,
 * destination→gateway, client→gateway or gateway→client record. Skipped records are counted by
 * reason with file and line.
 *
 * @module
 */
import { AWS } from "../../../core/limits";
import type { ConnectionSink } from "../../reconstruct/connections";
import { BACKWARD, FORWARD } from "../../reconstruct/flow-records";
import { FlowTable } from "../../reconstruct/flow-table";
import { EPOCH_SECONDS } from "../../reconstruct/reorder-buffer";
import { SkipCounter } from "../skips";
import {
  LEG_CLIENT_OUT,
  LEG_GATEWAY_BACK,
  LEG_GATEWAY_OUT,
  type RecordBatch,
  ROW,
  ROW_BYTES,
  ROW_END,
  ROW_FLAGS,
  ROW_GATEWAY,
  ROW_INTERFACE,
  ROW_LEG,
  ROW_LINE,
  ROW_LOCAL,
  ROW_LOCAL_PORT,
  ROW_REMOTE,
  ROW_REMOTE_PORT,
  ROW_START,
} from "./classify";
import { ipText } from "./scan";
import {
  type Endpoint,
  flowLow,
  InterfaceTracker,
  RECORD_SPAN_SECONDS,
  SETTLE_SECONDS,
  type TrackerContext,
} from "./tracker";

export { CONTRADICTING_PKT } from "./classify";

/** Options of the AWS reader (`readAwsFlowLogs`). */
export interface AwsFlowLogOptions {
  /** The NAT gateway's network interface (`eni-…`). @default the interface that forwards clients' traffic */
  interfaceId?: string;
  /** Field names of header-less files (CloudWatch Logs exports), space separated. @default the version 2 default format */
  fields?: string;
  /**
   * Seconds a record's end may lie behind the newest end read so far and still be used (files
   * overlap in time and hold their records in no order; delivery lags). Later records are counted
   * as skipped. Memory grows with it. @default 900 ({@link DEFAULT_MAX_LATENESS_SECONDS})
   */
  maxLatenessSeconds?: number;
}

/**
 * Default of {@link AwsFlowLogOptions.maxLatenessSeconds}: 15 minutes, three 5-minute S3 files'
 * worth (VPC user guide: records are published to S3 every 5 minutes, to CloudWatch Logs about
 * every 5 minutes; the 10 minutes of a 600 s window come on top, in {@link RECORD_SPAN_SECONDS}).
 */
export const DEFAULT_MAX_LATENESS_SECONDS = 900;

/**
 * Makes the sink of an interface's connections (times in the reader's seconds, see
 * {@link AwsRecordReader.base}; gateway IPs by index in `gatewayIps`); called when the interface is
 * first seen.
 */
export type SinkFactory = (reader: AwsRecordReader, gatewayIps: readonly string[]) => ConnectionSink;

/** Low half of a client flow's key: the client's port and the destination endpoint's id. */
function clientLow(clientPort: number, endpoint: number): number {
  return (clientPort * 65_536 + (endpoint & 65_535)) | 0;
}

/** Seconds from the reader's time 0 a record may lie (times are kept as 32-bit integers). */
const MAX_SECONDS_FROM_BASE = 2 ** 31 - 2 ** 20;

/** The interface name of records of a format without `interface-id`. */
const NO_INTERFACE = "-";

/** Streams checked records into per-interface trackers. */
export class AwsRecordReader {
  readonly skips = new SkipCounter();
  readonly trackers = new Map<string, InterfaceTracker>();
  /** Endpoint ids (in `endpointList`) keyed by (address, port × 2 + 1 for TCP). */
  private readonly endpoints = new FlowTable();
  /** The endpoints seen, by {@link Endpoint.id} (grows while reading). */
  readonly endpointList: Endpoint[] = [];
  /** Files read so far, by the index records keep. */
  readonly files: string[] = [];
  private readonly context: TrackerContext;
  private readonly lateness: number;
  private readonly addressIds = new Map<number, number>();
  recordsRead = 0;
  /** Records read in a format without pkt-srcaddr / pkt-dstaddr. */
  formatsWithoutPkt = 0;
  /** Unix seconds of time 0 inside the reader (a multiple of the settling period at or before the first record). */
  base: number | undefined;
  private newest = Number.NEGATIVE_INFINITY;
  /** Every record starting before this has been taken into its flow (an epoch boundary). */
  private takenBefore = Number.NEGATIVE_INFINITY;
  /** Endpoint ranks (see {@link TrackerContext.rank}), by id. */
  private readonly ranks: number[] = [];
  /** The interface of the previous record and its tracker. */
  private lastIface = "";
  private lastTracker: InterfaceTracker | undefined;
  /** The previous gateway-side address and its id. */
  private lastAddress = -1;
  private lastAddressId = 0;

  /** @param sinkFor makes each interface's connection sink */
  constructor(
    options: AwsFlowLogOptions,
    private readonly sinkFor: SinkFactory,
  ) {
    this.lateness = options.maxLatenessSeconds ?? DEFAULT_MAX_LATENESS_SECONDS;
    const list = this.endpointList;
    this.context = {
      idleSeconds: AWS.idleTimeoutSeconds.value,
      isTcp: (id) => list[id].protocol === "tcp",
      rank: (id) => this.ranks[id],
      skips: this.skips,
      files: this.files,
    };
  }

  /** Index of `file` in {@link AwsRecordReader.files}, added when new. */
  private fileId(file: string): number {
    const i = this.files.lastIndexOf(file);
    return i >= 0 ? i : this.files.push(file) - 1;
  }

  private tracker(iface: string, file: string, line: number): InterfaceTracker {
    if (this.lastTracker !== undefined && iface === this.lastIface) return this.lastTracker;
    let t = this.trackers.get(iface);
    if (t === undefined) {
      t = new InterfaceTracker(this.context, (gatewayIps) => this.sinkFor(this, gatewayIps));
      t.firstFile = file;
      t.firstLine = line;
      this.trackers.set(iface, t);
    }
    this.lastIface = iface;
    this.lastTracker = t;
    return t;
  }

  /**
   * The endpoint id of (address, port × 2 + 1 for TCP), added when new. The address comes as a
   * signed 32-bit integer (`ip | 0`): a public address above 2^31 passed as a plain number would be
   * boxed on every call.
   */
  private endpoint(ip32: number, portTcp: number): number {
    const id = this.endpoints.get(ip32, portTcp);
    if (id >= 0) return id;
    const e: Endpoint = {
      id: this.endpointList.length,
      address: ipText(ip32 >>> 0),
      port: portTcp >> 1,
      protocol: portTcp & 1 ? "tcp" : "udp",
    };
    this.endpoints.set(ip32, portTcp, e.id);
    this.endpointList.push(e);
    this.ranks.push((ip32 >>> 0) * 131_072 + portTcp);
    return e.id;
  }

  /** A small id per gateway-side address (part of the flow key). */
  private addressId(ip: number): number {
    if (ip === this.lastAddress) return this.lastAddressId;
    let id = this.addressIds.get(ip);
    if (id === undefined) {
      id = this.addressIds.size & 65_535;
      this.addressIds.set(ip, id);
    }
    this.lastAddress = ip;
    this.lastAddressId = id;
    return id;
  }

  /** Takes a batch of records read from `file`: its skipped records counted, its rows routed. */
  apply(batch: RecordBatch, file: string): void {
    this.recordsRead += batch.read;
    this.formatsWithoutPkt += batch.withoutPkt;
    for (const [reason, [count, line]] of batch.skipped) this.skips.add(reason, file, line, count);
    const fileId = this.fileId(file);
    const rows = batch.rows;
    for (let o = 0; o < batch.count * ROW; o += ROW) this.row(rows, o, batch.interfaces, file, fileId);
  }

  /** Routes the row at `o`, or counts it as skipped when it comes later than the lateness allows. */
  private row(rows: Float64Array, o: number, interfaces: string[], file: string, fileId: number): void {
    const line = rows[o + ROW_LINE];
    let start = rows[o + ROW_START];
    let end = rows[o + ROW_END];
    // Times relative to a base stay small integers (cheap keys and counters); a multiple of the
    // settling period, so that epochs and settling fall on the same seconds whichever record comes first.
    if (this.base === undefined) this.base = start - (start % SETTLE_SECONDS);
    start -= this.base;
    end -= this.base;
    if (Math.abs(start) > MAX_SECONDS_FROM_BASE || Math.abs(end) > MAX_SECONDS_FROM_BASE) {
      this.skips.add(
        "time more than 68 years from the first record's (a malformed start or end)",
        file,
        line,
      );
      return;
    }
    if (end < this.newest - this.lateness) {
      this.skips.add(
        `record later than the lateness allowed (its end ${this.lateness} s or more before the newest read; --max-lateness-seconds raises it)`,
        file,
        line,
      );
      return;
    }
    if (start < this.takenBefore) {
      this.skips.add(
        `record reaching back before connections already rebuilt (a window longer than ${RECORD_SPAN_SECONDS} s, the longest aggregation interval)`,
        file,
        line,
      );
      return;
    }
    const iface = rows[o + ROW_INTERFACE];
    const t = this.tracker(iface < 0 ? NO_INTERFACE : interfaces[iface], file, line);
    const leg = rows[o + ROW_LEG];
    const endpoint = this.endpoint(rows[o + ROW_REMOTE] | 0, rows[o + ROW_REMOTE_PORT]);
    const flags = rows[o + ROW_FLAGS];
    const bytes = rows[o + ROW_BYTES];
    const local = rows[o + ROW_LOCAL];
    const localPort = rows[o + ROW_LOCAL_PORT];
    if (leg === LEG_GATEWAY_OUT || leg === LEG_GATEWAY_BACK) {
      const gateway = rows[o + ROW_GATEWAY];
      t.gatewayRecord(
        endpoint,
        flowLow(localPort, this.addressId(local)),
        leg === LEG_GATEWAY_OUT ? FORWARD : BACKWARD,
        start,
        end,
        flags,
        bytes,
        gateway >= 0 ? t.gatewayOf(gateway) : -1,
        fileId,
        line,
      );
    } else {
      const dir = leg === LEG_CLIENT_OUT ? FORWARD : BACKWARD;
      t.clientRecord(
        local,
        clientLow(localPort, endpoint),
        endpoint,
        dir,
        start,
        end,
        flags,
        bytes,
        fileId,
        line,
      );
    }
    if (end > this.newest) {
      this.newest = end;
      // No record still to come starts before this (its end is within the lateness, its start within a window of it).
      const due = end - this.lateness - RECORD_SPAN_SECONDS;
      if (due >= this.takenBefore + EPOCH_SECONDS) {
        this.takenBefore = Math.floor(due / EPOCH_SECONDS) * EPOCH_SECONDS;
        for (const each of this.trackers.values()) each.advance(this.takenBefore);
      }
    }
  }
}
