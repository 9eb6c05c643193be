import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runEngine } from "../../sim/engine/engine";
import { Rng } from "../../sim/engine/random";
import { validateWorkload } from "../../sim/workload/workload";

const dests = [0, 1, 2].map((i) => ({ name: `d${i}`, address: `203.0.113.${i + 1}`, port: 443 }));

const hold = fc.oneof(
  fc.double({ min: 0, max: 5, noNaN: true }),
  fc
    .double({ min: 0.01, max: 5, noNaN: true })
    .map((mean) => ({ distribution: "exponential" as const, mean })),
  fc
    .double({ min: 0.01, max: 5, noNaN: true })
    .map((mean) => ({ distribution: "lognormal" as const, mean, sigma: 1 })),
  fc
    .double({ min: 0, max: 3, noNaN: true })
    .map((min) => ({ distribution: "uniform" as const, min, max: min + 2 })),
);

const workload = fc
  .record({
    cloud: fc.constantFrom("aws" as const, "azure" as const),
    ips: fc.integer({ min: 1, max: 4 }),
    ipSelection: fc.constantFrom("hash" as const, "pooled" as const),
    limit: fc.integer({ min: 5, max: 200 }),
    streams: fc.array(
      fc.record({
        to: fc.integer({ min: 0, max: 2 }),
        rate: fc.double({ min: 0.5, max: 50, noNaN: true }),
        hold,
        close: fc.constantFrom("fin" as const, "rst" as const, "idle" as const),
        step: fc.option(fc.record({ at: fc.integer({ min: 1, max: 199 }), m: fc.constantFrom(0, 0.5, 3) })),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  })
  .map((p) =>
    validateWorkload({
      cloud: p.cloud,
      gateway: {
        ips: p.ips,
        ipSelection: p.ipSelection,
        perIpDestinationLimit: p.limit,
        portReuseSeconds: { fin: 3, rst: 1 },
      },
      durationSeconds: 200,
      destinations: dests,
      traffic: p.streams.map((s) => ({
        to: dests[s.to].name,
        connectionsPerSecond: s.rate,
        holdSeconds: s.hold,
        close: s.close,
        ...(s.step ? { schedule: [{ atSeconds: s.step.at, multiplier: s.step.m }] } : {}),
      })),
    }),
  );

const plain = (r: ReturnType<typeof runEngine>) => ({
  stats: Object.fromEntries(
    Object.entries(r.stats).map(([k, v]) => [
      k,
      typeof v === "number" ? v : Array.from(v as ArrayLike<number>),
    ]),
  ),
  series: r.series,
});

describe("engine", () => {
  it("same seed, same stats and series; another seed, other stats", () => {
    fc.assert(
      fc.property(workload, fc.integer({ min: 0, max: 2 ** 31 }), (w, seed) => {
        const a = plain(runEngine(w, { seed }));
        expect(plain(runEngine(w, { seed }))).toEqual(a);
        if ((a.stats.attempts as number[]).reduce((x, y) => x + y, 0) > 100)
          expect(plain(runEngine(w, { seed: seed + 1 })).stats).not.toEqual(a.stats);
      }),
      { numRuns: 40 },
    );
  });
  it("the calendar queue and the binary heap give identical results for random holds", () => {
    fc.assert(
      fc.property(workload, (w) => {
        expect(plain(runEngine(w, { seed: 3, randomHoldQueue: "calendar" }))).toEqual(
          plain(runEngine(w, { seed: 3, randomHoldQueue: "heap" })),
        );
      }),
      { numRuns: 60 },
    );
  });
  it("the calendar queue matches the heap at scale (100,000 connections in flight, exponential holds)", () => {
    const w = validateWorkload({
      cloud: "azure",
      gateway: { ips: 4, idleTimeoutMinutes: 30 },
      durationSeconds: 400,
      destinations: dests,
      traffic: dests.map((d) => ({
        to: d.name,
        connectionsPerSecond: 300,
        holdSeconds: { distribution: "exponential", mean: 100 },
      })),
    });
    const calendar = plain(runEngine(w, { seed: 9 }));
    expect(calendar.stats.peakOpenTotal).toBeGreaterThan(80_000);
    expect(plain(runEngine(w, { seed: 9, randomHoldQueue: "heap" }))).toEqual(calendar);
  });
  it("shares arrivals among streams in proportion to their rates (alias table)", () => {
    const w = validateWorkload({
      cloud: "aws",
      gateway: { ips: 1 },
      durationSeconds: 1000,
      destinations: dests,
      traffic: [
        { to: "d0", connectionsPerSecond: 10, holdSeconds: 1 },
        { to: "d1", connectionsPerSecond: 30, holdSeconds: 1 },
        { to: "d2", connectionsPerSecond: 60, holdSeconds: 1, schedule: [{ atSeconds: 500, multiplier: 0 }] },
      ],
    });
    const [a, b, c] = runEngine(w, { seed: 1 }).stats.attempts;
    // Expected 10,000, 30,000 and 30,000; a few standard deviations of a Poisson count.
    expect(Math.abs(a - 10_000)).toBeLessThan(500);
    expect(Math.abs(b - 30_000)).toBeLessThan(900);
    expect(Math.abs(c - 30_000)).toBeLessThan(900);
  });
});

describe("random source", () => {
  it("ziggurat exponential draws follow Exp(1): mean, variance and the CDF in 40 bins", () => {
    const rng = new Rng(11);
    const n = 1_000_000;
    const bins = new Float64Array(40);
    let sum = 0;
    let sq = 0;
    let tail = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.exp1();
      sum += x;
      sq += x * x;
      if (x > 7.697117470131487) tail++;
      bins[Math.min(39, Math.floor((1 - Math.exp(-x)) * 40))]++;
    }
    const mean = sum / n;
    expect(Math.abs(mean - 1)).toBeLessThan(0.005);
    expect(Math.abs(sq / n - mean * mean - 1)).toBeLessThan(0.01);
    // Chi-square with 39 degrees of freedom: 99.9th percentile ≈ 72.
    const e = n / 40;
    const chi2 = bins.reduce((s, b) => s + ((b - e) * (b - e)) / e, 0);
    expect(chi2).toBeLessThan(72);
    // The tail beyond the base layer (P = e^-7.697 ≈ 4.5e-4) is drawn too.
    expect(Math.abs(tail / n - Math.exp(-7.697117470131487)) / Math.exp(-7.697117470131487)).toBeLessThan(
      0.15,
    );
  });
  it("same seed, same sequence", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    for (let i = 0; i < 1000; i++) expect(a.exp1()).toBe(b.exp1());
  });
});

describe("random source blocks", () => {
  it("fillExp1 gives the same numbers as exp1 called in order", () => {
    const a = new Rng(8);
    const b = new Rng(8);
    const block = new Float64Array(5000);
    a.fillExp1(block);
    for (const x of block) expect(x).toBe(b.exp1());
    expect(a.nextUint32()).toBe(b.nextUint32());
  });
});
