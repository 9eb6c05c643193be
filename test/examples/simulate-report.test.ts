// `natcap simulate FILE --report out.html` through the real CLI.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeReport } from "../../cli";
import { ValidationError } from "../../core/errors";

const ROOT = path.resolve(__dirname, "../..");
const WORKLOAD = `
cloud: aws
gateway: { ips: 2 }
durationSeconds: 600
destinations:
  - { name: ldap, address: 203.0.113.10, port: 636 }
traffic:
  - { to: ldap, connectionsPerSecond: 1100, holdSeconds: 60 }
`;
let tmp: string;
let workload: string;

const natcap = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "cli.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "natcap-report-option-"));
  workload = path.join(tmp, "ldap.yaml");
  fs.writeFileSync(workload, WORKLOAD);
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("natcap simulate --report", () => {
  it("writes the HTML report (creating its folder) beside the usual output and exit code", () => {
    const file = path.join(tmp, "out", "report.html");
    const run = natcap("simulate", workload, "--json", "--report", file);
    // 1,100/s held 60 s plus the 60 s hold-down is about 132,000 ports: 2 IPs cannot hold them.
    expect(run.status).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.verdict).toBe("exhausted");
    const html = fs.readFileSync(file, "utf8");
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain("203.0.113.10:636/tcp");
    expect(html).toContain(result.destinations[0].portAllocationErrors.toLocaleString("en-US"));
  });

  it("writes nothing without the option", () => {
    const before = fs.readdirSync(tmp).sort();
    expect(natcap("simulate", workload).status).toBe(1);
    expect(fs.readdirSync(tmp).sort()).toEqual(before);
  });

  it("names --report and exits 2 when the file cannot be written", () => {
    const blocker = path.join(tmp, "a-file");
    fs.writeFileSync(blocker, "");
    const run = natcap("simulate", workload, "--report", path.join(blocker, "report.html"));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^natcap: .*--report.*has a file where a folder should be in its path \((ENOTDIR|EEXIST)\): cannot write the report there/s,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(() => writeReport(path.join(blocker, "x.html"), "")).toThrow(ValidationError);
  });
});
