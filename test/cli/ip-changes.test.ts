import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "natcap-ipchanges-"));

function natcap(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "cli.ts", ...args], {
    cwd: root,
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function workload(name: string, cloud: string, ipChanges: string, extra = ""): string {
  const p = join(dir, name);
  writeFileSync(
    p,
    `cloud: ${cloud}
gateway:
  ips: 2
  perIpDestinationLimit: 20000
  portReuseSeconds: { fin: 0 }
  ipChanges: ${ipChanges}
${extra}durationSeconds: 1800
destinations:
  - { name: api, address: 203.0.113.10, port: 443 }
traffic:
  - { to: api, connectionsPerSecond: 30, holdSeconds: 600, close: fin }
`,
  );
  return p;
}

describe("natcap simulate with IP changes", () => {
  it("shows the intervals and the cut connections in the table and the JSON, both methods", () => {
    const w = workload("scalein.yaml", "aws", "[{ atSeconds: 900, ips: 1 }]", "  drainSeconds: 100\n");
    for (const method of ["simulate", "analytic"]) {
      const table = natcap("simulate", w, "--method", method);
      expect(table.stdout).toContain("900–1,000 s: 1 IP takes new flows, 1 draining");
      expect(table.stdout).toMatch(/Connections cut at the end of a drain: api [\d,]+/);
      const json = JSON.parse(natcap("simulate", w, "--method", method, "--json").stdout);
      expect(json.ipIntervals.map((iv: { ips: number }) => iv.ips)).toEqual([2, 1, 1]);
      expect(json.drainSeconds).toBe(100);
      // Hold 600 s, drain 100 s: the removed IP's last 500 s of flows, 15/s, are cut.
      expect(Math.abs(json.totals.connectionsCutByDrain - 7500)).toBeLessThan(500);
      expect(json.destinations[0].portAllocationErrorsByInterval).toHaveLength(3);
    }
  }, 60_000);

  it("refuses a removal on Azure with exit 2, naming the field and the value, no stack trace", () => {
    const r = natcap("simulate", workload("azure.yaml", "azure", "[{ atSeconds: 900, ips: 1 }]"));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("gateway.ipChanges[0].ips: 1 removes 1 IP(s) from 2");
    expect(r.stderr).toContain("not documented");
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
