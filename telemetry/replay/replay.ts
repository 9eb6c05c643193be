/**
 * Trace-driven replay: connections rebuilt from flow logs, at their own start times with their own
 * durations, go through the gateway model with N IPs under the same rules as `simulate` (IP
 * selection, per-IP destination limit, Azure's gateway-wide cap, and each port's lifetime after its
 * hold from the one rule `portLifetime` in sim/gateway/load.ts: FIN/RST hold-downs, the TCP idle timeout, and
 * for UDP the idle timeout followed by the UDP hold-down), and come out as the simulation result
 * contract. Rules of the replay:
 * - an attempt that failed in the logs is an attempt; when the model admits it, it holds its port
 *   as a completed connection of its endpoint drawn at random (seeded) does: that connection's hold
 *   and close kind (failure-holds.ts);
 * - a connection still open when the logs end holds its port to the end;
 * - connections starting within the same logged second are taken in an order shuffled by the seed
 *   (never by their length);
 * - what the logs cannot show (the per-IP destination limit, hold-downs, IP selection) comes from
 *   options, defaulting to the cloud's values through the workload's own defaults.
 * The connections are read from the trace's columnar store (telemetry/sinks/connection-store.ts: typed arrays sorted
 * by start, about 19 bytes a connection), built from `trace.connections` when the trace has none.
 * Memory follows that store plus the connections in flight (two heaps).
 *
 * @module
 */

import { gatewayBlocking, type LoadSegment, minIpsForZeroErrors } from "../../sim/analytic/closed-forms";
import { Heap } from "../../sim/engine/queues";
import { Rng } from "../../sim/engine/random";
import { type CloseKind, portLifetime } from "../../sim/gateway/load";
import { gatewayRules } from "../../sim/gateway/models";
import { type DestinationResult, gatewayResultFields, type SimulationResult } from "../../sim/result/result";
import { SERIES_SAMPLES, type SimulationSeries } from "../../sim/result/series";
import { destinationVerdict, gatewayVerdict } from "../../sim/verdict/verdict";
import { validateWorkload, type Workload } from "../../sim/workload/workload";
import type { ConnectionStoreView, ConnectionTrace } from "../reconstruct/connections";
import { ConnectionStore } from "../sinks/connection-store";
import { CompletedHolds } from "./failure-holds";

/** The trace's columnar store, or one built from its connections. */
export function traceStore(trace: ConnectionTrace): ConnectionStoreView {
  return trace.store ?? ConnectionStore.fromConnections(trace.connections);
}

/** Gateway options of a replay; what the logs cannot show. */
export interface ReplayOptions {
  /** Gateway IPs to replay with. */
  ips: number;
  /** Ports one IP may hold per destination. @default the cloud's (AWS 55,000; Azure 50,000) */
  perIpDestinationLimit?: number;
  /** Reuse hold-downs after close, seconds. @default the cloud's (AWS 60/60/60; Azure 65/16/65) */
  portReuseSeconds?: { fin?: number; rst?: number; udp?: number };
  /** Azure TCP idle timeout in minutes. @default 4 (AWS: fixed 350 s) */
  idleTimeoutMinutes?: number;
  /** IP selection. @default the cloud's (AWS hash, Azure pooled) */
  ipSelection?: "hash" | "pooled";
  /** Seed of the IP choice and of the order within a second. @default 1 */
  seed?: number;
  /** Build the time series for charts. @default false */
  series?: boolean;
}

/** A replay's result, its series (when asked) and the failures the logs show. */
export interface ReplayRun {
  /** The simulation result contract (one destination per endpoint, named by the endpoint). */
  result: SimulationResult;
  /** Samples over time, when `series` was asked. */
  series?: SimulationSeries;
  /** Failed attempts the logs show, per destination, in `result.destinations` order. */
  observedFailures: number[];
}

/**
 * The gateway of a replay as a validated workload (no traffic): the same defaults as `simulate`.
 *
 * @throws {WorkloadError} naming the gateway field when an option breaks a rule (e.g. 9 IPs on AWS)
 */
export function replayWorkload(
  trace: ConnectionTrace,
  options: ReplayOptions,
  store: ConnectionStoreView = traceStore(trace),
): Workload {
  const first = store.length > 0 ? store.endpoints[store.endpoint(0)] : undefined;
  return validateWorkload(
    {
      cloud: trace.cloud,
      gateway: {
        ips: options.ips,
        ipSelection: options.ipSelection,
        perIpDestinationLimit: options.perIpDestinationLimit,
        portReuseSeconds: options.portReuseSeconds,
        idleTimeoutMinutes: trace.cloud === "azure" ? options.idleTimeoutMinutes : undefined,
      },
      durationSeconds: Math.max(1, trace.durationSeconds),
      seed: options.seed ?? 1,
      destinations: [
        {
          name: "trace",
          // Only the gateway options are checked here; with no connection, any valid address stands in.
          address: first?.address ?? "192.0.2.1",
          port: first?.port ?? 1,
          protocol: first?.protocol ?? "tcp",
        },
      ],
    },
    "replay",
  );
}

/** Replay order: by start, shuffled within each logged second. */
function replayOrder(store: ConnectionStoreView, rng: Rng): Int32Array {
  const n = store.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let i = 0;
  while (i < n) {
    const second = Math.floor(store.start(order[i]));
    let j = i + 1;
    while (j < n && Math.floor(store.start(order[j])) === second) j++;
    for (let a = j - 1; a > i; a--) {
      const b = i + rng.below(a - i + 1);
      const tmp = order[a];
      order[a] = order[b];
      order[b] = tmp;
    }
    i = j;
  }
  return order;
}

/** Close codes (index in CLOSE_CODES). */
const KIND_FIN = 0;
const KIND_IDLE = 2;
const KIND_OPEN = 3;

/**
 * Replays a trace through the gateway model with `options.ips` IPs.
 *
 * @throws {WorkloadError} when an option breaks a gateway rule
 */
export function replayTrace(trace: ConnectionTrace, options: ReplayOptions): ReplayRun {
  const store = traceStore(trace);
  const w = replayWorkload(trace, options, store);
  const rules = gatewayRules(w);
  const k = rules.ips;
  const limit = rules.perIpLimit;
  const T = w.durationSeconds;
  const seed = options.seed ?? 1;
  const rng = new Rng(seed);
  const n = store.length;

  // Destinations by endpoint, in order of first appearance.
  const destOf = new Int32Array(store.endpoints.length).fill(-1);
  const endpoints: string[] = [];
  const protocols: ("tcp" | "udp")[] = [];
  for (let i = 0; i < n; i++) {
    const e = store.endpoint(i);
    if (destOf[e] >= 0) continue;
    const ep = store.endpoints[e];
    destOf[e] = endpoints.length;
    endpoints.push(`${ep.address}:${ep.port}/${ep.protocol}`);
    protocols.push(ep.protocol);
  }
  const nd = endpoints.length;
  const observed = new Array<number>(nd).fill(0);
  for (let i = 0; i < n; i++) if (store.isFailed(i)) observed[destOf[store.endpoint(i)]]++;
  // Admitted failures draw their holds from a stream of their own, so the IP choices stay the same.
  const holds = observed.some((f) => f > 0) ? CompletedHolds.of(store, destOf, nd) : undefined;
  const drawRng = new Rng((seed ^ 0x5bd1e995) >>> 0);
  // What follows each destination's holds, by close kind (fin, rst, idle): the one lifetime rule.
  const openAfter = new Float64Array(nd * 3);
  const heldAfter = new Float64Array(nd * 3);
  const endsIdle = new Uint8Array(nd * 3);
  const KINDS: CloseKind[] = ["fin", "rst", "idle"];
  for (let d = 0; d < nd; d++) {
    for (let kind = 0; kind < 3; kind++) {
      const life = portLifetime(w, protocols[d], KINDS[kind]);
      openAfter[d * 3 + kind] = life.openAfterHold;
      heldAfter[d * 3 + kind] = life.heldAfterClose;
      endsIdle[d * 3 + kind] = life.endsIdle ? 1 : 0;
    }
  }

  // Analytic load per bucket (for Erlang-B and the IPs needed).
  const bucket = Math.max(60, Math.ceil(T / 200));
  const nb = Math.ceil(T / bucket);
  const bucketAttempts = new Float64Array(nd * nb);
  const bucketService = new Float64Array(nd * nb);

  const held = new Int32Array(nd * k);
  const heldTotal = new Int32Array(nd);
  const open = new Int32Array(nd);
  const attempts = new Float64Array(nd);
  const errors = new Float64Array(nd);
  const peakOpen = new Int32Array(nd);
  const peakHeld = new Int32Array(nd);
  const peakHeldPerIp = new Int32Array(nd * k);
  const heldArea = new Float64Array(nd);
  let totalOpen = 0;
  let peakOpenTotal = 0;
  let idleTimeouts = 0;
  const closes = new Heap();
  const releases = new Heap();

  const release = (row: number) => {
    held[row]--;
    heldTotal[Math.floor(row / k)]--;
  };
  // Close events first at equal times: a port with no hold-down after its close is free at once,
  // the others start their hold-down.
  const drain = (t: number) => {
    for (;;) {
      const tc = closes.peekTime();
      const tr = releases.peekTime();
      if (tc > t && tr > t) break;
      if (tc <= tr) {
        const payload = closes.peekPayload();
        closes.pop();
        const row = payload >>> 2;
        const d = Math.floor(row / k);
        const lk = d * 3 + (payload & 3);
        open[d]--;
        totalOpen--;
        idleTimeouts += endsIdle[lk];
        if (heldAfter[lk] > 0) releases.push(tc + heldAfter[lk], row);
        else release(row);
      } else {
        const row = releases.peekPayload();
        releases.pop();
        release(row);
      }
    }
  };

  const series: SimulationSeries | undefined = options.series
    ? {
        times: [],
        destinations: endpoints.map((ep) => ({
          name: ep,
          endpoint: ep,
          portsHeldPerIp: Array.from({ length: k }, () => []),
          portsHeld: [],
          openConnections: [],
          errors: [],
        })),
      }
    : undefined;
  const samples = SERIES_SAMPLES;
  const dt = T / samples;
  let nextSample = dt;
  let sampleIndex = 1;
  const errorsAtSample = new Float64Array(nd);
  const advanceTo = (t: number) => {
    if (series) {
      while (nextSample <= t && sampleIndex <= samples) {
        drain(nextSample);
        series.times.push(nextSample);
        for (let d = 0; d < nd; d++) {
          const sd = series.destinations[d];
          for (let ip = 0; ip < k; ip++) sd.portsHeldPerIp[ip].push(held[d * k + ip]);
          sd.portsHeld.push(heldTotal[d]);
          sd.openConnections.push(open[d]);
          sd.errors.push(errors[d] - errorsAtSample[d]);
          errorsAtSample[d] = errors[d];
        }
        sampleIndex++;
        nextSample = sampleIndex === samples ? T : sampleIndex * dt;
      }
    }
    drain(t);
  };

  const order = replayOrder(store, rng);
  for (let o = 0; o < order.length; o++) {
    const i = order[o];
    const d = destOf[store.endpoint(i)];
    const t = store.start(i);
    const failed = store.isFailed(i);
    advanceTo(t);
    attempts[d]++;
    const b = Math.min(nb - 1, Math.floor(t / bucket));
    bucketAttempts[d * nb + b]++;
    const row = d * k;
    const ip = totalOpen < rules.totalConnections ? rules.selector.choose(held, row, k, limit, rng) : -1;
    // A failed attempt the model admits holds its port as a drawn completed connection did.
    const like = failed ? (holds?.draw(d, drawRng) ?? -1) : i;
    const duration = like >= 0 ? store.duration(like) : 0;
    const observedClose = like >= 0 ? store.closeCode(like) : KIND_FIN;
    const stillOpen = observedClose === KIND_OPEN && protocols[d] === "tcp";
    // UDP has one lifetime whatever the logs say (portLifetime); TCP follows its observed close.
    const kind = protocols[d] === "udp" ? KIND_IDLE : stillOpen ? KIND_FIN : observedClose;
    const closeAt = stillOpen ? T : t + duration + openAfter[d * 3 + kind];
    const freeAt = stillOpen ? T : closeAt + heldAfter[d * 3 + kind];
    bucketService[d * nb + b] += freeAt - t;
    if (ip < 0) {
      errors[d]++;
      continue;
    }
    const h = ++held[row + ip];
    if (h > peakHeldPerIp[row + ip]) peakHeldPerIp[row + ip] = h;
    if (++heldTotal[d] > peakHeld[d]) peakHeld[d] = heldTotal[d];
    if (++open[d] > peakOpen[d]) peakOpen[d] = open[d];
    if (++totalOpen > peakOpenTotal) peakOpenTotal = totalOpen;
    heldArea[d] += Math.min(freeAt, T) - t;
    if (!stillOpen) closes.push(closeAt, ((row + ip) << 2) | kind);
  }
  advanceTo(T);

  const sel = w.gateway.ipSelection;
  const evidence = endpoints.map((_, d) => {
    const segments: LoadSegment[] = [];
    let peakOffered = 0;
    for (let b = 0; b < nb; b++) {
      const span = Math.min(bucket, T - b * bucket);
      const offered = bucketService[d * nb + b] / span;
      if (offered > peakOffered) peakOffered = offered;
      segments.push({ attempts: bucketAttempts[d * nb + b], offered });
    }
    const verdict = destinationVerdict({
      ips: k,
      perIpLimit: limit,
      ipSelection: sel,
      simulated: {
        portAllocationErrors: errors[d],
        analyticMinIps: minIpsForZeroErrors(segments, limit, sel),
      },
    });
    return { peakOffered, verdict };
  });
  const destinations = endpoints.map((ep, d): DestinationResult => {
    const { peakOffered, verdict } = evidence[d];
    return {
      name: ep,
      endpoint: ep,
      attempts: attempts[d],
      portAllocationErrors: errors[d],
      blockingRatio: attempts[d] > 0 ? errors[d] / attempts[d] : 0,
      peakConnections: peakOpen[d],
      meanPortsHeld: heldArea[d] / T,
      peakPortsHeld: peakHeld[d],
      peakPortsHeldPerIp: Array.from(peakHeldPerIp.subarray(d * k, d * k + k)),
      capacity: k * limit,
      erlangB: gatewayBlocking(peakOffered, k, limit, sel),
      minIpsForZeroErrors: verdict.ipsNeeded,
      minIpsReason: verdict.ipsNeededReason,
      verdict: verdict.ok ? "ok" : "exhausted",
      reasons: [...verdict.reasons],
      // The flow-log readers skip IPv6, so every replayed endpoint is IPv4.
      addressFamily: "ipv4",
      ips: k,
    };
  });
  const gv = gatewayVerdict(
    evidence.map((e) => e.verdict),
    peakOpenTotal,
    rules.totalConnections,
  );
  return {
    result: {
      cloud: w.cloud,
      ips: k,
      ipSelection: sel,
      seed,
      durationSeconds: T,
      destinations,
      ...gatewayResultFields(destinations, idleTimeouts, peakOpenTotal, gv),
    },
    series,
    observedFailures: observed,
  };
}
