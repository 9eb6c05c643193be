/**
 * Closed-form anchors of the simulator: Little's law, Erlang-B, the binomial tail of per-flow hash
 * imbalance, and planners for the number of IPs a destination needs. Pure math, no cloud numbers.
 *
 * @module
 */

/**
 * Chance, at the predicted peak, that at least one IP exceeds its per-destination limit, below which
 * a peak-only expectation counts as fitting (natcap's planning target, not a cloud number).
 */
export const HASH_OVERFLOW_TARGET = 0.01;

/**
 * Expected errors over a run below which a rate workload counts as having "zero" port-allocation
 * errors (natcap's definition for `minIpsForZeroErrors`).
 */
export const ZERO_ERRORS_THRESHOLD = 0.5;

/** Little's law: mean number of ports held = arrival rate (per second) × mean time each is held (s). */
export function littlesLaw(ratePerSecond: number, meanHeldSeconds: number): number {
  return ratePerSecond * meanHeldSeconds;
}

/**
 * Erlang-B blocking probability of a loss system with `servers` servers and `offered` Erlangs of
 * Poisson traffic (any holding-time distribution). Up to 2,000 servers: the stable forward recurrence
 * B(0)=1, B(j)=E·B(j−1)/(j+E·B(j−1)). Beyond: 1/B = Σⱼ Πᵢ<ⱼ (N−i)/E summed from j = 0 until the
 * terms vanish, which costs O(|N − E| + 40√E) instead of O(N); and 0 once N exceeds E by more than
 * 40√E + 100 (B below 1e-300, where the recurrence underflows too). So even a planner that asks
 * about millions of servers many times stays fast.
 */
export function erlangB(offered: number, servers: number): number {
  if (!(offered > 0)) return 0;
  const n = Math.floor(servers);
  if (n <= 0) return 1;
  if (n <= 2000) {
    let b = 1;
    for (let j = 1; j <= n; j++) {
      b = (offered * b) / (j + offered * b);
      if (b < 1e-300) return 0;
    }
    return b;
  }
  if (n - offered > 40 * Math.sqrt(offered) + 100) return 0;
  let term = 1;
  let sum = 1;
  for (let j = 0; j < n; j++) {
    term *= (n - j) / offered;
    sum += term;
    if (!Number.isFinite(sum)) return 0;
    if (n - j <= offered && term < sum * 1e-17) break;
  }
  return 1 / sum;
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** Natural log of the gamma function for x > 0 (Lanczos approximation, ~15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function logBinomialPmf(m: number, p: number, x: number): number {
  return logGamma(m + 1) - logGamma(x + 1) - logGamma(m - x + 1) + x * Math.log(p) + (m - x) * Math.log1p(-p);
}

/** P(X ≥ t) for X ~ Binomial(m, p), summed in log space from the side where terms are small. */
export function binomialUpperTail(m: number, p: number, t: number): number {
  if (t <= 0) return 1;
  if (t > m) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const mean = m * p;
  const odds = p / (1 - p);
  if (t > mean) {
    let term = Math.exp(logBinomialPmf(m, p, t));
    let sum = 0;
    for (let x = t; x <= m && term > 0; x++) {
      sum += term;
      if (term < sum * 1e-17) break;
      term *= ((m - x) / (x + 1)) * odds;
    }
    return Math.min(1, sum);
  }
  let term = Math.exp(logBinomialPmf(m, p, t - 1));
  let lower = 0;
  for (let x = t - 1; x >= 0 && term > 0; x--) {
    lower += term;
    if (term < lower * 1e-17) break;
    term *= x / (m - x + 1) / odds;
  }
  return Math.max(0, 1 - lower);
}

/**
 * Chance that, with `flows` flows spread by a uniform per-flow hash over `ips` IPs, some IP carries
 * more than `limit` of them (union bound over the IPs, capped at 1).
 */
export function hashOverflowProbability(flows: number, ips: number, limit: number): number {
  if (flows <= limit) return 0;
  if (ips <= 1) return 1;
  return Math.min(1, ips * binomialUpperTail(Math.ceil(flows), 1 / ips, Math.floor(limit) + 1));
}

/**
 * Most concurrent flows `ips` IPs carry under per-flow hashing with each IP limited to `limit`,
 * keeping the chance that any IP overflows below `target`. Always below `ips × limit` for two or
 * more IPs: the busiest IP fills first.
 */
export function hashUsableCapacity(ips: number, limit: number, target = HASH_OVERFLOW_TARGET): number {
  if (ips <= 1) return Math.max(0, Math.floor(limit));
  let lo = Math.floor(limit); // always safe: one IP cannot get more than all flows
  let hi = Math.floor(ips * limit);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (hashOverflowProbability(mid, ips, limit) < target) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Smallest integer k ≥ lo with ok(k), for ok monotone (false…false, true…true). */
function smallestTrue(lo: number, ok: (k: number) => boolean): number {
  if (ok(lo)) return lo;
  let step = 1;
  let bad = lo;
  let good = lo + 1;
  while (!ok(good)) {
    bad = good;
    step *= 2;
    good = lo + step;
  }
  while (good - bad > 1) {
    const mid = Math.floor((bad + good) / 2);
    if (ok(mid)) good = mid;
    else bad = mid;
  }
  return good;
}

/**
 * Fewest IPs that carry a peak of `peak` concurrent flows to one destination with each IP limited to
 * `limit`: pooled → ⌈peak / limit⌉; hash → the fewest IPs whose overflow chance is below `target`.
 * At least 1; may exceed any cloud maximum.
 */
export function ipsNeededForPeak(
  peak: number,
  limit: number,
  ipSelection: "hash" | "pooled",
  target = HASH_OVERFLOW_TARGET,
): number {
  const lo = Math.max(1, Math.ceil(peak / limit));
  if (ipSelection === "pooled") return lo;
  return smallestTrue(lo, (k) => hashOverflowProbability(peak, k, limit) < target);
}

/**
 * Erlang-B for `ips` IPs each holding at most `limit` ports for one destination, offered `offered`
 * Erlangs: hash → Erlang-B(E/k, N) on each IP (Poisson thinning is exact); pooled → Erlang-B(E, kN).
 */
export function gatewayBlocking(
  offered: number,
  ips: number,
  limit: number,
  ipSelection: "hash" | "pooled",
): number {
  return ipSelection === "hash" ? erlangB(offered / ips, limit) : erlangB(offered, ips * limit);
}

/** A period of constant offered load: `attempts` arrivals at `offered` Erlangs. */
export interface LoadSegment {
  /** Expected arrivals during the segment. */
  readonly attempts: number;
  /** Offered load during the segment (arrival rate × mean port holding time), in Erlangs. */
  readonly offered: number;
}

/** Expected port-allocation errors over segments of constant load (quasi-static Erlang-B). */
export function expectedErrors(
  segments: readonly LoadSegment[],
  ips: number,
  limit: number,
  ipSelection: "hash" | "pooled",
): number {
  let sum = 0;
  for (const s of segments) {
    if (s.attempts > 0) sum += s.attempts * gatewayBlocking(s.offered, ips, limit, ipSelection);
  }
  return sum;
}

/** Most IPs the planners search; past it they answer {@link MIN_IPS_NOT_REACHABLE}. */
export const MIN_IPS_SEARCH_CAP = 1000;

/**
 * `minIpsForZeroErrors` when no IP count up to {@link MIN_IPS_SEARCH_CAP} brings expected errors
 * below the threshold, or when a gateway-wide cap (Azure 2,000,000 open connections) causes them
 * whatever the IPs: read it as "more than 1,000 IPs, or no number of IPs".
 */
export const MIN_IPS_NOT_REACHABLE = MIN_IPS_SEARCH_CAP + 1;

/**
 * Fewest IPs with which the expected port-allocation errors over the run (Σ attempts × Erlang-B per
 * segment of constant load, each segment at its steady state) stay below
 * {@link ZERO_ERRORS_THRESHOLD}. At least 1; {@link MIN_IPS_NOT_REACHABLE} when more than
 * {@link MIN_IPS_SEARCH_CAP} would be needed. Steady state overstates segments shorter than the port
 * lifetime; sim/analytic/transient.ts `fillAwareMinIps` sizes for what the run actually fills.
 */
export function minIpsForZeroErrors(
  segments: readonly LoadSegment[],
  limit: number,
  ipSelection: "hash" | "pooled",
  threshold = ZERO_ERRORS_THRESHOLD,
): number {
  const ok = (k: number) => expectedErrors(segments, k, limit, ipSelection) < threshold;
  if (!ok(MIN_IPS_SEARCH_CAP)) return MIN_IPS_NOT_REACHABLE;
  const peak = segments.reduce((m, s) => Math.max(m, s.offered), 0);
  const lo = Math.min(MIN_IPS_SEARCH_CAP, Math.max(1, Math.floor(peak / limit)));
  return smallestTrue(lo, ok);
}

/**
 * Expected port-allocation errors of a sustained peak checked as a loss system: `peak` connections
 * held for `holdSeconds` each arrive at `peak / holdSeconds` per second for `durationSeconds`, and
 * each is blocked with the gateway's Erlang-B probability for `peak` Erlangs ({@link gatewayBlocking}).
 */
export function sustainedPeakErrors(
  peak: number,
  durationSeconds: number,
  holdSeconds: number,
  ips: number,
  limit: number,
  ipSelection: "hash" | "pooled",
): number {
  if (!(peak > 0)) return 0;
  return (peak / holdSeconds) * durationSeconds * gatewayBlocking(peak, ips, limit, ipSelection);
}

/**
 * Fewest IPs with which a sustained peak ({@link sustainedPeakErrors}) expects fewer than
 * {@link ZERO_ERRORS_THRESHOLD} errors. At least 1; may exceed any cloud maximum. Terminates for any
 * finite input: blocking falls to 0 once IPs × limit is well past the peak.
 */
export function ipsNeededForSustainedPeak(
  peak: number,
  durationSeconds: number,
  holdSeconds: number,
  limit: number,
  ipSelection: "hash" | "pooled",
  threshold = ZERO_ERRORS_THRESHOLD,
): number {
  const lo = Math.max(1, Math.ceil(peak / limit));
  return smallestTrue(
    lo,
    (k) => sustainedPeakErrors(peak, durationSeconds, holdSeconds, k, limit, ipSelection) < threshold,
  );
}
