/**
 * Fits a hold-time distribution to observed connection durations, by maximum likelihood, from the
 * sufficient statistics the aggregation keeps (so a fit from flow logs read here and one from an
 * aggregated query result agree).
 *
 * Candidates: constant, exponential, lognormal. The choice:
 * - constant when the durations' standard deviation is at most 0.5 s: with 1 s timestamps a spread
 *   that small is indistinguishable from none;
 * - otherwise exponential or lognormal, whichever has the lower AIC (2k − 2 log-likelihood; k = 1 and 2).
 * Durations still open when the logs end (right-censored) enter both fits and their likelihoods
 * (censored-fit.ts), so the choice uses the censored likelihood; the constant test looks at the
 * completed durations only.
 * Durations under 0.5 s count as 0.5 s (see aggregate.ts), so the log-likelihoods stay finite.
 * When a histogram of the durations is at hand, the Kolmogorov–Smirnov distance of the chosen fit is
 * reported too (it is inflated by up to one 1 s bin's mass by the timestamps' quantisation).
 *
 * @module
 */
import type { HoldSpec } from "../../sim/workload/workload";
import { censoredCount, fitExponentialCensored, fitLognormalCensored } from "./censored-fit";
import type { CensoredDurations, DurationStats } from "./duration-stats";

/** Standard deviation (seconds) at or under which durations are taken as constant. */
export const CONSTANT_SPREAD_SECONDS = 0.5;

/** A fitted hold distribution and how good it is. */
export interface HoldFit {
  /** The distribution, in the workload format. */
  hold: HoldSpec & object;
  /** Which candidate won. */
  kind: "constant" | "exponential" | "lognormal";
  /** Completed durations fitted. */
  count: number;
  /** Censored durations (still open when the logs end) in the fit; absent when none. */
  censored?: number;
  /** Log-likelihood of the chosen fit (undefined for constant, whose density is degenerate). */
  logLikelihood?: number;
  /** AIC of the chosen fit (undefined for constant). */
  aic?: number;
  /** AIC of the other continuous candidate, for comparison. */
  otherAic?: number;
  /** Kolmogorov–Smirnov distance to the durations' histogram, when one was given. */
  ks?: number;
}

/** Error function (Abramowitz & Stegun 7.1.26, absolute error under 1.5e-7). */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-a * a);
  return sign * y;
}

/** CDF of a hold distribution at `x` seconds. */
export function holdCdf(hold: HoldFit["hold"], x: number): number {
  switch (hold.distribution) {
    case "constant":
      return x >= hold.value ? 1 : 0;
    case "exponential":
      return x <= 0 ? 0 : 1 - Math.exp(-x / hold.mean);
    case "uniform":
      return x <= hold.min ? 0 : x >= hold.max ? 1 : (x - hold.min) / (hold.max - hold.min || 1);
    case "lognormal": {
      if (x <= 0) return 0;
      if (hold.sigma === 0) return x >= hold.mean ? 1 : 0;
      const mu = Math.log(hold.mean) - (hold.sigma * hold.sigma) / 2;
      return 0.5 * (1 + erf((Math.log(x) - mu) / (hold.sigma * Math.SQRT2)));
    }
  }
}

/**
 * Kolmogorov–Smirnov distance between a histogram of durations (value → count) and a distribution:
 * the largest gap between the empirical CDF (just below and at each value) and the model's CDF.
 */
export function ksDistance(histogram: ReadonlyMap<number, number>, hold: HoldFit["hold"]): number {
  const keys = [...histogram.keys()].sort((a, b) => a - b);
  const n = keys.reduce((s, k) => s + histogram.get(k)!, 0);
  if (n === 0) return 0;
  let below = 0;
  let d = 0;
  for (const k of keys) {
    const f = holdCdf(hold, k);
    const fBelow = holdCdf(hold, k - 1e-9); // the model just below k (a constant's CDF jumps at k)
    const at = below + histogram.get(k)! / n;
    d = Math.max(d, Math.abs(fBelow - below), Math.abs(at - f));
    below = at;
  }
  return d;
}

/** Rounds to 4 significant digits, so written workloads stay readable. */
function tidy(x: number): number {
  return Number(x.toPrecision(4));
}

/**
 * Fits a hold distribution to duration statistics; undefined when there are no completed durations.
 *
 * @param histogram the completed durations as value → count, for the KS distance @default none
 * @param censored durations still open when the logs end (right-censored) @default none
 */
export function fitHold(
  stats: DurationStats,
  histogram?: ReadonlyMap<number, number>,
  censored?: CensoredDurations,
): HoldFit | undefined {
  const n = stats.count;
  if (n === 0) return undefined;
  const mean = stats.sum / n;
  const variance = Math.max(0, stats.sumSq / n - mean * mean);
  const nc = censoredCount(censored);
  const count = { count: n, ...(nc > 0 ? { censored: nc } : {}) };
  let fit: HoldFit;
  const exp = fitExponentialCensored(stats, censored);
  if (n === 1 || Math.sqrt(variance) <= CONSTANT_SPREAD_SECONDS || !exp) {
    fit = { hold: { distribution: "constant", value: tidy(mean) }, kind: "constant", ...count };
  } else {
    const aicExp = 2 - 2 * exp.logLikelihood;
    const log = fitLognormalCensored(stats, censored);
    const aicLog = log ? 4 - 2 * log.logLikelihood : Number.POSITIVE_INFINITY;
    if (log && aicLog < aicExp) {
      fit = {
        // The workload's lognormal takes the arithmetic mean: exp(mu + sigma²/2).
        hold: {
          distribution: "lognormal",
          mean: tidy(Math.exp(log.mu + (log.sigma * log.sigma) / 2)),
          sigma: tidy(log.sigma),
        },
        kind: "lognormal",
        ...count,
        logLikelihood: log.logLikelihood,
        aic: aicLog,
        otherAic: aicExp,
      };
    } else {
      fit = {
        hold: { distribution: "exponential", mean: tidy(exp.mean) },
        kind: "exponential",
        ...count,
        logLikelihood: exp.logLikelihood,
        aic: aicExp,
        otherAic: Number.isFinite(aicLog) ? aicLog : undefined,
      };
    }
  }
  if (histogram) fit.ks = ksDistance(histogram, fit.hold);
  return fit;
}

/** One line describing a fit, e.g. `lognormal mean 4.2 s sigma 1.1, KS 0.03 over 12,345 connections`. */
export function describeFit(fit: HoldFit): string {
  const h = fit.hold;
  const what =
    h.distribution === "constant"
      ? `constant ${h.value} s`
      : h.distribution === "exponential"
        ? `exponential mean ${h.mean} s`
        : h.distribution === "lognormal"
          ? `lognormal mean ${h.mean} s sigma ${h.sigma}`
          : `uniform ${h.min}-${h.max} s`;
  const good: string[] = [];
  if (fit.ks !== undefined) good.push(`KS ${fit.ks.toFixed(3)}`);
  if (fit.aic !== undefined) {
    const other = fit.kind === "lognormal" ? "exponential" : "lognormal";
    good.push(
      `AIC ${fit.aic.toFixed(1)}${fit.otherAic !== undefined ? ` (${other} ${fit.otherAic.toFixed(1)})` : ""}`,
    );
  }
  if (fit.kind === "constant") good.push(`spread within ${CONSTANT_SPREAD_SECONDS} s`);
  const cut =
    fit.censored !== undefined
      ? ` (+ ${Math.round(fit.censored).toLocaleString("en-US")} still open at the end, censored)`
      : "";
  return `${what}, ${good.join(", ")} over ${fit.count.toLocaleString("en-US")} connections${cut}`;
}
