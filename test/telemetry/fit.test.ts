import { describe, expect, it } from "vitest";
import { Rng } from "../../sim/engine/random";
import { addDuration, emptyStats, histogramKey } from "../../telemetry/sinks/duration-stats";
import { describeFit, erf, fitHold, holdCdf, ksDistance } from "../../telemetry/sinks/fit";

/** Statistics and histogram of durations quantised as 1 s timestamps quantise them. */
function observe(draw: () => number, n: number) {
  const stats = emptyStats();
  const hist = new Map<number, number>();
  const rng = new Rng(9);
  for (let i = 0; i < n; i++) {
    const start = rng.float();
    const d = Math.floor(start + draw()) - Math.floor(start); // whole-second timestamps
    addDuration(stats, d);
    const k = histogramKey(d);
    hist.set(k, (hist.get(k) ?? 0) + 1);
  }
  return { stats, hist };
}

describe("fitHold", () => {
  it("returns undefined without durations", () => {
    expect(fitHold(emptyStats())).toBeUndefined();
  });

  it("fits a lognormal to lognormal holds and recovers mean and sigma within the quantisation", () => {
    const rng = new Rng(1);
    const sigma = 1;
    const mean = 20;
    const mu = Math.log(mean) - sigma ** 2 / 2;
    const { stats, hist } = observe(() => Math.exp(mu + sigma * rng.normal()), 20_000);
    const fit = fitHold(stats, hist)!;
    expect(fit.kind).toBe("lognormal");
    if (fit.hold.distribution !== "lognormal") throw new Error("unreachable");
    expect(fit.hold.mean).toBeGreaterThan(mean * 0.9);
    expect(fit.hold.mean).toBeLessThan(mean * 1.1);
    expect(fit.hold.sigma).toBeGreaterThan(0.85);
    expect(fit.hold.sigma).toBeLessThan(1.15);
    expect(fit.ks).toBeLessThan(0.06);
    expect(describeFit(fit)).toMatch(
      /^lognormal mean [\d.]+ s sigma [\d.]+, KS 0\.\d{3}, AIC .* over 20,000 connections$/,
    );
  });

  it("fits an exponential to exponential holds", () => {
    const rng = new Rng(2);
    const { stats, hist } = observe(() => rng.exponential(30), 20_000);
    const fit = fitHold(stats, hist)!;
    expect(fit.kind).toBe("exponential");
    if (fit.hold.distribution !== "exponential") throw new Error("unreachable");
    expect(fit.hold.mean).toBeGreaterThan(27);
    expect(fit.hold.mean).toBeLessThan(33);
  });

  it("calls durations within the timestamps' resolution constant", () => {
    const { stats } = observe(() => 10, 500);
    const fit = fitHold(stats)!;
    expect(fit.kind).toBe("constant");
    expect(fit.hold).toEqual({ distribution: "constant", value: expect.closeTo(10, 0) });
  });

  it("stays finite when every duration is 0 (sub-second holds)", () => {
    const { stats } = observe(() => 0.2, 100);
    const fit = fitHold(stats)!;
    expect(fit.hold.distribution).toBe("constant");
  });

  it("erf and the CDFs agree with known values", () => {
    expect(erf(0)).toBeCloseTo(0, 6);
    expect(erf(1)).toBeCloseTo(0.8427008, 6);
    expect(erf(-1)).toBeCloseTo(-0.8427008, 6);
    expect(holdCdf({ distribution: "exponential", mean: 2 }, 2)).toBeCloseTo(1 - Math.exp(-1), 12);
    expect(holdCdf({ distribution: "lognormal", mean: Math.exp(0.5), sigma: 1 }, 1)).toBeCloseTo(0.5, 6);
    expect(ksDistance(new Map([[5, 10]]), { distribution: "constant", value: 5 })).toBe(0);
  });
});
