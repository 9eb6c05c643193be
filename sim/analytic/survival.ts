/**
 * Port lifetimes as distributions: a connection keeps its port for S = H + c, H a hold distribution
 * (constant, exponential, uniform, lognormal with arithmetic mean) and c a constant (idle timeout,
 * reuse hold-down). The time-varying analytic path needs, for each lifetime, the partial
 * expectations E[min(S, x)] and E[(S − x)⁺] in closed form; they are here, with a careful erfc.
 *
 * @module
 */
import type { HoldSpec } from "../workload/workload";

const SQRT_PI = Math.sqrt(Math.PI);

/**
 * Complementary error function, relative accuracy ~1e-14 on the whole real line: an all-positive
 * series for erf below 2.5 (no cancellation), Lentz's continued fraction for erfc above.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) {
    // erf(x) = 2/√π · e^{−x²} · Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1))
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - (2 / SQRT_PI) * Math.exp(-x2) * sum;
  }
  if (x > 27) return 0; // below the smallest double
  // erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), modified Lentz.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (SQRT_PI * f);
}

/** Standard normal upper tail P(Z > z), accurate far into both tails. */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** How long a connection keeps its port: the hold H plus a constant `extra` (seconds). */
export interface Lifetime {
  /** The hold distribution as the workload states it. */
  readonly hold: HoldSpec;
  /** Constant seconds added to every hold (idle timeout, reuse hold-down). */
  readonly extra: number;
}

/**
 * A lifetime S = H + extra. The one place the analytic path forms a lifetime, so a change of what
 * follows a hold (e.g. UDP: idle timeout then hold-down) is a change of `extra` only.
 */
export function lifetimeOf(hold: HoldSpec, extra: number): Lifetime {
  return { hold, extra: Math.max(0, extra) };
}

type Shape =
  | { kind: "constant"; value: number }
  | { kind: "exponential"; mean: number }
  | { kind: "uniform"; min: number; max: number }
  | { kind: "lognormal"; mean: number; mu: number; sigma: number };

function shapeOf(hold: HoldSpec): Shape {
  if (typeof hold === "number") return { kind: "constant", value: hold };
  switch (hold.distribution) {
    case "constant":
      return { kind: "constant", value: hold.value };
    case "exponential":
      return { kind: "exponential", mean: hold.mean };
    case "uniform":
      return hold.min === hold.max
        ? { kind: "constant", value: hold.min }
        : { kind: "uniform", min: hold.min, max: hold.max };
    case "lognormal":
      if (hold.sigma === 0) return { kind: "constant", value: hold.mean };
      return {
        kind: "lognormal",
        mean: hold.mean,
        mu: Math.log(hold.mean) - (hold.sigma * hold.sigma) / 2,
        sigma: hold.sigma,
      };
  }
}

function holdMean(s: Shape): number {
  switch (s.kind) {
    case "constant":
      return s.value;
    case "exponential":
      return s.mean;
    case "uniform":
      return (s.min + s.max) / 2;
    case "lognormal":
      return s.mean;
  }
}

/** E[(H − y)⁺] for y ≥ 0. */
function holdExcess(s: Shape, y: number): number {
  switch (s.kind) {
    case "constant":
      return Math.max(0, s.value - y);
    case "exponential":
      return s.mean * Math.exp(-y / s.mean);
    case "uniform":
      if (y <= s.min) return (s.min + s.max) / 2 - y;
      if (y >= s.max) return 0;
      return ((s.max - y) * (s.max - y)) / (2 * (s.max - s.min));
    case "lognormal": {
      if (y <= 0) return s.mean;
      // Black–Scholes call: E[(H − y)⁺] = mean·Φ(d1) − y·Φ(d2), Φ(d) = P(Z > −d).
      const ly = Math.log(y);
      const d1 = (s.mu + s.sigma * s.sigma - ly) / s.sigma;
      const d2 = (s.mu - ly) / s.sigma;
      return Math.max(0, s.mean * normalUpperTail(-d1) - y * normalUpperTail(-d2));
    }
  }
}

/** P(H > y) for y ≥ 0. */
function holdSurvival(s: Shape, y: number): number {
  switch (s.kind) {
    case "constant":
      return s.value > y ? 1 : 0;
    case "exponential":
      return Math.exp(-y / s.mean);
    case "uniform":
      return y < s.min ? 1 : y >= s.max ? 0 : (s.max - y) / (s.max - s.min);
    case "lognormal":
      return y <= 0 ? 1 : normalUpperTail((Math.log(y) - s.mu) / s.sigma);
  }
}

const shapes = new WeakMap<Lifetime, Shape>();
function shape(l: Lifetime): Shape {
  let s = shapes.get(l);
  if (s === undefined) {
    s = shapeOf(l.hold);
    shapes.set(l, s);
  }
  return s;
}

/** E[S], seconds. */
export function lifetimeMean(l: Lifetime): number {
  return holdMean(shape(l)) + l.extra;
}

/** P(S > x). */
export function lifetimeSurvival(l: Lifetime, x: number): number {
  return x < l.extra ? 1 : holdSurvival(shape(l), x - l.extra);
}

/**
 * E[(S − x)⁺] = ∫ₓ^∞ P(S > v) dv: the port-seconds a connection still has ahead of it at age x, on
 * average. Computed directly (not as mean − used) so it stays accurate where it is tiny.
 */
export function lifetimeExcess(l: Lifetime, x: number): number {
  if (x <= 0) return lifetimeMean(l) - x;
  if (x < l.extra) return lifetimeMean(l) - x;
  return holdExcess(shape(l), x - l.extra);
}

/** E[min(S, x)] = ∫₀^x P(S > v) dv for x ≥ 0. */
export function lifetimeUsed(l: Lifetime, x: number): number {
  if (x <= 0) return 0;
  return lifetimeMean(l) - lifetimeExcess(l, x);
}

/**
 * Ages after a rate step at which the ports-held curve bends (kinks of constant and uniform holds,
 * quantiles of smooth ones): the analytic integration puts panel edges there.
 */
export function lifetimeFeatureAges(l: Lifetime): number[] {
  const s = shape(l);
  const c = l.extra;
  const ages: number[] = c > 0 ? [c] : [];
  switch (s.kind) {
    case "constant":
      ages.push(c + s.value);
      break;
    case "exponential":
      for (const f of [0.1, 0.5, 1, 2, 4, 8]) ages.push(c + f * s.mean);
      break;
    case "uniform":
      ages.push(c + s.min, c + (s.min + s.max) / 2, c + s.max);
      break;
    case "lognormal":
      for (const z of [-2, -1, 0, 1, 2, 3]) ages.push(c + Math.exp(s.mu + s.sigma * z));
      break;
  }
  return ages.filter((a) => a > 0 && Number.isFinite(a));
}

/**
 * Smallest age (up to `cap`) past which E[(S − x)⁺] ≤ `relative` × E[S]: older rate steps count at
 * their full weight, so evaluation only sums the steps younger than this.
 *
 * @param relative @default 1e-12
 */
export function lifetimeHorizon(l: Lifetime, cap: number, relative = 1e-12): number {
  const mean = lifetimeMean(l);
  if (!(mean > 0)) return 0;
  const target = relative * mean;
  if (lifetimeExcess(l, cap) > target) return cap;
  let lo = 0;
  let hi = cap;
  for (let i = 0; i < 200 && hi - lo > 1e-9 * Math.max(1, hi); i++) {
    const mid = lo + (hi - lo) / 2;
    if (lifetimeExcess(l, mid) > target) lo = mid;
    else hi = mid;
  }
  return hi;
}
