/**
 * Simulator benchmark: `npm run bench`. Runs each case in its own child process (so peak RSS is per
 * case) and prints attempts per second and peak RSS. Targets on a 2-core machine: case (a) at least
 * 4 M attempts/s; case (b) peak RSS at most 400 MB.
 */
import { execFileSync } from "node:child_process";
import { simulate } from "../sim/simulate";
import { validateWorkload, type Workload } from "../sim/workload";

/** The benchmark cases. */
const CASES: Record<string, { title: string; workload: () => Workload; check: string }> = {
  a: {
    title: "AWS, 1 destination, 900/s, constant 1 s hold + 60 s hold-down, 20,000 s (18 M attempts)",
    check: "target >= 4,000,000 attempts/s",
    workload: () =>
      validateWorkload({
        cloud: "aws",
        gateway: { ips: 1 },
        durationSeconds: 20_000,
        destinations: [{ name: "ldap", address: "203.0.113.10", port: 636 }],
        traffic: [{ to: "ldap", connectionsPerSecond: 900, holdSeconds: 1, close: "fin" }],
      }),
  },
  b: {
    title: "Azure, 16 IPs, 100 destinations, about 2,000,000 concurrent connections",
    check: "target peak RSS <= 400 MB",
    workload: () =>
      validateWorkload({
        cloud: "azure",
        gateway: { ips: 16, idleTimeoutMinutes: 30 },
        durationSeconds: 1500,
        destinations: Array.from({ length: 100 }, (_, i) => ({
          name: `d${i}`,
          address: `198.51.${Math.floor(i / 250)}.${(i % 250) + 1}`,
          port: 443,
        })),
        // 100 × 60/s × 330 s mean hold ≈ 1.98 M open connections at steady state, plus FIN hold-down.
        traffic: Array.from({ length: 100 }, (_, i) => ({
          to: `d${i}`,
          connectionsPerSecond: 60,
          holdSeconds: { distribution: "exponential", mean: 330 },
          close: "fin",
        })),
      }),
  },
};

function runCase(id: string): void {
  const c = CASES[id];
  const w = c.workload();
  const start = process.hrtime.bigint();
  const r = simulate(w);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    `${JSON.stringify({
      id,
      attempts: r.totals.attempts,
      seconds,
      attemptsPerSecond: r.totals.attempts / seconds,
      peakConnections: r.totals.peakConnections,
      errors: r.totals.portAllocationErrors,
      peakRssMb: rssMb,
    })}\n`,
  );
}

function main(): void {
  const only = process.argv[2];
  if (only === "--case") {
    runCase(process.argv[3]);
    return;
  }
  for (const id of Object.keys(CASES)) {
    const out = execFileSync(process.execPath, ["--import", "tsx", __filename, "--case", id], {
      encoding: "utf8",
    });
    const m = JSON.parse(out.trim().split("\n").at(-1)!);
    const c = CASES[id];
    console.log(`(${id}) ${c.title}`);
    console.log(
      `    ${m.attempts.toLocaleString("en-US")} attempts in ${m.seconds.toFixed(2)} s: ` +
        `${Math.round(m.attemptsPerSecond).toLocaleString("en-US")} attempts/s; peak RSS ${m.peakRssMb.toFixed(0)} MB; ` +
        `peak connections ${m.peakConnections.toLocaleString("en-US")}; errors ${m.errors.toLocaleString("en-US")} (${c.check})`,
    );
  }
}

main();
