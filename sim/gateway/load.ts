/**
 * Offered load of a workload, per destination: how long each connection keeps its port (hold plus
 * reuse hold-down or idle timeout), the arrival rate over the schedule, and the segments of constant
 * load the analytic layer works on. Shared by the simulator and the capacity planner.
 *
 * @module
 */

import { AWS, AZURE } from "../../core/limits";
import type { LoadSegment } from "../analytic/closed-forms";
import { addressFamily, endpointText } from "../workload/address";
import type { Destination, HoldSpec, Traffic, Workload } from "../workload/schema";

/** `address:port/protocol`, e.g. `203.0.113.10:636/tcp`; an IPv6 address in brackets: `[2001:db8::1]:443/tcp`. */
export function endpointOf(d: Pick<Destination, "address" | "port" | "protocol">): string {
  return endpointText(d);
}

/** IPv6 addresses of the gateway (0 unless an Azure StandardV2 gateway has some). */
export function ipsV6Of(w: Pick<Workload, "gateway">): number {
  return w.gateway.ipsV6 ?? 0;
}

/**
 * The IPs whose ports serve one destination: an IPv6 destination's come from the gateway's IPv6
 * addresses (`gateway.ipsV6`), every other destination's from its IPv4 addresses (`gateway.ips`).
 * Each family has its own SNAT port inventory; only the gateway-wide connection cap is shared.
 */
export function destinationIps(w: Pick<Workload, "gateway">, d: Pick<Destination, "address">): number {
  return addressFamily(d.address) === "ipv6" ? ipsV6Of(w) : w.gateway.ips;
}

/** The IP count of every destination of a workload, in workload order ({@link destinationIps}). */
export function destinationIpCounts(w: Workload): number[] {
  return w.destinations.map((d) => destinationIps(w, d));
}

/** Mean of a hold-time distribution in seconds (lognormal `mean` is the arithmetic mean). */
export function meanHoldSeconds(hold: HoldSpec): number {
  if (typeof hold === "number") return hold;
  switch (hold.distribution) {
    case "constant":
      return hold.value;
    case "exponential":
      return hold.mean;
    case "uniform":
      return (hold.min + hold.max) / 2;
    case "lognormal":
      return hold.mean;
  }
}

/**
 * Ports one IP may hold for one destination: the gateway's per-IP destination limit, and on Azure no
 * more than the SNAT ports of one IP.
 */
export function perIpLimit(w: Workload): number {
  const limit = w.gateway.perIpDestinationLimit;
  return w.cloud === "azure" ? Math.min(limit, AZURE.snatPortsPerIp.value) : limit;
}

/** Idle timeout in seconds for a protocol: AWS 350 s for both; Azure TCP configurable, UDP fixed. */
export function idleTimeoutSeconds(w: Workload, protocol: "tcp" | "udp"): number {
  if (w.cloud === "aws") return AWS.idleTimeoutSeconds.value;
  return protocol === "udp" ? AZURE.udpIdleTimeoutMinutes.value * 60 : w.gateway.idleTimeoutMinutes * 60;
}

/** How a connection ends, as the gateway model knows it (`close` of a traffic stream). */
export type CloseKind = "fin" | "rst" | "idle";

/** What follows a connection's hold (its first to last packet) until its port is free again. */
export interface PortLifetime {
  /** Seconds the connection stays open after its last packet: the idle timeout when it ends by it, else 0. */
  readonly openAfterHold: number;
  /** Seconds the port stays held once the connection is closed: the FIN, RST or UDP reuse hold-down (0 after a TCP idle timeout). */
  readonly heldAfterClose: number;
  /** True when the connection ends by the gateway's idle timeout (every UDP flow; TCP with close: idle). */
  readonly endsIdle: boolean;
}

/**
 * The one definition of a port's lifetime after the hold, by protocol and close kind, which the
 * engine, the analytic path and replay all apply. TCP `fin`/`rst`: closed at the last packet, then the
 * FIN or RST reuse hold-down. TCP `idle`: open for the idle timeout, then free at once. UDP has no FIN
 * or RST: a NAT gateway ends a UDP flow only at its idle timeout (AWS 350 s, Azure 4 min), and then the
 * UDP reuse hold-down applies (AWS 60 s, Azure 65 s), whatever `close` says.
 */
export function portLifetime(w: Workload, protocol: "tcp" | "udp", close: CloseKind): PortLifetime {
  const reuse = w.gateway.portReuseSeconds;
  if (protocol === "udp")
    return { openAfterHold: idleTimeoutSeconds(w, "udp"), heldAfterClose: reuse.udp, endsIdle: true };
  if (close === "idle")
    return { openAfterHold: idleTimeoutSeconds(w, "tcp"), heldAfterClose: 0, endsIdle: true };
  return { openAfterHold: 0, heldAfterClose: close === "rst" ? reuse.rst : reuse.fin, endsIdle: false };
}

/**
 * Seconds a port stays held after the connection's hold ends ({@link portLifetime}: the idle timeout
 * when the connection ends by it, plus the reuse hold-down that follows its close).
 */
export function afterHoldSeconds(w: Workload, t: Pick<Traffic, "close">, protocol: "tcp" | "udp"): number {
  const life = portLifetime(w, protocol, t.close);
  return life.openAfterHold + life.heldAfterClose;
}

/** True when a stream's connections end by the gateway's idle timeout ({@link portLifetime}). */
export function endsByIdleTimeout(t: Pick<Traffic, "close">, protocol: "tcp" | "udp"): boolean {
  return protocol === "udp" || t.close === "idle";
}

/** Multiplier of a stream's rate at time `at` (1 before the first step); binary search over its steps. */
export function multiplierAt(t: Traffic, at: number): number {
  const steps = t.schedule ?? [];
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (steps[mid].atSeconds <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 1 : steps[lo - 1].multiplier;
}

/**
 * A stream's rate (connections per second × multiplier) at each of `steps`, sorted times, in one
 * walk over its schedule: O(steps + schedule), never a search per step.
 */
export function ratesAtSteps(t: Traffic, steps: readonly number[]): number[] {
  const schedule = t.schedule ?? [];
  const out = new Array<number>(steps.length);
  let j = 0;
  let m = 1;
  for (let i = 0; i < steps.length; i++) {
    while (j < schedule.length && schedule[j].atSeconds <= steps[i]) m = schedule[j++].multiplier;
    out[i] = t.connectionsPerSecond * m;
  }
  return out;
}

/** Offered load of one destination over the run. */
export interface DestinationLoad {
  /** Destination name. */
  readonly name: string;
  /** `address:port/protocol`. */
  readonly endpoint: string;
  /** The destination's protocol. */
  readonly protocol: "tcp" | "udp";
  /** True when at least one traffic stream goes to it. */
  readonly hasTraffic: boolean;
  /** Segments of constant load, in time order, covering the whole run. */
  readonly segments: readonly LoadSegment[];
  /** Highest offered load of any segment, in Erlangs (ports held on average at that rate). */
  readonly peakOffered: number;
  /** Expected attempts over the run. */
  readonly attempts: number;
}

const grouped = new WeakMap<Workload, Map<string, Traffic[]>>();

/**
 * The traffic streams of each destination, by destination name, in workload order: one pass over
 * the streams (kept per workload object), so per-destination work stays linear in the workload's
 * size with thousands of destinations.
 */
export function streamsByDestination(w: Workload): ReadonlyMap<string, readonly Traffic[]> {
  let map = grouped.get(w);
  if (!map) {
    map = new Map();
    for (const t of w.traffic) {
      const list = map.get(t.to);
      if (list) list.push(t);
      else map.set(t.to, [t]);
    }
    grouped.set(w, map);
  }
  return map;
}

/** Offered load per destination, in workload order. */
export function destinationLoads(w: Workload): DestinationLoad[] {
  const byDestination = streamsByDestination(w);
  return w.destinations.map((d) => {
    const streams = byDestination.get(d.name) ?? [];
    const T = w.durationSeconds;
    const service = streams.map((t) => meanHoldSeconds(t.holdSeconds) + afterHoldSeconds(w, t, d.protocol));
    // Sweep the streams' steps in time order, changing the rate and offered load by each step's
    // difference: O(steps × log steps) per destination, whatever the number of streams.
    const events: { at: number; stream: number; multiplier: number }[] = [];
    streams.forEach((t, j) => {
      for (const s of t.schedule ?? [])
        if (s.atSeconds < T) events.push({ at: s.atSeconds, stream: j, multiplier: s.multiplier });
    });
    events.sort((a, b) => a.at - b.at || a.stream - b.stream);
    const current = streams.map((t) => t.connectionsPerSecond);
    let rate = current.reduce((a, b) => a + b, 0);
    let offered = current.reduce((a, r, j) => a + r * service[j], 0);
    let busy = current.filter((r) => r > 0).length;
    const segments: LoadSegment[] = [];
    let start = 0;
    let e = 0;
    while (start < T) {
      while (e < events.length && events[e].at <= start) {
        const { stream, multiplier } = events[e++];
        const next = streams[stream].connectionsPerSecond * multiplier;
        busy += (next > 0 ? 1 : 0) - (current[stream] > 0 ? 1 : 0);
        rate += next - current[stream];
        offered += (next - current[stream]) * service[stream];
        current[stream] = next;
        // No rounding residue once every stream is idle.
        if (busy === 0) rate = offered = 0;
      }
      const end = e < events.length ? events[e].at : T;
      segments.push({ attempts: Math.max(0, rate) * (end - start), offered: Math.max(0, offered) });
      start = end;
    }
    return {
      name: d.name,
      endpoint: endpointOf(d),
      protocol: d.protocol,
      hasTraffic: streams.length > 0,
      segments,
      peakOffered: segments.reduce((m, s) => Math.max(m, s.offered), 0),
      attempts: segments.reduce((n, s) => n + s.attempts, 0),
    };
  });
}
