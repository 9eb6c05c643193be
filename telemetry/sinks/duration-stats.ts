/**
 * Durations of connections as sufficient statistics (count, sums of durations, squares and
 * logarithms) and a whole-second histogram key: enough for every fit in fit.ts, with nothing kept
 * per connection; and the censored durations of connections still open when the logs end, censored
 * at their last packet plus the logs' record interval (at most the end of the logs).
 *
 * @module
 */
import { AWS, AZURE } from "../../core/limits";

/** Smallest duration used in fits: half of the logs' 1 s timestamp resolution. */
export const MIN_DURATION_SECONDS = 0.5;
/** Sufficient statistics of (continuity-corrected) durations: enough for every fit in fit.ts. */
export interface DurationStats {
  /** Durations counted. */
  count: number;
  /** Sum of durations, seconds. */
  sum: number;
  /** Sum of squared durations. */
  sumSq: number;
  /** Sum of natural logarithms of durations. */
  sumLog: number;
  /** Sum of squared logarithms. */
  sumLogSq: number;
}

/** Empty duration statistics. */
export function emptyStats(): DurationStats {
  return { count: 0, sum: 0, sumSq: 0, sumLog: 0, sumLogSq: 0 };
}

/** Adds one duration (corrected to at least {@link MIN_DURATION_SECONDS}) to statistics. */
export function addDuration(stats: DurationStats, seconds: number): void {
  const d = Math.max(seconds, MIN_DURATION_SECONDS);
  const l = Math.log(d);
  stats.count += 1;
  stats.sum += d;
  stats.sumSq += d * d;
  stats.sumLog += l;
  stats.sumLogSq += l * l;
}

/**
 * Adds statistics `b` into `a`, each of b's durations counting `weight` times (a fraction shares
 * durations among streams).
 *
 * @param weight @default 1
 */
export function mergeStats(a: DurationStats, b: DurationStats, weight = 1): void {
  a.count += b.count * weight;
  a.sum += b.sum * weight;
  a.sumSq += b.sumSq * weight;
  a.sumLog += b.sumLog * weight;
  a.sumLogSq += b.sumLogSq * weight;
}

/**
 * Right-censored durations: connections still open when the logs end, each known to have lasted at
 * least its elapsed time (see {@link censoredAt}). Sufficient statistics plus a whole-second
 * histogram (elapsed key → count), bounded by the window's length in seconds, never per connection.
 */
export interface CensoredDurations {
  /** Statistics of the elapsed durations (the exponential fit needs count and sum). */
  stats: DurationStats;
  /** Elapsed durations as {@link histogramKey} → count (the lognormal fit's survival terms). */
  histogram: Map<number, number>;
}

/** No censored durations. */
export function emptyCensored(): CensoredDurations {
  return { stats: emptyStats(), histogram: new Map() };
}

/** Adds one censored elapsed duration (seconds). */
export function addCensored(c: CensoredDurations, seconds: number): void {
  addDuration(c.stats, seconds);
  const k = histogramKey(seconds);
  c.histogram.set(k, (c.histogram.get(k) ?? 0) + 1);
}

/**
 * Adds censored durations `b` into `a`, each counting `weight` times.
 *
 * @param weight @default 1
 */
export function mergeCensored(a: CensoredDurations, b: CensoredDurations, weight = 1): void {
  if (weight <= 0) return;
  mergeStats(a.stats, b.stats, weight);
  for (const [k, n] of b.histogram) a.histogram.set(k, (a.histogram.get(k) ?? 0) + n * weight);
}

/** Histogram key of a duration: corrected, then rounded to whole seconds (0.5 stays 0.5). */
export function histogramKey(seconds: number): number {
  const d = Math.max(seconds, MIN_DURATION_SECONDS);
  return d < 1 ? MIN_DURATION_SECONDS : Math.round(d);
}

/**
 * Longest a connection still going on can go without a record of its packets before the logs end:
 * VPC Flow Logs write one record per aggregation interval with packets (1 minute, the shorter one;
 * natcap's AWS reading assumes it), Azure flow logs a C tuple every 5 minutes. An open connection's
 * last packet seen is at most this long before the logs end when the connection is really still
 * going on; the hold fit censors it at its last packet plus this, capped at the end of the logs.
 */
export function recordIntervalOf(agg: {
  readonly cloud: "aws" | "azure";
  readonly recordIntervalSeconds?: number;
}): number {
  return (
    agg.recordIntervalSeconds ??
    (agg.cloud === "aws" ? AWS.flowLogAggregationSeconds.value : AZURE.flowLogContinueSeconds.value)
  );
}

/**
 * The censored durations of the connections still open when the logs end at `endEpoch`, given as
 * start (Unix seconds) → seconds to the last packet seen → count. Each lasted at least until its
 * last packet, and a connection still going on has packets the logs may not show yet for up to
 * `recordIntervalSeconds` (its record is written when its window closes), so each is censored at
 * its last packet plus that interval, capped at the end of the logs: one that went quiet well
 * before the end is not taken as lasting to it.
 */
export function censoredAt(
  openSpans: ReadonlyMap<number, ReadonlyMap<number, number>>,
  endEpoch: number,
  recordIntervalSeconds: number,
): CensoredDurations {
  const c = emptyCensored();
  for (const [start, seen] of openSpans) {
    for (const [elapsed, n] of seen) {
      const one = emptyCensored();
      addCensored(one, censoringSeconds(start, elapsed, endEpoch, recordIntervalSeconds));
      mergeCensored(c, one, n);
    }
  }
  return c;
}

/**
 * Seconds an open connection is known to have lasted: from its start to its last packet seen
 * (`elapsed` after it) plus what the logs can hide, but not past the end of the logs, and never
 * less than what was seen.
 */
export function censoringSeconds(
  start: number,
  elapsed: number,
  endEpoch: number,
  recordIntervalSeconds: number,
): number {
  const seen = Math.max(0, elapsed);
  return Math.max(seen, Math.min(endEpoch - start, seen + Math.max(0, recordIntervalSeconds)));
}
