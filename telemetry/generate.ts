/**
 * Writes flow logs from known traffic, for tests, the benchmark and the sample set: connections
 * drawn from Poisson arrivals with a hold distribution and a close mix go through a simple gateway
 * (per-flow random IP, a per-IP limit per destination, a reuse hold-down after close, the idle
 * timeout) so the number of port-allocation failures is known; then each connection becomes
 * VPC Flow Logs records (per aggregation window, default or custom format) or Azure VNet flow-log
 * tuples (flowLogVersion 4 JSON).
 *
 * @module
 */
import { AWS, AZURE } from "../core/limits";
import { Rng } from "../sim/random";
import { DEFAULT_FIELDS } from "./aws-format";
import type { ObservedClose } from "./connections";

/** One stream of generated traffic. */
export interface GeneratedStream {
  /** Destination IPv4 address (public). */
  address: string;
  /** Destination port. */
  port: number;
  /** @default "tcp" */
  protocol?: "tcp" | "udp";
  /** New connections per second (Poisson). */
  connectionsPerSecond: number;
  /** Mean hold in seconds (exponential), or `{ constant }`. */
  holdSeconds: number | { constant: number };
  /** How connections end (UDP always ends idle). @default "fin" */
  close?: "fin" | "rst" | "idle";
}

/** Known traffic to generate. */
export interface TrafficSpec {
  /** The streams. */
  streams: GeneratedStream[];
  /** Seconds of traffic. */
  durationSeconds: number;
  /** @default 1 */
  seed?: number;
  /** Unix seconds of the first second. @default 1767225600 (2026-01-01T00:00:00Z) */
  startEpochSeconds?: number;
  /** Gateway IPs (flow hash: a random IP per flow, no fallback). @default 1 */
  ips?: number;
  /** Ports one IP may hold per destination. @default AWS 55,000 */
  perIpLimit?: number;
  /** Reuse hold-down after FIN or RST, seconds. @default AWS 60 */
  reuseSeconds?: number;
  /** Idle timeout in seconds. @default AWS 350 */
  idleSeconds?: number;
}

/** One generated connection as it really happened (times in unix seconds, whole seconds). */
export interface TruthConnection {
  address: string;
  port: number;
  protocol: "tcp" | "udp";
  start: number;
  /** Last packet (the close for fin/rst; the last traffic before the idle timeout for idle). */
  end: number;
  close: ObservedClose;
  failed: boolean;
  /** Index of the gateway IP (-1 for a failure). */
  ip: number;
  /** SNAT port on the gateway (0 for a failure). */
  snatPort: number;
  /** The client's address and port. */
  clientAddress: string;
  clientPort: number;
}

/** Generates the connections of known traffic, in start order. Failures are attempts the gateway refused. */
export function generateTraffic(spec: TrafficSpec): TruthConnection[] {
  const rng = new Rng(spec.seed ?? 1);
  const t0 = spec.startEpochSeconds ?? 1_767_225_600;
  const ips = spec.ips ?? 1;
  const limit = spec.perIpLimit ?? AWS.connectionsPerIpPerDestination.value;
  const reuse = spec.reuseSeconds ?? AWS.portReuseSeconds.value;
  const idle = spec.idleSeconds ?? AWS.idleTimeoutSeconds.value;
  const arrivals: { at: number; s: number }[] = [];
  spec.streams.forEach((st, s) => {
    let t = 0;
    for (;;) {
      t += rng.exponential(1 / st.connectionsPerSecond);
      if (t >= spec.durationSeconds) break;
      arrivals.push({ at: Math.floor(t), s });
    }
  });
  arrivals.sort((a, b) => a.at - b.at || a.s - b.s);
  // Per (stream's endpoint, IP): release times of held ports (sorted insert is fine at test sizes).
  const held = new Map<string, number[]>();
  const nextPort = new Map<string, number>();
  const out: TruthConnection[] = [];
  let client = 0;
  for (const { at, s } of arrivals) {
    const st = spec.streams[s];
    const protocol = st.protocol ?? "tcp";
    const close: ObservedClose = protocol === "udp" ? "idle" : (st.close ?? "fin");
    const ip = ips === 1 ? 0 : rng.below(ips);
    const key = `${st.address}:${st.port}/${protocol}#${ip}`;
    let releases = held.get(key);
    if (releases === undefined) {
      releases = [];
      held.set(key, releases);
    }
    while (releases.length > 0 && releases[0] <= at) releases.shift();
    client++;
    const base = {
      address: st.address,
      port: st.port,
      protocol,
      start: t0 + at,
      clientAddress: `10.0.${1 + ((client >> 8) % 200)}.${1 + (client % 250)}`,
      clientPort: 32_768 + (client % 28_000),
    };
    if (releases.length >= limit) {
      out.push({ ...base, end: t0 + at, close: "rst", failed: true, ip: -1, snatPort: 0 });
      continue;
    }
    const hold =
      typeof st.holdSeconds === "number"
        ? Math.round(rng.exponential(st.holdSeconds))
        : st.holdSeconds.constant;
    const end = at + hold;
    const release = close === "idle" ? end + idle : end + reuse;
    let i = releases.length;
    releases.push(release);
    while (i > 0 && releases[i - 1] > release) {
      releases[i] = releases[i - 1];
      i--;
    }
    releases[i] = release;
    const port = 1024 + ((nextPort.get(key) ?? 0) % 64_000);
    nextPort.set(key, (nextPort.get(key) ?? 0) + 1);
    const closeKind: ObservedClose = end >= spec.durationSeconds ? "open" : close;
    out.push({
      ...base,
      end: t0 + Math.min(end, spec.durationSeconds - 1),
      close: closeKind,
      failed: false,
      ip,
      snatPort: port,
    });
  }
  return out;
}

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

/** Seconds between the continuing (C) tuples Azure writes for a long flow. */
const AZURE_CONTINUE_SECONDS = 300;

/**
 * An Azure VNet flow-log blob (flowLogVersion 4, as stored in `PT1H.json`) for generated
 * connections, as the client VMs' NICs log them before SNAT: B at the start, C every 5 minutes, E at
 * a FIN or RST close (idle connections just stop). Failures are not visible at the NIC and are left out.
 */
export function azureFlowLogJson(truth: readonly TruthConnection[]): string {
  const tuples: { at: number; text: string }[] = [];
  for (const c of truth) {
    if (c.failed) continue;
    const proto = c.protocol === "tcp" ? 6 : 17;
    const base = (state: string, at: number) =>
      `${at * 1000},${c.clientAddress},${c.address},${c.clientPort},${c.port},${proto},O,${state},NX,3,180,3,180`;
    tuples.push({ at: c.start, text: base("B", c.start) });
    for (let t = c.start + AZURE_CONTINUE_SECONDS; t < c.end; t += AZURE_CONTINUE_SECONDS) {
      tuples.push({ at: t, text: base("C", t) });
    }
    if (c.close === "fin" || c.close === "rst") tuples.push({ at: c.end, text: base("E", c.end) });
    else if (c.end > c.start) tuples.push({ at: c.end, text: base("C", c.end) });
  }
  tuples.sort((a, b) => a.at - b.at);
  const time = tuples.length > 0 ? new Date(tuples[0].at * 1000).toISOString() : new Date(0).toISOString();
  return JSON.stringify({
    records: [
      {
        time,
        flowLogVersion: 4,
        flowLogGUID: "00000000-0000-0000-0000-000000000001",
        macAddress: "000D3A000001",
        category: "FlowLogFlowEvent",
        flowLogResourceID:
          "/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NETWORKWATCHER_EASTUS/FLOWLOGS/VNETFLOWLOG",
        targetResourceID:
          "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/app/providers/Microsoft.Network/virtualNetworks/app-vnet",
        operationName: "FlowLogFlowEvent",
        flowRecords: {
          flows: [
            {
              aclID: "00000000-0000-0000-0000-000000000002",
              flowGroups: [
                { rule: "DefaultRule_AllowInternetOutBound", flowTuples: tuples.map((t) => t.text) },
              ],
            },
          ],
        },
      },
    ],
  });
}

/** Azure's default TCP idle timeout in seconds, for generated Azure traffic. */
export const AZURE_IDLE_SECONDS = AZURE.idleTimeoutMinutesDefault.value * 60;
