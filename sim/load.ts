/**
 * Offered load of a workload, per destination: how long each connection keeps its port (hold plus
 * reuse hold-down or idle timeout), the arrival rate over the schedule, and the segments of constant
 * load the analytic layer works on. Shared by the simulator and the capacity planner.
 *
 * @module
 */

import { AWS, AZURE } from "../core/limits";
import type { LoadSegment } from "./analytic";
import type { Destination, HoldSpec, Traffic, Workload } from "./workload-schema";

/** `address:port/protocol`, e.g. `203.0.113.10:636/tcp`. */
export function endpointOf(d: Pick<Destination, "address" | "port" | "protocol">): string {
  return `${d.address}:${d.port}/${d.protocol}`;
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

/**
 * Seconds a port stays held after the connection's hold ends. TCP: the idle timeout for
 * `close: idle` (then the port is free), else the FIN or RST reuse hold-down. UDP has no FIN or RST:
 * a NAT gateway ends a UDP flow only at its idle timeout (AWS 350 s, Azure 4 min), and then the UDP
 * reuse hold-down applies, whatever `close` says.
 */
export function afterHoldSeconds(w: Workload, t: Pick<Traffic, "close">, protocol: "tcp" | "udp"): number {
  const reuse = w.gateway.portReuseSeconds;
  if (protocol === "udp") return idleTimeoutSeconds(w, "udp") + reuse.udp;
  if (t.close === "idle") return idleTimeoutSeconds(w, protocol);
  return t.close === "rst" ? reuse.rst : reuse.fin;
}

/** True when a stream's connections end by the gateway's idle timeout (every UDP flow; TCP with close: idle). */
export function endsByIdleTimeout(t: Pick<Traffic, "close">, protocol: "tcp" | "udp"): boolean {
  return protocol === "udp" || t.close === "idle";
}

/** Multiplier of a stream's rate at time `at` (1 before the first step). */
export function multiplierAt(t: Traffic, at: number): number {
  let m = 1;
  for (const s of t.schedule ?? []) if (s.atSeconds <= at) m = s.multiplier;
  return m;
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

/** Offered load per destination, in workload order. */
export function destinationLoads(w: Workload): DestinationLoad[] {
  return w.destinations.map((d) => {
    const streams = w.traffic.filter((t) => t.to === d.name);
    const cuts = new Set<number>([0, w.durationSeconds]);
    for (const t of streams) {
      for (const s of t.schedule ?? []) if (s.atSeconds < w.durationSeconds) cuts.add(s.atSeconds);
    }
    const times = [...cuts].sort((a, b) => a - b);
    const service = streams.map((t) => meanHoldSeconds(t.holdSeconds) + afterHoldSeconds(w, t, d.protocol));
    const segments: LoadSegment[] = [];
    for (let i = 0; i + 1 < times.length; i++) {
      let rate = 0;
      let offered = 0;
      streams.forEach((t, j) => {
        const r = t.connectionsPerSecond * multiplierAt(t, times[i]);
        rate += r;
        offered += r * service[j];
      });
      segments.push({ attempts: rate * (times[i + 1] - times[i]), offered });
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
