import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PolicyConfigError } from "../../check/config";
import { runCheck } from "../../check/index";
import { ProgramError, ProgramRejectedError, toAnalyzerValue, UNKNOWN_SENTINEL } from "../../check/program";
import { type CheckResult, parseUrn, renderJson, renderText } from "../../check/report";
import { ValidationError } from "../../core/errors";

// The fixtures import natcap's sources by relative path, type-checked with the repository's settings
// (each fixture's tsconfig.json extends the root one), as Pulumi's runtime compiles them by default.
delete process.env.PULUMI_NODEJS_TRANSPILE_ONLY;

// Each check runs a program and starts a pack: allow for a loaded 2-core machine.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const ROOT = path.resolve(__dirname, "../..");
const fixture = (name: string) => path.join(ROOT, "test/fixtures", name);
const ids = (r: CheckResult, level: string) =>
  r.diagnostics
    .filter((d) => d.enforcementLevel === level)
    .map((d) => d.policyName)
    .sort();

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "natcap-check-test-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("natcap check on a stack of plain aws.ec2 resources", () => {
  let result: CheckResult;
  beforeAll(async () => {
    result = await runCheck(fixture("policies-aws-plain"));
  });

  it("records every resource of the program, the root stack included", () => {
    // vpc, subnet, 9 EIPs, gateway, 2 associations, 3 network interfaces, the stack
    expect(result.resources).toBe(18);
  });

  it("finds the limit, subnet and conflict violations and exits 1", () => {
    expect(ids(result, "mandatory")).toEqual([
      "aws-nat-gateway-eip-association-conflict",
      "aws-nat-gateway-ip-limit",
      "aws-nat-gateway-subnet-free-addresses",
    ]);
    expect(result.exitCode).toBe(1);
    const limit = result.diagnostics.find((d) => d.policyName === "aws-nat-gateway-ip-limit");
    expect(limit?.message).toContain("9 exceeds the 8 IPv4 addresses");
  });

  it("prints the policy section like pulumi preview", () => {
    const text = renderText(result);
    expect(text).toContain(
      "[mandatory]  natcap-policies v0.1.0  aws-nat-gateway-ip-limit (aws:ec2/natGateway:NatGateway: egress)",
    );
    expect(text).toContain("not a substitute for `pulumi preview --policy-pack`");
    expect(JSON.parse(renderJson(result)).exitCode).toBe(1);
  });
});

describe("what the program and the components log", () => {
  it("is in the result (with the resource's URN) and in the text report", async () => {
    const result = await runCheck(fixture("policies-natcap"));
    const warning = result.logs.find((l) =>
      l.message.includes("expectedTraffic predicts port-allocation errors"),
    );
    expect(warning?.severity).toBe("warning");
    expect(warning?.urn).toMatch(/natcap:index:AwsNatGateway::egress$/);
    const text = renderText(result);
    expect(text).toContain("Diagnostics:");
    expect(text).toContain("natcap:index:AwsNatGateway (egress):");
    expect(text).toMatch(/warning: AwsNatGateway "egress": expectedTraffic predicts/);
    expect(JSON.parse(renderJson(result)).logs).toEqual(result.logs);
  });
});

describe("one source for a quota", () => {
  const program = (name: string, quota: string) => {
    const dir = path.join(ROOT, ".natcap", name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
    fs.writeFileSync(path.join(dir, "tsconfig.json"), '{ "extends": "../../tsconfig.json" }\n');
    fs.writeFileSync(
      path.join(dir, "index.ts"),
      `import { AwsNatGateway } from "../../index";\nnew AwsNatGateway("egress", { subnetId: "subnet-1", ipCount: 3${quota} });\n`,
    );
    return dir;
  };
  afterAll(() => {
    for (const n of ["quota-given", "quota-missing"])
      fs.rmSync(path.join(ROOT, ".natcap", n), { recursive: true, force: true });
  });
  it("checks the gateway against the component's eipQuota, without repeating it in the policy config", async () => {
    const given = await runCheck(program("quota-given", ", eipQuota: 3"));
    expect(given.diagnostics.filter((d) => d.policyName === "aws-nat-gateway-ip-quota")).toEqual([]);
    expect(given.logs.filter((l) => l.message.includes("quota"))).toEqual([]);
    const missing = await runCheck(program("quota-missing", ""));
    const quota = missing.diagnostics.filter((d) => d.policyName === "aws-nat-gateway-ip-quota");
    expect(quota).toHaveLength(1);
    expect(quota[0].message).toContain("quota 2 from this policy's quota config");
    // The component warned about the same quota at construction.
    expect(missing.logs.some((l) => l.severity === "warning" && l.message.includes("L-5F53652F"))).toBe(true);
  });
});

describe("natcap check on plain azure-native resources", () => {
  it("passes the limits, advises on the long idle timeout, and exits 0", async () => {
    const result = await runCheck(fixture("policies-azure-plain"));
    expect(ids(result, "mandatory")).toEqual([]);
    expect(ids(result, "advisory")).toEqual(["azure-nat-gateway-long-idle-timeout"]);
    const d = result.diagnostics[0];
    expect([d.resourceType, d.resourceName]).toEqual(["azure-native:network:NatGateway", "egress"]);
    expect(result.exitCode).toBe(0);
  });
});

describe("natcap check on a stack built with natcap components", () => {
  it("blocks the capacity the component only warned about, and config can change that", async () => {
    const result = await runCheck(fixture("policies-natcap"));
    expect(ids(result, "mandatory")).toEqual(["nat-gateway-capacity"]);
    expect(result.diagnostics[0].message).toContain('expectedTraffic of AwsNatGateway "egress"');
    expect(result.diagnostics[0].message).toContain("needs 3 IPs");

    const config = path.join(tmp, "advisory.json");
    fs.writeFileSync(config, JSON.stringify({ "nat-gateway-capacity": "advisory", all: "mandatory" }));
    const relaxed = await runCheck(fixture("policies-natcap"), { policyPackConfig: config });
    expect(ids(relaxed, "mandatory")).toEqual([]);
    expect(ids(relaxed, "advisory")).toEqual(["nat-gateway-capacity"]);
    expect(relaxed.exitCode).toBe(0);
  });
});

describe("natcap check input errors", () => {
  it("rejects a folder without Pulumi.yaml and a missing pack with ValidationError", async () => {
    await expect(runCheck(tmp)).rejects.toThrow(ValidationError);
    await expect(runCheck(fixture("policies-aws-plain"), { policyPack: tmp })).rejects.toThrow(
      /no PulumiPolicy.yaml/,
    );
  });

  it("rejects a malformed config file with PolicyConfigError naming the key", async () => {
    const bad = path.join(tmp, "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ "aws-nat-gateway-ip-quota": "sometimes" }));
    await expect(runCheck(fixture("policies-aws-plain"), { policyPackConfig: bad })).rejects.toThrow(
      PolicyConfigError,
    );
    await expect(runCheck(fixture("policies-aws-plain"), { policyPackConfig: bad })).rejects.toThrow(
      /aws-nat-gateway-ip-quota: not an enforcement level/,
    );
  });

  it("runs Pulumi.yaml's main and reports a program that throws as ProgramError with its message", async () => {
    const dir = path.join(ROOT, ".natcap", "throwing-program");
    fs.mkdirSync(dir, { recursive: true });
    fs.mkdirSync(path.join(dir, "src"), { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: throwing\nruntime: nodejs\nmain: src/\n");
    fs.writeFileSync(path.join(dir, "src", "index.ts"), 'throw new Error("boom from the program");\n');
    try {
      await expect(runCheck(dir)).rejects.toThrow(ProgramError);
      await expect(runCheck(dir)).rejects.toThrow(/boom from the program/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a program a natcap component refuses at construction", () => {
  // A program folder inside the repository, so it resolves @pulumi/pulumi and natcap's sources.
  const program = (name: string, body: string) => {
    const dir = path.join(ROOT, ".natcap", name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
    fs.writeFileSync(path.join(dir, "tsconfig.json"), '{ "extends": "../../tsconfig.json" }\n');
    fs.writeFileSync(
      path.join(dir, "index.ts"),
      `import { AwsNatGateway } from "../../index";\nnew AwsNatGateway("egress", { subnetId: "subnet-1", ${body} });\n`,
    );
    return dir;
  };
  afterAll(() => {
    fs.rmSync(path.join(ROOT, ".natcap", "refused-capacity"), { recursive: true, force: true });
    fs.rmSync(path.join(ROOT, ".natcap", "refused-input"), { recursive: true, force: true });
  });

  it("is a problem found (ProgramRejectedError) for predicted exhaustion, with the message and no stack", async () => {
    const dir = program(
      "refused-capacity",
      'ipCount: 2, expectedTraffic: { destinations: [{ name: "ldap", address: "203.0.113.10", port: 636, peakConnections: 200000 }] }',
    );
    const err = await runCheck(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProgramRejectedError);
    expect((err as Error).message).toContain('CapacityError: AwsNatGateway "egress"');
    expect((err as Error).message).toContain("needs 4 IPs");
    expect((err as Error).message).not.toMatch(/\n\s+at /);
  });

  it("is bad input (ProgramError, not a rejection) for a malformed argument", async () => {
    const dir = program("refused-input", 'ipCount: 2, ipKeys: ["a", "a"]');
    const err = await runCheck(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProgramError);
    expect(err).not.toBeInstanceOf(ProgramRejectedError);
    expect((err as Error).message).toContain("ValidationError");
    expect((err as Error).message).not.toMatch(/\n\s+at /);
  });
});

describe("engine wire conversions", () => {
  it("turns resource references into IDs (unknown until assigned) and component URNs", () => {
    const sig = "4dabf18193072939515e22adb298388d";
    const ref = { [sig]: "5cf8f73096256a8f31e491e813e4eb8e", urn: "urn:x", id: "" };
    expect(toAnalyzerValue({ a: ref, b: [{ ...ref, id: "vpc-1" }] })).toEqual({
      a: UNKNOWN_SENTINEL,
      b: ["vpc-1"],
    });
    expect(toAnalyzerValue({ [sig]: "5cf8f73096256a8f31e491e813e4eb8e", urn: "urn:c" })).toBe("urn:c");
  });
  it("parses type and name from URNs with parents", () => {
    expect(
      parseUrn("urn:pulumi:dev::p::natcap:index:AwsNatGateway$aws:ec2/natGateway:NatGateway::egress"),
    ).toEqual({
      type: "aws:ec2/natGateway:NatGateway",
      name: "egress",
    });
  });
});

describe("natcap check command line", () => {
  const cli = (...args: string[]) =>
    spawnSync(
      process.execPath,
      [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "cli.ts"), "check", ...args],
      {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 240_000,
      },
    );
  it("exits 2 with a message and no stack trace on bad input", () => {
    const r = cli(tmp);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("is not a Pulumi program folder");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it("exits 1 when a natcap component refuses the program", () => {
    const dir = path.join(ROOT, ".natcap", "refused-cli");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: refused\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "tsconfig.json"), '{ "extends": "../../tsconfig.json" }\n');
    fs.writeFileSync(
      path.join(dir, "index.ts"),
      'import { AwsNatGateway } from "../../index";\nnew AwsNatGateway("egress", { subnetId: "subnet-1", ipCount: 9 });\n',
    );
    try {
      const r = cli(dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("LimitError");
      expect(r.stderr).toContain("9 exceeds the 8 IPv4 addresses");
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it("prints JSON only with --json and exits 1 on a mandatory violation", () => {
    const r = cli(fixture("policies-aws-plain"), "--json");
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as CheckResult;
    expect(out.mandatory).toBe(3);
    expect(out.policyPack).toMatchObject({ name: "natcap-policies", version: "0.1.0" });
  });
});
