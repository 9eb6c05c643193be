import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkAwsPrivateIps,
  checkAwsZonalIps,
  checkAzureIdleTimeout,
  checkAzureIps,
  checkSubnetFreeAddresses,
  countAzureIps,
  parseCidr,
  usableSubnetAddresses,
} from "../../core/checks";
import { AWS, AZURE, allLimits } from "../../core/limits";

describe("limits table", () => {
  it("gives every limit a positive value and an https source", () => {
    for (const { key, limit } of allLimits()) {
      expect(limit.value, key).toBeGreaterThan(0);
      expect(limit.source, key).toMatch(
        /^https:\/\/(aws\.amazon\.com|docs\.aws\.amazon\.com|repost\.aws|learn\.microsoft\.com)\//,
      );
      expect(limit.description.length, key).toBeGreaterThan(10);
    }
  });
  it("carries the numbers of docs/limits.md", () => {
    expect(AWS.connectionsPerIpPerDestination.value * AWS.maxIpsPerZonalGateway.value).toBe(440_000);
    expect(AZURE.maxPublicIpAddresses.value).toBe(16);
    expect(AZURE.snatPortsPerIp.value).toBe(64_512);
  });
});

describe("countAzureIps", () => {
  it("counts prefixes whole", () => {
    expect(countAzureIps(2, [30])).toBe(6);
    expect(countAzureIps(0, [28])).toBe(16);
    expect(countAzureIps(1, [31, 31])).toBe(5);
  });
  it("is additive for any mix (property)", () => {
    fc.assert(
      fc.property(
        fc.nat(16),
        fc.array(fc.integer({ min: 28, max: 31 }), { maxLength: 4 }),
        (ips, prefixes) => {
          const total = countAzureIps(ips, prefixes);
          expect(total).toBe(ips + prefixes.reduce((s, l) => s + 2 ** (32 - l), 0));
          expect(checkAzureIps(ips, prefixes).some((f) => f.severity === "error")).toBe(
            total > 16 || total < 1,
          );
        },
      ),
    );
  });
  it("rejects prefix lengths outside 28-31, naming the field", () => {
    const [f] = checkAzureIps(1, [27]);
    expect(f.path).toBe("publicIpPrefixes[0].prefixLength");
    expect(f.message).toContain("27");
  });
});

describe("AWS IP checks", () => {
  it("errors above 8 and warns above the quota", () => {
    expect(checkAwsZonalIps(2)).toEqual([]);
    expect(checkAwsZonalIps(3)[0].severity).toBe("warning");
    expect(checkAwsZonalIps(3)[0].message).toContain("L-5F53652F");
    expect(checkAwsZonalIps(8, 8)).toEqual([]);
    const [err] = checkAwsZonalIps(9, 8);
    expect(err.severity).toBe("error");
    expect(err.message).toContain("9 exceeds the 8 IPv4 addresses");
  });
  it("checks private secondary IPs against API range and quota", () => {
    expect(checkAwsPrivateIps(7)).toEqual([]);
    expect(checkAwsPrivateIps(8)[0].message).toContain("L-DFA99DE7");
    expect(checkAwsPrivateIps(32)[0].message).toContain("1–31");
    expect(checkAwsPrivateIps(20, 32)).toEqual([]);
  });
});

describe("Azure idle timeout", () => {
  it("accepts 4-120, warns above the advised maximum", () => {
    expect(checkAzureIdleTimeout(4)).toEqual([]);
    expect(checkAzureIdleTimeout(3)[0].severity).toBe("error");
    expect(checkAzureIdleTimeout(121)[0].severity).toBe("error");
    expect(checkAzureIdleTimeout(30)[0].severity).toBe("warning");
    expect(checkAzureIdleTimeout(30, 30)).toEqual([]);
  });
});

describe("subnets", () => {
  it("parses CIDRs and subtracts the reserved addresses", () => {
    expect(parseCidr("10.0.0.17/28")).toEqual({ base: (10 << 24) + 16, prefixLength: 28, size: 16 });
    expect(parseCidr("10.0.0.0/33")).toBeUndefined();
    expect(parseCidr("nope")).toBeUndefined();
    expect(usableSubnetAddresses("10.0.0.0/28", "aws")).toBe(11);
    expect(usableSubnetAddresses("10.0.0.0/29", "azure")).toBe(3);
  });
  it("finds a /28 too small for 8 IPs beside 5 other consumers", () => {
    expect(checkSubnetFreeAddresses("10.0.0.0/28", 8, 0)).toEqual([]);
    const [f] = checkSubnetFreeAddresses("10.0.0.0/28", 8, 5);
    expect(f.message).toContain("InsufficientFreeAddressesInSubnet");
  });
});
