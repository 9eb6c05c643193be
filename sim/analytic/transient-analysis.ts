/**
 * The time-varying analytic path's answer for one destination at a given number of IPs: expected
 * port-allocation errors, ∫ λ(t)·B(t) dt by adaptive Simpson on panels whose edges sit at rate steps
 * and at the ages where m(t) bends (sim/analytic/transient.ts builds the model), with the fluid limit
 * (sim/analytic/fluid.ts) where its answer is the better one.
 *
 * @module
 */
import { fluidErrors } from "./fluid";
import {
  destRate,
  erlangBFast,
  type FluidErrors,
  meanOpenTotalAt,
  meanPortsHeldAt,
  streamsOf,
  type TransientModel,
  upperBound,
} from "./transient";

/** Analytic figures of one destination at a given number of IPs. */
export interface DestinationTransient {
  /** Expected attempts over the run (exact). */
  readonly attempts: number;
  /** Expected port-allocation errors, ∫ λ(t)·B(t) dt with B from per-IP limits and the cap. */
  readonly expectedErrors: number;
  /** Expected errors the gateway-wide cap alone causes (as with unlimited IPs); 0 on AWS. */
  readonly capErrors: number;
  /** True when the gateway-wide cap alone causes errors (≥ the zero-errors threshold): more IPs do not help. */
  readonly capLimited: boolean;
  /** Time-averaged ports held that were granted: ∫ m(t)(1 − B(t)) dt / duration. */
  readonly meanPortsHeld: number;
  /** Largest m(t) found (infinite-server mean of ports held, before blocking). */
  readonly peakMeanHeld: number;
  /** Time of `peakMeanHeld`, seconds. */
  readonly peakTime: number;
  /** True when the evaluation budget ran out and some panels were accepted unrefined. */
  readonly budgetExhausted: boolean;
}

function fluidAt(model: TransientModel, ips: number): FluidErrors {
  let f = model.fluid.get(ips);
  if (f === undefined) {
    f = fluidErrors(model, ips);
    model.fluid.set(ips, f);
  }
  return f;
}

/** Absolute tolerance on expected errors over the whole run (spread over panels by length). */
const ABS_ERROR_TOL = 0.002;
/** Relative tolerance of a panel's expected errors. */
const REL_ERROR_TOL = 1e-4;
/** Deepest panel halving. */
const MAX_DEPTH = 40;
/** Evaluations per destination and IP count before panels are accepted as they are. */
const EVAL_BUDGET = 400_000;

/**
 * Expected errors and mean ports held for destination `d` with `ips` IPs.
 *
 * @param threshold errors at or above which `capLimited` is set @default 0.5
 */
export function analyzeDestination(
  model: TransientModel,
  d: number,
  ips: number,
  threshold = 0.5,
): DestinationTransient {
  const w = model.workload;
  const T = w.durationSeconds;
  const N = model.perIpLimit;
  const hash = w.gateway.ipSelection === "hash";
  const cap = model.totalConnections;
  // The cap matters only where the open connections can come near it.
  const capped = Number.isFinite(cap) && erlangBFast(upperBound(model, true), cap) > 0;
  const ipWidth = hash ? ips * Math.sqrt(N) : Math.sqrt(ips * N);
  const capWidth = 2 * Math.sqrt(cap);
  let evals = 0;
  let peakOpen = 0;
  let peak = 0;
  let peakTime = 0;
  // f(t) = [B_total, B_cap, m·(1 − B_total)], plus m and the open total for the jump rule.
  const f = (t: number) => {
    evals++;
    const m = meanPortsHeldAt(model, d, t);
    if (m > peak) {
      peak = m;
      peakTime = t;
    }
    const bIp = hash ? erlangBFast(m / ips, N) : erlangBFast(m, ips * N);
    const open = capped ? meanOpenTotalAt(model, t) : 0;
    if (open > peakOpen) peakOpen = open;
    let bCap = 0;
    if (capped) {
      const known = model.capBlocking.get(t);
      bCap = known ?? erlangBFast(open, cap);
      if (known === undefined) model.capBlocking.set(t, bCap);
    }
    const b = 1 - (1 - bIp) * (1 - bCap);
    return { b, bCap, carried: m * (1 - b), m, open };
  };
  type P = ReturnType<typeof f>;
  let errors = 0;
  let capErrors = 0;
  let area = 0;
  const panel = (a: number, b: number, fa: P, fm: P, fb: P, rate: number, depth: number) => {
    const l = (b - a) / 4;
    const f1 = f(a + l);
    const f2 = f(b - l);
    const h = b - a;
    const s1 = (h / 6) * (fa.b + 4 * fm.b + fb.b) * rate;
    const s2 = (h / 12) * (fa.b + 4 * f1.b + 2 * fm.b + 4 * f2.b + fb.b) * rate;
    const c1 = (h / 6) * (fa.bCap + 4 * fm.bCap + fb.bCap) * rate;
    const c2 = (h / 12) * (fa.bCap + 4 * f1.bCap + 2 * fm.bCap + 4 * f2.bCap + fb.bCap) * rate;
    const tol = Math.max((ABS_ERROR_TOL * h) / T, REL_ERROR_TOL * Math.abs(s2));
    const blocking = Math.max(fa.b, f1.b, fm.b, f2.b, fb.b) > 0;
    const jumps =
      blocking && (Math.abs(fb.m - fa.m) > ipWidth || (capped && Math.abs(fb.open - fa.open) > capWidth));
    const fine = Math.abs(s2 - s1) <= 15 * tol && Math.abs(c2 - c1) <= 15 * tol && !jumps;
    if (fine || depth >= MAX_DEPTH || evals > EVAL_BUDGET || h < 1e-9) {
      errors += s2 + (s2 - s1) / 15;
      capErrors += c2 + (c2 - c1) / 15;
      area += (h / 12) * (fa.carried + 4 * f1.carried + 2 * fm.carried + 4 * f2.carried + fb.carried);
      return;
    }
    const mid = (a + b) / 2;
    panel(a, mid, fa, f1, fm, rate, depth + 1);
    panel(mid, b, fm, f2, fb, rate, depth + 1);
  };
  let attempts = 0;
  for (const c of streamsOf(model, d)) attempts += c.attempts;
  const edges = model.edges;
  for (let i = 0; i + 1 < edges.length; i++) {
    const a = edges[i];
    const b = edges[i + 1];
    if (!(b > a)) continue;
    const rate = destRate(model, d, a);
    // Two starting panels per interval, so a bump between edges is not missed.
    const mid = (a + b) / 2;
    const fa = f(a);
    const fm = f(mid);
    const fb = f(b);
    panel(a, mid, fa, f((a + mid) / 2), fm, rate, 0);
    panel(mid, b, fm, f((mid + b) / 2), fb, rate, 0);
  }
  // Overload: the fluid limit, where the mean ports held or open connections pass a limit.
  if (peak > ips * N || (capped && peakOpen > cap)) {
    const fluid = fluidAt(model, ips);
    if (fluid.errors[d] > errors) {
      errors = fluid.errors[d];
      area = Math.min(area, fluid.heldArea[d]);
    }
  }
  if (capped && peakOpen > cap)
    capErrors = Math.max(capErrors, fluidAt(model, Number.POSITIVE_INFINITY).errors[d]);
  const expectedErrors = Math.max(0, Math.min(attempts, errors));
  const capOnly = Math.max(0, Math.min(attempts, capErrors));
  return {
    attempts,
    expectedErrors,
    capErrors: capOnly,
    capLimited: capOnly >= threshold,
    meanPortsHeld: Math.max(0, area / T),
    peakMeanHeld: peak,
    peakTime,
    budgetExhausted: evals > EVAL_BUDGET,
  };
}
