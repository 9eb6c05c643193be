/**
 * The stack case of `npm run bench -- stack N`: what natcap's capacity checks cost at preview on a
 * network stack with many gateways. It writes one Pulumi program with N AWS NAT gateways (natcap's
 * AwsNatGateway, two IPs each), each with its own expected traffic — two destinations, one stream
 * each (lognormal holds, exponential holds), an hour, rates distinct per gateway — and the same
 * program without expected traffic, runs `natcap check` (the compiled CLI, `npm run build` first) on
 * each, and prints both wall times (and CPU seconds of the whole process tree, from /usr/bin/time
 * when present: steadier than wall time on a busy machine), the peak memory of each run (the largest sum of the resident
 * memory of the check and every process it started, sampled every 100 ms) and the ratios. The
 * difference is the capacity checks' cost: the components' assessments and the policy pack's.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");

/** The program's source: N gateways, with or without expected traffic. */
export function stackProgram(gateways: number, withTraffic: boolean): string {
  return `import { aws } from "natcap";

const { AwsNatGateway, CloseKind, HoldDistribution } = aws;

const gateways = ${gateways};
for (let i = 0; i < gateways; i++) {
  new AwsNatGateway(\`egress-\${i}\`, {
    subnetId: \`subnet-\${i}\`,
    ipCount: 2,
    routeTables: [{ key: "private", routeTableId: \`rtb-\${i}\` }],
${
  withTraffic
    ? `    expectedTraffic: {
      durationSeconds: 3600,
      destinations: [
        { name: "api", address: \`198.51.\${100 + (i % 2)}.\${(i % 250) + 1}\`, port: 443 },
        { name: "ldap", address: \`203.0.113.\${(i % 250) + 1}\`, port: 636 },
      ],
      traffic: [
        {
          to: "api",
          connectionsPerSecond: 200 + i,
          hold: { distribution: HoldDistribution.Lognormal, mean: 20, sigma: 1 },
          close: CloseKind.Fin,
        },
        {
          to: "ldap",
          connectionsPerSecond: 100 + i / 2,
          hold: { distribution: HoldDistribution.Exponential, mean: 10 },
          close: CloseKind.Fin,
        },
      ],
    },
`
    : ""
}  });
}
`;
}

/** Writes the program into `dir` (inside the package, so `natcap` resolves to this checkout). */
function writeProgram(dir: string, gateways: number, withTraffic: boolean): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "Pulumi.yaml"),
    "name: bench-stack\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
  );
  writeFileSync(join(dir, "index.ts"), stackProgram(gateways, withTraffic));
}

/** Resident memory in bytes of `pid` and every process below it. */
function treeRss(pid: number): number {
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name (in parentheses): state, ppid, ..., rss (24th field) in pages.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parent.set(Number(entry), Number(fields[1]));
      rss.set(Number(entry), Number(fields[21]) * 4096);
    } catch {
      // The process ended meanwhile.
    }
  }
  let sum = 0;
  for (const [p, bytes] of rss) {
    let q: number | undefined = p;
    while (q !== undefined && q > 1 && q !== pid) q = parent.get(q);
    if (q === pid) sum += bytes;
  }
  return sum;
}

/** One `natcap check` run: wall and CPU seconds, peak memory (MB), exit code, resources recorded. */
export interface StackRun {
  readonly seconds: number;
  /** CPU seconds (user + system) of the check and every process it waited for, from /usr/bin/time. */
  readonly cpuSeconds?: number;
  readonly peakMb: number;
  readonly exitCode: number;
  readonly resources: number;
  readonly violations: number;
}

/** Runs the compiled `natcap check DIR --json` and measures it. */
function runCheck(dir: string): Promise<StackRun> {
  return new Promise((done, fail) => {
    const start = process.hrtime.bigint();
    // A long program-run limit: on a busy machine 200 gateways take longer than the default 120 s.
    const check = [
      process.execPath,
      join(ROOT, "dist", "cli.js"),
      "check",
      dir,
      "--json",
      "--timeout",
      "1800",
    ];
    const timeFile = join(dir, "time.txt");
    const timed = existsSync("/usr/bin/time");
    const [command, ...args] = timed ? ["/usr/bin/time", "-o", timeFile, "-f", "%U %S", ...check] : check;
    const child = spawn(command, args, {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      // The program imports natcap by self-reference from inside the package, where type-checking
      // stops at "TS2209 project root is ambiguous"; compile it as Pulumi does with transpile-only.
      env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (b) => {
      out += b;
    });
    child.stderr.on("data", (b) => {
      err += b;
    });
    let peak = 0;
    const timer = setInterval(() => {
      if (child.pid !== undefined) peak = Math.max(peak, treeRss(child.pid));
    }, 100);
    child.on("error", fail);
    child.on("close", (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      let parsed: { resources?: number; diagnostics?: unknown[] } = {};
      try {
        parsed = JSON.parse(out);
      } catch {
        fail(new Error(`natcap check ${dir} printed no JSON (exit ${code}):\n${err}${out}`));
        return;
      }
      const cpu = timed
        ? readFileSync(timeFile, "utf8").trim().split(/\s+/).slice(-2).map(Number)
        : undefined;
      done({
        seconds,
        ...(cpu ? { cpuSeconds: cpu[0] + cpu[1] } : {}),
        peakMb: peak / 2 ** 20,
        exitCode: code ?? -1,
        resources: parsed.resources ?? 0,
        violations: parsed.diagnostics?.length ?? 0,
      });
    });
  });
}

/**
 * The stack case: writes both programs under `out/`, checks the one without expected traffic,
 * then the one with, and prints the figures and the ratios (targets: time ratio at most 1.3, peak
 * memory within 10 %).
 */
export async function benchStack(gateways: number): Promise<void> {
  const base = join(ROOT, "out", "bench-stack");
  const without = join(base, `without-${gateways}`);
  const withTraffic = join(base, `with-${gateways}`);
  writeProgram(without, gateways, false);
  writeProgram(withTraffic, gateways, true);
  console.log(
    `(stack) natcap check on ${gateways} AWS NAT gateways (AwsNatGateway, 2 IPs), with and without expected traffic ` +
      "(two streams each: lognormal and exponential holds, an hour, rates distinct per gateway)",
  );
  const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  const line = (what: string, r: StackRun) =>
    console.log(
      `    ${what}: ${r.seconds.toFixed(1)} s wall, ${r.cpuSeconds?.toFixed(1) ?? "?"} s CPU, peak memory ${r.peakMb.toFixed(0)} MB, exit ${r.exitCode}, ` +
        `${r.resources} resources, ${r.violations} findings`,
    );
  // A first check pays for cold caches (the compiler, the file system): pay it on one gateway.
  const warm = join(base, "warm-up");
  writeProgram(warm, 1, true);
  await runCheck(warm);
  console.log(`    load average before: ${load()}`);
  const a = await runCheck(without);
  line("without expected traffic", a);
  const b = await runCheck(withTraffic);
  line("with expected traffic   ", b);
  console.log(`    load average after: ${load()}`);
  const cpuRatio = a.cpuSeconds && b.cpuSeconds ? `, CPU ${(b.cpuSeconds / a.cpuSeconds).toFixed(2)}` : "";
  console.log(
    `    ratio (with / without): time ${(b.seconds / a.seconds).toFixed(2)} (target ≤ 1.3)${cpuRatio}, ` +
      `peak memory ${(b.peakMb / a.peakMb).toFixed(2)} (target ≤ 1.10)`,
  );
}
