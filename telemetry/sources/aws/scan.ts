/**
 * Byte-level parsing of one VPC Flow Logs text record: a single pass over the line's bytes splits
 * it at spaces and parses the fields the reader uses straight into numbers (IPv4 addresses as
 * unsigned 32-bit numbers, ports, times, flags), so no string or object is made per record. Text
 * fields (interface, action, log status, direction) are kept as byte ranges of the line.
 *
 * @module
 */
import type { FieldIndex } from "./format";

/** What the scanner does with a column (0: skip it): parse an integer, parse an IPv4 address, or keep its range. */
const INT = 1;
const IP = 2;
const RANGE = 3;

/** Slots of {@link ScannedRecord}, by field (the plan stores slot × 4 + kind). */
const S_VERSION = 1;
const S_IFACE = 2;
const S_SRC = 3;
const S_DST = 4;
const S_SPORT = 5;
const S_DPORT = 6;
const S_PROTO = 7;
const S_START = 8;
const S_END = 9;
const S_ACTION = 10;
const S_STATUS = 11;
const S_FLAGS = 12;
const S_PKTSRC = 13;
const S_PKTDST = 14;
const S_DIR = 15;
const S_BYTES = 0;

/**
 * The fields of one record as the scanner leaves them. Integers are NaN when the field is empty or
 * not all digits (e.g. `-`); addresses follow {@link ipv4Bytes}. Fields the format lacks keep
 * whatever an earlier record left: read only those the {@link FieldIndex} has.
 */
export class ScannedRecord {
  /** Parsed values by slot. */
  readonly values = new Float64Array(16);
  /** Byte range `[from, to)` of each field, by slot. */
  readonly from = new Int32Array(16);
  readonly to = new Int32Array(16);
  get version(): number {
    return this.values[S_VERSION];
  }
  get src(): number {
    return this.values[S_SRC];
  }
  get dst(): number {
    return this.values[S_DST];
  }
  get sport(): number {
    return this.values[S_SPORT];
  }
  get dport(): number {
    return this.values[S_DPORT];
  }
  get protocol(): number {
    return this.values[S_PROTO];
  }
  get start(): number {
    return this.values[S_START];
  }
  get end(): number {
    return this.values[S_END];
  }
  get bytes(): number {
    return this.values[S_BYTES];
  }
  get flags(): number {
    return this.values[S_FLAGS];
  }
  get pktSrc(): number {
    return this.values[S_PKTSRC];
  }
  get pktDst(): number {
    return this.values[S_PKTDST];
  }
  get ifaceFrom(): number {
    return this.from[S_IFACE];
  }
  get ifaceTo(): number {
    return this.to[S_IFACE];
  }
  get actionFrom(): number {
    return this.from[S_ACTION];
  }
  get actionTo(): number {
    return this.to[S_ACTION];
  }
  get statusFrom(): number {
    return this.from[S_STATUS];
  }
  get statusTo(): number {
    return this.to[S_STATUS];
  }
  get dirFrom(): number {
    return this.from[S_DIR];
  }
  get dirTo(): number {
    return this.to[S_DIR];
  }
}

/** What the scanner does with each column of a format: one byte per column. */
export function scanPlan(ix: FieldIndex): Uint8Array {
  const plan = new Uint8Array(ix.count);
  const put = (column: number, slot: number, kind: number) => {
    if (column >= 0) plan[column] = slot * 4 + kind;
  };
  put(ix.version, S_VERSION, INT);
  put(ix.interfaceId, S_IFACE, RANGE);
  put(ix.srcaddr, S_SRC, IP);
  put(ix.dstaddr, S_DST, IP);
  put(ix.srcport, S_SPORT, INT);
  put(ix.dstport, S_DPORT, INT);
  put(ix.protocol, S_PROTO, INT);
  put(ix.start, S_START, INT);
  put(ix.end, S_END, INT);
  put(ix.action, S_ACTION, RANGE);
  put(ix.logStatus, S_STATUS, RANGE);
  put(ix.tcpFlags, S_FLAGS, INT);
  put(ix.pktSrcaddr, S_PKTSRC, IP);
  put(ix.pktDstaddr, S_PKTDST, IP);
  put(ix.flowDirection, S_DIR, RANGE);
  put(ix.bytes, S_BYTES, INT);
  return plan;
}

/**
 * Parses the decimal digits of `bytes[from, to)` into a number; NaN when empty or not all digits
 * (e.g. `-`). Exact up to 2^53.
 */
export function intBytes(bytes: Uint8Array, from: number, to: number): number {
  if (to <= from) return Number.NaN;
  let v = 0;
  for (let p = from; p < to; p++) {
    const d = bytes[p] - 48;
    if (d < 0 || d > 9) return Number.NaN;
    v = v * 10 + d;
  }
  return v;
}

/**
 * `bytes[from, to)` as an IPv4 address: an unsigned 32-bit number for a dotted quad (each octet 0–255
 * without leading zeros, as node:net's `isIPv4`), -2 when the field holds a `:` (IPv6), else -1.
 */
export function ipv4Bytes(bytes: Uint8Array, from: number, to: number): number {
  let v = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  let bad = false;
  for (let p = from; p < to; p++) {
    const c = bytes[p];
    if (c === 46) {
      if (digits === 0 || octet > 255) bad = true;
      v = v * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) bad = true; // a leading zero
      octet = octet * 10 + c - 48;
      digits++;
    } else if (c === 58) return -2;
    else bad = true;
  }
  if (bad || dots !== 3 || digits === 0 || octet > 255) return -1;
  return v * 256 + octet;
}

/**
 * Splits the record `bytes[from, to)` at runs of spaces (AWS marks a missing value with `-`, never
 * with an empty field, so several spaces are one separator) and fills `out` with the fields `plan` asks
 * for, in one pass. Returns false when the record does not have exactly `plan.length` fields (then
 * `out` is partly filled).
 */
export function scanRecord(
  bytes: Uint8Array,
  from: number,
  to: number,
  plan: Uint8Array,
  out: ScannedRecord,
): boolean {
  const last = plan.length - 1;
  const values = out.values;
  const rangeFrom = out.from;
  const rangeTo = out.to;
  let p = from;
  while (p < to && bytes[p] === 32) p++;
  for (let col = 0; ; col++) {
    const what = plan[col];
    const kind = what & 3;
    const s = p;
    if (kind === INT) {
      // Digits parsed while looking for the space (one pass); anything else makes it NaN.
      let v = 0;
      let c = 0;
      for (; p < to; p++) {
        c = bytes[p];
        if (c < 48 || c > 57) break;
        v = v * 10 + (c - 48); // as intBytes, so numbers past 2^53 round alike
      }
      if (p < to && c !== 32) {
        v = Number.NaN;
        while (p < to && bytes[p] !== 32) p++;
      }
      values[what >> 2] = p > s ? v : Number.NaN;
    } else if (kind === IP) {
      // A well-formed dotted quad, octet by octet (one to three digits, no leading zero, at most
      // 255); at anything else the field is read again by ipv4Bytes.
      let v = 0;
      let octets = 0;
      let ok = true;
      for (;;) {
        let c = p < to ? bytes[p] : 0;
        let octet = c - 48;
        if (octet < 0 || octet > 9) {
          ok = false;
          break;
        }
        p++;
        c = p < to ? bytes[p] : 32;
        let d = c - 48;
        if (d >= 0 && d <= 9) {
          if (octet === 0) {
            ok = false; // a leading zero
            break;
          }
          octet = octet * 10 + d;
          p++;
          c = p < to ? bytes[p] : 32;
          d = c - 48;
          if (d >= 0 && d <= 9) {
            octet = octet * 10 + d;
            p++;
            c = p < to ? bytes[p] : 32;
            if (octet > 255) {
              ok = false;
              break;
            }
          }
        }
        v = v * 256 + octet;
        if (++octets === 4) {
          ok = c === 32; // the space after the field, or its end
          break;
        }
        if (c !== 46) {
          ok = false;
          break;
        }
        p++; // the dot
      }
      if (!ok) {
        p = s;
        while (p < to && bytes[p] !== 32) p++;
        v = ipv4Bytes(bytes, s, p);
      }
      values[what >> 2] = v;
    } else {
      while (p < to && bytes[p] !== 32) p++;
      if (kind === RANGE) {
        rangeFrom[what >> 2] = s;
        rangeTo[what >> 2] = p;
      }
    }
    while (p < to && bytes[p] === 32) p++; // a run of spaces is one separator
    if (col === last) return p === to; // else more fields than the format
    if (p >= to) return false; // too few fields
  }
}

/** True when `bytes[from, to)` holds exactly the bytes of `want`. */
export function bytesEqual(bytes: Uint8Array, from: number, to: number, want: Uint8Array): boolean {
  if (to - from !== want.length) return false;
  for (let i = 0; i < want.length; i++) if (bytes[from + i] !== want[i]) return false;
  return true;
}

/** An IPv4 address given as a number, as dotted-quad text. */
export function ipText(ip: number): string {
  return `${Math.floor(ip / 16_777_216)}.${Math.floor(ip / 65_536) & 255}.${Math.floor(ip / 256) & 255}.${ip & 255}`;
}
