/**
 * Durations of connections as sufficient statistics (count, sums of durations, squares and
 * logarithms) and a whole-second histogram key: enough for every fit in fit.ts, with nothing kept
 * per connection.
 *
 * @module
 */

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

/** Adds statistics `b` into `a`. */
export function mergeStats(a: DurationStats, b: DurationStats): void {
  a.count += b.count;
  a.sum += b.sum;
  a.sumSq += b.sumSq;
  a.sumLog += b.sumLog;
  a.sumLogSq += b.sumLogSq;
}

/** Histogram key of a duration: corrected, then rounded to whole seconds (0.5 stays 0.5). */
export function histogramKey(seconds: number): number {
  const d = Math.max(seconds, MIN_DURATION_SECONDS);
  return d < 1 ? MIN_DURATION_SECONDS : Math.round(d);
}
