import { describe, expect, it } from "vitest";
import { analyzeWorkload } from "../../sim/analytic/analyze";
import { simulate } from "../../sim/engine/simulate";
import { destinationLoads, multiplierAt, ratesAtSteps } from "../../sim/gateway/load";
import { MAX_SCHEDULE_STEPS } from "../../sim/workload/bounds";
import { parseWorkload, validateWorkload } from "../../sim/workload/workload";

/** A day imported at 60 s steps: 20 destinations × 3 streams, diurnal multipliers. */
function importedDay(stepSeconds: number, stepsPerStream: number, durationSeconds: number) {
  const destinations = Array.from({ length: 20 }, (_, i) => ({
    name: `d${i}`,
    address: `198.51.100.${i + 1}`,
    port: 443,
  }));
  const traffic = destinations.flatMap((d, i) =>
    [0, 1, 2].map((s) => ({
      to: d.name,
      connectionsPerSecond: 2 + s,
      holdSeconds: { distribution: "exponential" as const, mean: 1 + s },
      schedule: Array.from({ length: stepsPerStream }, (_, j) => ({
        atSeconds: j * stepSeconds,
        multiplier: 1 + Math.sin((j + i + s) / 50) ** 2,
      })),
    })),
  );
  return { cloud: "aws" as const, gateway: { ips: 2 }, durationSeconds, destinations, traffic };
}

describe("long schedules (100,000 steps)", () => {
  const stepsPerStream = Math.floor(MAX_SCHEDULE_STEPS / 60);

  it("the bound is at least 100,000 steps and one more is refused", () => {
    expect(MAX_SCHEDULE_STEPS).toBeGreaterThanOrEqual(100_000);
    const input = importedDay(60, stepsPerStream, 86_400);
    input.traffic[59].schedule.push(
      ...Array.from({ length: MAX_SCHEDULE_STEPS - 60 * stepsPerStream + 1 }, (_, j) => ({
        atSeconds: 1e7 + j,
        multiplier: 1,
      })),
    );
    expect(() => validateWorkload(input)).toThrow(/schedule steps, more than natcap's bound/);
  });

  it("a day at 60 s steps validates and is analyzed, with attempts exact", () => {
    const w = validateWorkload(importedDay(60, stepsPerStream, 86_400 * 2));
    const a = analyzeWorkload(w);
    let attempts = 0;
    for (const t of w.traffic) {
      const steps = t.schedule ?? [];
      steps.forEach((s, j) => {
        const end = j + 1 < steps.length ? steps[j + 1].atSeconds : w.durationSeconds;
        attempts += t.connectionsPerSecond * s.multiplier * (end - s.atSeconds);
      });
    }
    expect(a.totals.attempts).toBeCloseTo(attempts, -2);
    expect(a.verdict).toBe("ok");
  }, 30_000);

  it("a short run with every step inside it simulates, and its loads match the schedule", () => {
    const w = validateWorkload(importedDay(0.06, stepsPerStream, 0.06 * stepsPerStream));
    const loads = destinationLoads(w);
    expect(loads[0].segments).toHaveLength(stepsPerStream);
    const r = simulate(w, { samples: 1 });
    const expected = loads.reduce((n, l) => n + l.attempts, 0);
    expect(Math.abs(r.totals.attempts - expected)).toBeLessThan(6 * Math.sqrt(expected));
    expect(r.verdict).toBe("ok");
  }, 30_000);

  it("the one-walk rates equal the per-step lookup", () => {
    const t = { ...importedDay(60, 500, 86_400).traffic[4], close: "fin" as const };
    const at = Array.from({ length: 2000 }, (_, i) => i * 17.3 - 5);
    expect(ratesAtSteps(t, at)).toEqual(at.map((x) => t.connectionsPerSecond * multiplierAt(t, x)));
  });

  it("a JSON file reads as JSON, and a repeated key is still refused with its line", () => {
    const input = importedDay(60, stepsPerStream, 86_400);
    const w = parseWorkload(JSON.stringify(input), "day.json");
    expect(w.traffic).toHaveLength(60);
    expect(() =>
      parseWorkload('{"cloud": "aws",\n "cloud": "azure", "gateway": {"ips": 1}}', "dup.json"),
    ).toThrow(/line 2, column \d+: Map keys must be unique/);
    expect(() => parseWorkload('{"cloud": "aws", "gateway": {"ips": 1, "ips": 2}}', "dup.json")).toThrow(
      /Map keys must be unique/,
    );
  });
});
