// VPC Flow Logs written by a generator independent of natcap (2 NAT IPs, records in no order within
// 5-minute files), from traffic whose every connection is known (truth.json), read through
// `natcap import` + `natcap simulate` and through `natcap replay`, compared with the truth within the
// tolerances the set states: attempts within 2 %, simulated rates within 5 %, mean and peak ports held
// within 10 %, replayed port-allocation errors on the overloaded endpoint within 20 % of the real
// failures and none where there were none. The whole set is read from beside the checkout when
// present; a trimmed copy (a thirty-second, test/fixtures/telemetry/reference-aws) always runs.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { simulate } from "../../sim/engine/simulate";
import type { DestinationResult, SimulationResult } from "../../sim/result/result";
import { validateWorkload } from "../../sim/workload/workload";
import { replayTrace } from "../../telemetry/replay/replay";
import { aggregateTrace } from "../../telemetry/sinks/aggregate";
import { buildWorkload } from "../../telemetry/sinks/workload-writer";
import { aggregateAwsFlowLogs, readAwsFlowLogs } from "../../telemetry/sources/aws/flow-logs";
import { meanHoldTowards, tempDir, writeLines } from "./helpers";

const root = resolve(__dirname, "../..");
const trimmed = resolve(__dirname, "../fixtures/telemetry/reference-aws");

interface TruthEndpoint {
  attempted: number;
  failed: number;
  attemptsPerSecond: number;
  meanPortsHeld: number;
  peakPortsHeld: number;
  holdSeconds: { mean: number };
}
interface Truth {
  window: { durationSeconds: number };
  gateway: {
    ips: number;
    perIpDestinationLimit: number;
    portReuseSeconds: { fin: number; rst: number; udp: number };
  };
  logs: { natPrivateIps: string[] };
  destinations: Record<string, TruthEndpoint>;
}

/** The whole set beside the checkout (or beside a worktree's parent folder), if present. */
const whole = [
  resolve(root, "../shared/telemetry-reference/aws"),
  resolve(root, "../../shared/telemetry-reference/aws"),
].find((dir) => existsSync(join(dir, "truth.json")));

function natcap(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "cli.ts", ...args], {
    cwd: root,
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** |actual − expected| / expected, or |actual| when nothing is expected. */
function off(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / expected;
}

function byEndpoint(r: SimulationResult): Map<string, DestinationResult> {
  return new Map(r.destinations.map((d) => [d.endpoint, d]));
}

/** The imported workload YAML on the truth's gateway (what the logs cannot show). */
function onTruthGateway(yaml: string, truth: Truth): unknown {
  const input = parse(yaml) as { gateway: Record<string, unknown> };
  input.gateway = {
    ips: truth.gateway.ips,
    perIpDestinationLimit: truth.gateway.perIpDestinationLimit,
    portReuseSeconds: truth.gateway.portReuseSeconds,
  };
  return input;
}

/** The observed failures the workload's header states for an endpoint. */
function observedFailures(yaml: string, endpoint: string): number {
  const m = new RegExp(`${endpoint.replaceAll(".", "\\.")}: .*observed failures ([\\d,]+)`).exec(yaml);
  return Number(m![1].replaceAll(",", ""));
}

describe.skipIf(whole === undefined)(
  whole
    ? "the whole AWS reference set"
    : "the whole AWS reference set (skipped: no ../shared/telemetry-reference/aws/truth.json beside the checkout)",
  () => {
    const truth: Truth = whole ? JSON.parse(readFileSync(join(whole, "truth.json"), "utf8")) : ({} as Truth);
    const logs = whole ? join(whole, "AWSLogs") : "";
    const g = whole ? truth.gateway : ({} as Truth["gateway"]);

    it("natcap import sees every endpoint's attempts and failures and both NAT IPs; natcap simulate of it holds the ports the truth held", () => {
      const out = join(tempDir(), "workload.yaml");
      const imported = natcap("import", "aws-flow-logs", logs, "-o", out);
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stderr).not.toContain("warning");
      const yaml = readFileSync(out, "utf8");
      expect(yaml).toMatch(/gateway\.ips 2: 2 gateway IP\(s\) seen/);
      const file = join(tempDir(), "on-truth-gateway.json");
      writeFileSync(file, JSON.stringify(onTruthGateway(yaml, truth)));
      const workload = validateWorkload(onTruthGateway(yaml, truth));
      const sim = natcap("simulate", file, "--json");
      const result = byEndpoint(JSON.parse(sim.stdout) as SimulationResult);
      const T = workload.durationSeconds;
      for (const [endpoint, t] of Object.entries(truth.destinations)) {
        const rate = workload.traffic
          .filter((s) => s.to === endpoint)
          .reduce((n, s) => n + s.connectionsPerSecond, 0);
        expect(off(rate * T, t.attempted), `${endpoint} imported attempts`).toBeLessThan(0.02);
        const seen = observedFailures(yaml, endpoint);
        if (t.failed === 0) expect(seen, `${endpoint} observed failures`).toBe(0);
        else expect(off(seen, t.failed), `${endpoint} observed failures`).toBeLessThan(0.02);
        // The hold fitted to the logs (connections still open at the end censored where the logs
        // last show them) against the real holds; a UDP hold is sub-second, under the 1 s resolution.
        if (endpoint.endsWith("/tcp"))
          expect(
            off(meanHoldTowards(workload, endpoint), t.holdSeconds.mean),
            `${endpoint} mean hold`,
          ).toBeLessThan(0.05);
        const d = result.get(endpoint)!;
        expect(off(d.attempts / T, t.attemptsPerSecond), `${endpoint} simulated rate`).toBeLessThan(0.05);
        expect(off(d.meanPortsHeld, t.meanPortsHeld), `${endpoint} simulated mean ports`).toBeLessThan(0.1);
        expect(off(d.peakPortsHeld, t.peakPortsHeld), `${endpoint} simulated peak ports`).toBeLessThan(0.1);
        if (t.failed === 0) expect(d.portAllocationErrors, `${endpoint} simulated errors`).toBe(0);
        else expect(off(d.portAllocationErrors, t.failed), `${endpoint} simulated errors`).toBeLessThan(0.2);
      }
    }, 180_000);

    it("natcap replay at the truth's gateway reproduces its attempts, ports held and failures", () => {
      const r = natcap(
        "replay",
        logs,
        "--cloud",
        "aws",
        "--ips",
        String(g.ips),
        "--per-ip-destination-limit",
        String(g.perIpDestinationLimit),
        "--port-reuse-seconds",
        `${g.portReuseSeconds.fin},${g.portReuseSeconds.rst},${g.portReuseSeconds.udp}`,
        "--json",
      );
      const result = byEndpoint(JSON.parse(r.stdout) as SimulationResult);
      for (const [endpoint, t] of Object.entries(truth.destinations)) {
        const d = result.get(endpoint)!;
        expect(off(d.attempts, t.attempted), `${endpoint} attempts`).toBeLessThan(0.02);
        expect(off(d.meanPortsHeld, t.meanPortsHeld), `${endpoint} mean ports`).toBeLessThan(0.1);
        expect(off(d.peakPortsHeld, t.peakPortsHeld), `${endpoint} peak ports`).toBeLessThan(0.1);
        if (t.failed === 0) expect(d.portAllocationErrors, `${endpoint} errors`).toBe(0);
        else expect(off(d.portAllocationErrors, t.failed), `${endpoint} errors`).toBeLessThan(0.2);
      }
    }, 180_000);
  },
);

describe("the trimmed AWS reference set (a thirty-second, by SNAT and client port)", () => {
  const truth: Truth = JSON.parse(readFileSync(join(trimmed, "truth.json"), "utf8"));
  const SHARE = 1 / 32;
  const files = readdirSync(trimmed)
    .filter((f) => f.endsWith(".log.gz"))
    .sort()
    .map((f) => join(trimmed, f));

  it("import reads a thirty-second of every endpoint's attempts and of the failures, through both NAT IPs", async () => {
    const agg = await aggregateAwsFlowLogs(files);
    expect(agg.gatewayIpCount).toBe(2);
    expect(agg.provenance.skipped).toEqual([]);
    expect(agg.provenance.warnings).toBeUndefined();
    for (const [endpoint, t] of Object.entries(truth.destinations)) {
      const e = agg.endpoints.find((x) => x.endpoint === endpoint)!;
      // Sampling noise of a thirty-second: several % at these counts.
      expect(off(e.connections + e.failures, t.attempted * SHARE), `${endpoint} attempts`).toBeLessThan(0.1);
      if (t.failed === 0) expect(e.failures, `${endpoint} failures`).toBe(0);
      else expect(off(e.failures, t.failed * SHARE), `${endpoint} failures`).toBeLessThan(0.2);
    }
  });

  it("replay and simulate of its import hold a thirty-second of the ports where the gateway had room", async () => {
    const trace = await readAwsFlowLogs(files);
    const g = truth.gateway;
    const replayed = byEndpoint(
      replayTrace(trace, {
        ips: g.ips,
        perIpDestinationLimit: g.perIpDestinationLimit,
        portReuseSeconds: g.portReuseSeconds,
      }).result,
    );
    const yaml = buildWorkload(aggregateTrace(trace)).yaml;
    const simulated = byEndpoint(simulate(validateWorkload(onTruthGateway(yaml, truth))));
    for (const [endpoint, t] of Object.entries(truth.destinations)) {
      if (t.failed > 0) continue; // capacity-bound: needs the whole set
      for (const [how, r] of [
        ["replayed", replayed],
        ["simulated", simulated],
      ] as const) {
        const d = r.get(endpoint)!;
        expect(off(d.meanPortsHeld, t.meanPortsHeld * SHARE), `${how} ${endpoint} mean ports`).toBeLessThan(
          0.15,
        );
        expect(d.portAllocationErrors).toBe(0);
      }
    }
  });

  it("property: any delivery order of its records within the lateness gives the same workload and the same replay", async () => {
    const lines = files.flatMap((f) => gunzipSync(readFileSync(f)).toString("latin1").trimEnd().split("\n"));
    const header = lines[0];
    const records = lines.filter((l) => l !== header);
    const dir = tempDir();
    const run = async (order: string[], name: string) => {
      const file = writeLines(dir, name, [header, ...order]);
      const trace = await readAwsFlowLogs([file]);
      const replay = replayTrace(trace, { ips: 2, perIpDestinationLimit: 3000 }).result;
      return { yaml: buildWorkload(aggregateTrace(trace)).yaml.replace(/^# files.*$/m, ""), replay };
    };
    const base = await run(records, "as-delivered.log");
    const end = (l: string) => Number(l.split(" ")[11]);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 60, max: 600 }),
        async (seed, jitter) => {
          // Each record delayed by up to `jitter` s after its end, then shuffled within 5-minute files.
          const rng = fc.sample(
            fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
              minLength: records.length,
              maxLength: records.length,
            }),
            { seed, numRuns: 1 },
          )[0];
          const due = records.map((l, i) => ({
            l,
            file: Math.floor((end(l) + rng[i] * jitter) / 300),
            k: rng[(i * 7919) % rng.length],
          }));
          due.sort((a, b) => a.file - b.file || a.k - b.k);
          const other = await run(
            due.map((d) => d.l),
            `order-${n++}.log`,
          );
          expect(other.yaml).toBe(base.yaml);
          expect(other.replay).toEqual(base.replay);
        },
      ),
      { numRuns: 4 },
    );
  }, 120_000);
});
