import { describe, expect, it } from "vitest";
import { WorkloadError } from "../../core/errors";
import { assessCapacity } from "../../sim/verdict/capacity";
import { validateWorkload } from "../../sim/workload/workload";
import { natcapInProcess, tempFile } from "../adversarial/cli-harness";

const twoNames = [
  { name: "ldap", address: "203.0.113.10", port: 636 },
  { name: "other", address: "198.51.100.1", port: 443 },
  { name: "directory", address: " 203.0.113.10 ", port: 636, protocol: "tcp" as const },
];

function caught(f: () => unknown): WorkloadError {
  try {
    f();
  } catch (e) {
    if (e instanceof WorkloadError) return e;
    throw e;
  }
  throw new Error("expected a WorkloadError");
}

describe("one port inventory per endpoint", () => {
  it("two names for one endpoint are refused in a workload, naming both and the fix", () => {
    const e = caught(() => validateWorkload({ cloud: "aws", gateway: { ips: 1 }, destinations: twoNames }));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0].path).toBe("destinations[2].address");
    expect(e.message).toMatch(/destinations\[0\] "ldap"/);
    expect(e.message).toMatch(/share one port inventory/);
    expect(e.message).toMatch(/one destination and point several traffic streams at it/);
  });
  it("compares addresses case-insensitively, and keeps TCP and UDP apart", () => {
    expect(() =>
      validateWorkload({
        cloud: "azure",
        gateway: { ips: 1 },
        destinations: [
          { name: "a", address: "LDAP.Example.com", port: 636 },
          { name: "b", address: "ldap.example.com", port: 636 },
        ],
      }),
    ).toThrow(/destinations\[1\]\.address/);
    const w = validateWorkload({
      cloud: "azure",
      gateway: { ips: 1 },
      destinations: [
        { name: "a", address: "203.0.113.53", port: 53, protocol: "udp" },
        { name: "b", address: "203.0.113.53", port: 53, protocol: "tcp" },
      ],
    });
    expect(w.destinations).toHaveLength(2);
  });
  it("assessCapacity refuses it with paths under expectedTraffic", () => {
    const e = caught(() => assessCapacity({ destinations: twoNames }, { cloud: "aws", ips: 2 }));
    expect(e.issues[0].path).toBe("expectedTraffic.destinations[2].address");
    expect(e.message).toMatch(/expectedTraffic\.destinations\[0\] "ldap"/);
  });
  it("natcap simulate exits 2", async () => {
    const file = tempFile(
      JSON.stringify({
        cloud: "aws",
        gateway: { ips: 1 },
        destinations: twoNames,
        traffic: [{ to: "directory", connectionsPerSecond: 1, holdSeconds: 1 }],
      }),
      "json",
    );
    const r = await natcapInProcess("simulate", file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/destinations\[2\]\.address: "directory" is 203\.0\.113\.10:636\/tcp/);
  });
  it("one destination with several streams shares one limit", () => {
    const w = validateWorkload({
      cloud: "aws",
      gateway: { ips: 1, perIpDestinationLimit: 100 },
      durationSeconds: 200,
      destinations: [{ name: "ldap", address: "203.0.113.10", port: 636 }],
      traffic: [
        { to: "ldap", connectionsPerSecond: 1, holdSeconds: 60 },
        { to: "ldap", connectionsPerSecond: 1, holdSeconds: 60 },
      ],
    });
    const report = assessCapacity(
      { destinations: [...w.destinations], traffic: [...w.traffic], durationSeconds: 200 },
      { cloud: "aws", ips: 1, perIpDestinationLimit: 100 },
    );
    // 2/s × 120 s = 240 ports wanted against one inventory of 100.
    expect(report.ok).toBe(false);
    expect(report.destinations[0].portAllocationErrors).toBeGreaterThan(0);
  });
});
