/**
 * The checks of one VPC Flow Logs text record that need nothing but the record: parsed in place
 * (scan.ts), its status, version, action, protocol, addresses and times checked, and its leg told
 * from its addresses (gateway→destination, the reply, client→gateway, gateway→client). A record
 * that passes becomes a row of numbers in a {@link RecordBatch}; one that does not is counted by
 * reason. It needs no state beyond the record, so it runs before the reader's reorder buffer
 * (records.ts), which holds what depends on other records (lateness, keys, flows).
 *
 * @module
 */
import { isUnroutableIpv4Number } from "../../../sim/workload/address";
import { UNROUTABLE_DESTINATION } from "../skips";
import { type FieldIndex, NEWEST_KNOWN_VERSION } from "./format";
import { bytesEqual, ScannedRecord, scanPlan, scanRecord } from "./scan";

/** Numbers per row of a {@link RecordBatch}, at these offsets. */
export const ROW = 12;
/** The record's leg: {@link LEG_GATEWAY_OUT} … {@link LEG_CLIENT_BACK}. */
export const ROW_LEG = 0;
/** Its line in the file. */
export const ROW_LINE = 1;
/** Unix seconds of its first and last packet. */
export const ROW_START = 2;
export const ROW_END = 3;
/** tcp-flags, -1 when not logged (or UDP). */
export const ROW_FLAGS = 4;
/** Bytes, NaN when not logged. */
export const ROW_BYTES = 5;
/** The destination: address (unsigned 32-bit), and port × 2 + 1 for TCP. */
export const ROW_REMOTE = 6;
export const ROW_REMOTE_PORT = 7;
/** Gateway legs: the translated private address and the SNAT port; client legs: the client's address and port. */
export const ROW_LOCAL = 8;
export const ROW_LOCAL_PORT = 9;
/** Gateway legs: pkt-srcaddr / pkt-dstaddr (the gateway IP), -1 when not logged. */
export const ROW_GATEWAY = 10;
/** Index of the interface in {@link RecordBatch.interfaces}, -1 when the format has none. */
export const ROW_INTERFACE = 11;

/** Legs: gateway→destination, destination→gateway, client→gateway, gateway→client. */
export const LEG_GATEWAY_OUT = 0;
export const LEG_GATEWAY_BACK = 1;
export const LEG_CLIENT_OUT = 2;
export const LEG_CLIENT_BACK = 3;

/** Rows per batch. */
export const BATCH_ROWS = 4096;

/**
 * Row arrays given back and kept for the next batches: more than a scanning thread may have out
 * at once (`BATCHES_OUT`, text-scan-thread.ts), so none of them is made afresh.
 */
export const SPARE_BATCHES = 64;

/** Why a record whose pkt-srcaddr / pkt-dstaddr cannot be what its direction says is skipped. */
export const CONTRADICTING_PKT =
  "pkt-srcaddr or pkt-dstaddr contradicts the record (outbound: pkt-srcaddr a private address, pkt-dstaddr = dstaddr; reply: pkt-srcaddr = srcaddr, pkt-dstaddr a private address)";

/** Records of one stretch of a file: the rows of those that passed, and the others by reason. */
export interface RecordBatch {
  /** {@link ROW} numbers per row. */
  rows: Float64Array;
  count: number;
  /** Records read (rows and skipped). */
  read: number;
  /** Records read in a format without pkt-srcaddr / pkt-dstaddr. */
  withoutPkt: number;
  /** Skipped records: reason → [count, first line]. */
  skipped: Map<string, [number, number]>;
  /** Every interface named so far, by index (rows refer to them). */
  interfaces: string[];
}

/** True for an address inside the private and shared ranges (as `isPrivateIpv4` in telemetry/sources/skips.ts), from its number. */
export function isPrivateNumber(ip: number): boolean {
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

/** Checks records and fills batches with their rows. */
export class RecordClassifier {
  private batch: RecordBatch;
  private readonly fields = new ScannedRecord();
  private planFor: FieldIndex | undefined;
  private plan: Uint8Array = new Uint8Array(0);
  private readonly interfaces: string[] = [];
  private readonly interfaceIds = new Map<string, number>();
  private lastIface: Uint8Array = new Uint8Array(0);
  private lastIfaceId = -1;
  /** `interfaceId` as bytes. */
  private readonly wantIface: Uint8Array | undefined;

  /** @param interfaceId the only interface whose records are kept @default every interface */
  constructor(private readonly interfaceId?: string) {
    this.wantIface = interfaceId === undefined ? undefined : Buffer.from(interfaceId, "latin1");
    this.batch = this.fresh();
  }

  /** Row arrays given back, for the next batches. */
  private readonly spare: Float64Array[] = [];

  private fresh(): RecordBatch {
    return {
      rows: this.spare.pop() ?? new Float64Array(BATCH_ROWS * ROW),
      count: 0,
      read: 0,
      withoutPkt: 0,
      skipped: new Map(),
      interfaces: this.interfaces,
    };
  }

  /** True when the batch is full (take it before adding more). */
  get full(): boolean {
    return this.batch.count === BATCH_ROWS;
  }

  /** The records so far, and a fresh batch for the next ones. */
  take(): RecordBatch {
    const b = this.batch;
    b.interfaces = [...this.interfaces];
    this.batch = this.fresh();
    return b;
  }

  /** Gives back the rows of a batch taken and used, for the next batches. */
  recycle(rows: Float64Array): void {
    if (rows.length === BATCH_ROWS * ROW && this.spare.length < SPARE_BATCHES) this.spare.push(rows);
  }

  /** Counts a record skipped for `reason` at `line`. */
  skip(reason: string, line: number): void {
    const s = this.batch.skipped.get(reason);
    if (s) s[0]++;
    else this.batch.skipped.set(reason, [1, line]);
  }

  /** Counts a record read and not looked at (e.g. its file's format is unusable). */
  skipUnread(reason: string, line: number): void {
    this.batch.read++;
    this.skip(reason, line);
  }

  /** Reads the record `bytes[from, to)` in the format `ix`, at line `lineNo`. */
  record(bytes: Uint8Array, from: number, to: number, ix: FieldIndex, lineNo: number): void {
    this.batch.read++;
    if (ix !== this.planFor) {
      this.plan = scanPlan(ix);
      this.planFor = ix;
    }
    const r = this.fields;
    if (ix.pktSrcaddr < 0 || ix.pktDstaddr < 0) this.batch.withoutPkt++;
    if (!scanRecord(bytes, from, to, this.plan, r)) {
      this.skip(`wrong number of fields (expected ${ix.count})`, lineNo);
      return;
    }
    const why = checked(r, ix, bytes);
    if (why !== undefined) {
      this.skip(why, lineNo);
      return;
    }
    let iface = -1;
    if (ix.interfaceId >= 0) {
      const want = this.wantIface;
      if (want !== undefined && !bytesEqual(bytes, r.ifaceFrom, r.ifaceTo, want)) {
        this.skip(`another interface than ${this.interfaceId}`, lineNo);
        return;
      }
      iface = this.interfaceOf(bytes, r.ifaceFrom, r.ifaceTo);
    }
    const b = this.batch;
    const o = b.count * ROW;
    const leg = route(r, ix, bytes, b.rows, o);
    if (typeof leg === "string") {
      this.skip(leg, lineNo);
      return;
    }
    b.rows[o + ROW_LEG] = leg;
    b.rows[o + ROW_LINE] = lineNo;
    b.rows[o + ROW_INTERFACE] = iface;
    b.count++;
  }

  /** Index of the interface `bytes[from, to)`, added when new. */
  private interfaceOf(bytes: Uint8Array, from: number, to: number): number {
    if (this.lastIfaceId >= 0 && bytesEqual(bytes, from, to, this.lastIface)) return this.lastIfaceId;
    const name = Buffer.from(bytes.subarray(from, to)).toString("latin1");
    let id = this.interfaceIds.get(name);
    if (id === undefined) {
      id = this.interfaces.push(name) - 1;
      this.interfaceIds.set(name, id);
    }
    this.lastIface = bytes.slice(from, to);
    this.lastIfaceId = id;
    return id;
  }
}

/** Why a scanned record cannot be used (log status, version, action, protocol, addresses, times), or undefined. */
function checked(r: ScannedRecord, ix: FieldIndex, bytes: Uint8Array): string | undefined {
  if (ix.logStatus >= 0) {
    const s = r.statusFrom;
    if (r.statusTo - s !== 2 || bytes[s] !== 79 || bytes[s + 1] !== 75) {
      const status = Buffer.from(bytes.subarray(s, r.statusTo)).toString("latin1");
      return status === "SKIPDATA"
        ? "SKIPDATA record (the flow-log service dropped records in this window)"
        : `${status} record`;
    }
  }
  if (ix.version >= 0 && r.version > NEWEST_KNOWN_VERSION)
    return `record version ${r.version} (newer than version ${NEWEST_KNOWN_VERSION}, the newest known)`;
  if (ix.action >= 0 && (r.actionTo === r.actionFrom || bytes[r.actionFrom] !== 65) /* A(CCEPT) */)
    return "REJECT record (refused traffic holds no gateway port)";
  const proto = r.protocol;
  if (proto !== 6 && proto !== 17)
    return Number.isNaN(proto) ? "no protocol" : `protocol ${proto} (not TCP or UDP)`;
  if (r.src === -2 || r.dst === -2) return "IPv6 address (NAT gateways translate IPv4)";
  if (r.src < 0 || r.dst < 0 || Number.isNaN(r.start + r.end + r.sport + r.dport))
    return "missing or malformed address, port or time";
  if (r.end < r.start) return "end before start";
  return undefined;
}

/**
 * Tells the leg of a checked record from its addresses and fills its row at `o` (all but the leg,
 * line and interface): gateway→destination and its reply keyed by the translated address
 * (pkt-srcaddr / pkt-dstaddr when logged), client→gateway and gateway→client by the client's.
 * Returns the leg, or why the record is skipped.
 */
function route(
  r: ScannedRecord,
  ix: FieldIndex,
  bytes: Uint8Array,
  rows: Float64Array,
  o: number,
): number | string {
  const { src, dst, sport, dport } = r;
  const tcp = r.protocol === 6 ? 1 : 0;
  const raw = ix.tcpFlags >= 0 && tcp ? r.flags : -1;
  rows[o + ROW_START] = r.start;
  rows[o + ROW_END] = r.end;
  rows[o + ROW_FLAGS] = Number.isNaN(raw) ? -1 : raw;
  rows[o + ROW_BYTES] = ix.bytes >= 0 ? r.bytes : Number.NaN;
  rows[o + ROW_GATEWAY] = -1;
  // i(ngress) or e(gress); 0 when not logged (an empty field reads as the space after it, never i or e)
  const dir = ix.flowDirection >= 0 && r.dirTo > r.dirFrom ? bytes[r.dirFrom] : 0;
  const pktSrc = ix.pktSrcaddr >= 0 ? r.pktSrc : -1;
  const pktDst = ix.pktDstaddr >= 0 ? r.pktDst : -1;
  const srcPrivate = isPrivateNumber(src);
  const dstPrivate = isPrivateNumber(dst);
  if (srcPrivate && !dstPrivate && dir !== 105) {
    // Gateway → destination: pkt-srcaddr is the private address it was translated from.
    if (isUnroutableIpv4Number(dst)) return UNROUTABLE_DESTINATION;
    if ((pktSrc >= 0 && !isPrivateNumber(pktSrc)) || (pktDst >= 0 && pktDst !== dst))
      return CONTRADICTING_PKT;
    put(rows, o, dst, dport * 2 + tcp, pktSrc >= 0 ? pktSrc : src, sport);
    rows[o + ROW_GATEWAY] = pktSrc;
    return LEG_GATEWAY_OUT;
  }
  if (!srcPrivate && dstPrivate && dir !== 101) {
    // Destination → gateway: pkt-dstaddr is the private address the reply is for.
    if ((pktDst >= 0 && !isPrivateNumber(pktDst)) || (pktSrc >= 0 && pktSrc !== src))
      return CONTRADICTING_PKT;
    put(rows, o, src, sport * 2 + tcp, pktDst >= 0 ? pktDst : dst, dport);
    rows[o + ROW_GATEWAY] = pktDst;
    return LEG_GATEWAY_BACK;
  }
  if (srcPrivate && dstPrivate && dir !== 101 && pktDst >= 0 && pktDst !== dst && !isPrivateNumber(pktDst)) {
    // Client → gateway, bound for pkt-dstaddr.
    if (isUnroutableIpv4Number(pktDst)) return UNROUTABLE_DESTINATION;
    put(rows, o, pktDst, dport * 2 + tcp, src, sport);
    return LEG_CLIENT_OUT;
  }
  if (srcPrivate && dstPrivate && dir !== 105 && pktSrc >= 0 && pktSrc !== src && !isPrivateNumber(pktSrc)) {
    // Gateway → client, coming from pkt-srcaddr: the attempt was carried.
    if (isUnroutableIpv4Number(pktSrc)) return UNROUTABLE_DESTINATION;
    put(rows, o, pktSrc, sport * 2 + tcp, dst, dport);
    return LEG_CLIENT_BACK;
  }
  return srcPrivate ? "traffic inside the network" : "traffic between public addresses";
}

/** Writes a row's destination and local side. */
function put(
  rows: Float64Array,
  o: number,
  remote: number,
  remotePort: number,
  local: number,
  localPort: number,
): void {
  rows[o + ROW_REMOTE] = remote;
  rows[o + ROW_REMOTE_PORT] = remotePort;
  rows[o + ROW_LOCAL] = local;
  rows[o + ROW_LOCAL_PORT] = localPort;
}
