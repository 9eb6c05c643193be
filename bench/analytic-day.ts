/**
 * The day-long analytic case: a day at up to 5,000 new connections per second following a diurnal
 * curve in 15-minute steps, lognormal holds, AWS with 8 IPs (≈ 260 M attempts if simulated).
 * `npx tsx bench/analytic-day.ts` prints the analytic time and figures as one JSON line;
 * `--simulate` also simulates it (minutes) and prints the simulated verdict and errors beside them.
 */
import { analyzeWorkloadDetailed } from "../sim/analytic/analyze";
import { simulate } from "../sim/engine/simulate";
import { validateWorkload, type Workload } from "../sim/workload/workload";

/** Multiplier of the diurnal curve at quarter-hour `q` (0…95): 0.2 at 03:00, 1.0 at 15:00. */
export function diurnalMultiplier(q: number): number {
  const hours = q / 4;
  return Number((0.6 + 0.4 * Math.sin(((hours - 9) / 24) * 2 * Math.PI)).toFixed(4));
}

/**
 * The day-long workload: 5,000/s peak, 96 quarter-hour steps, lognormal holds (mean 20 s, σ 1); or
 * `quarters` of it from quarter `firstQuarter`, re-based to start at 0.
 */
export function analyticDayWorkload(ips = 8, firstQuarter = 0, quarters = 96): Workload {
  return validateWorkload({
    cloud: "aws",
    gateway: { ips },
    durationSeconds: quarters * 900,
    destinations: [{ name: "api", address: "203.0.113.10", port: 443 }],
    traffic: [
      {
        to: "api",
        connectionsPerSecond: 5000,
        holdSeconds: { distribution: "lognormal", mean: 20, sigma: 1 },
        schedule: Array.from({ length: quarters }, (_, q) => ({
          atSeconds: q * 900,
          multiplier: diurnalMultiplier(firstQuarter + q),
        })),
      },
    ],
  });
}

/**
 * A shortened copy of the day for simulation: its two busiest hours (13:00 to 15:00, 8 quarter-hour
 * steps, ≈ 35 M attempts), same rates and holds, steps re-based to start at 0.
 */
export function shortDayWorkload(ips = 8): Workload {
  return analyticDayWorkload(ips, 52, 8);
}

/** Times `analyzeWorkloadDetailed` on the day-long workload; returns seconds and the figures. */
export function runAnalyticDay(ips = 8) {
  const w = analyticDayWorkload(ips);
  const start = process.hrtime.bigint();
  const run = analyzeWorkloadDetailed(w);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const d = run.result.destinations[0];
  return {
    seconds,
    verdict: run.result.verdict,
    attempts: d.attempts,
    expectedErrors: run.details[0].expectedErrors,
    meanPortsHeld: d.meanPortsHeld,
    peakPortsHeld: d.peakPortsHeld,
    minIpsForZeroErrors: d.minIpsForZeroErrors,
  };
}

if (require.main === module) {
  const ips = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 8);
  const out: Record<string, unknown> = { ips, analytic: runAnalyticDay(ips) };
  if (process.argv.includes("--simulate")) {
    const start = process.hrtime.bigint();
    const r = simulate(analyticDayWorkload(ips));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const d = r.destinations[0];
    out.simulated = {
      seconds,
      verdict: r.verdict,
      attempts: d.attempts,
      errors: d.portAllocationErrors,
      meanPortsHeld: d.meanPortsHeld,
      peakPortsHeld: d.peakPortsHeld,
      attemptsPerSecond: d.attempts / seconds,
    };
  }
  console.log(JSON.stringify(out));
}
