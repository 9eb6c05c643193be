import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  binomialUpperTail,
  erlangB,
  gatewayBlocking,
  hashOverflowProbability,
  hashUsableCapacity,
  ipsNeededForPeak,
  littlesLaw,
  logGamma,
  minIpsForZeroErrors,
} from "../../sim/analytic/closed-forms";

/** Erlang-B by the textbook formula with exact factorial ratios, for small N. */
function erlangBDirect(e: number, n: number): number {
  let term = 1;
  let sum = 1;
  for (let j = 1; j <= n; j++) {
    term *= e / j;
    sum += term;
  }
  return term / sum;
}

/** Binomial tail by direct summation, for small m. */
function tailDirect(m: number, p: number, t: number): number {
  let sum = 0;
  for (let x = t; x <= m; x++) {
    let c = 1;
    for (let i = 0; i < x; i++) c = (c * (m - i)) / (i + 1);
    sum += c * p ** x * (1 - p) ** (m - x);
  }
  return sum;
}

describe("erlangB", () => {
  it.each([
    // The loss cases of the fidelity tests: 1 IP, 61 s per port, 55,000 ports.
    [900 * 61, 55_000, 0.00233, 0.01],
    [1000 * 61, 55_000, 0.0985, 0.01],
    // Classic table values.
    [1, 1, 0.5, 1e-12],
    [2, 2, 0.4, 1e-12],
  ])("B(%d, %d) ≈ %d", (e, n, expected, rel) => {
    expect(Math.abs(erlangB(e, n) - expected) / expected).toBeLessThan(rel);
  });
  it("matches the direct formula for small N", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 60, noNaN: true }), fc.integer({ min: 1, max: 60 }), (e, n) => {
        const want = erlangBDirect(e, n);
        expect(Math.abs(erlangB(e, n) - want)).toBeLessThanOrEqual(1e-9 * Math.max(want, 1e-300) + 1e-300);
      }),
    );
  });
  it("is 0 with no load, 1 with no servers, and falls as servers grow", () => {
    expect(erlangB(0, 10)).toBe(0);
    expect(erlangB(5, 0)).toBe(1);
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 5000, noNaN: true }),
        fc.integer({ min: 1, max: 5000 }),
        (e, n) => {
          expect(erlangB(e, n + 1)).toBeLessThanOrEqual(erlangB(e, n));
        },
      ),
    );
  });
  it("handles a million servers quickly (underflow stops the recurrence)", () => {
    expect(erlangB(1000, 1_000_000)).toBe(0);
    expect(erlangB(2_000_000, 1_000_000)).toBeGreaterThan(0.49);
  });
});

describe("binomial tail and hash imbalance", () => {
  it("logGamma matches factorials", () => {
    let f = 0;
    for (let n = 1; n < 30; n++) {
      f += Math.log(n);
      expect(logGamma(n + 1)).toBeCloseTo(f, 9);
    }
  });
  it("binomialUpperTail matches direct summation", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0.02, max: 0.98, noNaN: true }),
        fc.integer({ min: 0, max: 61 }),
        (m, p, t) => {
          expect(binomialUpperTail(m, p, t)).toBeCloseTo(tailDirect(m, p, t), 9);
        },
      ),
    );
  });
  it("hash usable capacity stays below IPs × limit, within the busiest-IP constants of docs/architecture.md", () => {
    // Busiest IP ≈ m/k + c_k·sqrt(m(1/k)(1−1/k)): the 1% target sits above the expected maximum.
    for (const [k, c] of [
      [2, 0.564],
      [4, 1.029],
      [8, 1.424],
      [16, 1.766],
    ]) {
      const usable = hashUsableCapacity(k, 55_000);
      const expectedMaxFit = solve(k, c, 55_000);
      expect(usable, `k=${k}`).toBeLessThan(k * 55_000);
      expect(usable, `k=${k}`).toBeLessThan(expectedMaxFit);
      expect(usable, `k=${k}`).toBeGreaterThan(0.97 * k * 55_000);
    }
  });
  it("8 × 55,000 = 440,000 concurrent flows need more than 8 IPs under hashing, exactly 8 pooled", () => {
    expect(ipsNeededForPeak(440_000, 55_000, "hash")).toBeGreaterThan(8);
    expect(ipsNeededForPeak(440_000, 55_000, "pooled")).toBe(8);
    expect(hashOverflowProbability(440_000, 8, 55_000)).toBeGreaterThan(0.5);
  });
  it("ipsNeededForPeak is the fewest IPs whose overflow risk is below 1%", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3_000_000 }),
        fc.integer({ min: 1000, max: 64_512 }),
        (peak, limit) => {
          const k = ipsNeededForPeak(peak, limit, "hash");
          expect(hashOverflowProbability(peak, k, limit)).toBeLessThan(0.01);
          if (k > 1) expect(hashOverflowProbability(peak, k - 1, limit)).toBeGreaterThanOrEqual(0.01);
          expect(k).toBeGreaterThanOrEqual(ipsNeededForPeak(peak, limit, "pooled"));
        },
      ),
      { numRuns: 40 },
    );
  });
});

/** Largest m with m/k + c·sqrt(m(1/k)(1−1/k)) ≤ limit. */
function solve(k: number, c: number, limit: number): number {
  let lo = 0;
  let hi = k * limit;
  while (hi - lo > 1) {
    const m = (lo + hi) / 2;
    if (m / k + c * Math.sqrt((m * (1 / k) * (k - 1)) / k) <= limit) lo = m;
    else hi = m;
  }
  return lo;
}

describe("planners", () => {
  it("Little's law", () => {
    expect(littlesLaw(900, 61)).toBe(54_900);
  });
  it("hash blocking is per-IP Erlang-B on a k-th of the load; pooled is Erlang-B on kN", () => {
    expect(gatewayBlocking(120_000, 2, 55_000, "hash")).toBe(erlangB(60_000, 55_000));
    expect(gatewayBlocking(120_000, 2, 55_000, "pooled")).toBe(erlangB(120_000, 110_000));
    expect(gatewayBlocking(120_000, 2, 55_000, "pooled")).toBeLessThan(
      gatewayBlocking(120_000, 2, 55_000, "hash"),
    );
  });
  it("minIpsForZeroErrors: the fewest IPs with under 0.5 expected errors", () => {
    const segments = [{ attempts: 900 * 3600, offered: 900 * 61 }];
    const k = minIpsForZeroErrors(segments, 55_000, "hash");
    expect(k).toBe(2);
    expect(900 * 3600 * erlangB((900 * 61) / k, 55_000)).toBeLessThan(0.5);
    expect(900 * 3600 * erlangB(900 * 61, 55_000)).toBeGreaterThan(0.5);
  });
});
