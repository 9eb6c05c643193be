// Every example through the real CLI, as a user runs it: `natcap check examples/<name> --json`. The
// examples import "natcap", which resolves to the built package (dist/): `npm test` builds first.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const EXAMPLES = path.join(ROOT, "examples");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function natcap(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    // Type-checked as Pulumi's runtime does by default: no PULUMI_NODEJS_TRANSPILE_ONLY, even inherited.
    const child = spawn(process.execPath, ["--import", "tsx", "cli.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
    });
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

interface CheckJson {
  resources: number;
  exitCode: number;
  diagnostics: { policyName: string; enforcementLevel: string; resourceName: string; message: string }[];
}

/** Checks an example, with its policy-config.json when it has one (as its header comment says). */
function checkArgs(name: string): string[] {
  const dir = path.join("examples", name);
  const config = path.join(dir, "policy-config.json");
  return [
    "check",
    dir,
    "--json",
    ...(fs.existsSync(path.join(ROOT, config)) ? ["--policy-pack-config", config] : []),
  ];
}

const NAMES = [
  "aws-zonal-egress",
  "aws-regional",
  "aws-private-nat",
  "azure-egress",
  "azure-standardv2",
  "blocked",
  "aws-regional-blocked",
  "aws-central-egress",
  "aws-central-egress-blocked",
  "azure-hub-firewall-egress",
];
const BLOCKED = ["blocked", "aws-regional-blocked", "aws-central-egress-blocked"];
const runs = new Map<string, Run>();

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, "dist", "index.js"))) {
    throw new Error("dist/index.js is missing: run `npm run build` first (npm test does)");
  }
  // Two at a time: each run starts a program and a policy pack.
  for (let i = 0; i < NAMES.length; i += 2) {
    const batch = NAMES.slice(i, i + 2);
    const results = await Promise.all(batch.map((n) => natcap(checkArgs(n))));
    batch.forEach((n, j) => {
      runs.set(n, results[j]);
    });
  }
}, 600_000);

function result(name: string): CheckJson {
  const run = runs.get(name);
  expect(run?.stderr ?? "", `natcap check ${name} stderr`).not.toMatch(/natcap: /);
  return JSON.parse(run?.stdout ?? "") as CheckJson;
}

describe("the examples folder", () => {
  it("holds exactly the examples this suite checks, each a TypeScript Pulumi project with dev config", () => {
    const dirs = fs
      .readdirSync(EXAMPLES, { withFileTypes: true })
      // telemetry/ holds generated sample flow logs (data, not a Pulumi project).
      .filter((d) => d.isDirectory() && d.name !== "telemetry")
      .map((d) => d.name)
      .sort();
    expect(dirs).toEqual([...NAMES].sort());
    for (const n of NAMES) {
      const project = fs.readFileSync(path.join(EXAMPLES, n, "Pulumi.yaml"), "utf8");
      expect(project).toContain(`name: ${n}`);
      expect(project).toMatch(/runtime:\s*\n\s+name: nodejs\s*\n\s+options:\s*\n\s+typescript: true/);
      expect(fs.readFileSync(path.join(EXAMPLES, n, "Pulumi.dev.yaml"), "utf8")).toMatch(/^config:/);
      // Inside this repository "natcap" is the package itself: TypeScript needs the program's own
      // source root to resolve it (TS2209 without), under pulumi preview as under natcap check.
      const tsconfig = JSON.parse(fs.readFileSync(path.join(EXAMPLES, n, "tsconfig.json"), "utf8"));
      expect(tsconfig.compilerOptions).toMatchObject({ rootDir: ".", strict: true });
      const source = fs.readFileSync(path.join(EXAMPLES, n, "index.ts"), "utf8");
      // Written as a user would: the package name, never a path into the repository.
      expect(source).toMatch(/from "natcap(\/sim)?"/);
      expect(source).not.toMatch(/from "\.\.\//);
    }
  });

  it("has the root Pulumi.yaml point at the default example", () => {
    const root = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
    expect(root).toMatch(/^main: examples\/aws-zonal-egress\/?$/m);
  });
});

describe("natcap check on the examples", () => {
  it.each(NAMES.filter((n) => !BLOCKED.includes(n)))("%s passes with no mandatory violation", (name) => {
    const r = result(name);
    expect(runs.get(name)?.code).toBe(0);
    expect(r.exitCode).toBe(0);
    expect(r.diagnostics.filter((d) => d.enforcementLevel === "mandatory")).toEqual([]);
    expect(r.resources).toBeGreaterThan(5);
  });

  it("aws-zonal-egress gives its raised EIP quota once, to the component: the pack needs no quota config", async () => {
    const r = result("aws-zonal-egress");
    expect(r.diagnostics).toEqual([]);
    const run = await natcap(["check", "examples/aws-zonal-egress", "--json"]);
    expect(run.code).toBe(0);
    const diagnostics = (JSON.parse(run.stdout) as CheckJson).diagnostics;
    expect(diagnostics.filter((d) => d.policyName === "aws-nat-gateway-ip-quota")).toEqual([]);
  });

  it("blocked fails with exit code 1 and exactly the expected rules", () => {
    const r = result("blocked");
    expect(runs.get("blocked")?.code).toBe(1);
    const mandatory = r.diagnostics
      .filter((d) => d.enforcementLevel === "mandatory")
      .map((d) => `${d.policyName} ${d.resourceName}`)
      .sort();
    expect(mandatory).toEqual([
      "aws-nat-gateway-ip-limit egress",
      "azure-nat-gateway-ip-limit egress",
      "nat-gateway-capacity ldap",
    ]);
    const text = r.diagnostics.map((d) => d.message).join("\n");
    expect(text).toContain("= 9 exceeds the 8 IPv4 addresses");
    expect(text).toContain("20 public IPv4 addresses");
    expect(text).toContain("needs 3 IPs");
  });

  it("aws-regional-blocked fails for the per-zone limit and a zone's own capacity", () => {
    const r = result("aws-regional-blocked");
    expect(runs.get("aws-regional-blocked")?.code).toBe(1);
    const mandatory = r.diagnostics
      .filter((d) => d.enforcementLevel === "mandatory")
      .map((d) => `${d.policyName} ${d.resourceName}`)
      .sort();
    expect(mandatory).toEqual([
      "aws-nat-gateway-ip-limit regional-egress",
      "nat-gateway-capacity regional-egress",
    ]);
    const text = r.diagnostics.map((d) => d.message).join("\n");
    expect(text).toContain(
      "33 IPv4 addresses in us-east-1a exceed the 32 a regional NAT gateway holds per Availability Zone",
    );
    expect(text).toContain('NAT gateway "regional-egress" in us-east-1b');
    const limit = r.diagnostics.find((d) => d.policyName === "aws-nat-gateway-ip-limit");
    expect(limit?.message.split("\n").slice(1).join("\n")).not.toContain("8 IPv4 addresses");
  });

  it("aws-central-egress-blocked is refused by the component: the busier zone, the endpoint and its spokes", () => {
    const run = runs.get("aws-central-egress-blocked");
    expect(run?.code).toBe(1);
    const r = JSON.parse(run?.stdout ?? "") as { error: string; errorClass: string; exitCode: number };
    expect(r.exitCode).toBe(1);
    expect(r.errorClass).toBe("ProgramRejectedError");
    expect(r.error).toContain('CapacityError: AwsCentralEgress "hub": zone us-east-1a:');
    expect(r.error).toContain("endpoint 203.0.113.10:443/tcp from 3 spokes (payments, orders, search)");
    expect(r.error).toContain("expected peak 126,000 connections");
    expect(r.error).toContain("set zones[0].ipCount to 3");
    expect(r.error).not.toContain("zone us-east-1b");
  });
});
