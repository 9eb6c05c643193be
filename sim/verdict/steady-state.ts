/**
 * The steady state a window may end before. A simulated window starts with no port held, but
 * production traffic does not start from nothing: before the window it already ran (at its first
 * schedule level), and after it it goes on (at its last). Where such a level does not last a few
 * port lifetimes inside the window, the window never sees the ports that level holds once it has
 * run long enough, so the verdict also judges that level's stationary load (Erlang-B, or the hash
 * split per IP: ./analytic `sustainedPeakErrors`). A workload that really starts empty says so
 * (`startsEmpty: true`) and is judged on its window alone.
 *
 * Cheap by construction: one pass over each destination's streams and their schedule steps.
 *
 * @module
 */

import { fmt, plural } from "../../core/format";
import { afterHoldSeconds, destinationLoads, meanHoldSeconds, streamsByDestination } from "../gateway/load";
import { MAX_SECONDS } from "../workload/bounds";
import type { Destination, Traffic, Workload } from "../workload/schema";

/**
 * Mean port lifetimes after which a level counts as having reached its steady state: ports held
 * approach their stationary mean as 1 − e^(−t/lifetime) for exponential holds, 99.3 % after five
 * lifetimes (a constant hold reaches it after one).
 */
export const STEADY_STATE_LIFETIMES = 5;

/** Shortest window the components use by default, in seconds (also the default when lifetimes are short). */
export const DEFAULT_WINDOW_SECONDS = 600;

/** The stationary load of one schedule level that a window ends (or starts) before reaching. */
export interface SteadyStateLoad {
  /**
   * Which level: `first` — the traffic as it ran before the window (the window starts with no
   * port held); `last` — the traffic as it goes on after the window ends.
   */
  readonly level: "first" | "last";
  /** New connections per second at that level. */
  readonly ratePerSecond: number;
  /** Ports held on average once the level has run long enough (rate × mean port lifetime), in Erlangs. */
  readonly offered: number;
  /** Mean seconds a port stays held at that level (offered ÷ rate): hold plus hold-down or idle timeout. */
  readonly portLifetimeSeconds: number;
  /** Seconds the level lasts inside the window. */
  readonly secondsInWindow: number;
}

/** One level of a destination's traffic: its rate, offered load and slowest stream's lifetime. */
function levelOf(
  w: Workload,
  streams: readonly Traffic[],
  protocol: Destination["protocol"],
  multiplier: (t: Traffic) => number,
) {
  let rate = 0;
  let offered = 0;
  let slowest = 0;
  for (const t of streams) {
    const r = t.connectionsPerSecond * multiplier(t);
    if (!(r > 0)) continue;
    const life = meanHoldSeconds(t.holdSeconds) + afterHoldSeconds(w, t, protocol);
    rate += r;
    offered += r * life;
    slowest = Math.max(slowest, life);
  }
  return { rate, offered, slowest };
}

/** The multiplier of a stream's last step at or before `at` (1 before its first step). */
function multiplierAtOrBefore(t: Traffic, at: number): number {
  let m = 1;
  for (const s of t.schedule ?? []) if (s.atSeconds <= at) m = s.multiplier;
  return m;
}

/**
 * The steady-state load of one destination that its window does not reach: of the first and last
 * levels of its traffic, those lasting fewer than {@link STEADY_STATE_LIFETIMES} lifetimes of their
 * slowest stream inside the window, the one that holds more ports. Undefined when the workload
 * starts empty, the destination has no traffic, or the window reaches both levels' steady states.
 */
export function missedSteadyState(w: Workload, d: Destination): SteadyStateLoad | undefined {
  if (w.startsEmpty) return undefined;
  const streams = streamsByDestination(w).get(d.name) ?? [];
  if (streams.length === 0) return undefined;
  const T = w.durationSeconds;
  const steps = streams.flatMap((t) => (t.schedule ?? []).map((s) => s.atSeconds)).filter((a) => a < T);
  const firstChange = steps.reduce((m, a) => (a > 0 ? Math.min(m, a) : m), T);
  const lastChange = steps.reduce((m, a) => Math.max(m, a), 0);
  const candidates = [
    {
      level: "first" as const,
      span: firstChange,
      ...levelOf(w, streams, d.protocol, (t) => multiplierAtOrBefore(t, 0)),
    },
    {
      level: "last" as const,
      span: T - lastChange,
      ...levelOf(w, streams, d.protocol, (t) => multiplierAtOrBefore(t, lastChange)),
    },
  ].filter((c) => c.rate > 0 && c.span < STEADY_STATE_LIFETIMES * c.slowest);
  if (candidates.length === 0) return undefined;
  const worst = candidates.reduce((a, b) => (b.offered > a.offered ? b : a));
  return {
    level: worst.level,
    ratePerSecond: worst.rate,
    offered: worst.offered,
    portLifetimeSeconds: worst.offered / worst.rate,
    secondsInWindow: worst.span,
  };
}

/**
 * The window the components (and the capacity rule) check when `durationSeconds` is not given:
 * long enough for every stream's ports to reach their steady state ({@link STEADY_STATE_LIFETIMES}
 * lifetimes of the slowest stream, past the last schedule step), at least
 * {@link DEFAULT_WINDOW_SECONDS}, at most natcap's one-year bound. The analytic path's work does not
 * grow with the window; the simulator's does (attempts), and `auto` simulates only where that is
 * cheap, so a long window is answered analytically. Where the window still ends first, the
 * verdict's steady-state check covers the rest.
 *
 * @param maxAttempts the simulator's work budget when only a simulation will answer: the window is
 *   shortened to fit it (never below {@link DEFAULT_WINDOW_SECONDS}) @default no budget
 */
export function steadyStateWindowSeconds(w: Workload, maxAttempts = Number.POSITIVE_INFINITY): number {
  const window = steadyWindow(w);
  const attempts = destinationLoads({ ...w, durationSeconds: window }).reduce((n, l) => n + l.attempts, 0);
  if (!(attempts > maxAttempts)) return window;
  // Attempts grow about linearly with the window: shorten it to the budget, never below the default.
  return Math.max(DEFAULT_WINDOW_SECONDS, Math.floor((window * maxAttempts) / attempts));
}

function steadyWindow(w: Workload): number {
  let need = DEFAULT_WINDOW_SECONDS;
  for (const t of w.traffic) {
    const d = w.destinations.find((x) => x.name === t.to);
    if (!d) continue;
    const life = meanHoldSeconds(t.holdSeconds) + afterHoldSeconds(w, t, d.protocol);
    const lastStep = (t.schedule ?? []).reduce((m, s) => Math.max(m, s.atSeconds), 0);
    need = Math.max(need, lastStep + STEADY_STATE_LIFETIMES * life);
  }
  return Math.min(MAX_SECONDS, Math.ceil(need));
}

/** A rate with three significant digits: `50`, `0.25`, `1,250`. */
function rateText(r: number): string {
  return r >= 100 ? fmt(r) : String(Number(r.toPrecision(3)));
}

/**
 * The steady state in words for messages and reports: `once it has run long enough (steady state
 * of the traffic before the window): about 183,000 ports held (50 new connections/s × 3,660 s per
 * port), about 41,000 expected port-allocation errors over 600 s`.
 */
export function steadyStateWords(
  s: SteadyStateLoad,
  expectedErrors: number,
  durationSeconds: number,
): string {
  const which =
    s.secondsInWindow >= durationSeconds
      ? "as it runs before and after the window"
      : s.level === "first"
        ? "as it ran before the window"
        : "as it goes on after the window";
  return (
    `the window ends before its ports fill: once the traffic has run long enough (${which}), ` +
    `about ${plural(Math.round(s.offered), "port")} held (${rateText(s.ratePerSecond)} new connections/s × ` +
    `${fmt(Math.round(s.portLifetimeSeconds))} s per port) and about ${plural(Math.round(expectedErrors), "expected port-allocation error")} ` +
    `over ${fmt(durationSeconds)} s; set startsEmpty: true only if the traffic really starts from nothing`
  );
}

/** The note of a result whose workload says `startsEmpty: true`. */
export const STARTS_EMPTY_NOTE =
  "startsEmpty: true: the window starts with no port held and is judged alone; traffic that ran before the window or goes on after it is not considered.";
