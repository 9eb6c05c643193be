// The package as a user gets it: `npm pack`, installed into a fresh folder from the tarball, then
// `import { aws, azure } from "natcap"`, `natcap/sim`, `npx natcap --help`, `natcap check` with the
// bundled policy pack, and a TypeScript file type-checked against the compiled .d.ts files.
//
// `npm pack` would run prepack (the build) into the shared dist/ while other suites read it, so this
// packs with --ignore-scripts after `npm test`'s build, and builds the policy pack's dist/ (which only
// the package uses) itself. Slow (an install of the Pulumi SDKs from the npm cache): one test.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
let tmp: string | undefined;

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function sh(cmd: string, args: string[], cwd: string, timeout = 300_000) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout, env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status, out: `${r.stdout ?? ""}${r.stderr ?? ""}`, stdout: r.stdout ?? "" };
}
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const npx = process.platform === "win32" ? "npx.cmd" : "npx";

const PROGRAM = `import * as aws from "@pulumi/aws";
import { aws as natcap } from "natcap";

const vpc = new aws.ec2.Vpc("main", { cidrBlock: "10.0.0.0/16" });
const subnet = new aws.ec2.Subnet("public-a", { vpcId: vpc.id, cidrBlock: "10.0.0.0/24", availabilityZone: "us-east-1a" });
new natcap.NatGateway("egress", {
  subnetId: subnet.id,
  ipCount: 2,
  capacityCheck: natcap.CapacityCheckMode.Warn,
  expectedTraffic: { destinations: [{ name: "ldap", address: "203.0.113.10", port: 636, peakConnections: 120000 }] },
});
`;

const USE_TS = `import { AwsNatGateway, aws, azure, limits } from "natcap";
import { assessCapacity, parseWorkload, renderHtml, runSimulation, WorkloadError } from "natcap/sim";

export function egress(subnetId: string): AwsNatGateway {
  return new aws.NatGateway("egress", {
    subnetId,
    ipCount: 3,
    eipQuota: 3,
    expectedTraffic: { destinations: [{ name: "ldap", address: "203.0.113.10", port: 636, peakConnections: 140000 }] },
  });
}

export function azureEgress(resourceGroupName: string): azure.NatGateway {
  // @ts-expect-error publicIpCount is a number (fails as "unused" if the compiled types were any)
  return new azure.NatGateway("egress", { resourceGroupName, publicIpCount: "two" });
}

const run = runSimulation(parseWorkload("cloud: aws\\ngateway: { ips: 2 }\\ndestinations: []\\n"));
export const html: string = renderHtml({ ...run, notes: [] });
export const ok: boolean = assessCapacity({ destinations: [] }, { cloud: "aws", ips: 2 }).ok;
export const max: number = limits.AWS.maxIpsPerZonalGateway.value;
export const isError = (e: unknown): boolean => e instanceof WorkloadError;
`;

const USE_JS = `
const { aws, azure, AwsNatGateway, AzureNatGateway } = require("natcap");
const sim = require("natcap/sim");
const w = sim.parseWorkload("cloud: aws\\ngateway: { ips: 2 }\\ndestinations:\\n  - { name: ldap, address: 203.0.113.10, port: 636, peakConnections: 120000 }\\n");
const r = sim.simulate(w);
let invalid = "";
try { sim.parseWorkload("cloud: gcp"); } catch (e) { invalid = e.constructor.name; }
console.log(JSON.stringify({
  awsAlias: aws.NatGateway === AwsNatGateway,
  azureAlias: azure.NatGateway === AzureNatGateway,
  verdict: r.verdict,
  ipsNeeded: r.destinations[0].minIpsForZeroErrors,
  invalid,
  html: sim.renderHtml({ ...sim.runSimulation(w), notes: [] }).startsWith("<!doctype html>"),
}));
`;

it("packs, installs into a fresh folder, and works there: imports, natcap/sim, the CLI, the policy pack, types", () => {
  expect(
    fs.existsSync(path.join(ROOT, "dist", "index.js")),
    "run `npm run build` first (npm test does)",
  ).toBe(true);
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  expect(manifest.scripts.prepack).toMatch(/npm run build && npm run build:policies/);

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "natcap-package-"));
  const policies = sh(process.execPath, [TSC, "-p", "policies/tsconfig.publish.json"], ROOT, 180_000);
  expect(policies.status, policies.out).toBe(0);
  const pack = sh(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], ROOT);
  expect(pack.status, pack.out).toBe(0);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  const files = info.files.map((f) => f.path);
  expect(files).toEqual(
    expect.arrayContaining([
      "package.json",
      "README.md",
      "bin/natcap.js",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/sim/index.js",
      "dist/sim/index.d.ts",
      "dist/core/limits.js",
      "dist/core/errors.d.ts",
      "dist/cli.js",
      "dist/cli/program.js",
      "dist/check/runner.js",
      "policies/PulumiPolicy.yaml",
      "policies/main.js",
      "policies/dist/policies/index.js",
    ]),
  );
  // No sources, tests, examples or source maps in the package.
  expect(
    files.filter((f) =>
      /\.map$|^(test|examples|scripts|core|sim|telemetry|cli|components|check)\/|(?<!\.d)\.ts$/.test(f),
    ),
  ).toEqual([]);

  const app = path.join(tmp, "app");
  fs.mkdirSync(path.join(app, "prog"), { recursive: true });
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "app", private: true }));
  const install = sh(
    npm,
    ["install", path.join(tmp, info.filename), "--prefer-offline", "--no-audit", "--no-fund"],
    app,
    600_000,
  );
  expect(install.status, install.out).toBe(0);

  // require("natcap") and require("natcap/sim") from compiled JavaScript.
  fs.writeFileSync(path.join(app, "use.js"), USE_JS);
  const use = sh(process.execPath, ["use.js"], app);
  expect(use.status, use.out).toBe(0);
  expect(JSON.parse(use.stdout)).toEqual({
    awsAlias: true,
    azureAlias: true,
    verdict: "exhausted",
    ipsNeeded: 3,
    invalid: "WorkloadError",
    html: true,
  });

  // The CLI.
  const help = sh(npx, ["--no-install", "natcap", "--help"], app);
  expect(help.status, help.out).toBe(0);
  expect(help.out).toMatch(/simulate/);
  expect(help.out).toMatch(/check/);

  // natcap check with the bundled (compiled) policy pack on a program that uses the installed package.
  fs.writeFileSync(path.join(app, "prog", "Pulumi.yaml"), "name: prog\nruntime: nodejs\n");
  fs.writeFileSync(path.join(app, "prog", "index.ts"), PROGRAM);
  const check = sh(npx, ["--no-install", "natcap", "check", "prog", "--json"], app);
  expect(check.status, check.out).toBe(1);
  const result = JSON.parse(check.stdout) as {
    policyPack: { dir: string };
    diagnostics: { policyName: string }[];
  };
  expect(result.diagnostics.map((d) => d.policyName)).toEqual(["nat-gateway-capacity"]);
  expect(fs.realpathSync(result.policyPack.dir)).toBe(
    fs.realpathSync(path.join(app, "node_modules", "natcap", "policies")),
  );

  // A TypeScript file against the compiled .d.ts, with classic and Node 16 module resolution.
  fs.writeFileSync(path.join(app, "use.ts"), USE_TS);
  for (const [module, moduleResolution] of [
    ["commonjs", "node"],
    ["node16", "node16"],
  ]) {
    const tsconfig = {
      compilerOptions: {
        strict: true,
        target: "es2020",
        module,
        moduleResolution,
        skipLibCheck: true,
        noEmit: true,
      },
      files: ["use.ts"],
    };
    fs.writeFileSync(path.join(app, "tsconfig.json"), JSON.stringify(tsconfig));
    const tsc = sh(process.execPath, [TSC, "-p", "tsconfig.json"], app, 180_000);
    expect(tsc.status, `${moduleResolution}: ${tsc.out}`).toBe(0);
  }
}, 900_000);
