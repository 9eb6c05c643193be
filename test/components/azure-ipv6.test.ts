import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AzureNatGateway, AzureNatGatewaySku, planAzureNatGateway } from "../../components/azure";
import { CapacityCheckMode } from "../../components/common";
import { CapacityError, LimitError, ValidationError, WorkloadError } from "../../core/errors";
import { AZURE } from "../../core/limits";
import { base, children, idOf, installMocks, of, seen, settle, T, thrown, value } from "./azure-mocks";

installMocks();

const v2 = { ...base, sku: AzureNatGatewaySku.StandardV2 };
const generic = (resourceType: string) => of(T.generic).filter((r) => r.inputs.resourceType === resourceType);
const natProps = () => generic("natGateways")[0].inputs.properties as Record<string, unknown>;
const v6Peak = (peakConnections: number) => ({
  destinations: [{ name: "api6", address: "2001:db8::10", port: 443, peakConnections }],
});

describe("AzureNatGateway StandardV2 IPv6 prefixes and existing IPv6 addresses", () => {
  it("creates IPv6 prefixes as StandardV2 publicIPPrefixes at 2025-01-01 and lists every IPv6 address on the gateway", async () => {
    const gw = new AzureNatGateway("p6", {
      ...v2,
      publicIpCount: 1,
      publicIpV6Count: 1,
      publicIpPrefixesV6: [{ key: "a", prefixLength: 126, name: "pre6-a" }],
      existingPublicIpV6Ids: ["/ip6/old"],
      existingPublicIpPrefixesV6: [{ id: "/pre6/old", prefixLength: 127 }],
    });
    await settle(gw);
    const prefixes = generic("publicIPPrefixes");
    expect(prefixes.map((r) => r.name)).toEqual(["p6-ipprev6-a"]);
    expect(prefixes[0].inputs).toEqual({
      apiVersion: "2025-01-01",
      resourceProviderNamespace: "Microsoft.Network",
      parentResourcePath: "",
      resourceType: "publicIPPrefixes",
      resourceGroupName: "rg",
      location: "westeurope",
      resourceName: "pre6-a",
      sku: { name: "StandardV2" },
      properties: { prefixLength: 126, publicIPAddressVersion: "IPv6" },
    });
    const props = natProps();
    expect(props.publicIpAddressesV6).toEqual([{ id: idOf("p6-pipv6-1") }, { id: "/ip6/old" }]);
    expect(props.publicIpPrefixesV6).toEqual([{ id: idOf("p6-ipprev6-a") }, { id: "/pre6/old" }]);
    // IPv6 prefixes are not IPv4 prefixes.
    expect(props.publicIpPrefixes).toEqual([]);
    expect(await value(gw.publicIpPrefixesV6)).toHaveLength(1);
    expect(await value(gw.publicIpPrefixesV6)).toEqual([expect.stringMatching(/\/126$/)]);
    // 1 + 1 existing + /126 (4) + /127 (2) = 8 IPv6 addresses; the IPv4 count is untouched.
    expect(await value(gw.publicIpV6AddressCount)).toBe(8);
    expect(await value(gw.publicIpAddressCount)).toBe(1);
    expect(children(gw).find((c) => c.name === "p6-ipprev6-a")?.protect).toBe(true);
  });

  it("an IPv4-only StandardV2 gateway sends no IPv6 lists", async () => {
    await settle(new AzureNatGateway("four", { ...v2, publicIpCount: 1 }));
    expect(natProps()).not.toHaveProperty("publicIpPrefixesV6");
    expect(natProps()).not.toHaveProperty("publicIpAddressesV6");
  });

  it("growing from one IPv6 prefix to two creates one resource and changes none of the others", async () => {
    const snapshot = async (keys: string[], v6Count: number) => {
      seen.registered = [];
      await settle(
        new AzureNatGateway("grow", {
          ...v2,
          publicIpCount: 1,
          publicIpV6Count: v6Count,
          publicIpPrefixesV6: keys.map((key) => ({ key, prefixLength: 127 })),
        }),
      );
      return new Map(
        seen.registered
          .filter((r) => r.name !== "grow" && r.inputs.resourceType !== "natGateways")
          .map((r) => [r.name, JSON.stringify(r.inputs)]),
      );
    };
    const one = await snapshot(["a"], 1);
    const two = await snapshot(["a", "b"], 2);
    const added = [...two.keys()].filter((n) => !one.has(n));
    expect(added.sort()).toEqual(["grow-ipprev6-b", "grow-pipv6-2"]);
    for (const [name, inputs] of one) expect(two.get(name)).toBe(inputs);
    // Reordering the prefixes keeps their names.
    const reordered = await snapshot(["b", "a"], 2);
    expect(new Set(reordered.keys())).toEqual(new Set(two.keys()));
  });
});

describe("AzureNatGateway IPv6 limits and errors", () => {
  const max = AZURE.maxPublicIpv6StandardV2.value;
  it.each([
    [123, "publicIpPrefixesV6[0].prefixLength"],
    [128, "publicIpPrefixesV6[0].prefixLength"],
    [28, "publicIpPrefixesV6[0].prefixLength"],
  ])("refuses IPv6 prefix length %i outside /124–/127, naming %s", (len, path) => {
    const e = thrown(() =>
      planAzureNatGateway("len", { ...v2, publicIpPrefixesV6: [{ key: "a", prefixLength: len }] }),
    );
    expect(e).toBeInstanceOf(LimitError);
    expect((e as Error).message).toContain(path);
    expect((e as Error).message).toMatch(
      /outside \/124–\/127.*use a prefix length from 124 \(16 addresses\) to 127/s,
    );
  });
  it("names an existing IPv6 prefix's length by its own argument", () => {
    const e = thrown(() =>
      planAzureNatGateway("len", {
        ...v2,
        publicIpPrefixesV6: [{ key: "a", prefixLength: 127 }],
        existingPublicIpPrefixesV6: [{ id: "/p", prefixLength: 120 }],
      }),
    );
    expect(e).toBeInstanceOf(LimitError);
    expect((e as Error).message).toContain("existingPublicIpPrefixesV6[0].prefixLength");
  });
  it(`counts IPv6 prefixes whole toward the ${max} IPv6 addresses, naming the arguments that add them`, () => {
    expect(
      thrown(() =>
        planAzureNatGateway("ok", { ...v2, publicIpPrefixesV6: [{ key: "a", prefixLength: 124 }] }),
      ),
    ).toBeUndefined();
    const e = thrown(() =>
      planAzureNatGateway("big", {
        ...v2,
        publicIpV6Count: 1,
        publicIpPrefixesV6: [{ key: "a", prefixLength: 124 }],
      }),
    );
    expect(e).toBeInstanceOf(LimitError);
    expect((e as Error).message).toMatch(
      new RegExp(
        `publicIpV6Count \\+ publicIpPrefixesV6.*${max + 1} public IPv6 addresses exceed the ${max}`,
        "s",
      ),
    );
    const existing = thrown(() =>
      planAzureNatGateway("big2", {
        ...v2,
        existingPublicIpV6Ids: ["/a"],
        existingPublicIpPrefixesV6: [{ id: "/p", prefixLength: 124 }],
      }),
    );
    expect(existing).toBeInstanceOf(LimitError);
    expect((existing as Error).message).toContain("existingPublicIpV6Ids + existingPublicIpPrefixesV6");
  });
  it("refuses IPv6 prefixes on a Standard gateway, naming the argument and StandardV2", () => {
    const e = thrown(
      () => new AzureNatGateway("std6", { ...base, publicIpPrefixesV6: [{ key: "a", prefixLength: 127 }] }),
    );
    expect(e).toBeInstanceOf(LimitError);
    expect((e as Error).message).toMatch(
      /publicIpPrefixesV6.*takes no IPv6.*StandardV2.*remove publicIpPrefixesV6/s,
    );
    expect(seen.registered).toEqual([]);
  });
  it("refuses duplicate IPv6 prefix keys", () => {
    const e = thrown(() =>
      planAzureNatGateway("dup", {
        ...v2,
        publicIpPrefixesV6: [
          { key: "a", prefixLength: 127 },
          { key: "a", prefixLength: 126 },
        ],
      }),
    );
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as Error).message).toContain("publicIpPrefixesV6[1].key");
  });
});

describe("AzureNatGateway capacity check with IPv6 destinations", () => {
  it("checks an IPv6 destination against the IPv6 addresses, prefixes counted whole", () => {
    // A /126 prefix: 4 IPv6 addresses, 200,000 ports for one destination.
    const args = { ...v2, publicIpCount: 1, publicIpPrefixesV6: [{ key: "a", prefixLength: 126 }] };
    const plan = planAzureNatGateway("fits", { ...args, expectedTraffic: v6Peak(190_000) });
    const summary = plan.capacity.summary;
    expect(summary).toMatchObject({ ok: true, ips: 1, ipsV6: 4, ipsV6Needed: 4, maxIpsV6: 16 });
    expect(summary?.destinations[0]).toMatchObject({ addressFamily: "ipv6", ips: 4, capacity: 200_000 });
    const e = thrown(() => planAzureNatGateway("short", { ...args, expectedTraffic: v6Peak(260_000) }));
    expect(e).toBeInstanceOf(CapacityError);
    const message = (e as Error).message;
    expect(message).toMatch(/predicts port-allocation errors with 1 IP and 4 IPv6 addresses/);
    expect(message).toMatch(/api6 \(\[2001:db8::10\]:443\/tcp\) does not fit.*needs 6 IPv6 addresses/);
    // The fix names the IPv6 argument; the prefix's 4 addresses are not in publicIpV6Count.
    expect(message).toMatch(/fix: set publicIpV6Count to 2 \(6 IPs in all; it is 0\)/);
    expect(message).not.toMatch(/publicIpCount/);
  });
  it("IPv4 addresses do not carry an IPv6 destination, nor IPv6 addresses an IPv4 one", () => {
    const plenty4 = { ...v2, publicIpCount: 16, publicIpV6Count: 1 };
    expect(
      thrown(() => planAzureNatGateway("a", { ...plenty4, expectedTraffic: v6Peak(60_000) })),
    ).toBeInstanceOf(CapacityError);
    const plenty6 = { ...v2, publicIpCount: 1, publicIpV6Count: 16 };
    const v4 = {
      destinations: [{ name: "api4", address: "203.0.113.10", port: 443, peakConnections: 60_000 }],
    };
    const e = thrown(() => planAzureNatGateway("b", { ...plenty6, expectedTraffic: v4 }));
    expect(e).toBeInstanceOf(CapacityError);
    expect((e as Error).message).toMatch(/fix: set publicIpCount to 2/);
  });
  it("refuses an IPv6 destination on a Standard gateway or without IPv6 addresses, naming the arguments", () => {
    const std = thrown(() => planAzureNatGateway("s", { ...base, expectedTraffic: v6Peak(1) }));
    expect(std).toBeInstanceOf(WorkloadError);
    expect((std as Error).message).toMatch(
      /expectedTraffic\.destinations\[0\]\.address: "2001:db8::10" is an IPv6 address.*set sku: StandardV2 and publicIpV6Count \(1 to 16\)/s,
    );
    const none = thrown(() => planAzureNatGateway("n", { ...v2, expectedTraffic: v6Peak(1) }));
    expect(none).toBeInstanceOf(WorkloadError);
    expect((none as Error).message).toMatch(/no IPv6 addresses.*set publicIpV6Count to 1 or more/s);
    expect(seen.registered).toEqual([]);
  });
});

describe("AzureNatGateway autoSizeIps sizes IPv6 addresses for IPv6 destinations", () => {
  const dual = (v4Peak: number, v6: number) => ({
    destinations: [
      { name: "api4", address: "203.0.113.10", port: 443, peakConnections: v4Peak },
      { name: "api6", address: "2001:db8::10", port: 443, peakConnections: v6 },
    ],
  });
  const pipNames = () => generic("publicIPAddresses").map((r) => r.name);

  it("adds IPv6 public IPs continuing publicIpV6Count's keys, sizes IPv4 apart, and says what it chose", async () => {
    // 260,000 connections to one IPv6 destination need 6 IPv6 addresses (50,000 each); 120,000 IPv4 ones 3 IPv4.
    const gw = new AzureNatGateway("auto6", {
      ...v2,
      publicIpCount: 1,
      publicIpV6Count: 1,
      expectedTraffic: dual(120_000, 260_000),
      autoSizeIps: true,
    });
    await settle(gw);
    const names = pipNames();
    expect(names.filter((n) => n.includes("-pipv6-"))).toEqual(
      Array.from({ length: 6 }, (_, i) => `auto6-pipv6-${i + 1}`),
    );
    expect(names.filter((n) => n.includes("-pip-"))).toEqual(["auto6-pip-1", "auto6-pip-2", "auto6-pip-3"]);
    expect(await value(gw.publicIpV6AddressCount)).toBe(6);
    expect(await value(gw.publicIpAddressCount)).toBe(3);
    const summary = await value(gw.capacity);
    expect(summary).toMatchObject({
      ok: true,
      ips: 3,
      ipsV6: 6,
      ipsV6Needed: 6,
      autoSized: true,
      autoSizedV6: true,
    });
    expect(natProps().publicIpAddressesV6).toHaveLength(6);
    expect(seen.warnings.join("\n")).toMatch(
      /AzureNatGateway "auto6": autoSizeIps chose 6 IPv6 addresses.*publicIpV6Count 6, 1 given.*auto6-pipv6-2, .*auto6-pipv6-6/,
    );
  });

  it("starts from no IPv6 address, counts IPv6 prefixes, and leaves IPv4-only gateways without IPv6", () => {
    const fromNone = planAzureNatGateway("none6", {
      ...v2,
      expectedTraffic: v6Peak(120_000),
      autoSizeIps: true,
    });
    expect(fromNone.publicIpsV6.map((p) => p.key)).toEqual(["1", "2", "3"]);
    expect(fromNone.warnings.some((w) => /autoSizeIps chose 3 IPv6 addresses/.test(w))).toBe(true);
    // A /126 prefix gives 4 addresses: 6 needed, so 2 created.
    const withPrefix = planAzureNatGateway("pre6", {
      ...v2,
      publicIpPrefixesV6: [{ key: "a", prefixLength: 126 }],
      expectedTraffic: v6Peak(260_000),
      autoSizeIps: true,
    });
    expect(withPrefix.totalAddressesV6).toBe(6);
    expect(withPrefix.publicIpsV6.map((p) => p.logicalName)).toEqual(["pre6-pipv6-1", "pre6-pipv6-2"]);
    const v4only = planAzureNatGateway("four", {
      ...v2,
      expectedTraffic: {
        destinations: [{ name: "a", address: "203.0.113.1", port: 443, peakConnections: 120_000 }],
      },
      autoSizeIps: true,
    });
    expect(v4only.publicIpsV6).toEqual([]);
    expect(v4only.capacity.summary?.autoSizedV6).toBeUndefined();
  });

  it("never shrinks a given IPv6 count", () => {
    const plan = planAzureNatGateway("keep", {
      ...v2,
      publicIpV6Count: 4,
      expectedTraffic: v6Peak(10),
      autoSizeIps: true,
    });
    expect(plan.publicIpsV6.map((p) => p.key)).toEqual(["1", "2", "3", "4"]);
    expect(plan.warnings.some((w) => /autoSizeIps chose/.test(w))).toBe(false);
  });

  it("stable names: a larger expectation only adds the highest IPv6 keys, keeping every name of a smaller one", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 700_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (given, peak, more) => {
          const names = (p: number) =>
            planAzureNatGateway("st", {
              ...v2,
              publicIpV6Count: given,
              expectedTraffic: v6Peak(p),
              autoSizeIps: true,
            }).publicIpsV6.map((x) => x.logicalName);
          const small = names(peak);
          const large = names(Math.min(peak + more, 800_000));
          expect(large.slice(0, small.length)).toEqual(small);
          expect(small.slice(0, given)).toEqual(Array.from({ length: given }, (_, i) => `st-pipv6-${i + 1}`));
          expect(large).toEqual(Array.from({ length: large.length }, (_, i) => `st-pipv6-${i + 1}`));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("beyond 16 IPv6 addresses: a LimitError naming publicIpV6Count, nothing registered", () => {
    const e = thrown(
      () => new AzureNatGateway("huge6", { ...v2, expectedTraffic: v6Peak(900_000), autoSizeIps: true }),
    );
    expect(e).toBeInstanceOf(LimitError);
    expect((e as LimitError).field).toBe("publicIpV6Count");
    expect((e as Error).message).toMatch(
      /^AzureNatGateway "huge6": publicIpV6Count: autoSizeIps sizes publicIpV6Count from expectedTraffic, and its IPv6 destinations need 18 IPv6 addresses, more than the 16/,
    );
    expect((e as Error).message).toMatch(/split the IPv6 destinations' traffic across gateways/);
    expect(seen.registered).toEqual([]);
  });

  it("in warn mode, sizes to 16 and warns instead", async () => {
    const gw = new AzureNatGateway("warn6", {
      ...v2,
      expectedTraffic: v6Peak(900_000),
      autoSizeIps: true,
      capacityCheck: CapacityCheckMode.Warn,
    });
    await settle(gw);
    expect(await value(gw.publicIpV6AddressCount)).toBe(16);
    expect(seen.warnings.join("\n")).toMatch(/predicts port-allocation errors/);
    expect((await value(gw.capacity))?.ok).toBe(false);
  });
});
