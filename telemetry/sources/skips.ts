/**
 * Bookkeeping shared by the flow-log readers: skipped records counted by reason (each with the
 * `file:line` where it first occurred), the error thrown when nothing usable remains, and the
 * address tests that tell a destination outside the network from one inside it.
 *
 * @module
 */
import { NatcapError } from "../../core/errors";
import { isUnroutableIpv4Number } from "../../sim/workload/address";
import type { SkippedRecords } from "../reconstruct/connections";

/** Flow-log input that cannot be used at all (no file, no usable record). The CLI exits 2. */
export class FlowLogError extends NatcapError {}

/** Counts skipped records by reason, remembering where each reason first occurred. */
export class SkipCounter {
  private readonly byReason = new Map<string, { count: number; firstAt: string }>();

  /**
   * Adds `count` records skipped for `reason` at `file` line `line` (0: the whole file).
   *
   * @param count records skipped @default 1
   */
  add(reason: string, file: string, line: number, count = 1): void {
    const entry = this.byReason.get(reason);
    if (entry) entry.count += count;
    else this.byReason.set(reason, { count, firstAt: line > 0 ? `${file}:${line}` : file });
  }

  /** Skipped records so far, most frequent reason first. */
  list(): SkippedRecords[] {
    return [...this.byReason]
      .map(([reason, e]) => ({ reason, count: e.count, firstAt: e.firstAt }))
      .sort((a, b) => b.count - a.count);
  }
}

/** One line per reason, for stderr: `skipped 12 records: NODATA record (first at a.log:3)`. */
export function formatSkipped(skipped: readonly SkippedRecords[]): string[] {
  return skipped.map(
    (s) => `skipped ${s.count} record${s.count === 1 ? "" : "s"}: ${s.reason} (first at ${s.firstAt})`,
  );
}

/** Why a record towards a special-purpose IPv4 address (sim/workload/address.ts) is skipped. */
export const UNROUTABLE_DESTINATION =
  "special-purpose destination (loopback, multicast or reserved: no NAT gateway translates towards it)";

/** True for a dotted-quad IPv4 address in a special-purpose range no NAT gateway translates towards. */
export function isUnroutableIpv4(address: string): boolean {
  const octets = address.split(".").map(Number);
  return octets.length === 4 && isUnroutableIpv4Number(octets.reduce((n, o) => n * 256 + o, 0));
}

/**
 * True for a dotted-quad IPv4 address inside the private and shared ranges a VPC or VNet uses
 * (10/8, 172.16/12, 192.168/16, 100.64/10 carrier-grade NAT, 169.254/16 link-local): traffic to any
 * other address leaves the network through the gateway.
 */
export function isPrivateIpv4(address: string): boolean {
  const a = address.indexOf(".");
  if (a < 0) return false;
  const first = Number(address.slice(0, a));
  if (first === 10) return true;
  const b = address.indexOf(".", a + 1);
  const second = Number(address.slice(a + 1, b));
  if (first === 172) return second >= 16 && second <= 31;
  if (first === 192) return second === 168;
  if (first === 100) return second >= 64 && second <= 127;
  if (first === 169) return second === 254;
  return false;
}

/** True for an IPv6 address (the readers count and skip them: NAT gateways translate IPv4). */
export function isIpv6(address: string): boolean {
  return address.includes(":");
}
