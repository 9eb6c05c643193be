/**
 * The fix of a failed capacity check, as the components word it: for each kind of failure, the fix
 * names the component's own argument with a value that works (applying it makes the component
 * plan), or says why more IPs cannot help, and never both.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AvailabilityMode,
  type AwsNatGatewayArgs,
  ConnectivityType,
  planAwsNatGateway,
} from "../../components/aws";
import { type AzureNatGatewayArgs, planAzureNatGateway } from "../../components/azure";
import { CapacityCheckMode, type ExpectedTrafficArgs, HoldDistribution } from "../../components/common";
import { CapacityError } from "../../core/errors";

const ldap = (peak: number, extra: object = {}): ExpectedTrafficArgs => ({
  destinations: [{ name: "ldap", address: "203.0.113.10", port: 636, peakConnections: peak, ...extra }],
});
const rateBased: ExpectedTrafficArgs = {
  durationSeconds: 300,
  destinations: [{ name: "ldap", address: "203.0.113.10", port: 636 }],
  traffic: [
    {
      to: "ldap",
      connectionsPerSecond: 2_000,
      hold: { distribution: HoldDistribution.Exponential, mean: 30 },
    },
  ],
};
/** 50 destinations of 45,000 each: every one fits one Azure IP, together past the 2,000,000 cap. */
const pastAzureCap: ExpectedTrafficArgs = {
  destinations: Array.from({ length: 50 }, (_, i) => ({
    name: `d${i}`,
    address: `198.51.100.${i + 1}`,
    port: 443,
    peakConnections: 45_000,
  })),
};

const aws = (args: Partial<AwsNatGatewayArgs>) => () =>
  planAwsNatGateway("egress", { subnetId: "s", ...args });
const azure = (args: Partial<AzureNatGatewayArgs>) => () =>
  planAzureNatGateway("az", { resourceGroupName: "rg", ...args } as AzureNatGatewayArgs);

/** The CapacityError's message of a plan (fails the test when it does not throw one). */
function failure(plan: () => unknown): { message: string; fix: string } {
  try {
    plan();
  } catch (e) {
    expect(e).toBeInstanceOf(CapacityError);
    const message = (e as Error).message;
    return { message, fix: message.slice(message.lastIndexOf("\n  fix: ") + "\n  fix: ".length) };
  }
  throw new Error("expected a CapacityError");
}

describe("capacity fix on the components, per kind of failure", () => {
  it("predicted port-allocation errors: names ipCount with a count that works", () => {
    const { message, fix } = failure(aws({ ipCount: 2, expectedTraffic: rateBased }));
    expect(message).toMatch(
      /^AwsNatGateway "egress": expectedTraffic predicts port-allocation errors with 2 IPs:/,
    );
    // Far past the threshold the analytic path answers: its expected errors are counted.
    expect(message).toMatch(/[\d,]+ expected port-allocation errors/);
    const n = Number(/^set ipCount to (\d+) \(it is 2\) or autoSizeIps: true, or lower/.exec(fix)?.[1]);
    expect(n).toBeGreaterThan(2);
    expect(() => aws({ ipCount: n, expectedTraffic: rateBased })()).not.toThrow();
  });

  it("an instant peak that does not fit: names ipCount; that count plans", () => {
    const { message, fix } = failure(aws({ ipCount: 2, expectedTraffic: ldap(120_000) }));
    expect(message).toContain("expected peak 120,000 connections (checked as one instant)");
    expect(fix).toBe("set ipCount to 3 (it is 2) or autoSizeIps: true, or lower the expected connections");
    expect(() => aws({ ipCount: 3, expectedTraffic: ldap(120_000) })()).not.toThrow();
  });

  it("a sustained peak that fits as an instant but not when held: the count it names plans", () => {
    const sustained = ldap(108_000, { peakDurationSeconds: 3600, peakHoldSeconds: 60 });
    expect(() => aws({ ipCount: 2, expectedTraffic: ldap(108_000) })()).not.toThrow();
    const { message, fix } = failure(aws({ ipCount: 2, expectedTraffic: sustained }));
    expect(message).toContain("held for 3,600 s with connections living 60 s");
    const n = Number(/^set ipCount to (\d+) \(it is 2\)/.exec(fix)?.[1]);
    expect(n).toBe(3);
    expect(() => aws({ ipCount: n, expectedTraffic: sustained })()).not.toThrow();
  });

  it("beyond one gateway's maximum: no IP count to set, only how to split", () => {
    const { fix } = failure(aws({ ipCount: 2, expectedTraffic: ldap(600_000) }));
    expect(fix).toMatch(/^the traffic needs 12 IPs, more than the 8 one gateway can hold: split the traffic/);
    expect(fix).not.toMatch(/set ipCount|autoSizeIps/);
    // Auto-sizing already at the maximum: the fix does not suggest it again.
    const auto = failure(aws({ ipCount: 2, autoSizeIps: true, expectedTraffic: ldap(600_000) }));
    expect(auto.fix).not.toContain("autoSizeIps");
  });

  it("Azure's gateway-wide cap: says more IPs do not help and names no IP count", () => {
    const { message, fix } = failure(azure({ publicIpCount: 1, expectedTraffic: pastAzureCap }));
    expect(message).toMatch(/predicts port-allocation errors with 1 IP:/);
    expect(message).toContain("peak at 2,250,000, more than the 2,000,000");
    expect(fix).toMatch(
      /^connections across all destinations exceed the 2,000,000 .*more IPs do not help: split/,
    );
    expect(fix).not.toMatch(/set |publicIpCount|autoSizeIps|\d+ IPs/);
  });
});

describe("the value named is the argument's own, not the gateway's total", () => {
  it("private gateway: secondaryPrivateIpAddressCount excludes the primary", () => {
    const args = { connectivityType: ConnectivityType.Private, expectedTraffic: ldap(120_000) };
    const { fix } = failure(aws({ ...args, secondaryPrivateIpAddressCount: 1 }));
    expect(fix).toMatch(/^set secondaryPrivateIpAddressCount to 2 \(3 IPs in all; it is 1\)/);
    expect(() => aws({ ...args, secondaryPrivateIpAddressCount: 2 })()).not.toThrow();
  });

  it("existing allocations: ipCount counts new EIPs only", () => {
    const args = {
      existingIps: [{ key: "old", allocationId: "eipalloc-1" }],
      expectedTraffic: ldap(120_000),
    };
    const { fix } = failure(aws({ ...args, ipCount: 1 }));
    expect(fix).toMatch(/^set ipCount to 2 \(3 IPs in all; it is 1\)/);
    expect(() => aws({ ...args, ipCount: 2 })()).not.toThrow();
  });

  it("Azure prefixes: publicIpCount counts the IPs besides the prefix's addresses", () => {
    const args = { publicIpPrefixes: [{ key: "p", prefixLength: 31 }], expectedTraffic: ldap(200_000) };
    const { message, fix } = failure(azure({ ...args, publicIpCount: 1 }));
    expect(message).toMatch(/with 3 IPs:/);
    expect(fix).toMatch(/^set publicIpCount to 2 \(4 IPs in all; it is 1\) or autoSizeIps: true/);
    expect(() => azure({ ...args, publicIpCount: 2 })()).not.toThrow();
  });

  it("regional manual mode: every zone needs the count; no auto-sizing is suggested", () => {
    const zones = (a: number, b: number) => ({
      availabilityMode: AvailabilityMode.Regional,
      vpcId: "vpc-1",
      regionalZones: [
        { availabilityZone: "us-east-1a", ipCount: a },
        { availabilityZone: "us-east-1b", ipCount: b },
      ],
      expectedTraffic: ldap(120_000),
    });
    const { fix } = failure(aws({ subnetId: undefined, ...zones(3, 2) }));
    expect(fix).toBe(
      "set the IPs of every zone in regionalZones (ipCount, ipKeys or existingIps) to 3 (it is 2 in the smallest zone), " +
        "or lower the expected connections",
    );
    expect(() => aws({ subnetId: undefined, ...zones(3, 3) })()).not.toThrow();
  });

  it("the capacity summary output carries the same fix as the error", () => {
    const p = aws({ ipCount: 2, expectedTraffic: ldap(120_000), capacityCheck: CapacityCheckMode.Warn })();
    expect(p.capacity.summary?.fix).toBe(failure(aws({ ipCount: 2, expectedTraffic: ldap(120_000) })).fix);
  });

  it("property: applying the fix's ipCount makes the gateway plan (peak-only, any peak one gateway can hold)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 430_000 }), fc.integer({ min: 1, max: 8 }), (peak, ipCount) => {
        let fix = "";
        try {
          aws({ ipCount, expectedTraffic: ldap(peak) })();
          return;
        } catch (e) {
          if (!(e instanceof CapacityError)) throw e;
          fix = e.message.slice(e.message.lastIndexOf("fix: "));
        }
        const n = /^fix: set ipCount to (\d+) \(it is (\d+)\)/.exec(fix);
        if (n === null) {
          expect(fix).toMatch(/more than the 8 one gateway can hold/);
          return;
        }
        expect(Number(n[2])).toBe(ipCount);
        expect(() => aws({ ipCount: Number(n[1]), expectedTraffic: ldap(peak) })()).not.toThrow();
      }),
      { numRuns: 80 },
    );
  });
});
