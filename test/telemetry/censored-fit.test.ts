import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng } from "../../sim/engine/random";
import { fitExponentialCensored, fitLognormalCensored, logErfc } from "../../telemetry/sinks/censored-fit";
import {
  addCensored,
  addDuration,
  censoredAt,
  emptyCensored,
  emptyStats,
} from "../../telemetry/sinks/duration-stats";
import { fitHold } from "../../telemetry/sinks/fit";

/** Standard normal draw (Box–Muller). */
function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.float())) * Math.cos(2 * Math.PI * rng.float());
}

/**
 * Connections arriving uniformly over a `window`-second log, each holding a drawn duration: the ones
 * that end inside the window are completed, the others censored at the window's end.
 */
function observeWindow(draw: (rng: Rng) => number, n: number, window: number, seed: number) {
  const rng = new Rng(seed);
  const stats = emptyStats();
  const censored = emptyCensored();
  for (let i = 0; i < n; i++) {
    const start = rng.float() * window;
    const d = draw(rng);
    if (start + d <= window) addDuration(stats, d);
    else addCensored(censored, window - start);
  }
  return { stats, censored };
}

describe("censored hold fits", () => {
  it("log-erfc agrees with erfc where both are representable and stays finite in the far tail", () => {
    expect(Math.exp(logErfc(0))).toBeCloseTo(1, 6);
    expect(Math.exp(logErfc(1))).toBeCloseTo(0.157299207, 6);
    expect(Math.exp(logErfc(-1))).toBeCloseTo(1.842700793, 6);
    expect(logErfc(30)).toBeCloseTo(-900 - Math.log(30 * Math.sqrt(Math.PI)), 2);
  });

  it("property: exponential holds cut at the window's end give back the mean (within 5 standard errors)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 300, max: 4000 }),
        fc.double({ min: 5, max: 300, noNaN: true }),
        fc.integer({ min: 1, max: 1e6 }),
        (n, mean, seed) => {
          const window = 900;
          const { stats, censored } = observeWindow((r) => -mean * Math.log(1 - r.float()), n, window, seed);
          const fit = fitExponentialCensored(stats, censored)!;
          expect(Math.abs(fit.mean - mean) / mean).toBeLessThan(5 / Math.sqrt(stats.count) + 0.01);
          const hold = fitHold(stats, undefined, censored)!;
          if (hold.hold.distribution === "exponential") expect(hold.hold.mean).toBeCloseTo(fit.mean, 1);
        },
      ),
      { seed: 42, numRuns: 40 },
    );
  });

  it("property: lognormal holds cut at the window's end give back mu and sigma (tolerance ∝ 1/√n)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 500, max: 4000 }),
        fc.double({ min: 1, max: 4.5, noNaN: true }),
        fc.double({ min: 0.4, max: 1.5, noNaN: true }),
        fc.integer({ min: 1, max: 1e6 }),
        (n, mu, sigma, seed) => {
          const window = 600;
          const { stats, censored } = observeWindow((r) => Math.exp(mu + sigma * normal(r)), n, window, seed);
          const fit = fitLognormalCensored(stats, censored)!;
          const tol = (6 * sigma) / Math.sqrt(stats.count) + 0.03;
          expect(Math.abs(fit.mu - mu)).toBeLessThan(tol);
          expect(Math.abs(fit.sigma - sigma)).toBeLessThan(tol);
        },
      ),
      { seed: 7, numRuns: 25 },
    );
  });

  it("property: with nothing censored the fit is the uncensored one, unchanged", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 2, maxLength: 200 }),
        (durations) => {
          const stats = emptyStats();
          for (const d of durations) addDuration(stats, d);
          expect(fitHold(stats, undefined, emptyCensored())).toEqual(fitHold(stats));
          const n = stats.count;
          expect(fitExponentialCensored(stats, emptyCensored())!.mean).toBeCloseTo(stats.sum / n, 9);
          const log = fitLognormalCensored(stats, emptyCensored());
          if (log) expect(log.mu).toBeCloseTo(stats.sumLog / n, 9);
        },
      ),
      { seed: 3, numRuns: 100 },
    );
  });

  it("a fit that ignores censoring is biased short; the censored fit is not", () => {
    const { stats, censored } = observeWindow((r) => -60 * Math.log(1 - r.float()), 40_000, 900, 11);
    expect(stats.sum / stats.count).toBeLessThan(57);
    expect(Math.abs(fitExponentialCensored(stats, censored)!.mean - 60)).toBeLessThan(1.5);
    const hold = fitHold(stats, undefined, censored)!;
    expect(hold.kind).toBe("exponential");
    expect(hold.censored).toBe(censored.stats.count);
  });

  it("open connections' starts become durations censored at the trace's end", () => {
    const c = censoredAt(
      new Map([
        [100, 2],
        [850, 1],
      ]),
      900,
    );
    expect(c.stats.count).toBe(3);
    expect(c.stats.sum).toBe(800 * 2 + 50);
    expect([...c.histogram]).toEqual([
      [800, 2],
      [50, 1],
    ]);
  });

  it("keeps hostile inputs finite: a single completed duration, censoring far past every completion", () => {
    const stats = emptyStats();
    addDuration(stats, 0);
    const censored = emptyCensored();
    addCensored(censored, 1e7);
    expect(fitLognormalCensored(stats, censored)).toBeUndefined();
    expect(fitHold(stats, undefined, censored)!.kind).toBe("constant");
    addDuration(stats, 3);
    const log = fitLognormalCensored(stats, censored)!;
    expect(Number.isFinite(log.mu) && Number.isFinite(log.sigma) && log.sigma > 0).toBe(true);
  });
});
