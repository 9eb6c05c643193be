/**
 * The NAT gateway models: which IP serves a new flow (per-flow hash or pooled), how many ports one IP
 * may hold per destination, the gateway-wide connection cap, and how long each stream's connections
 * keep their port. Everything cloud-specific the engine needs comes from here.
 *
 * @module
 */
import { AZURE } from "../../core/limits";
import type { Rng } from "../engine/random";
import type { HoldSpec, Workload } from "../workload/workload";
import { destinationIpCounts, meanHoldSeconds, perIpLimit, portLifetime } from "./load";

/** Chooses the IP that serves a new flow, or -1 when the flow gets a port-allocation error. */
export interface IpSelector {
  /**
   * @param held ports held per (destination, IP), row-major by destination
   * @param row index of the destination's first IP in `held`
   */
  choose(held: Int32Array, row: number, ips: number, limit: number, rng: Rng): number;
}

/** Per-flow hash: a uniformly random IP, no fallback (AWS). */
export const hashSelector: IpSelector = {
  choose(held, row, ips, limit, rng) {
    const ip = ips === 1 ? 0 : rng.below(ips);
    return held[row + ip] < limit ? ip : -1;
  },
};

/** Pooled: a random IP, or the next one with a free port (Azure). */
export const pooledSelector: IpSelector = {
  choose(held, row, ips, limit, rng) {
    const start = ips === 1 ? 0 : rng.below(ips);
    for (let i = 0; i < ips; i++) {
      const ip = (start + i) % ips;
      if (held[row + ip] < limit) return ip;
    }
    return -1;
  },
};

/** Gateway-wide rules of a workload. */
export interface GatewayRules {
  /** IPv4 IPs of the gateway. */
  readonly ips: number;
  /**
   * IPs serving each destination, in workload order: the IPv6 addresses for an IPv6 destination,
   * the IPv4 ones for the rest (each family has its own port inventory).
   */
  readonly ipsPerDestination: readonly number[];
  /** Ports one IP may hold for one destination (open plus hold-down). */
  readonly perIpLimit: number;
  /** Most connections open at once across the gateway (Azure 2,000,000; AWS unlimited). */
  readonly totalConnections: number;
  /** The IP-selection strategy. */
  readonly selector: IpSelector;
}

/** The gateway rules of a validated workload. */
export function gatewayRules(w: Workload): GatewayRules {
  return {
    ips: w.gateway.ips,
    ipsPerDestination: destinationIpCounts(w),
    perIpLimit: perIpLimit(w),
    totalConnections: w.cloud === "azure" ? AZURE.totalConnections.value : Number.POSITIVE_INFINITY,
    selector: w.gateway.ipSelection === "hash" ? hashSelector : pooledSelector,
  };
}

/** How one traffic stream behaves in the engine. */
export interface StreamModel {
  /** Index of the destination in the workload. */
  readonly dest: number;
  /** The stream's base rate, new connections per second. */
  readonly rate: number;
  /** Schedule steps (rate multipliers from `atSeconds` on). */
  readonly schedule: readonly { readonly atSeconds: number; readonly multiplier: number }[];
  /**
   * Seconds a connection counts as open, when constant: the hold, plus the idle timeout for
   * `close: idle`. Undefined when the hold is random.
   */
  readonly openConstant?: number;
  /** Draws how long one connection counts as open (hold, plus the idle timeout for `close: idle`). */
  readonly sampleOpen: (rng: Rng) => number;
  /** Seconds the port stays held after the connection ends (reuse hold-down; 0 after a TCP idle timeout, the UDP hold-down after a UDP one). */
  readonly after: number;
  /** True when connections end by the idle timeout (every UDP flow; TCP with close: idle), counted as idle timeouts. */
  readonly idle: boolean;
}

/** A sampler for a hold distribution. */
export function holdSampler(hold: HoldSpec): (rng: Rng) => number {
  if (typeof hold === "number") return () => hold;
  switch (hold.distribution) {
    case "constant":
      return () => hold.value;
    case "exponential":
      return (rng) => rng.exponential(hold.mean);
    case "uniform":
      return (rng) => hold.min + (hold.max - hold.min) * rng.float();
    case "lognormal": {
      // `mean` is the arithmetic mean: mu = ln(mean) − sigma²/2.
      const mu = Math.log(hold.mean) - (hold.sigma * hold.sigma) / 2;
      return (rng) => Math.exp(mu + hold.sigma * rng.normal());
    }
  }
}

function isConstant(hold: HoldSpec): boolean {
  return (
    typeof hold === "number" ||
    hold.distribution === "constant" ||
    (hold.distribution === "uniform" && hold.min === hold.max) ||
    (hold.distribution === "lognormal" && hold.sigma === 0)
  );
}

/** Stream models of a validated workload, in traffic order. */
export function streamModels(w: Workload): StreamModel[] {
  const index = new Map(w.destinations.map((d, i) => [d.name, i]));
  return w.traffic.map((t) => {
    const dest = index.get(t.to)!;
    const protocol = w.destinations[dest].protocol;
    const life = portLifetime(w, protocol, t.close);
    const idle = life.endsIdle;
    const extra = life.openAfterHold;
    const after = life.heldAfterClose;
    const sample = holdSampler(t.holdSeconds);
    const constant = isConstant(t.holdSeconds) ? meanHoldSeconds(t.holdSeconds) + extra : undefined;
    return {
      dest,
      rate: t.connectionsPerSecond,
      schedule: t.schedule ?? [],
      openConstant: constant,
      sampleOpen: constant !== undefined ? () => constant : (rng: Rng) => sample(rng) + extra,
      after,
      idle,
    };
  });
}
