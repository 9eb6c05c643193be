// Every option that takes a path, given a path that cannot be used: a missing file or folder, or a
// file where a folder should be. Each refusal names the option (or argument), the path and the rule,
// exits 2 and prints no stack trace; none runs a program or reads a byte of flow logs first.
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { natcapInProcess, STACK_FRAME, tempFile } from "./cli-harness";

const ROOT = resolve(__dirname, "../..");
const PROGRAM = join(ROOT, "examples", "blocked");
const LOGS = join(ROOT, "examples", "telemetry", "aws-custom");
const WORKLOAD = tempFile(
  "cloud: aws\ngateway: { ips: 1 }\ndurationSeconds: 60\ndestinations: [{ name: api, address: 203.0.113.10, port: 443 }]\ntraffic: [{ to: api, connectionsPerSecond: 1, holdSeconds: 1 }]\n",
);
/** A regular file: a path through it ("file/…") has a file where a folder should be. */
const FILE = tempFile("not a folder\n", "txt");
const MISSING = join(ROOT, ".natcap", "no-such-folder", "missing");
const ABSENT = /does not exist \(ENOENT\)/;
const THROUGH_FILE = /has a file where a folder should be in its path \((ENOTDIR|EEXIST)\)/;

interface Case {
  /** The option or argument given a bad path. */
  option: string;
  args: string[];
  /** The path the message must quote. */
  path: string;
  rule: RegExp;
}

const CASES: Case[] = [
  {
    option: "--policy-pack-config",
    args: ["check", PROGRAM, "--policy-pack-config", `${MISSING}.json`],
    path: `${MISSING}.json`,
    rule: ABSENT,
  },
  {
    option: "--policy-pack-config",
    args: ["check", PROGRAM, "--policy-pack-config", join(FILE, "config.json")],
    path: join(FILE, "config.json"),
    rule: THROUGH_FILE,
  },
  {
    option: "--policy-pack",
    args: ["check", PROGRAM, "--policy-pack", MISSING],
    path: MISSING,
    rule: ABSENT,
  },
  { option: "PROGRAM_DIR", args: ["check", MISSING], path: MISSING, rule: /not a folder|does not exist/ },
  { option: "(file)", args: ["simulate", `${MISSING}.yaml`], path: `${MISSING}.yaml`, rule: ABSENT },
  {
    option: "--report",
    args: ["simulate", WORKLOAD, "--report", join(FILE, "out", "report.html")],
    path: join(FILE, "out", "report.html"),
    rule: THROUGH_FILE,
  },
  {
    option: "--output",
    args: ["import", "aws-flow-logs", LOGS, "-o", join(FILE, "observed.yaml")],
    path: join(FILE, "observed.yaml"),
    rule: THROUGH_FILE,
  },
  { option: "PATH", args: ["import", "aws-flow-logs", MISSING], path: MISSING, rule: /ENOENT/ },
  {
    option: "PATH",
    args: ["replay", MISSING, "--cloud", "aws", "--ips", "1"],
    path: MISSING,
    rule: /ENOENT/,
  },
  {
    option: "--report",
    args: ["replay", LOGS, "--cloud", "aws", "--ips", "1", "--report", join(FILE, "report.html")],
    path: join(FILE, "report.html"),
    rule: THROUGH_FILE,
  },
];

describe("a path that cannot be used, for every path-taking option", () => {
  it.each(CASES.map((c) => [`${c.args[0]} ${c.option} ${c.rule.source}`, c] as const))("%s", async (_, c) => {
    const r = await natcapInProcess(...c.args);
    expect(r.code, r.stderr).toBe(2);
    if (c.option !== "PATH") expect(r.stderr).toContain(c.option);
    expect(r.stderr).toContain(c.path);
    expect(r.stderr).toMatch(c.rule);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stdout).toBe("");
  });
});
