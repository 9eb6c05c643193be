/**
 * The VPC Flow Logs record reader: one text record at a time, split in place with `indexOf` into
 * column offsets (no string per line or field), checked (log status, version, action, protocol,
 * addresses, times) and routed to the tracker of its interface as a gateway→destination,
 * destination→gateway or client→gateway record. Skipped records are counted by reason.
 *
 * @module
 */
import { AWS } from "../core/limits";
import { type FieldIndex, NEWEST_KNOWN_VERSION } from "./aws-format";
import { type Endpoint, flowLow, InterfaceTracker } from "./aws-tracker";
import { SkipCounter } from "./skips";

/** Options of the AWS reader (`readAwsFlowLogs`). */
export interface AwsFlowLogOptions {
  /** The NAT gateway's network interface (`eni-…`). @default the interface that forwards clients' traffic */
  interfaceId?: string;
  /** Field names of header-less files (CloudWatch Logs exports), space separated. @default the version 2 default format */
  fields?: string;
}

/** Seconds behind the newest record after which live state is final: idle timeout + a 600 s window + delivery skew. */
const SWEEP_LAG_SECONDS = AWS.idleTimeoutSeconds.value + 600 + 300;

/** Parses the decimal digits of `text[from, to)`; NaN when empty or not all digits (e.g. `-`). */
function intAt(text: string, from: number, to: number): number {
  if (to <= from) return Number.NaN;
  let v = 0;
  for (let p = from; p < to; p++) {
    const c = text.charCodeAt(p) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    v = v * 10 + c;
  }
  return v;
}

/** IPv4 `text[from, to)` as an unsigned 32-bit number; -1 when not dotted-quad IPv4, -2 for IPv6. */
function ipv4At(text: string, from: number, to: number): number {
  let v = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let p = from; p < to; p++) {
    const c = text.charCodeAt(p);
    if (c === 46) {
      if (digits === 0 || octet > 255) return -1;
      v = v * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      octet = octet * 10 + c - 48;
      digits++;
    } else return c === 58 ? -2 : -1;
  }
  if (dots !== 3 || digits === 0 || octet > 255) return -1;
  return v * 256 + octet;
}

/** True for an address inside the private and shared ranges (as `isPrivateIpv4` in skips.ts), from its number. */
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

function ipText(ip: number): string {
  return `${Math.floor(ip / 16_777_216)}.${Math.floor(ip / 65_536) & 255}.${Math.floor(ip / 256) & 255}.${ip & 255}`;
}

/** Streams records into per-interface trackers. */
export class AwsRecordReader {
  readonly skips = new SkipCounter();
  readonly trackers = new Map<string, InterfaceTracker>();
  private readonly endpoints = new Map<number, Endpoint>();
  private readonly addressIds = new Map<number, number>();
  private readonly gatewayNames = new Map<number, string>();
  /** Start offset of each column of the current line, then the line's end + 1. */
  private readonly cols = new Int32Array(256);
  recordsRead = 0;
  /** Unix seconds of the first record read: times inside the reader are relative to it. */
  base: number | undefined;
  private sinceSweep = 0;
  private newest = Number.NEGATIVE_INFINITY;
  private swept = Number.NEGATIVE_INFINITY;
  private lastIface = "";
  private lastTracker: InterfaceTracker | undefined;

  constructor(private readonly options: AwsFlowLogOptions) {}

  private tracker(text: string, from: number, to: number, file: string, line: number): InterfaceTracker {
    const last = this.lastIface;
    if (this.lastTracker !== undefined && last.length === to - from && text.startsWith(last, from)) {
      return this.lastTracker;
    }
    const iface = text.slice(from, to);
    let t = this.trackers.get(iface);
    if (t === undefined) {
      t = new InterfaceTracker(AWS.idleTimeoutSeconds.value);
      t.firstFile = file;
      t.firstLine = line;
      // A copy, so that the map key does not keep the text chunk alive.
      this.trackers.set(Buffer.from(iface, "latin1").toString("latin1"), t);
    }
    this.lastIface = iface;
    this.lastTracker = t;
    return t;
  }

  /** The endpoint of (address, port, protocol); undefined when absent and `create` is false. */
  private endpoint(ip: number, port: number, tcp: boolean, create: boolean): Endpoint | undefined {
    const key = ip * 131_072 + port * 2 + (tcp ? 1 : 0);
    let e = this.endpoints.get(key);
    if (e === undefined && create) {
      e = {
        id: this.endpoints.size,
        address: ipText(ip),
        port,
        protocol: tcp ? "tcp" : "udp",
      };
      this.endpoints.set(key, e);
    }
    return e;
  }

  /** The endpoints seen, by {@link Endpoint.id}. */
  endpointList(): Endpoint[] {
    const list: Endpoint[] = [];
    for (const e of this.endpoints.values()) list[e.id] = e;
    return list;
  }

  /** A small id per gateway-side address (part of the flow key). */
  private addressId(ip: number): number {
    let id = this.addressIds.get(ip);
    if (id === undefined) {
      id = this.addressIds.size & 65_535;
      this.addressIds.set(ip, id);
    }
    return id;
  }

  private gatewayName(ip: number): string {
    let name = this.gatewayNames.get(ip);
    if (name === undefined) {
      name = ipText(ip);
      this.gatewayNames.set(ip, name);
    }
    return name;
  }

  /** Reads one record, the line `text[from, to)` in the format `ix`. */
  record(text: string, from: number, to: number, ix: FieldIndex, file: string, lineNo: number): void {
    this.recordsRead++;
    const c = this.cols;
    const last = ix.count - 1;
    let n = 0;
    c[0] = from;
    let pos = from;
    while (n < last) {
      const sp = text.indexOf(" ", pos);
      if (sp < 0 || sp >= to) break;
      pos = sp + 1;
      c[++n] = pos;
    }
    const extra = text.indexOf(" ", pos);
    if (n !== last || (extra >= 0 && extra < to)) {
      this.skips.add(`wrong number of fields (expected ${ix.count})`, file, lineNo);
      return;
    }
    c[n + 1] = to + 1;
    // Column i spans [c[i], c[i + 1] - 1).
    if (ix.logStatus >= 0) {
      const s = c[ix.logStatus];
      if (c[ix.logStatus + 1] - 1 - s !== 2 || text.charCodeAt(s) !== 79 || text.charCodeAt(s + 1) !== 75) {
        const status = text.slice(s, c[ix.logStatus + 1] - 1);
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
      const v = intAt(text, c[ix.version], c[ix.version + 1] - 1);
      if (v > NEWEST_KNOWN_VERSION) {
        this.skips.add(
          `record version ${v} (newer than version ${NEWEST_KNOWN_VERSION}, the newest known)`,
          file,
          lineNo,
        );
        return;
      }
    }
    if (ix.action >= 0 && text.charCodeAt(c[ix.action]) !== 65 /* A(CCEPT) */) {
      this.skips.add("REJECT record (refused traffic holds no gateway port)", file, lineNo);
      return;
    }
    const proto = intAt(text, c[ix.protocol], c[ix.protocol + 1] - 1);
    if (proto !== 6 && proto !== 17) {
      this.skips.add(
        Number.isNaN(proto) ? "no protocol" : `protocol ${proto} (not TCP or UDP)`,
        file,
        lineNo,
      );
      return;
    }
    const src = ipv4At(text, c[ix.srcaddr], c[ix.srcaddr + 1] - 1);
    const dst = ipv4At(text, c[ix.dstaddr], c[ix.dstaddr + 1] - 1);
    if (src === -2 || dst === -2) {
      this.skips.add("IPv6 address (NAT gateways translate IPv4)", file, lineNo);
      return;
    }
    let start = intAt(text, c[ix.start], c[ix.start + 1] - 1);
    let end = intAt(text, c[ix.end], c[ix.end + 1] - 1);
    const sport = intAt(text, c[ix.srcport], c[ix.srcport + 1] - 1);
    const dport = intAt(text, c[ix.dstport], c[ix.dstport + 1] - 1);
    if (src < 0 || dst < 0 || Number.isNaN(start + end + sport + dport)) {
      this.skips.add("missing or malformed address, port or time", file, lineNo);
      return;
    }
    // Times relative to the first record read stay small integers (cheap map keys and counters).
    if (this.base === undefined) this.base = start;
    start -= this.base;
    end -= this.base;
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
    let t: InterfaceTracker;
    if (ix.interfaceId >= 0) {
      const f = c[ix.interfaceId];
      const e = c[ix.interfaceId + 1] - 1;
      const want = this.options.interfaceId;
      if (want !== undefined && (want.length !== e - f || !text.startsWith(want, f))) {
        this.skips.add(`another interface than ${want}`, file, lineNo);
        return;
      }
      t = this.tracker(text, f, e, file, lineNo);
    } else t = this.tracker("-", 0, 1, file, lineNo);
    const tcp = proto === 6;
    const flags = ix.tcpFlags >= 0 && tcp ? intAt(text, c[ix.tcpFlags], c[ix.tcpFlags + 1] - 1) : -1;
    const dir = ix.flowDirection >= 0 ? text.charCodeAt(c[ix.flowDirection]) : 0; // i(ngress) or e(gress)
    const srcPrivate = isPrivateNumber(src);
    const dstPrivate = isPrivateNumber(dst);
    if (srcPrivate && !dstPrivate && dir !== 105) {
      let gatewayIp: string | undefined;
      if (ix.pktSrcaddr >= 0) {
        const p = ipv4At(text, c[ix.pktSrcaddr], c[ix.pktSrcaddr + 1] - 1);
        if (p >= 0) gatewayIp = this.gatewayName(p);
      }
      const endpoint = this.endpoint(dst, dport, tcp, true)!;

      t.egressRecord(
        flowLow(sport, this.addressId(src)),
        endpoint,
        start,
        end,
        Number.isNaN(flags) ? -1 : flags,
        gatewayIp,
      );
    } else if (!srcPrivate && dstPrivate) {
      const endpoint = this.endpoint(src, sport, tcp, false);
      const id = this.addressIds.get(dst);
      if (
        endpoint === undefined ||
        id === undefined ||
        !t.responseRecord(endpoint.id, flowLow(dport, id), start, end, flags)
      ) {
        this.skips.add("inbound record of no outbound connection", file, lineNo);
      }
    } else if (srcPrivate && dstPrivate && ix.pktDstaddr >= 0 && dir !== 101) {
      const target = ipv4At(text, c[ix.pktDstaddr], c[ix.pktDstaddr + 1] - 1);
      if (target >= 0 && target !== dst && !isPrivateNumber(target)) {
        const endpoint = this.endpoint(target, dport, tcp, true)!;
        t.clientRecord(src, sport, endpoint, start, end, Number.isNaN(flags) ? -1 : flags);
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
