// natcap check in a fresh consumer project, installed from the packed tarball, with each TypeScript a
// user may have: 6 (what Pulumi's runtime accepts last), 5, and 7 (no compiler API: a clear error).
// Programs are compiled the way Pulumi's Node.js runtime does: type-checked, nodenext defaults,
// the project's tsconfig.json when present. One install, TypeScript swapped in place (npm cache).
//
// Packs with --ignore-scripts after `npm test`'s build, like test/package.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { pageCommands } from "../docs/commands";

vi.setConfig({ testTimeout: 300_000, hookTimeout: 600_000 });

const ROOT = path.resolve(__dirname, "../..");
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
let tmp: string;
let app: string;

function sh(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    timeout: 600_000,
    env: { ...process.env, NO_COLOR: "1", PULUMI_NODEJS_TRANSPILE_ONLY: "", ...env },
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", out: `${r.stdout}${r.stderr}` };
}

const natcap = (args: string[]) =>
  sh(process.execPath, [path.join(app, "node_modules", "natcap", "bin", "natcap.js"), "check", ...args], app);

const PROGRAM = `import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { aws as natcap } from "natcap";

const config = new pulumi.Config();
const vpc = new aws.ec2.Vpc("main", { cidrBlock: "10.0.0.0/16" });
const subnet = new aws.ec2.Subnet("public-a", { vpcId: vpc.id, cidrBlock: "10.0.0.0/24" });
new natcap.NatGateway("egress", {
  subnetId: subnet.id,
  ipCount: config.requireNumber("ips"),
  eipQuota: 3,
  capacityCheck: natcap.CapacityCheckMode.Warn,
  expectedTraffic: { destinations: [{ name: "ldap", address: "203.0.113.10", port: 636, peakConnections: 200000 }] },
});
`;

function program(name: string, files: Record<string, string>): string {
  const dir = path.join(app, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
  fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), `config:\n  ${name}:ips: 3\n`);
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  return name;
}

/**
 * The minimal project of docs/check.md, its files written by the page's own commands (its install
 * from the registry is the tarball's install here).
 */
function documentedProgram(): string {
  const page = "docs/check.md";
  const commands = pageCommands(page, fs.readFileSync(path.join(ROOT, page), "utf8"));
  const check = commands.find((c) => c.text === "npx natcap check .");
  const writes = commands.filter(
    (c) => c.block === check?.block && /> (Pulumi\.yaml|index\.ts)/.test(c.text),
  );
  expect(writes.map((c) => c.text.split(" ")[0])).toEqual(["printf", "cat"]);
  const dir = path.join(app, "documented");
  fs.mkdirSync(dir);
  const r = spawnSync("bash", ["-c", writes.map((c) => c.text).join("\n")], { cwd: dir, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return "documented";
}

function useTypeScript(version: string) {
  const r = sh(
    npm,
    [
      "install",
      "--no-save",
      `typescript@${version}`,
      "--prefer-offline",
      "--omit=optional",
      "--no-audit",
      "--no-fund",
    ],
    app,
  );
  expect(r.status, r.out).toBe(0);
}

beforeAll(() => {
  expect(
    fs.existsSync(path.join(ROOT, "dist", "index.js")),
    "run `npm run build` first (npm test does)",
  ).toBe(true);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "natcap-ts-"));
  const policies = sh(process.execPath, [TSC, "-p", "policies/tsconfig.publish.json"], ROOT);
  expect(policies.status, policies.out).toBe(0);
  const pack = sh(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], ROOT);
  expect(pack.status, pack.out).toBe(0);
  const [info] = JSON.parse(pack.stdout) as { filename: string }[];
  app = path.join(tmp, "app");
  fs.mkdirSync(app, { recursive: true });
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "app", private: true }));
  const install = sh(
    npm,
    ["install", path.join(tmp, info.filename), "--prefer-offline", "--no-audit", "--no-fund"],
    app,
  );
  expect(install.status, install.out).toBe(0);
  program("good", { "index.ts": PROGRAM });
  documentedProgram();
  program("typo", {
    "index.ts": PROGRAM.replace("ipCount: config", "ipCount: String(config").replace(
      'requireNumber("ips")',
      'requireNumber("ips"))',
    ),
  });
  program("oldconfig", {
    "index.ts": PROGRAM,
    "tsconfig.json": JSON.stringify({
      compilerOptions: { strict: true, module: "commonjs", moduleResolution: "node" },
    }),
  });
});
afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  out: string;
}

/** Runs natcap check on several programs at once (each compiles and type-checks on its own). */
function checkAll(runs: Record<string, string[]>): Promise<Record<string, Run>> {
  return Promise.all(
    Object.entries(runs).map(
      ([key, args]) =>
        new Promise<[string, Run]>((resolve) => {
          const child = spawn(
            process.execPath,
            [path.join(app, "node_modules", "natcap", "bin", "natcap.js"), "check", ...args],
            { cwd: app, env: { ...process.env, NO_COLOR: "1", PULUMI_NODEJS_TRANSPILE_ONLY: "" } },
          );
          let stdout = "";
          let stderr = "";
          child.stdout.on("data", (b: Buffer) => {
            stdout += b.toString();
          });
          child.stderr.on("data", (b: Buffer) => {
            stderr += b.toString();
          });
          child.on("exit", (status) => resolve([key, { status, stdout, stderr, out: stdout + stderr }]));
        }),
    ),
  ).then(Object.fromEntries);
}

function expectChecked(r: Run) {
  expect(r.status, r.out).toBe(1);
  const out = JSON.parse(r.stdout) as {
    diagnostics: { policyName: string }[];
    logs: { severity: string; message: string; urn?: string }[];
  };
  expect(out.diagnostics.map((d) => d.policyName)).toContain("nat-gateway-capacity");
  // eipQuota 3 given once, in the program: the pack checks against it.
  expect(out.diagnostics.map((d) => d.policyName)).not.toContain("aws-nat-gateway-ip-quota");
  expect(out.logs.some((l) => l.severity === "warning" && /expectedTraffic/.test(l.message))).toBe(true);
}

describe("TypeScript 6 (the newest Pulumi's runtime accepts)", () => {
  let runs: Record<string, Run>;
  beforeAll(async () => {
    useTypeScript("6");
    runs = await checkAll({
      good: ["good", "--json"],
      typo: ["typo"],
      oldconfig: ["oldconfig"],
      documented: ["documented"],
    });
  });
  it("checks the minimal project of docs/check.md as written: no violation, exit 0", () => {
    expect(runs.documented.status, runs.documented.out).toBe(0);
    expect(runs.documented.stdout).toMatch(/\d+ resources checked: 0 mandatory/);
  });
  it("checks a program without tsconfig.json: component warnings in the logs, the pack's verdict", () => {
    expectChecked(runs.good);
  });
  it("reports a type error as the compiler does, naming the file and line, exit 2", () => {
    expect(runs.typo.status, runs.typo.out).toBe(2);
    expect(runs.typo.stderr).toMatch(/index\.ts\(\d+,\d+\): error TS2322/);
    expect(runs.typo.stderr).not.toMatch(/\n\s+at /);
  });
  it("respects the project's tsconfig.json: moduleResolution node is refused, as under pulumi preview", () => {
    expect(runs.oldconfig.status, runs.oldconfig.out).toBe(2);
    expect(runs.oldconfig.stderr).toContain("TS5107");
    expect(runs.oldconfig.stderr).toContain("tsconfig.json");
  });
});

describe("TypeScript 5", () => {
  let runs: Record<string, Run>;
  beforeAll(async () => {
    useTypeScript("5");
    runs = await checkAll({ good: ["good", "--json"], oldconfig: ["oldconfig", "--json"] });
  });
  it("checks the same program, with and without a tsconfig.json that uses moduleResolution node", () => {
    expectChecked(runs.good);
    expectChecked(runs.oldconfig);
  });
});

describe("TypeScript 7", () => {
  it("has no compiler API: a clear message naming the package and what to install, exit 2", () => {
    useTypeScript("7");
    const r = natcap(["good"]);
    expect(r.status, r.out).toBe(2);
    expect(r.stderr).toMatch(/typescript 7\.\S+ .*has no compiler API/);
    expect(r.stderr).toContain("npm install --save-dev typescript@6");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
