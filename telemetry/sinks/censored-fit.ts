/**
 * Maximum-likelihood hold fits with right-censored durations: connections still open when the logs
 * end lasted at least their elapsed time, and the long ones are the likeliest to be cut off, so
 * leaving them out biases a fit short. Each completed duration adds its log-density, each censored
 * one its log-survival at the elapsed time.
 *
 * - Exponential: closed form, mean = (Σ completed + Σ censored elapsed) / (number completed).
 * - Lognormal: the completed part from the sufficient statistics, the censored part from the
 *   censored whole-second histogram; maximised by Nelder–Mead over (μ, log σ) from the uncensored
 *   fit, at most {@link MAX_ITERATIONS} steps; the uncensored fit is kept when the search does not
 *   improve on it (the fallback).
 *
 * @module
 */
import type { CensoredDurations, DurationStats } from "./duration-stats";

/** Most Nelder–Mead iterations of the censored lognormal fit. */
export const MAX_ITERATIONS = 400;

/** An exponential fit: its mean and log-likelihood. */
export interface ExponentialFit {
  /** Mean, seconds. */
  mean: number;
  /** Log-likelihood (censored terms included). */
  logLikelihood: number;
}

/** A lognormal fit: log-mean, log-sd and log-likelihood. */
export interface LognormalFit {
  /** Mean of the logarithm. */
  mu: number;
  /** Standard deviation of the logarithm. */
  sigma: number;
  /** Log-likelihood (censored terms included). */
  logLikelihood: number;
}

/** Censored count of `c` (0 when absent). */
export function censoredCount(c?: CensoredDurations): number {
  return c?.stats.count ?? 0;
}

/** Censored exponential MLE; undefined when nothing completed (the mean is then unbounded). */
export function fitExponentialCensored(s: DurationStats, c?: CensoredDurations): ExponentialFit | undefined {
  if (s.count <= 0) return undefined;
  const total = s.sum + (c?.stats.sum ?? 0);
  const mean = total / s.count;
  return { mean, logLikelihood: -s.count * Math.log(mean) - total / mean };
}

/**
 * Natural logarithm of erfc(x), accurate in the far tail (Numerical Recipes' erfcc, fractional error
 * under 1.2e-7 everywhere), so log-survivals stay finite and exact-enough where erf(x) rounds to 1.
 */
export function logErfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const logTail = Math.log(t) + poly;
  return x >= 0 ? logTail : Math.log(2 - Math.exp(logTail));
}

/** Log of the lognormal survival P(X > x). */
function logSurvival(x: number, mu: number, sigma: number): number {
  return Math.log(0.5) + logErfc((Math.log(x) - mu) / (sigma * Math.SQRT2));
}

/** Lognormal log-likelihood: completed durations from their statistics, censored from their histogram. */
export function lognormalLogLikelihood(
  s: DurationStats,
  c: CensoredDurations | undefined,
  mu: number,
  sigma: number,
): number {
  const n = s.count;
  const ss = s.sumLogSq - 2 * mu * s.sumLog + n * mu * mu;
  let ll = -s.sumLog - n * Math.log(sigma * Math.sqrt(2 * Math.PI)) - ss / (2 * sigma * sigma);
  for (const [x, k] of c?.histogram ?? []) ll += k * logSurvival(x, mu, sigma);
  return ll;
}

/** Minimises `f` over 2 variables by Nelder–Mead from `x0` with initial steps `step`, bounded. */
function nelderMead(f: (x: number[]) => number, x0: number[], step: number[]): number[] {
  const pts = [x0, [x0[0] + step[0], x0[1]], [x0[0], x0[1] + step[1]]];
  let vals = pts.map(f);
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    const order = [0, 1, 2].sort((a, b) => vals[a] - vals[b]);
    const [b, g, w] = order.map((i) => pts[i]);
    const [fb, fg, fw] = order.map((i) => vals[i]);
    if (Math.abs(fw - fb) < 1e-10 * (1 + Math.abs(fb))) return b;
    const mid = [(b[0] + g[0]) / 2, (b[1] + g[1]) / 2];
    const at = (t: number) => [mid[0] + t * (w[0] - mid[0]), mid[1] + t * (w[1] - mid[1])];
    const r = at(-1);
    const fr = f(r);
    let next: number[] | undefined;
    let fn = 0;
    if (fr < fb) {
      const e = at(-2);
      const fe = f(e);
      [next, fn] = fe < fr ? [e, fe] : [r, fr];
    } else if (fr < fg) [next, fn] = [r, fr];
    else {
      const k = at(fr < fw ? -0.5 : 0.5);
      const fk = f(k);
      if (fk < Math.min(fr, fw)) [next, fn] = [k, fk];
    }
    if (next) {
      pts.splice(0, 3, b, g, next);
      vals = [fb, fg, fn];
    } else {
      const shrink = (p: number[]) => [(b[0] + p[0]) / 2, (b[1] + p[1]) / 2];
      pts.splice(0, 3, b, shrink(g), shrink(w));
      vals = [fb, f(pts[1]), f(pts[2])];
    }
  }
  return pts[vals.indexOf(Math.min(...vals))];
}

/**
 * Censored lognormal MLE; undefined when fewer than 2 durations completed or they have no spread.
 * With nothing censored it is the closed-form uncensored MLE.
 */
export function fitLognormalCensored(s: DurationStats, c?: CensoredDurations): LognormalFit | undefined {
  const n = s.count;
  if (n < 2) return undefined;
  const mu0 = s.sumLog / n;
  const sigma0 = Math.sqrt(Math.max(0, s.sumLogSq / n - mu0 * mu0));
  if (!(sigma0 > 0)) return undefined;
  const start: LognormalFit = {
    mu: mu0,
    sigma: sigma0,
    logLikelihood: lognormalLogLikelihood(s, c, mu0, sigma0),
  };
  if (censoredCount(c) <= 0) return start;
  const negLl = ([mu, logSigma]: number[]) => {
    const v = -lognormalLogLikelihood(s, c, mu, Math.exp(logSigma));
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  const [mu, logSigma] = nelderMead(negLl, [mu0, Math.log(sigma0)], [0.25 * sigma0 + 0.05, 0.2]);
  const ll = -negLl([mu, logSigma]);
  // Fallback: a search that went nowhere better (or off to non-finite values) keeps the start.
  if (!(Number.isFinite(ll) && ll >= start.logLikelihood)) return start;
  return { mu, sigma: Math.exp(logSigma), logLikelihood: ll };
}
