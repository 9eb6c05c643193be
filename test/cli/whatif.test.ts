import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { HOURS_PER_MONTH, PRICES } from "../../core/prices";
import { usd } from "../../render/whatif-report";

const root = resolve(__dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "natcap-whatif-"));

function natcap(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "cli.ts", ...args], {
    cwd: root,
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const workload = join(dir, "w.yaml");
writeFileSync(
  workload,
  `cloud: aws
gateway: { ips: 1 }
durationSeconds: 600
gbPerMonth: 100
destinations:
  - { name: api, address: 198.51.100.7, port: 443 }
traffic:
  - { to: api, connectionsPerSecond: 900, holdSeconds: { distribution: exponential, mean: 10 } }
`,
);

describe("natcap simulate --what-if", () => {
  it("prints the what-if table after the report, priced from the table", () => {
    const r = natcap("simulate", workload, "--what-if");
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.stdout).toContain("What if");
    expect(r.stdout).toContain("* cheapest fit");
    const oneIp =
      (PRICES.aws.natGatewayHour.usd + PRICES.aws.publicIpv4Hour.usd) * HOURS_PER_MONTH +
      100 * PRICES.aws.natGatewayPerGb.usd;
    expect(r.stdout).toContain(usd(oneIp));
  });

  it("--gb-per-month overrides the workload's figure", () => {
    const r = natcap("simulate", workload, "--what-if", "--gb-per-month", "0");
    expect(r.stdout).toContain(
      usd((PRICES.aws.natGatewayHour.usd + PRICES.aws.publicIpv4Hour.usd) * HOURS_PER_MONTH),
    );
  });

  it("--json keeps the contract and adds whatIf", () => {
    const plain = JSON.parse(natcap("simulate", workload, "--json").stdout);
    const r = natcap("simulate", workload, "--json", "--what-if");
    const withPlan = JSON.parse(r.stdout);
    const { whatIf, ...rest } = withPlan;
    expect(rest).toEqual(plain);
    expect(whatIf.rows).toHaveLength(8);
    expect(whatIf.rows.filter((x: { cheapest: boolean }) => x.cheapest).length).toBeLessThanOrEqual(1);
  });

  it("writes the what-if table and chart into the HTML report", () => {
    const html = join(dir, "r.html");
    natcap("simulate", workload, "--what-if", "--report", html);
    expect(readFileSync(html, "utf8")).toContain('id="whatif-chart"');
  });

  it("refuses a bad --gb-per-month with exit code 2, naming the option", () => {
    const r = natcap("simulate", workload, "--what-if", "--gb-per-month", "lots");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--gb-per-month");
  });
});

describe("natcap replay --what-if", () => {
  it("prints the what-if table of the replayed trace", () => {
    const r = natcap(
      "replay",
      "examples/telemetry/azure/PT1H.json",
      "--cloud",
      "azure",
      "--ips",
      "1",
      "--what-if",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("What if");
    expect(r.stdout.split("\n").filter((l) => /^\d+ /.test(l))).toHaveLength(16);
  });

  // The data processed comes from the bytes the logs carried: replay's what-if and the workload
  // `natcap import` writes from the same logs must price the same GB, and not $0.
  const processingOf = (plan: {
    gbPerMonth: number;
    rows: { ips: number; cost: { processing: number } }[];
  }) => ({
    gbPerMonth: plan.gbPerMonth,
    processing: plan.rows.map((x) => [x.ips, x.cost.processing]),
  });
  const crossSurface = [
    { cloud: "aws", logs: "examples/telemetry/aws-custom", perGb: PRICES.aws.natGatewayPerGb.usd },
    { cloud: "azure", logs: "examples/telemetry/azure", perGb: PRICES.azure.natGatewayPerGb.usd },
  ] as const;
  it.each(crossSurface)(
    "$cloud: replay prices the bytes in the logs as import → simulate does",
    ({ cloud, logs, perGb }) => {
      const out = join(dir, `imported-${cloud}.yaml`);
      const imported = natcap("import", `${cloud}-flow-logs`, logs, "-o", out);
      expect(imported.code).toBe(0);
      const simulated = JSON.parse(natcap("simulate", out, "--what-if", "--json").stdout).whatIf;
      const replayArgs = ["replay", logs, "--cloud", cloud, "--ips", "1", "--what-if", "--json"];
      const replayed = JSON.parse(natcap(...replayArgs).stdout).whatIf;
      expect(replayed.gbPerMonth).toBeGreaterThan(0);
      expect(replayed.rows[0].cost.processing).toBeCloseTo(replayed.gbPerMonth * perGb, 9);
      expect(processingOf(replayed)).toEqual(processingOf(simulated));
      // The figure is the one the import header states, from the bytes carried.
      const header = /^# gbPerMonth ([\d.]+): [\d,]+ bytes carried/m.exec(readFileSync(out, "utf8"));
      expect(Number(header?.[1])).toBe(replayed.gbPerMonth);
      // --gb-per-month overrides it on replay too.
      const given = JSON.parse(natcap(...replayArgs, "--gb-per-month", "1000").stdout).whatIf;
      expect(given.gbPerMonth).toBe(1000);
      expect(given.rows[0].cost.processing).toBeCloseTo(1000 * perGb, 9);
    },
  );
});

describe("what-if with IPv6 destinations on every surface", () => {
  // Peak-only expectations keep every row an instant check.
  const dual = join(dir, "dual.yaml");
  writeFileSync(
    dual,
    `cloud: azure
gateway: { ips: 1, sku: StandardV2, ipsV6: 1 }
durationSeconds: 600
destinations:
  - { name: api, address: 198.51.100.7, port: 443, peakConnections: 120000 }
  - { name: api6, address: "2001:db8::7", port: 443, peakConnections: 260000 }
`,
  );
  const cheapestOf = (text: string) => /Cheapest design that fits: ([^,]+),/.exec(text)?.[1];

  it("the simulate table, its JSON and the HTML report name the same cheapest design", () => {
    const html = join(dir, "dual.html");
    const table = natcap("simulate", dual, "--what-if", "--report", html);
    expect(table.stderr).not.toMatch(/internal error/);
    expect(table.stdout).toContain("What if, IPv6");
    const json = JSON.parse(natcap("simulate", dual, "--what-if", "--json").stdout);
    expect(json.whatIf.cheapest).toEqual({
      cloud: "azure",
      kind: "single",
      gateways: 1,
      ipsPerGateway: 3,
      ipsV6PerGateway: 6,
    });
    expect(json.whatIf.rowsV6).toHaveLength(16);
    expect(json.whatIf.rowsV6.filter((r: { cheapest: boolean }) => r.cheapest)).toEqual([
      expect.objectContaining({ ips: 3, ipsV6: 6 }),
    ]);
    const text = json.whatIf.cheapestText;
    expect(text).toBe("one gateway with 3 IPv4 and 6 IPv6 addresses");
    expect(cheapestOf(table.stdout)).toBe(text);
    expect(cheapestOf(readFileSync(html, "utf8"))).toBe(text);
    // The analytic planner's own answer per family agrees.
    expect(json.ipsNeeded).toBe(3);
    expect(json.ipsV6Needed).toBe(6);
  });

  it("replay (IPv4 flow logs only) shows one table and the same cheapest design as its JSON", () => {
    const args = [
      "replay",
      "examples/telemetry/azure/PT1H.json",
      "--cloud",
      "azure",
      "--ips",
      "1",
      "--what-if",
    ];
    const table = natcap(...args);
    const json = JSON.parse(natcap(...args, "--json").stdout);
    expect(json.whatIf.rowsV6).toBeUndefined();
    expect(table.stdout).not.toContain("What if, IPv6");
    expect(cheapestOf(table.stdout)).toBe(json.whatIf.cheapestText);
  });
});
