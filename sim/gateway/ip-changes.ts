/**
 * The gateway's IPv4 addresses over time (`gateway.ipChanges`), as one timeline both the engine and
 * the analytic path read. Every IP the run ever uses is a slot: the first `gateway.ips` slots from
 * the start, a fresh slot for each IP added. A removal takes the most recently added IPs first (on
 * AWS the primary address cannot be disassociated), and on AWS a removed IP drains: per the EC2 API
 * reference (DisassociateNatGatewayAddress) it "stays associated and supports the existing
 * connections but does not support any new connections" until they end or `drainSeconds` pass; the
 * connections still open then are cut. New flows hash over the IPs that take new flows
 * (`activeAt`); existing flows stay on their IP.
 *
 * @module
 */
import { AWS } from "../../core/limits";
import { addressFamily } from "../workload/address";
import type { Workload } from "../workload/schema";

/** One change of an IP slot. */
export interface IpEvent {
  /** Seconds into the run. */
  readonly at: number;
  /** `add`: takes new flows from now on; `remove`: stops taking new flows (drains); `cut`: drain over. */
  readonly kind: "add" | "remove" | "cut";
  /** The slot. */
  readonly slot: number;
}

/** A stretch of the run during which no IP changes. */
export interface IpInterval {
  /** Start, seconds. */
  readonly fromSeconds: number;
  /** End, seconds. */
  readonly toSeconds: number;
  /** IPs taking new flows. */
  readonly ips: number;
  /** Removed IPs still holding connections (draining). */
  readonly drainingIps: number;
}

/** The IP slots of a run with `gateway.ipChanges`. */
export interface IpTimeline {
  /** IP slots the run uses: the initial IPs plus every IP added. */
  readonly slots: number;
  /** Seconds a removed IP drains. */
  readonly drainSeconds: number;
  /** When each slot starts taking new flows (0 for the initial IPs). */
  readonly addedAt: readonly number[];
  /** When each slot stops taking new flows (Infinity: never in the run). */
  readonly removedAt: readonly number[];
  /** When each slot's remaining connections are cut (Infinity: not within the run). */
  readonly cutAt: readonly number[];
  /** Every add, remove and cut within the run, in time order (cuts first at equal times). */
  readonly events: readonly IpEvent[];
  /** The run split at every event time. */
  readonly intervals: readonly IpInterval[];
}

/** The drain of a workload's removed IPs: `gateway.drainSeconds`, else AWS's default (350 s). */
export function drainSecondsOf(w: Pick<Workload, "gateway">): number {
  return w.gateway.drainSeconds ?? AWS.defaultDrainSeconds.value;
}

/** True when a workload changes its IPs during the run. */
export function hasIpChanges(w: Pick<Workload, "gateway">): boolean {
  return (w.gateway.ipChanges?.length ?? 0) > 0;
}

/**
 * The IP timeline of a validated workload, or undefined when its IPs never change. Steps are taken
 * as validated: in time order, inside the run (sim/workload/rules.ts).
 */
export function ipTimeline(w: Workload): IpTimeline | undefined {
  if (!hasIpChanges(w)) return undefined;
  const T = w.durationSeconds;
  const drain = drainSecondsOf(w);
  const addedAt: number[] = [];
  const removedAt: number[] = [];
  const active: number[] = [];
  for (let i = 0; i < w.gateway.ips; i++) {
    addedAt.push(0);
    removedAt.push(Number.POSITIVE_INFINITY);
    active.push(i);
  }
  for (const step of w.gateway.ipChanges ?? []) {
    while (active.length < step.ips) {
      active.push(addedAt.length);
      addedAt.push(step.atSeconds);
      removedAt.push(Number.POSITIVE_INFINITY);
    }
    while (active.length > step.ips) removedAt[active.pop()!] = step.atSeconds;
  }
  const cutAt = removedAt.map((r) => (r + drain < T ? r + drain : Number.POSITIVE_INFINITY));
  const events: IpEvent[] = [];
  const order = { cut: 0, remove: 1, add: 2 } as const;
  addedAt.forEach((a, slot) => {
    if (a > 0) events.push({ at: a, kind: "add", slot });
    if (removedAt[slot] < T) events.push({ at: removedAt[slot], kind: "remove", slot });
    if (cutAt[slot] < T) events.push({ at: cutAt[slot], kind: "cut", slot });
  });
  events.sort((x, y) => x.at - y.at || order[x.kind] - order[y.kind] || x.slot - y.slot);
  return {
    slots: addedAt.length,
    drainSeconds: drain,
    addedAt,
    removedAt,
    cutAt,
    events,
    intervals: intervalsOf(addedAt, removedAt, cutAt, events, T),
  };
}

function intervalsOf(
  addedAt: readonly number[],
  removedAt: readonly number[],
  cutAt: readonly number[],
  events: readonly IpEvent[],
  T: number,
): IpInterval[] {
  const bounds = [...new Set([0, ...events.map((e) => e.at), T])].sort((a, b) => a - b);
  const out: IpInterval[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const t = bounds[i];
    let ips = 0;
    let draining = 0;
    addedAt.forEach((a, s) => {
      if (a <= t && removedAt[s] > t) ips++;
      else if (removedAt[s] <= t && cutAt[s] > t) draining++;
    });
    out.push({ fromSeconds: t, toSeconds: bounds[i + 1], ips, drainingIps: draining });
  }
  return out;
}

/** The slots taking new flows at time t, in slot order. */
export function activeAt(timeline: IpTimeline, t: number): number[] {
  const out: number[] = [];
  timeline.addedAt.forEach((a, s) => {
    if (a <= t && timeline.removedAt[s] > t) out.push(s);
  });
  return out;
}

/** Index of the interval holding time t (the last one for t at the end of the run). */
export function intervalIndexAt(timeline: IpTimeline, t: number): number {
  const iv = timeline.intervals;
  let i = 0;
  while (i + 1 < iv.length && iv[i + 1].fromSeconds <= t) i++;
  return i;
}

/**
 * Per-IP entries of destination `d` in the engine's counters and the result's per-IP arrays: its
 * family's IPs, or every IPv4 slot the run uses when the IPs change (IPv6 addresses never change).
 */
export function rowWidth(w: Workload, d: number, timeline: IpTimeline | undefined): number {
  if (!followsIpChanges(w, d)) return w.gateway.ipsV6 ?? 0;
  return timeline?.slots ?? w.gateway.ips;
}

/** True when destination `d` takes its ports from the IPv4 addresses, the ones `ipChanges` changes. */
export function followsIpChanges(w: Workload, d: number): boolean {
  return addressFamily(w.destinations[d].address) !== "ipv6";
}
