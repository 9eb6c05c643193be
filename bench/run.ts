/**
 * Simulator benchmark: `npm run bench`. Runs each case in its own child process (so peak RSS is per
 * case), a few times, and prints the best attempts per second and peak RSS of each. Times are CPU
 * seconds of the process (user + system), which a busy machine disturbs much less than wall time.
 *
 * The yardstick is a minimal C kernel (bench/kernel.c) doing the least work per attempt on the
 * reference workload (case a): one exponential draw, one uniform IP choice, ring-buffer pushes and
 * pops of close and release times, per-IP counters. It is compiled with the system C compiler (`cc`,
 * or $CC) into a temporary directory; without a compiler the C line is skipped and ratios are not
 * printed. Every case is also printed as a ratio to the kernel's rate.
 *
 * After the cases: the day-long case (bench/analytic-day.ts; a day at up to 5,000/s, diurnal, lognormal
 * holds) answered analytically per gateway size, with the analytic and simulated verdicts of its two
 * busiest hours and the simulated attempts/s there; and the flow-log import (bench/import.ts: 20 M
 * records, records/s against `zcat | wc -l`, peak RSS, and whether its targets are met).
 *
 * `stack N` (bench/stack.ts, only when named: it takes minutes) runs `natcap check` on a program with
 * N AWS NAT gateways with and without expected traffic and prints both times, peak memory and the
 * ratios (`npm run build` first).
 *
 * Usage: `npm run bench` (everything but `stack`), `npm run bench -- a b day import` (some parts),
 * `npm run bench -- stack 100`, `--runs N` (default 3), `--records N` (records of the import case,
 * default 20 M, the size its targets are stated for: some 5 minutes; 2000000 for a quick look).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyzeWorkload } from "../sim/analytic/analyze";
import { simulate } from "../sim/engine/simulate";
import { gatewayRules, streamModels } from "../sim/gateway/models";
import { validateWorkload, type Workload } from "../sim/workload/workload";
import { runAnalyticDay, shortDayWorkload } from "./analytic-day";
import { benchImport, formatImportBench } from "./import";
import { benchStack } from "./stack";

interface BenchCase {
  title: string;
  /** What the case is expected to show (printed beside the figures). */
  check: string;
  workload: () => Workload;
}

/** The reference workload: the C kernel runs the same rate, hold, hold-down, duration and IPs. */
const REFERENCE = "a";

/**
 * The benchmark cases. To add one, add an entry here (a one-letter id keeps the command line
 * short); it is run in its own process and printed with its ratio to the C kernel.
 */
const CASES: Record<string, BenchCase> = {
  a: {
    title: "AWS, 1 destination, 900/s, constant 1 s hold + 60 s hold-down, 20,000 s (18 M attempts)",
    check: "reference workload; goal: at least half the C kernel's rate",
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
    title: "Azure, 16 IPs, 100 destinations, exponential holds, about 2,000,000 concurrent connections",
    check: "calendar queue for random holds; peak RSS <= 400 MB",
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

interface Measure {
  attempts: number;
  seconds: number;
  wallSeconds: number;
  attemptsPerSecond: number;
  peakConnections: number;
  errors: number;
  peakRssMb: number;
}

/** Runs one case in this process and prints its measure as one JSON line. */
function runCase(id: string): void {
  const w = CASES[id].workload();
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const r = simulate(w);
  const used = process.cpuUsage(cpu);
  const seconds = (used.user + used.system) / 1e6;
  const m: Measure = {
    attempts: r.totals.attempts,
    seconds,
    wallSeconds: Number(process.hrtime.bigint() - wall) / 1e9,
    attemptsPerSecond: r.totals.attempts / seconds,
    peakConnections: r.totals.peakConnections,
    errors: r.totals.portAllocationErrors,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(m)}\n`);
}

function best(runs: number, once: () => Measure): Measure {
  let top: Measure | undefined;
  for (let i = 0; i < runs; i++) {
    const m = once();
    if (!top || m.attemptsPerSecond > top.attemptsPerSecond) top = m;
  }
  return top!;
}

function lastJson(out: string): Measure {
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

/** Compiles bench/kernel.c; returns the binary's path, or undefined (with the reason) when it cannot. */
function buildKernel(dir: string): { binary?: string; reason?: string } {
  const cc = process.env.CC ?? "cc";
  const binary = join(dir, "kernel");
  try {
    execFileSync(cc, ["-O2", "-o", binary, join(__dirname, "kernel.c"), "-lm"], { stdio: "pipe" });
    return { binary };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    return {
      reason:
        err.code === "ENOENT"
          ? `no C compiler (${cc}) on this machine`
          : `${cc} failed: ${err.stderr?.toString().trim() ?? err.message}`,
    };
  }
}

/** The C kernel's arguments for the reference workload, from natcap's own model of it. */
function kernelArgs(w: Workload): string[] {
  const [stream] = streamModels(w);
  const rules = gatewayRules(w);
  if (streamModels(w).length !== 1 || stream.openConstant === undefined)
    throw new Error("the reference workload must be one stream with a constant hold");
  return [
    String(stream.rate),
    String(stream.openConstant),
    String(stream.after),
    String(w.durationSeconds),
    String(rules.ips),
    String(rules.perIpLimit),
    String(w.seed),
  ];
}

const rate = (x: number) => `${Math.round(x).toLocaleString("en-US")} attempts/s`;

/** Gateway sizes the day-long case is answered for. */
const DAY_IPS = [2, 4, 8];

/** CPU seconds of `f` in this process, and its value. */
function cpuTimed<T>(f: () => T): { value: T; seconds: number } {
  const cpu = process.cpuUsage();
  const value = f();
  const used = process.cpuUsage(cpu);
  return { value, seconds: (used.user + used.system) / 1e6 };
}

/** The day-long case: analytic time and verdict per gateway; both verdicts on its two busiest hours. */
function benchDay(): void {
  console.log(
    "(day) AWS, a day at up to 5,000/s (diurnal, 15-minute steps), lognormal holds mean 20 s, σ 1 (≈ 260 M attempts)",
  );
  for (const ips of DAY_IPS) {
    const a = runAnalyticDay(ips);
    console.log(
      `    ${ips} IPs: analytic ${a.seconds.toFixed(3)} s wall, verdict ${a.verdict}, ` +
        `${Math.round(a.expectedErrors).toLocaleString("en-US")} expected errors, IPs needed ${a.minIpsForZeroErrors}`,
    );
  }
  for (const ips of DAY_IPS.slice(1)) {
    const w = shortDayWorkload(ips);
    const analytic = cpuTimed(() => analyzeWorkload(w));
    const sim = cpuTimed(() => simulate(w, { samples: 1 }));
    const r = sim.value;
    console.log(
      `    its two busiest hours on ${ips} IPs: simulated ${r.totals.attempts.toLocaleString("en-US")} attempts in ` +
        `${sim.seconds.toFixed(2)} s CPU (${rate(r.totals.attempts / sim.seconds)}), verdict ${r.verdict}, ` +
        `${r.totals.portAllocationErrors.toLocaleString("en-US")} errors; analytic ${analytic.seconds.toFixed(3)} s CPU, ` +
        `verdict ${analytic.value.verdict}, ${analytic.value.totals.portAllocationErrors.toLocaleString("en-US")} expected errors` +
        (r.verdict === analytic.value.verdict ? " (verdicts agree)" : " (VERDICTS DISAGREE)"),
    );
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--case") {
    runCase(args[1]);
    return;
  }
  const stackAt = args.indexOf("stack");
  if (stackAt >= 0) {
    const n = Number(args[stackAt + 1] ?? 100);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`stack N: ${args[stackAt + 1]} is not a whole number of gateways`);
    await benchStack(n);
    return;
  }
  const extras = ["day", "import"].filter((x) => args.includes(x));
  const runsAt = args.indexOf("--runs");
  const runs = runsAt >= 0 ? Math.max(1, Number(args[runsAt + 1])) : 3;
  const recordsAt = args.indexOf("--records");
  const records = recordsAt >= 0 ? Math.max(1, Number(args[recordsAt + 1])) : undefined;
  const ids = args.filter((a, i) => a in CASES && args[i - 1] !== "--runs" && args[i - 1] !== "--records");
  const all = ids.length === 0 && extras.length === 0;
  const selected = all ? Object.keys(CASES) : ids;

  const dir = mkdtempSync(join(tmpdir(), "natcap-bench-"));
  let cRate: number | undefined;
  try {
    const { binary, reason } =
      selected.length > 0 ? buildKernel(dir) : { binary: undefined, reason: undefined };
    if (binary) {
      const argv = kernelArgs(CASES[REFERENCE].workload());
      const m = best(runs, () => lastJson(execFileSync(binary, argv, { encoding: "utf8" })));
      cRate = m.attemptsPerSecond;
      console.log(`C kernel (bench/kernel.c, cc -O2) on the reference workload (${REFERENCE})`);
      console.log(
        `    ${m.attempts.toLocaleString("en-US")} attempts in ${m.seconds.toFixed(2)} s CPU: ${rate(cRate)}`,
      );
    } else if (reason) console.log(`C kernel skipped: ${reason}; ratios to C are not printed`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  for (const id of selected) {
    const c = CASES[id];
    const m = best(runs, () =>
      lastJson(
        execFileSync(process.execPath, ["--import", "tsx", __filename, "--case", id], { encoding: "utf8" }),
      ),
    );
    const ratio = cRate ? `; ratio to C ${(m.attemptsPerSecond / cRate).toFixed(2)}` : "";
    console.log(`(${id}) ${c.title}`);
    console.log(
      `    ${m.attempts.toLocaleString("en-US")} attempts in ${m.seconds.toFixed(2)} s CPU ` +
        `(${m.wallSeconds.toFixed(2)} s wall): ${rate(m.attemptsPerSecond)}${ratio}; ` +
        `peak RSS ${m.peakRssMb.toFixed(0)} MB; peak connections ${m.peakConnections.toLocaleString("en-US")}; ` +
        `errors ${m.errors.toLocaleString("en-US")} (${c.check})`,
    );
    if (id === REFERENCE && cRate)
      console.log(`    natcap/C on the reference workload: ${(m.attemptsPerSecond / cRate).toFixed(2)}`);
  }
  if (all || extras.includes("day")) benchDay();
  if (all || extras.includes("import")) {
    console.log("(import) VPC Flow Logs, custom format, gzip (bench/import.ts)");
    console.log(formatImportBench(benchImport(records)));
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
