// `npm start` is `npm run build && tsx scripts/start.ts`; this runs the second half (the suite runs
// after the build) exactly as npm does, with the report written to a temporary folder.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
let tmp: string;
let run: ReturnType<typeof spawnSync>;
let stdout: string;

beforeAll(() => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  expect(manifest.scripts.start).toBe("npm run build && tsx scripts/start.ts");
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "natcap-start-"));
  run = spawnSync(
    process.execPath,
    ["--import", "tsx", "scripts/start.ts", "--out", path.join(tmp, "nested", "report.html")],
    // As a user's shell runs it: no PULUMI_NODEJS_TRANSPILE_ONLY (the example is type-checked).
    {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 300_000,
      env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "" },
    },
  );
  stdout = String(run.stdout);
}, 310_000);
afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("npm start on the default example", () => {
  it("exits 0 with nothing on stderr", () => {
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("prints the resources of a preview, counted by type", () => {
    expect(stdout).toContain("Previewing aws-zonal-egress/dev (examples/aws-zonal-egress)");
    const created = Number(/\+ (\d+) to create/.exec(stdout)?.[1]);
    const byType = [...stdout.matchAll(/^\s+(\d+) × (\S+)$/gm)];
    expect(byType.reduce((n, m) => n + Number(m[1]), 0)).toBe(created);
    const count = (type: string) => Number(byType.find((m) => m[2] === type)?.[1]);
    expect(count("natcap:index:AwsNatGateway")).toBe(3);
    expect(count("aws:ec2/natGateway:NatGateway")).toBe(3);
    // 3 EIPs per gateway: a primary and two associations each.
    expect(count("aws:ec2/eip:Eip")).toBe(9);
    expect(count("aws:ec2/natGatewayEipAssociation:NatGatewayEipAssociation")).toBe(6);
  });

  it("prints the policy results with the example's policy config", () => {
    expect(stdout).toMatch(/Policies \(natcap-policies v\d+\.\d+\.\d+\):/);
    expect(stdout).toContain("No policy violations");
    expect(stdout).toMatch(/\d+ resources checked: 0 mandatory, 0 advisory\./);
  });

  it("prints a capacity table per gateway group, LDAP needing the third IP", () => {
    expect(stdout).toMatch(
      /egress-us-east-1a, egress-us-east-1b, egress-us-east-1c: AWS, 3 IPs each, hash, 900 s simulated \(seed 1\): ok/,
    );
    expect(stdout).toMatch(/destination\s+endpoint\s+peak\s+capacity\s+IPs needed\s+errors\s+verdict/);
    const ldap =
      /^\s+ldap\s+203\.0\.113\.10:636\/tcp\s+([\d,]+)\s+([\d,]+)\s+(\d+)\s+([\d,]+)\s+(\S+)$/m.exec(stdout);
    expect(ldap, stdout).not.toBeNull();
    const [peak, capacity, ipsNeeded, errors, verdict] = ldap!.slice(1);
    const n = (s: string) => Number(s.replace(/,/g, ""));
    // More than 2 IPs can hold (2 × 55,000), within 3: the story of the example.
    expect(n(peak)).toBeGreaterThan(110_000);
    expect(n(peak)).toBeLessThanOrEqual(n(capacity));
    expect([n(ipsNeeded), n(errors), verdict]).toEqual([3, 0, "ok"]);
    expect(stdout).toMatch(/^\s+payments-api\s+198\.51\.100\.20:443\/tcp\s+40,000\s/m);
    // The S3 destination goes through the gateway endpoint, not the NAT gateway.
    expect(stdout).not.toMatch(/^\s+s3\s/m);
  });

  it("points at the telemetry sample set", () => {
    expect(stdout).toMatch(
      /^Telemetry: sample flow logs in examples\/telemetry; try `natcap replay examples\/telemetry\/aws-custom /m,
    );
    expect(fs.existsSync(path.join(ROOT, "examples", "telemetry", "aws-custom"))).toBe(true);
  });

  it("writes the HTML report it names", () => {
    const file = path.join(tmp, "nested", "report.html");
    expect(stdout).toContain(`HTML report: ${path.relative(ROOT, file)}`);
    const html = fs.readFileSync(file, "utf8");
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain("egress-us-east-1a");
    expect(html).toContain("203.0.113.10:636/tcp");
    expect(html).toContain("uPlot");
  });

  it("prints the first gateway's what-if table and puts it in the report", () => {
    expect(stdout).toMatch(/What if \(one gateway, IPs from 1 to its maximum\):/);
    expect(stdout).toMatch(/^3 .*\* cheapest fit/m);
    const html = fs.readFileSync(path.join(tmp, "nested", "report.html"), "utf8");
    expect(html).toContain('id="whatif-chart"');
  });
});
