import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseWorkload } from "../../sim/workload/workload";
import { runAthenaInDuckDb } from "./duckdb";
import { MIX, synthetic } from "./synthetic";

const root = resolve(__dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "natcap-import-"));

function natcap(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "cli.ts", ...args], {
    cwd: root,
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

let csv: string;
beforeAll(async () => {
  const s = synthetic(MIX, 900, 11);
  csv = file("athena.csv", await runAthenaInDuckDb(s.recordsCsv));
}, 60_000);

describe("natcap import aggregated", () => {
  it("writes a workload from the query's CSV that simulate accepts", () => {
    const out = join(dir, "out", "workload.yaml");
    const r = natcap("import", "aggregated", csv, "-o", out, "--top", "3");
    expect(r.stderr).toMatch(/wrote .*workload\.yaml: 3 destinations, \d+ traffic streams/);
    expect(r.code).toBe(0);
    const text = readFileSync(out, "utf8");
    expect(text).toMatch(/^# Workload built by natcap import aggregated from observed traffic\./);
    expect(text).toMatch(/aggregated by a query where the logs live/);
    expect(text).toMatch(/# long tail left out: 1 endpoint/);
    const w = parseWorkload(text, out);
    expect(w.destinations).toHaveLength(3);
    expect(w.gateway.ips).toBe(2);
    const sim = natcap("simulate", out, "--json");
    expect(sim.code).toBe(0);
    expect(JSON.parse(sim.stdout).verdict).toBe("ok");
  }, 30_000);

  it("prints the workload on stdout without -o", () => {
    const r = natcap("import", "aggregated", csv, "--ips", "4");
    expect(r.code).toBe(0);
    expect(parseWorkload(r.stdout).gateway.ips).toBe(4);
  }, 30_000);

  it("exits 2 naming the file when nothing usable remains, and on wrong headers", () => {
    const garbled = file(
      "garbled.csv",
      "interval_start,address,port,protocol,fin,rst,idle\nnot,a,valid,row,x,y,z\n",
    );
    const r = natcap("import", "aggregated", garbled);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/natcap import aggregated: .*garbled\.csv: no usable row/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    const wrong = natcap("import", "aggregated", file("wrong.csv", "a,b\n1,2\n"));
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/wrong\.csv:1: missing column\(s\)/);
    expect(natcap("import", "aggregated", join(dir, "absent.csv")).code).toBe(2);
  }, 30_000);
});

describe("natcap import --print-query and flow logs", () => {
  it("prints each query and exits 0", () => {
    const athena = natcap(
      "import",
      "aws-flow-logs",
      "--print-query",
      "athena",
      "--interface",
      "eni-0abc",
      "--from",
      "2026-11-20T00:00:00Z",
    );
    expect(athena.code).toBe(0);
    expect(athena.stdout).toContain("interface_id = 'eni-0abc'");
    expect(athena.stdout).toContain(`AND start >= ${Date.parse("2026-11-20T00:00:00Z") / 1000}`);
    expect(natcap("import", "aws-flow-logs", "--print-query", "logs-insights").stdout).toMatch(
      /^parse @message/m,
    );
    expect(natcap("import", "azure-flow-logs", "--print-query", "kql").stdout).toMatch(/^NTANetAnalytics$/m);
    expect(natcap("import", "azure-flow-logs", "--print-query", "athena").code).toBe(2);
  }, 30_000);

  it("exits 2 without paths, and with flow logs that hold no usable record, naming the file", () => {
    const none = natcap("import", "aws-flow-logs");
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/give flow-log files or directories/);
    const empty = file("x.log", "version\n");
    const r = natcap("import", "aws-flow-logs", empty);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("x.log");
    expect(r.stderr).not.toMatch(/^\s+at /m);
  }, 30_000);

  it.each([
    ["aws-flow-logs", "examples/telemetry/aws-custom"],
    ["aws-flow-logs", "examples/telemetry/aws-default"],
    ["azure-flow-logs", "examples/telemetry/azure"],
  ])(
    "%s on the sample set %s writes a workload that simulate accepts",
    (kind, sample) => {
      const out = join(dir, kind, sample.replace(/\W/g, "-"), "workload.yaml");
      const r = natcap("import", kind, sample, "-o", out);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.code).toBe(0);
      const w = parseWorkload(readFileSync(out, "utf8"), out);
      expect(w.destinations.length).toBeGreaterThan(0);
      expect(w.traffic.length).toBeGreaterThan(0);
    },
    60_000,
  );
});

describe("natcap import cloudwatch-metrics / azure-metrics", () => {
  const metrics = () =>
    file(
      "cw.json",
      JSON.stringify({
        MetricDataResults: [
          {
            Id: "a",
            Label: "ConnectionAttemptCount",
            Timestamps: ["2026-11-20T10:01:00Z", "2026-11-20T10:00:00Z"],
            Values: [12000, 12000],
            StatusCode: "Complete",
          },
          {
            Id: "p",
            Label: "ActiveConnectionCount",
            Timestamps: ["2026-11-20T10:01:00Z", "2026-11-20T10:00:00Z"],
            Values: [1000, 990],
            StatusCode: "Complete",
          },
          {
            Id: "e",
            Label: "ErrorPortAllocation",
            Timestamps: ["2026-11-20T10:01:00Z", "2026-11-20T10:00:00Z"],
            Values: [0, 0],
            StatusCode: "Complete",
          },
        ],
      }),
    );
  const workload = () =>
    file(
      "w.yaml",
      `cloud: aws
gateway: { ips: 1 }
durationSeconds: 120
destinations:
  - { name: api, address: 198.51.100.7, port: 443 }
traffic:
  - { to: api, connectionsPerSecond: 200, holdSeconds: 5 }
`,
    );

  it("simulates the workload and reports the calibration", () => {
    const r = natcap("import", "cloudwatch-metrics", metrics(), "--workload", workload());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^The model reproduces the recorded attempts per minute within \d+\.\d%/);
    expect(r.stdout).toMatch(/peak active within \d+\.\d%/);
    expect(r.stdout).toMatch(/errors: recorded 0, model 0/);
    const json = natcap("import", "cloudwatch-metrics", metrics(), "--workload", workload(), "--json");
    const c = JSON.parse(json.stdout);
    const attempts = c.rows.find((x: { figure: string }) => x.figure === "attempts per minute");
    expect(attempts.recorded).toBe(12000);
    expect(Math.abs(attempts.differencePercent)).toBeLessThan(5);
  }, 30_000);

  it("exits 2 on metrics JSON of the wrong shape and without --workload or --result", () => {
    const bad = natcap(
      "import",
      "azure-metrics",
      file("bad.json", '{"MetricDataResults": []}'),
      "--workload",
      workload(),
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.json: value: .*az monitor metrics list/);
    expect(natcap("import", "cloudwatch-metrics", metrics()).code).toBe(2);
    const notJson = natcap("import", "cloudwatch-metrics", file("n.json", "{"), "--workload", workload());
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/n\.json: is not JSON/);
  }, 30_000);
});
