// Azure VNet flow logs written by a generator independent of natcap, from traffic whose every
// connection is known (truth.json), read through `natcap import` + `natcap simulate` and through
// `natcap replay`, compared with the truth within the tolerances the set states: attempts within 2 %,
// simulated rates within 5 %, mean and peak ports held within 10 %, replayed port-allocation errors
// on the overloaded endpoint within 20 % of the real failures and none where there were none.
// The whole set is read from beside the checkout when present; a trimmed copy (one client of ten,
// test/fixtures/telemetry/reference-azure) always runs.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { simulate } from "../../sim/engine/simulate";
import type { DestinationResult, SimulationResult } from "../../sim/result/result";
import { validateWorkload } from "../../sim/workload/workload";
import { replayTrace } from "../../telemetry/replay/replay";
import { aggregateTrace } from "../../telemetry/sinks/aggregate";
import { buildWorkload } from "../../telemetry/sinks/workload-writer";
import { readAzureFlowLogs } from "../../telemetry/sources/azure/flow-logs";
import { meanHoldTowards, tempDir } from "./helpers";

const root = resolve(__dirname, "../..");
const trimmed = resolve(__dirname, "../fixtures/telemetry/reference-azure");

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
    idleTimeoutSeconds: number;
  };
  destinations: Record<string, TruthEndpoint>;
}

/** The whole set beside the checkout (or beside a worktree's parent folder), if present. */
const whole = [
  resolve(root, "../shared/telemetry-reference/azure"),
  resolve(root, "../../shared/telemetry-reference/azure"),
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
    idleTimeoutMinutes: truth.gateway.idleTimeoutSeconds / 60,
  };
  return input;
}

describe.skipIf(whole === undefined)(
  whole
    ? "the whole Azure reference set"
    : "the whole Azure reference set (skipped: no ../shared/telemetry-reference/azure/truth.json beside the checkout)",
  () => {
    const truth: Truth = whole ? JSON.parse(readFileSync(join(whole, "truth.json"), "utf8")) : ({} as Truth);
    const logs = whole ? join(whole, "insights-logs-flowlogflowevent") : "";
    const g = whole ? truth.gateway : ({} as Truth["gateway"]);

    it("natcap import sees every endpoint's attempts and failures; natcap simulate of it holds the ports the truth held", () => {
      const out = join(tempDir(), "workload.yaml");
      const imported = natcap("import", "azure-flow-logs", logs, "-o", out);
      expect(imported.code, imported.stderr).toBe(0);
      const yaml = readFileSync(out, "utf8");
      expect(yaml).toMatch(/^gbPerMonth: \d+/m);
      const workload = validateWorkload(onTruthGateway(yaml, truth));
      const file = join(tempDir(), "on-truth-gateway.json");
      writeFileSync(file, JSON.stringify(onTruthGateway(yaml, truth)));
      const sim = natcap("simulate", file, "--json");
      const result = byEndpoint(JSON.parse(sim.stdout) as SimulationResult);
      const T = workload.durationSeconds;
      for (const [endpoint, t] of Object.entries(truth.destinations)) {
        const imported = workload.traffic
          .filter((s) => s.to === endpoint)
          .reduce((n, s) => n + s.connectionsPerSecond * T, 0);
        expect(off(imported, t.attempted), `${endpoint} imported attempts`).toBeLessThan(0.02);
        const observed = Number(
          new RegExp(`${endpoint.replaceAll(".", "\\.")}: .*observed failures ([\\d,]+)`)
            .exec(yaml)![1]
            .replaceAll(",", ""),
        );
        expect(off(observed, t.failed), `${endpoint} observed failures`).toBeLessThan(
          t.failed > 0 ? 0.05 : 1,
        );
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
      }
    }, 120_000);

    it("natcap replay at the truth's gateway reproduces its attempts, ports held and failures", () => {
      const r = natcap(
        "replay",
        logs,
        "--cloud",
        "azure",
        "--ips",
        String(g.ips),
        "--per-ip-destination-limit",
        String(g.perIpDestinationLimit),
        "--port-reuse-seconds",
        `${g.portReuseSeconds.fin},${g.portReuseSeconds.rst},${g.portReuseSeconds.udp}`,
        "--idle-timeout-minutes",
        String(g.idleTimeoutSeconds / 60),
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
    }, 120_000);
  },
);

describe("the trimmed Azure reference set (one client of ten)", () => {
  const truth: Truth = JSON.parse(readFileSync(join(trimmed, "truth.json"), "utf8"));
  const SHARE = 1 / 10;
  const dir = join(tempDir(), "y=2026/m=11/d=22/h=00/m=00/macAddress=00224828CEE8");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "PT1H.json"), gunzipSync(readFileSync(join(trimmed, "PT1H.json.gz"))));

  it("import reads a tenth of every endpoint's attempts and of the failures", async () => {
    const agg = aggregateTrace(await readAzureFlowLogs([dir]));
    for (const [endpoint, t] of Object.entries(truth.destinations)) {
      const e = agg.endpoints.find((x) => x.endpoint === endpoint)!;
      // Sampling noise of one client's share: a few % at these counts.
      expect(off(e.connections + e.failures, t.attempted * SHARE), `${endpoint} attempts`).toBeLessThan(0.08);
      if (t.failed === 0) expect(e.failures, `${endpoint} failures`).toBe(0);
      else expect(off(e.failures, t.failed * SHARE), `${endpoint} failures`).toBeLessThan(0.15);
    }
  });

  it("replay and simulate of its import hold a tenth of the ports where the gateway had room (UDP with its hold-down)", async () => {
    const trace = await readAzureFlowLogs([dir]);
    const g = truth.gateway;
    const replayed = byEndpoint(
      replayTrace(trace, {
        ips: g.ips,
        portReuseSeconds: g.portReuseSeconds,
        idleTimeoutMinutes: g.idleTimeoutSeconds / 60,
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
          0.1,
        );
        expect(d.portAllocationErrors).toBe(0);
      }
    }
  });
});
