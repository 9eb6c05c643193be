import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkAzureSkuAddresses } from "../../core/checks-azure";
import { AZURE } from "../../core/limits";

const v4 = AZURE.maxPublicIpv4StandardV2.value;
const v6 = AZURE.maxPublicIpv6StandardV2.value;
const errors = (a: Parameters<typeof checkAzureSkuAddresses>[0]) =>
  checkAzureSkuAddresses(a).filter((f) => f.severity === "error");

describe("checkAzureSkuAddresses", () => {
  it("a Standard gateway takes no IPv6, whatever the IPv4 count", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 16 }), (ips, ipv6Ips) => {
        const e = errors({ sku: "Standard", ipv4Ips: ips, ipv6Ips });
        return e.length === 1 && e[0].path === "publicIpAddressesV6" && e[0].message.includes("StandardV2");
      }),
    );
    expect(errors({ sku: "Standard", ipv4Ips: 2 })).toEqual([]);
  });

  it(`StandardV2: up to ${v4} IPv4 and ${v6} IPv6, a prefix counting whole`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), (ipv4Ips, ipv6Ips) => {
        const e = errors({ sku: "StandardV2", ipv4Ips, ipv6Ips });
        const fields = e.map((f) => f.path).sort();
        const expected = [
          ...(ipv4Ips > v4 ? ["publicIpAddresses"] : []),
          ...(ipv6Ips > v6 ? ["publicIpAddressesV6"] : []),
        ].sort();
        return JSON.stringify(fields) === JSON.stringify(expected);
      }),
    );
    // A /124 IPv6 prefix is 16 addresses: one more IP is one too many.
    expect(errors({ sku: "StandardV2", ipv4Ips: 1, ipv6PrefixLengths: [124] })).toEqual([]);
    expect(errors({ sku: "StandardV2", ipv4Ips: 1, ipv6Ips: 1, ipv6PrefixLengths: [124] })).toHaveLength(1);
  });

  it("StandardV2 takes only StandardV2 addresses and no custom (BYOIP) prefix", () => {
    const e = errors({
      sku: "StandardV2",
      ipv4Ips: 2,
      addressSkus: ["StandardV2", "Standard"],
      customPrefixes: 1,
    });
    expect(e.map((f) => f.path).sort()).toEqual(["publicIpPrefixes", "sku"]);
    expect(e.find((f) => f.path === "sku")?.message).toContain("not Standard");
  });
});
