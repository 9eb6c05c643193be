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
 * least its elapsed time (first to last packet seen). Sufficient statistics plus a whole-second
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
 * The censored durations of connections still open at `endEpoch`: each started at a key of
 * `openStarts` (Unix seconds → count) and lasted at least until then.
 */
export function censoredAt(openStarts: ReadonlyMap<number, number>, endEpoch: number): CensoredDurations {
  const c = emptyCensored();
  for (const [start, n] of openStarts) {
    const one = emptyCensored();
    addCensored(one, Math.max(0, endEpoch - start));
    mergeCensored(c, one, n);
  }
  return c;
}
