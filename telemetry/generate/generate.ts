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
import { AWS, AZURE } from "../../core/limits";
import { Rng } from "../../sim/engine/random";
import type { ObservedClose } from "../reconstruct/connections";
import type { TruthConnection } from "./truth";

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

export { type AwsLogOptions, awsFlowLogLines, CUSTOM_FIELDS, DELIVERY_FILE_SECONDS } from "./aws";
export type { TruthConnection } from "./truth";

/** Seconds between the continuing (C) tuples Azure writes for a long flow. */
const AZURE_CONTINUE_SECONDS = AZURE.flowLogContinueSeconds.value;

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
