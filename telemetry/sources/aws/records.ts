/**
 * The VPC Flow Logs record reader: one text record at a time, parsed in place from the bytes of the
 * line (scan.ts: no string or object per record), checked (log status, version, action, protocol,
 * addresses, times) and routed to the tracker of its interface as a gateway→destination,
 * destination→gateway or client→gateway record. Skipped records are counted by reason.
 *
 * @module
 */
import { AWS } from "../../../core/limits";
import { isUnroutableIpv4Number } from "../../../sim/workload/address";
import type { ConnectionSink } from "../../reconstruct/connections";
import { BACKWARD, FORWARD } from "../../reconstruct/flow-records";
import { FlowTable } from "../../reconstruct/flow-table";
import { EPOCH_SECONDS } from "../../reconstruct/reorder-buffer";
import { SkipCounter, UNROUTABLE_DESTINATION } from "../skips";
import { type FieldIndex, NEWEST_KNOWN_VERSION } from "./format";
import { bytesEqual, ipText, ScannedRecord, scanPlan, scanRecord } from "./scan";
import {
  type Endpoint,
  flowLow,
  InterfaceTracker,
  RECORD_SPAN_SECONDS,
  SETTLE_SECONDS,
  type TrackerContext,
} from "./tracker";

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

/** True for an address inside the private and shared ranges (as `isPrivateIpv4` in telemetry/sources/skips.ts), from its number. */
function isPrivateNumber(ip: number): boolean {
  const a = Math.floor(ip / 16_777_216);
  const b = Math.floor(ip / 65_536) & 255;
  return (
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254)
  );
}

/** Why a record whose pkt-srcaddr / pkt-dstaddr cannot be what its direction says is skipped. */
export const CONTRADICTING_PKT =
  "pkt-srcaddr or pkt-dstaddr contradicts the record (outbound: pkt-srcaddr a private address, pkt-dstaddr = dstaddr; reply: pkt-srcaddr = srcaddr, pkt-dstaddr a private address)";

/** Low half of a client flow's key: the client's port and the destination endpoint's id. */
function clientLow(clientPort: number, endpoint: number): number {
  return (clientPort * 65_536 + (endpoint & 65_535)) | 0;
}

/** The interface name of records of a format without `interface-id`. */
const NO_INTERFACE = Buffer.from("-", "latin1");

/** Streams records into per-interface trackers. */
export class AwsRecordReader {
  readonly skips = new SkipCounter();
  readonly trackers = new Map<string, InterfaceTracker>();
  /** Endpoint ids (in `endpointList`) keyed by (address, port × 2 + 1 for TCP). */
  private readonly endpoints = new FlowTable();
  /** The endpoints seen, by {@link Endpoint.id} (grows while reading). */
  readonly endpointList: Endpoint[] = [];
  /** Files read so far, by the index records keep. */
  readonly files: string[] = [];
  private lastFile = "";
  private lastFileId = -1;
  private readonly context: TrackerContext;
  private readonly lateness: number;
  private readonly addressIds = new Map<number, number>();
  /** The fields of the current record. */
  private readonly fields = new ScannedRecord();
  /** The format of the previous record and its scan plan. */
  private planFor: FieldIndex | undefined;
  private plan: Uint8Array = new Uint8Array(0);
  /** `interfaceId` as bytes. */
  private readonly wantIface: Uint8Array | undefined;
  recordsRead = 0;
  /** Records read in a format without pkt-srcaddr / pkt-dstaddr. */
  formatsWithoutPkt = 0;
  /** Unix seconds of the first record read: times inside the reader are relative to it. */
  base: number | undefined;
  private newest = Number.NEGATIVE_INFINITY;
  /** Every record starting before this has been taken into its flow (an epoch boundary). */
  private takenBefore = Number.NEGATIVE_INFINITY;
  /** Endpoint ranks (see {@link TrackerContext.rank}), by id. */
  private readonly ranks: number[] = [];
  /** The interface of the previous record (a copy of its bytes) and its tracker. */
  private lastIface: Uint8Array = new Uint8Array(0);
  private lastTracker: InterfaceTracker | undefined;
  /** The previous gateway-side address and its id. */
  private lastAddress = -1;
  private lastAddressId = 0;

  /** @param sinkFor makes each interface's connection sink */
  constructor(
    private readonly options: AwsFlowLogOptions,
    private readonly sinkFor: SinkFactory,
  ) {
    this.wantIface =
      options.interfaceId === undefined ? undefined : Buffer.from(options.interfaceId, "latin1");
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

  /** Index of `file` in {@link AwsRecordReader.files}. */
  private fileId(file: string): number {
    if (file !== this.lastFile) {
      this.lastFile = file;
      this.lastFileId = this.files.indexOf(file);
      if (this.lastFileId < 0) this.lastFileId = this.files.push(file) - 1;
    }
    return this.lastFileId;
  }

  private tracker(bytes: Uint8Array, from: number, to: number, file: string, line: number): InterfaceTracker {
    if (this.lastTracker !== undefined && bytesEqual(bytes, from, to, this.lastIface)) {
      return this.lastTracker;
    }
    const iface = Buffer.from(bytes.subarray(from, to)).toString("latin1");
    let t = this.trackers.get(iface);
    if (t === undefined) {
      t = new InterfaceTracker(this.context, (gatewayIps) => this.sinkFor(this, gatewayIps));
      t.firstFile = file;
      t.firstLine = line;
      this.trackers.set(iface, t);
    }
    this.lastIface = bytes.slice(from, to);
    this.lastTracker = t;
    return t;
  }

  /**
   * The endpoint of (address, port, protocol), added when new. The address comes as a signed 32-bit integer (`ip | 0`): a public address above 2^31 passed as a
   * plain number would be boxed on every call.
   */
  private endpoint(ip32: number, port: number, tcp: boolean): Endpoint {
    const lo = port * 2 + (tcp ? 1 : 0);
    const id = this.endpoints.get(ip32, lo);
    if (id >= 0) return this.endpointList[id];
    const e: Endpoint = {
      id: this.endpointList.length,
      address: ipText(ip32 >>> 0),
      port,
      protocol: tcp ? "tcp" : "udp",
    };
    this.endpoints.set(ip32, lo, e.id);
    this.endpointList.push(e);
    this.ranks.push((ip32 >>> 0) * 131_072 + lo);
    return e;
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

  /** Reads one record, the line `bytes[from, to)` in the format `ix`. */
  record(bytes: Uint8Array, from: number, to: number, ix: FieldIndex, file: string, lineNo: number): void {
    this.recordsRead++;
    if (ix !== this.planFor) {
      this.plan = scanPlan(ix);
      this.planFor = ix;
    }
    const r = this.fields;
    if (ix.pktSrcaddr < 0 || ix.pktDstaddr < 0) this.formatsWithoutPkt++;
    if (!scanRecord(bytes, from, to, this.plan, r)) {
      this.skips.add(`wrong number of fields (expected ${ix.count})`, file, lineNo);
      return;
    }
    if (ix.logStatus >= 0) {
      const s = r.statusFrom;
      if (r.statusTo - s !== 2 || bytes[s] !== 79 || bytes[s + 1] !== 75) {
        const status = Buffer.from(bytes.subarray(s, r.statusTo)).toString("latin1");
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
    if (ix.version >= 0 && r.version > NEWEST_KNOWN_VERSION) {
      this.skips.add(
        `record version ${r.version} (newer than version ${NEWEST_KNOWN_VERSION}, the newest known)`,
        file,
        lineNo,
      );
      return;
    }
    if (ix.action >= 0 && (r.actionTo === r.actionFrom || bytes[r.actionFrom] !== 65) /* A(CCEPT) */) {
      this.skips.add("REJECT record (refused traffic holds no gateway port)", file, lineNo);
      return;
    }
    const proto = r.protocol;
    if (proto !== 6 && proto !== 17) {
      this.skips.add(
        Number.isNaN(proto) ? "no protocol" : `protocol ${proto} (not TCP or UDP)`,
        file,
        lineNo,
      );
      return;
    }
    const src = r.src;
    const dst = r.dst;
    if (src === -2 || dst === -2) {
      this.skips.add("IPv6 address (NAT gateways translate IPv4)", file, lineNo);
      return;
    }
    let start = r.start;
    let end = r.end;
    const sport = r.sport;
    const dport = r.dport;
    if (src < 0 || dst < 0 || Number.isNaN(start + end + sport + dport)) {
      this.skips.add("missing or malformed address, port or time", file, lineNo);
      return;
    }
    // Times relative to the first record read stay small integers (cheap map keys and counters).
    // A multiple of the settling period, so that epochs and settling fall on the same seconds
    // whichever record comes first.
    if (this.base === undefined) this.base = start - (start % SETTLE_SECONDS);
    start -= this.base;
    end -= this.base;
    if (end < start) {
      this.skips.add("end before start", file, lineNo);
      return;
    }
    if (end < this.newest - this.lateness) {
      this.skips.add(
        `record later than the lateness allowed (its end ${this.lateness} s or more before the newest read; --max-lateness-seconds raises it)`,
        file,
        lineNo,
      );
      return;
    }
    if (start < this.takenBefore) {
      this.skips.add(
        `record reaching back before connections already rebuilt (a window longer than ${RECORD_SPAN_SECONDS} s, the longest aggregation interval)`,
        file,
        lineNo,
      );
      return;
    }
    let t: InterfaceTracker;
    if (ix.interfaceId >= 0) {
      const want = this.wantIface;
      if (want !== undefined && !bytesEqual(bytes, r.ifaceFrom, r.ifaceTo, want)) {
        this.skips.add(`another interface than ${this.options.interfaceId}`, file, lineNo);
        return;
      }
      t = this.tracker(bytes, r.ifaceFrom, r.ifaceTo, file, lineNo);
    } else t = this.tracker(NO_INTERFACE, 0, 1, file, lineNo);
    this.route(t, r, ix, bytes, file, lineNo);
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

  /**
   * Routes a checked record to its flow: gateway→destination and its reply (keyed by the
   * translated address, pkt-srcaddr / pkt-dstaddr when logged), client→gateway and gateway→client.
   */
  private route(
    t: InterfaceTracker,
    r: ScannedRecord,
    ix: FieldIndex,
    bytes: Uint8Array,
    file: string,
    lineNo: number,
  ): void {
    const { src, dst, sport, dport } = r;
    const start = r.start - (this.base ?? 0);
    const end = r.end - (this.base ?? 0);
    const tcp = r.protocol === 6;
    const raw = ix.tcpFlags >= 0 && tcp ? r.flags : -1;
    const flags = Number.isNaN(raw) ? -1 : raw;
    const size = ix.bytes >= 0 ? r.bytes : Number.NaN;
    const fileId = this.fileId(file);
    // i(ngress) or e(gress); 0 when not logged (an empty field reads as the space after it, never i or e)
    const dir = ix.flowDirection >= 0 && r.dirTo > r.dirFrom ? bytes[r.dirFrom] : 0;
    const pktSrc = ix.pktSrcaddr >= 0 ? r.pktSrc : -1;
    const pktDst = ix.pktDstaddr >= 0 ? r.pktDst : -1;
    const srcPrivate = isPrivateNumber(src);
    const dstPrivate = isPrivateNumber(dst);
    if (srcPrivate && !dstPrivate && dir !== 105) {
      // Gateway → destination: pkt-srcaddr is the private address it was translated from.
      if (isUnroutableIpv4Number(dst)) {
        this.skips.add(UNROUTABLE_DESTINATION, file, lineNo);
        return;
      }
      if ((pktSrc >= 0 && !isPrivateNumber(pktSrc)) || (pktDst >= 0 && pktDst !== dst)) {
        this.skips.add(CONTRADICTING_PKT, file, lineNo);
        return;
      }
      const nat = pktSrc >= 0 ? pktSrc : src;
      const endpoint = this.endpoint(dst | 0, dport, tcp);
      const gateway = pktSrc >= 0 ? t.gatewayOf(pktSrc) : -1;
      t.gatewayRecord(
        endpoint.id,
        flowLow(sport, this.addressId(nat)),
        FORWARD,
        start,
        end,
        flags,
        size,
        gateway,
        fileId,
        lineNo,
      );
    } else if (!srcPrivate && dstPrivate && dir !== 101) {
      // Destination → gateway: pkt-dstaddr is the private address the reply is for.
      if ((pktDst >= 0 && !isPrivateNumber(pktDst)) || (pktSrc >= 0 && pktSrc !== src)) {
        this.skips.add(CONTRADICTING_PKT, file, lineNo);
        return;
      }
      const nat = pktDst >= 0 ? pktDst : dst;
      const endpoint = this.endpoint(src | 0, sport, tcp);
      const gateway = pktDst >= 0 ? t.gatewayOf(pktDst) : -1;
      t.gatewayRecord(
        endpoint.id,
        flowLow(dport, this.addressId(nat)),
        BACKWARD,
        start,
        end,
        flags,
        size,
        gateway,
        fileId,
        lineNo,
      );
    } else if (
      srcPrivate &&
      dstPrivate &&
      dir !== 101 &&
      pktDst >= 0 &&
      pktDst !== dst &&
      !isPrivateNumber(pktDst)
    ) {
      // Client → gateway, bound for pkt-dstaddr.
      if (isUnroutableIpv4Number(pktDst)) {
        this.skips.add(UNROUTABLE_DESTINATION, file, lineNo);
        return;
      }
      const endpoint = this.endpoint(pktDst | 0, dport, tcp);
      t.clientRecord(
        src,
        clientLow(sport, endpoint.id),
        endpoint.id,
        FORWARD,
        start,
        end,
        flags,
        size,
        fileId,
        lineNo,
      );
    } else if (
      srcPrivate &&
      dstPrivate &&
      dir !== 105 &&
      pktSrc >= 0 &&
      pktSrc !== src &&
      !isPrivateNumber(pktSrc)
    ) {
      // Gateway → client, coming from pkt-srcaddr: the attempt was carried.
      if (isUnroutableIpv4Number(pktSrc)) {
        this.skips.add(UNROUTABLE_DESTINATION, file, lineNo);
        return;
      }
      const endpoint = this.endpoint(pktSrc | 0, sport, tcp);
      t.clientRecord(
        dst,
        clientLow(dport, endpoint.id),
        endpoint.id,
        BACKWARD,
        start,
        end,
        flags,
        size,
        fileId,
        lineNo,
      );
    } else
      this.skips.add(
        srcPrivate ? "traffic inside the network" : "traffic between public addresses",
        file,
        lineNo,
      );
  }
}
