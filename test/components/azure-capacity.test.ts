import { describe, expect, it } from "vitest";
import { AzureNatGateway, CapacityCheckMode } from "../../components/azure";
import { CapacityError, WorkloadError } from "../../core/errors";
import { parseExpectationTags } from "../../sim/workload/tags";
import { base, installMocks, of, one, seen, settle, T, value } from "./azure-mocks";

installMocks();

describe("AzureNatGateway capacity check", () => {
  const ldap = (peak: number) => ({
    destinations: [
      { name: "ldap", address: "203.0.113.10", port: 636, protocol: "tcp" as const, peakConnections: peak },
    ],
  });

  it("writes expectation tags on the gateway and the summary as an output", async () => {
    const gw = new AzureNatGateway("cap", {
      ...base,
      publicIpCount: 2,
      expectedTraffic: ldap(60_000),
      tags: { team: "net" },
    });
    await settle(gw);
    const tags = one(T.nat).inputs.tags as Record<string, string>;
    expect(tags.team).toBe("net");
    const parsed = parseExpectationTags(tags);
    expect(parsed.issues).toEqual([]);
    expect(parsed.destinations).toEqual([
      { name: "ldap", address: "203.0.113.10", port: 636, protocol: "tcp", peakConnections: 60_000 },
    ]);
    const summary = await value(gw.capacity);
    expect(summary?.ok).toBe(true);
    expect(summary?.ips).toBe(2);
    expect(await value(gw.expectedTraffic)).toEqual(ldap(60_000));
  });

  it("fails with a CapacityError when the peak exceeds what the addresses carry", () => {
    expect(
      () => new AzureNatGateway("small", { ...base, publicIpCount: 1, expectedTraffic: ldap(60_000) }),
    ).toThrow(CapacityError);
  });

  it("counts prefix addresses as capacity", () => {
    expect(
      () =>
        new AzureNatGateway("pre", {
          ...base,
          publicIpPrefixes: [{ key: "a", prefixLength: 31 }],
          expectedTraffic: ldap(60_000),
        }),
    ).not.toThrow();
  });

  it("warns instead of failing in warn mode", async () => {
    const gw = new AzureNatGateway("w", {
      ...base,
      publicIpCount: 1,
      expectedTraffic: ldap(60_000),
      capacityCheck: CapacityCheckMode.Warn,
    });
    await settle(gw);
    expect(seen.warnings.join("\n")).toMatch(
      /^AzureNatGateway "w": expectedTraffic predicts port-allocation errors/,
    );
    expect((await value(gw.capacity))?.ok).toBe(false);
  });

  it("adds public IPs on request, continuing the count keys", async () => {
    const gw = new AzureNatGateway("auto", {
      ...base,
      publicIpCount: 1,
      expectedTraffic: ldap(120_000),
      autoSizeIps: true,
    });
    await settle(gw);
    const names = of(T.ip).map((r) => r.name);
    expect(names.slice(0, 1)).toEqual(["auto-pip-1"]);
    expect(names.length).toBeGreaterThan(1);
    expect(names).toEqual(names.map((_, i) => `auto-pip-${i + 1}`));
    const summary = await value(gw.capacity);
    expect(summary?.ok).toBe(true);
    expect(summary?.autoSized).toBe(true);
    expect(await value(gw.publicIpAddressCount)).toBe(names.length);
  });

  it("keys automatic IPs auto-N after explicit keys", async () => {
    const gw = new AzureNatGateway("ak", {
      ...base,
      publicIps: [{ key: "main" }],
      expectedTraffic: ldap(120_000),
      autoSizeIps: true,
    });
    await settle(gw);
    const names = of(T.ip).map((r) => r.name);
    expect(names[0]).toBe("ak-pip-main");
    expect(names.slice(1).every((n, i) => n === `ak-pip-auto-${i + 1}`)).toBe(true);
  });

  it("fails when even 16 addresses are not enough", () => {
    expect(
      () => new AzureNatGateway("huge", { ...base, expectedTraffic: ldap(5_000_000), autoSizeIps: true }),
    ).toThrow(/split the traffic across gateways/);
  });

  it("reports an invalid expectation as a WorkloadError naming the field", () => {
    let caught: unknown;
    try {
      new AzureNatGateway("inv", {
        ...base,
        expectedTraffic: { destinations: [{ name: "x", address: "a", port: 0 }] },
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(WorkloadError);
    expect((caught as Error).message).toMatch(
      /^AzureNatGateway "inv": .*expectedTraffic\.destinations\[0\]\.port/,
    );
  });

  it("feeds the configured idle timeout to the simulated traffic", async () => {
    const idleTraffic = {
      durationSeconds: 3600,
      destinations: [{ name: "api", address: "198.51.100.7", port: 443 }],
      traffic: [{ to: "api", connectionsPerSecond: 50, holdSeconds: 1, close: "idle" as const }],
    };
    const short = new AzureNatGateway("idle4", { ...base, expectedTraffic: idleTraffic });
    const long = new AzureNatGateway("idle30", {
      ...base,
      idleTimeoutInMinutes: 30,
      expectedTraffic: idleTraffic,
      capacityCheck: CapacityCheckMode.Warn,
    });
    await Promise.all([settle(short), settle(long)]);
    const a = await value(short.capacity);
    const b = await value(long.capacity);
    expect(a?.ok).toBe(true);
    expect(b?.ok).toBe(false);
    expect(b!.destinations[0].predictedPeak).toBeGreaterThan(a!.destinations[0].predictedPeak * 3);
    expect(b!.destinations[0].portAllocationErrors).toBeGreaterThan(0);
    expect(a!.destinations[0].portAllocationErrors).toBe(0);
    expect(
      () =>
        new AzureNatGateway("idle30b", { ...base, idleTimeoutInMinutes: 30, expectedTraffic: idleTraffic }),
    ).toThrow(CapacityError);
  });
});
