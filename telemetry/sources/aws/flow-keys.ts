/**
 * The shapes the VPC Flow Logs reader (records.ts) and its per-interface tracker
 * (tracker.ts) share: endpoints, the key of a gateway flow, what the tracker needs from the
 * reader, and the reasons and spans both use.
 *
 * @module
 */
import { AWS } from "../../../core/limits";
import type { SkipCounter } from "../skips";

/** One destination endpoint; connections share its strings. */
export interface Endpoint {
  /** Small integer id (part of the numeric flow keys). */
  readonly id: number;
  readonly address: string;
  readonly port: number;
  readonly protocol: "tcp" | "udp";
}

/** Seconds between a record's first and last packet at most: the longest aggregation window (600 s). */
export const RECORD_SPAN_SECONDS = AWS.flowLogLongAggregationSeconds.value;

/** Why the records of an inbound connection are left out. */
export const INBOUND_CONNECTION =
  "records of an inbound connection (a SYN from outside or a SYN-ACK from the interface: a server's traffic, not a NAT gateway's translation)";

/**
 * Low half of a gateway flow's key: the SNAT port and the id of the translated private address,
 * as a signed 32-bit integer (as the flow table keeps it).
 */
export function flowLow(snatPort: number, sourceId: number): number {
  return (snatPort * 65_536 + sourceId) | 0;
}

/** What the tracker needs from its reader. */
export interface TrackerContext {
  /** The gateway's idle timeout: a gap this long ends a connection. */
  readonly idleSeconds: number;
  /** Whether an endpoint (by id) is TCP. */
  readonly isTcp: (endpoint: number) => boolean;
  /** A number ordering endpoints by what they are (address, port, protocol), not by when they were seen. */
  readonly rank: (endpoint: number) => number;
  /** Where skipped records are counted. */
  readonly skips: SkipCounter;
  /** Files by index (records remember the index of the file they came from). */
  readonly files: readonly string[];
}
