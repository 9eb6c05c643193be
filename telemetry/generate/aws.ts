/**
 * VPC Flow Logs for generated connections (generate.ts), as a NAT gateway's interface logs them:
 * every leg window by window, the primary IP in srcaddr / dstaddr and the translating IP in
 * pkt-srcaddr / pkt-dstaddr, optionally delivered as S3 does (5-minute files, delays, no order).
 *
 * @module
 */
import { Rng } from "../../sim/engine/random";
import { DEFAULT_FIELDS } from "../sources/aws/format";
import type { TruthConnection } from "./truth";

/** Field names of the custom format the generator writes (versions 2–5 fields the reader uses). */
export const CUSTOM_FIELDS =
  "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status tcp-flags pkt-srcaddr pkt-dstaddr flow-direction az-id";

/** Options of {@link awsFlowLogLines}. */
export interface AwsLogOptions {
  /** Field names in order (a header line), e.g. {@link CUSTOM_FIELDS}. @default the version 2 default format */
  fields?: string;
  /** Aggregation window in seconds (60 or 600). @default 60 */
  aggregationSeconds?: number;
  /** The NAT gateway's interface. @default "eni-0a1b2c3d4e5f60718" */
  interfaceId?: string;
  /**
   * The NAT gateway's primary private IP, which its interface logs in srcaddr / dstaddr whatever
   * IP translated the flow (IP `i` is 10.0.0.(220 + i), logged in pkt-srcaddr / pkt-dstaddr).
   * @default "10.0.0.220"
   */
  natPrivateIp?: string;
  /**
   * Delivery as S3 files: each record is delayed by up to 120 s after its window closes, goes into
   * the 5-minute file of that moment, and each file holds its records in a random order drawn from
   * this seed. @default records in window order
   */
  shuffleSeed?: number;
}

/** Seconds of one delivered file, and the longest delay after a window closes (see {@link AwsLogOptions.shuffleSeed}). */
export const DELIVERY_FILE_SECONDS = 300;
const DELIVERY_LAG_SECONDS = 120;

interface Rec {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  proto: number;
  start: number;
  end: number;
  flags: number;
  pktSrc: string;
  pktDst: string;
  direction: "ingress" | "egress";
}

/**
 * VPC Flow Logs lines (header first) for generated connections, as the NAT gateway's interface logs
 * them, window by window: client→gateway (pkt-dstaddr = destination), gateway→destination (srcport
 * = SNAT port, srcaddr the primary IP, pkt-srcaddr the gateway IP used), the reply and the
 * gateway→client leg. A failure is a client SYN only. Within a window each leg's start/end are its
 * first/last packet there. With `shuffleSeed`, records come as S3 delivers them: 5-minute files,
 * delayed, in no order within a file.
 */
export function* awsFlowLogLines(
  truth: readonly TruthConnection[],
  options: AwsLogOptions = {},
): Generator<string> {
  const names = (options.fields ?? DEFAULT_FIELDS.join(" ")).split(" ");
  const agg = options.aggregationSeconds ?? 60;
  const eni = options.interfaceId ?? "eni-0a1b2c3d4e5f60718";
  const nat = options.natPrivateIp ?? "10.0.0.220";
  const format = (r: Rec): string =>
    names
      .map((n) => {
        switch (n) {
          case "version":
            return names.length > DEFAULT_FIELDS.length ? "5" : "2";
          case "account-id":
            return "123456789010";
          case "interface-id":
            return eni;
          case "srcaddr":
            return r.src;
          case "dstaddr":
            return r.dst;
          case "srcport":
            return String(r.sport);
          case "dstport":
            return String(r.dport);
          case "protocol":
            return String(r.proto);
          case "packets":
            return "3";
          case "bytes":
            return "180";
          case "start":
            return String(r.start);
          case "end":
            return String(r.end);
          case "action":
            return "ACCEPT";
          case "log-status":
            return "OK";
          case "tcp-flags":
            return String(r.flags);
          case "pkt-srcaddr":
            return r.pktSrc;
          case "pkt-dstaddr":
            return r.pktDst;
          case "flow-direction":
            return r.direction;
          case "az-id":
            return "use1-az1";
          default:
            return "-";
        }
      })
      .join(" ");
  yield names.join(" ");
  if (options.shuffleSeed === undefined) {
    for (const r of windowRecords(truth, agg, nat)) yield format(r.rec);
    return;
  }
  // Delivery: per 5-minute file, shuffled; a file is complete once windows closing after it plus
  // the longest lag have been written.
  const rng = new Rng(options.shuffleSeed);
  const files = new Map<number, string[]>();
  function* flush(upTo: number): Generator<string> {
    const ready = [...files.keys()].filter((k) => k <= upTo).sort((a, b) => a - b);
    for (const k of ready) {
      const lines = files.get(k)!;
      files.delete(k);
      for (let i = lines.length - 1; i > 0; i--) {
        const j = rng.below(i + 1);
        [lines[i], lines[j]] = [lines[j], lines[i]];
      }
      yield* lines;
    }
  }
  for (const { rec, closes } of windowRecords(truth, agg, nat)) {
    const file = Math.floor((closes + rng.below(DELIVERY_LAG_SECONDS + 1)) / DELIVERY_FILE_SECONDS);
    let lines = files.get(file);
    if (lines === undefined) {
      lines = [];
      files.set(file, lines);
      yield* flush(Math.floor((closes - DELIVERY_LAG_SECONDS) / DELIVERY_FILE_SECONDS) - 1);
    }
    lines.push(format(rec));
  }
  yield* flush(Number.POSITIVE_INFINITY);
}

/** The records of each window, in window order, with the time the window closes. */
function* windowRecords(
  truth: readonly TruthConnection[],
  agg: number,
  nat: string,
): Generator<{ rec: Rec; closes: number }> {
  const gatewayIp = (ip: number) => `10.0.0.${220 + ip}`;
  const sorted = [...truth].sort((a, b) => a.start - b.start);
  let next = 0;
  let active: TruthConnection[] = [];
  const first = sorted.length > 0 ? sorted[0].start - (sorted[0].start % agg) : 0;
  for (let w = first; next < sorted.length || active.length > 0; w += agg) {
    while (next < sorted.length && sorted[next].start < w + agg) active.push(sorted[next++]);
    const still: TruthConnection[] = [];
    const closes = w + agg;
    for (const c of active) {
      const s = Math.max(c.start, w);
      const e = Math.min(c.end, w + agg - 1);
      const proto = c.protocol === "tcp" ? 6 : 17;
      const opening = c.start >= w;
      const closing = c.end < w + agg;
      let flags = 0;
      if (c.protocol === "tcp") {
        if (opening) flags |= 2;
        if (closing && c.close === "fin") flags |= 1;
        if (closing && c.close === "rst") flags |= 4;
      }
      const leg = (rec: Omit<Rec, "proto" | "start" | "end">) => ({
        rec: { ...rec, proto, start: s, end: e },
        closes,
      });
      // Client → gateway: to the primary IP, bound for pkt-dstaddr.
      yield leg({
        src: c.clientAddress,
        dst: nat,
        sport: c.clientPort,
        dport: c.port,
        flags,
        pktSrc: c.clientAddress,
        pktDst: c.address,
        direction: "ingress",
      });
      if (!c.failed) {
        const gw = gatewayIp(c.ip);
        // Gateway → destination: srcaddr the primary IP, pkt-srcaddr the IP that translated it.
        yield leg({
          src: nat,
          dst: c.address,
          sport: c.snatPort,
          dport: c.port,
          flags,
          pktSrc: gw,
          pktDst: c.address,
          direction: "egress",
        });
        // The reply, and the gateway → client leg: SYN-ACK (18) at the opening, the same closing flags.
        const back = (c.protocol === "tcp" && opening ? 18 : 0) | (flags & 5);
        yield leg({
          src: c.address,
          dst: nat,
          sport: c.port,
          dport: c.snatPort,
          flags: back,
          pktSrc: c.address,
          pktDst: gw,
          direction: "ingress",
        });
        yield leg({
          src: nat,
          dst: c.clientAddress,
          sport: c.port,
          dport: c.clientPort,
          flags: back,
          pktSrc: c.address,
          pktDst: c.clientAddress,
          direction: "egress",
        });
      }
      if (!closing) still.push(c);
    }
    active = still;
  }
}
