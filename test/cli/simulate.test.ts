import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "natcap-cli-"));

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

const fits = file(
  "fits.yaml",
  `cloud: aws
gateway: { ips: 2 }
durationSeconds: 300
destinations:
  - { name: api, address: 198.51.100.7, port: 443 }
traffic:
  - { to: api, connectionsPerSecond: 200, holdSeconds: { distribution: exponential, mean: 5 } }
`,
);
const exhausted = file(
  "exhausted.yaml",
  `cloud: azure
gateway: { ips: 1, perIpDestinationLimit: 2000 }
durationSeconds: 300
destinations:
  - { name: db, address: 10.1.2.3, port: 5432 }
traffic:
  - { to: db, connectionsPerSecond: 100, holdSeconds: 1, close: fin }
`,
);
const peakOnly = file(
  "peak.yaml",
  `cloud: aws
gateway: { ips: 8 }
destinations:
  - { name: ldap, address: 203.0.113.10, port: 636, peakConnections: 440000 }
`,
);

describe("natcap simulate", () => {
  it("exits 0 with a table and an ok verdict when everything fits", () => {
    const r = natcap("simulate", fits);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ErrorPortAllocation/);
    expect(r.stdout).toMatch(/ActiveConnectionCount/);
    expect(r.stdout).toMatch(/^Verdict: ok/m);
    expect(r.stderr).toBe("");
  });
  it("exits 1 and uses Azure's metric names when errors are predicted", () => {
    const r = natcap("simulate", exhausted);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/SNATConnectionCount Failed/);
    expect(r.stdout).toMatch(/TotalConnectionCount/);
    expect(r.stdout).toMatch(/^Verdict: exhausted: [\d,]+ SNATConnectionCount Failed/m);
  });
  it("says that 8 × 55,000 = 440,000 is not reachable under hashing", () => {
    const r = natcap("simulate", peakOnly);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/8 × 55,000 = 440,000 is not reachable/);
    expect(r.stdout).toMatch(/ldap needs 9 IPs/);
  });
  it("--json prints exactly the result contract, and the same seed gives the same bytes", () => {
    const a = natcap("simulate", exhausted, "--json");
    const b = natcap("simulate", exhausted, "--format", "json");
    expect(a.code).toBe(1);
    expect(a.stdout).toBe(b.stdout);
    const json = JSON.parse(a.stdout);
    // The contract's keys are all there; natcap adds the verdict's reasons and IP counts beside them.
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining([
        "cloud",
        "destinations",
        "durationSeconds",
        "ipSelection",
        "ips",
        "seed",
        "totals",
        "verdict",
      ]),
    );
    expect(Object.keys(json.destinations[0])).toEqual(
      expect.arrayContaining([
        "attempts",
        "blockingRatio",
        "capacity",
        "endpoint",
        "erlangB",
        "meanPortsHeld",
        "minIpsForZeroErrors",
        "name",
        "peakConnections",
        "peakPortsHeld",
        "peakPortsHeldPerIp",
        "portAllocationErrors",
      ]),
    );
    expect(Object.keys(json.totals).sort()).toEqual(
      ["attempts", "idleTimeouts", "peakConnections", "portAllocationErrors"].sort(),
    );
    expect(json.verdict).toBe("exhausted");
    const seeded = natcap("simulate", exhausted, "--json", "--seed", "9");
    expect(JSON.parse(seeded.stdout).seed).toBe(9);
    expect(seeded.stdout).not.toBe(a.stdout);
    expect(natcap("simulate", exhausted, "--json", "--seed", "9").stdout).toBe(seeded.stdout);
  });
  it("--format markdown gives a Markdown table", () => {
    const r = natcap("simulate", fits, "--format", "markdown");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\| destination \| endpoint \|/m);
    expect(r.stdout).toMatch(/\*\*Verdict: ok/);
  });
});

describe("bad input and usage exit 2 with a message and no stack trace", () => {
  it.each([
    [
      "an unknown destination",
      [
        "bad.yaml",
        "cloud: aws\ngateway: { ips: 1 }\ndestinations: [{ name: ldap, address: 203.0.113.10, port: 636 }]\ntraffic: [{ to: ldapp, connectionsPerSecond: 1, holdSeconds: 1 }]\n",
      ],
      /traffic\[0\]\.to: unknown destination "ldapp" \(known: ldap\)/,
    ],
    [
      "too many IPs",
      [
        "ips.yaml",
        "cloud: aws\ngateway: { ips: 9 }\ndestinations: [{ name: a, address: 203.0.113.10, port: 636 }]\n",
      ],
      /gateway\.ips: 9 exceeds the 8 IPs/,
    ],
    ["a YAML syntax error", ["syntax.yaml", "cloud: aws\ngateway: [\n"], /line \d+, column \d+/],
  ])("%s", (_what, [name, text], message) => {
    const r = natcap("simulate", file(name as string, text as string));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it.each([
    [
      ["simulate", join(dir, "missing.yaml")],
      /missing\.yaml" does not exist \(ENOENT\): give a readable workload file/,
    ],
    [["simulate"], /missing required argument/],
    [["simulate", "x.yaml", "--seed", "abc"], /--seed/],
    [["simulate", "x.yaml", "--format", "html"], /--format/],
    [["frobnicate"], /unknown command/],
  ])("natcap %j", (args, message) => {
    const r = natcap(...(args as string[]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("progress ETA", () => {
  it("scales the wall time spent by the share of simulated time left", async () => {
    const { etaText } = await import("../../cli");
    expect(etaText(0, 10)).toBe("...");
    expect(etaText(0.5, 10)).toBe("10s");
    expect(etaText(0.25, 30)).toBe("1m30s");
    expect(etaText(1, 100)).toBe("0s");
  });
});
