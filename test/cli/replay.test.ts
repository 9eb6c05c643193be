import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { awsFlowLogLines, CUSTOM_FIELDS, generateTraffic } from "../../telemetry/generate/generate";
import { tempDir, writeLines } from "../telemetry/helpers";

const root = resolve(__dirname, "../..");

function natcap(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "cli.ts", ...args], {
    cwd: root,
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = tempDir();
const truth = generateTraffic({
  durationSeconds: 900,
  ips: 1,
  perIpLimit: 200,
  streams: [{ address: "203.0.113.10", port: 443, connectionsPerSecond: 5, holdSeconds: 30, close: "fin" }],
});
const logs = writeLines(dir, "nat.log.gz", awsFlowLogLines(truth, { fields: CUSTOM_FIELDS }));
const failures = truth.filter((c) => c.failed).length;

describe("natcap replay", () => {
  it("prints errors per IP count side by side with the failures in the logs, exit 1 when any count predicts errors", () => {
    const r = natcap("replay", logs, "--cloud", "aws", "--ips", "1,2", "--per-ip-destination-limit", "200");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/failures in logs\s+ErrorPortAllocation @1 IP\s+ErrorPortAllocation @2 IPs/);
    expect(r.stdout).toContain(`Failures in the logs: ${failures.toLocaleString("en-US")}`);
    expect(r.stderr).toMatch(/records read/);
  });

  it("--json with one IP count prints exactly one result; with several an array in the order given", () => {
    const one = natcap(
      "replay",
      logs,
      "--cloud",
      "aws",
      "--ips",
      "4",
      "--per-ip-destination-limit",
      "200",
      "--json",
    );
    expect(one.code).toBe(0);
    const result = JSON.parse(one.stdout);
    expect(result.ips).toBe(4);
    expect(result.destinations[0].endpoint).toBe("203.0.113.10:443/tcp");
    const many = natcap(
      "replay",
      logs,
      "--cloud",
      "aws",
      "--ips",
      "4,1",
      "--json",
      "--per-ip-destination-limit",
      "200",
    );
    const results = JSON.parse(many.stdout);
    expect(results.map((x: { ips: number }) => x.ips)).toEqual([4, 1]);
    expect(many.code).toBe(1);
  });

  it("writes the HTML report", () => {
    const file = join(dir, "out", "replay.html");
    const r = natcap("replay", logs, "--cloud", "aws", "--ips", "2", "--report", file);
    expect(r.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, "utf8")).toContain("203.0.113.10:443/tcp");
  });

  it("exits 2 naming the problem: a missing path, logs of the other cloud, too many IPs, a bad --ips list", () => {
    const missing = natcap("replay", join(dir, "nope"), "--cloud", "aws", "--ips", "1");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope.*ENOENT/);
    const other = natcap("replay", logs, "--cloud", "azure", "--ips", "1");
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("nat.log.gz");
    const nine = natcap("replay", logs, "--cloud", "aws", "--ips", "9");
    expect(nine.code).toBe(2);
    expect(nine.stderr).toMatch(/--ips: 9 exceeds the 8 IPs/);
    const list = natcap("replay", logs, "--cloud", "aws", "--ips", "1,x");
    expect(list.code).toBe(2);
    expect(list.stderr).toMatch(/--ips "1,x"/);
    expect(`${missing.stderr}${other.stderr}${nine.stderr}`).not.toMatch(/\n\s+at /);
  });

  it("--what-if plans the replayed traffic on the replay's gateway options, its cost with the GB the logs carried", () => {
    const azure = tempDir();
    const tuples = [];
    // One Azure client: 40 connections of 100 s each to one endpoint, 1 MB each way.
    for (let i = 0; i < 40; i++) {
      const at = 1_767_225_600_000 + i * 1000;
      tuples.push(`${at},10.0.0.5,203.0.113.7,${40_000 + i},443,6,O,B,NX,0,0,0,0`);
      tuples.push(
        `${at + 100_000},10.0.0.5,203.0.113.7,${40_000 + i},443,6,O,E,NX,1000,1000000,1000,1000000`,
      );
    }
    writeFileSync(
      join(azure, "PT1H.json"),
      JSON.stringify({
        records: [
          {
            flowLogVersion: 4,
            flowRecords: { flows: [{ flowGroups: [{ rule: "r", flowTuples: tuples }] }] },
          },
        ],
      }),
    );
    const r = natcap(
      "replay",
      azure,
      "--cloud",
      "azure",
      "--ips",
      "1",
      "--per-ip-destination-limit",
      "10",
      "--what-if",
      "--json",
    );
    const plan = JSON.parse(r.stdout).whatIf;
    // 40 connections held 100 s + 65 s at once need 4 IPs of 10 ports, not 1 of the default 50,000.
    expect(plan.cheapest.ipsPerGateway * plan.cheapest.gateways).toBeGreaterThanOrEqual(4);
    const seconds = 139; // first begin to last end
    expect(plan.gbPerMonth).toBeCloseTo(((40 * 2e6) / 1e9) * ((730 * 3600) / seconds), 0);
  });
});
