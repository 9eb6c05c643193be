import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AzureNatGateway, AzureNatGatewaySku, CapacityCheckMode } from "../../components/azure";
import { AZURE } from "../../core/limits";
import { assessCapacity } from "../../sim/verdict/capacity";
import { natcapInProcess, tempFile } from "../adversarial/cli-harness";
import { T as AZ, base, installMocks, seen, settle } from "../components/azure-mocks";
import {
  genericNetworkResource,
  of,
  type Pack,
  res,
  startPack,
  type TestResource,
  UNKNOWN,
  unknowns,
  violations,
} from "./harness";

installMocks();

let pack: Pack;
beforeAll(async () => {
  pack = await startPack();
});
afterAll(async () => {
  await pack?.process.close();
});

const LIMIT = "azure-nat-gateway-ip-limit";
const CAP = "nat-gateway-capacity";
const v6 = AZURE.maxPublicIpv6StandardV2.value;

const generic = genericNetworkResource;

const prefix = (name: string, prefixLength: number | string, version: "IPv4" | "IPv6") =>
  generic("publicIPPrefixes", name, { prefixLength, publicIPAddressVersion: version }, "StandardV2");
const ip = (name: string, version: "IPv4" | "IPv6") =>
  generic(
    "publicIPAddresses",
    name,
    { publicIPAllocationMethod: "Static", publicIPAddressVersion: version },
    "StandardV2",
  );

/** A StandardV2 gateway whose lists reference `addresses` (IDs unknown at preview, matched by dependency). */
function gateway(
  addresses: {
    v4: TestResource[];
    v4Prefixes?: TestResource[];
    v6?: TestResource[];
    v6Prefixes?: TestResource[];
  },
  sku = "StandardV2",
  tags?: Record<string, string>,
): TestResource {
  const list = (xs: TestResource[] | undefined) => (xs ?? []).map(() => ({ id: UNKNOWN }));
  const all = [
    ...addresses.v4,
    ...(addresses.v4Prefixes ?? []),
    ...(addresses.v6 ?? []),
    ...(addresses.v6Prefixes ?? []),
  ];
  return generic(
    "natGateways",
    "egress",
    {
      publicIpAddresses: list(addresses.v4),
      publicIpPrefixes: list(addresses.v4Prefixes),
      ...(addresses.v6 ? { publicIpAddressesV6: list(addresses.v6) } : {}),
      ...(addresses.v6Prefixes ? { publicIpPrefixesV6: list(addresses.v6Prefixes) } : {}),
    },
    sku,
    { properties: all },
    tags ? { tags } : {},
  );
}

describe("azure-nat-gateway-ip-limit counts IPv6 prefixes whole (over gRPC)", () => {
  it(`a /124 IPv6 prefix is ${v6} addresses: allowed alone, blocked with one more IPv6 address`, async () => {
    const v4 = [ip("ip-1", "IPv4")];
    const p6 = [prefix("pre6", 124, "IPv6")];
    const ok = await pack.check([...v4, ...p6, gateway({ v4, v6Prefixes: p6 })]);
    expect(of(ok, LIMIT)).toEqual([]);
    const extra = [ip("ip6-1", "IPv6")];
    const ds = violations(
      await pack.check([...v4, ...p6, ...extra, gateway({ v4, v6: extra, v6Prefixes: p6 })]),
      LIMIT,
    );
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain(`${v6 + 1} public IPv6 addresses exceed the ${v6}`);
  });

  it("keeps IPv4 and IPv6 prefixes apart when both come through the gateway's properties", async () => {
    // A /28 IPv4 prefix (16) and a /124 IPv6 prefix (16): both at their limit, neither over it.
    const v4Prefixes = [prefix("pre4", 28, "IPv4")];
    const v6Prefixes = [prefix("pre6", 124, "IPv6")];
    const ds = await pack.check([...v4Prefixes, ...v6Prefixes, gateway({ v4: [], v4Prefixes, v6Prefixes })]);
    expect(of(ds, LIMIT)).toEqual([]);
  });

  it("blocks an IPv6 prefix length outside /124–/127", async () => {
    const p6 = [prefix("pre6", 120, "IPv6")];
    const v4 = [ip("ip-1", "IPv4")];
    const ds = violations(await pack.check([...v4, ...p6, gateway({ v4, v6Prefixes: p6 })]), LIMIT);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toMatch(/IPv6 prefix length 120 is outside \/124–\/127/);
  });

  it("blocks an IPv6 prefix on a Standard gateway", async () => {
    const p6 = [prefix("pre6", 127, "IPv6")];
    const v4 = [ip("ip-1", "IPv4")];
    const ds = violations(
      await pack.check([...v4, ...p6, gateway({ v4, v6Prefixes: p6 }, "Standard")]),
      LIMIT,
    );
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain("IPv6 needs the StandardV2 SKU");
  });

  it("counts a typed (future azure-native) StandardV2 gateway's IPv6 prefixes the same way", async () => {
    const p6 = res(AZ.prefix, "pre6", {
      prefixLength: 124,
      publicIPAddressVersion: "IPv6",
      sku: { name: "StandardV2" },
    });
    const extra = res(AZ.ip, "ip6", { publicIPAddressVersion: "IPv6", sku: { name: "StandardV2" } });
    const gw = res(
      AZ.nat,
      "typed",
      {
        resourceGroupName: "rg",
        sku: { name: "StandardV2" },
        publicIpAddresses: [{ id: "/ip/old" }],
        publicIpAddressesV6: [{ id: UNKNOWN }],
        publicIpPrefixesV6: [{ id: UNKNOWN }],
      },
      { publicIpAddressesV6: [extra], publicIpPrefixesV6: [p6] },
    );
    const ds = violations(await pack.check([p6, extra, gw]), LIMIT);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain(`${v6 + 1} public IPv6 addresses exceed the ${v6}`);
  });

  it("an IPv6 prefix of unknown size counts as /127 and the rest is reported as unknown", async () => {
    const p6 = [prefix("pre6", UNKNOWN, "IPv6")];
    const v4 = [ip("ip-1", "IPv4")];
    const ds = await pack.check([...v4, ...p6, gateway({ v4, v6Prefixes: p6 })]);
    expect(violations(ds, LIMIT)).toEqual([]);
    expect(
      unknowns(ds, LIMIT)
        .map((d) => d.message)
        .join("\n"),
    ).toContain('the prefixLength of IPv6 PublicIPPrefix "pre6"');
  });
});

describe("nat-gateway-capacity checks IPv6 destinations against the IPv6 addresses (over gRPC)", () => {
  const tags = (peak: number) => ({ "natcap-peak-api6": `2001:db8::10:443/tcp=${peak}` });
  it("a /126 IPv6 prefix carries 200,000 connections to one IPv6 destination, not more", async () => {
    const v4 = [ip("ip-1", "IPv4")];
    const p6 = [prefix("pre6", 126, "IPv6")];
    const fits = await pack.check([
      ...v4,
      ...p6,
      gateway({ v4, v6Prefixes: p6 }, "StandardV2", tags(190_000)),
    ]);
    expect(of(fits, CAP)).toEqual([]);
    const ds = violations(
      await pack.check([...v4, ...p6, gateway({ v4, v6Prefixes: p6 }, "StandardV2", tags(260_000))]),
      CAP,
    );
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toMatch(/with 1 IP and 4 IPv6 addresses/);
    expect(ds[0].message).toMatch(/needs 6 IPv6 addresses/);
    expect(ds[0].message).toMatch(
      /set the addresses of publicIpAddressesV6 and publicIpPrefixesV6 \(prefixes counted whole\) to 6/,
    );
  });
  it("an IPv6 expectation on a Standard gateway is an invalid expectation", async () => {
    const v4 = [ip("ip-1", "IPv4")];
    const ds = violations(await pack.check([...v4, gateway({ v4 }, "Standard", tags(10))]), CAP);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toMatch(/invalid expectation.*is an IPv6 address.*set sku\.name: StandardV2/s);
  });
});

describe("one verdict for an IPv6 workload: natcap simulate, assessCapacity, the component and the policy", () => {
  /** The resources a natcap StandardV2 gateway registered, with its component, as the pack sees them. */
  async function natcapGateway(peak6: number) {
    seen.registered = [];
    const expectedTraffic = {
      destinations: [
        { name: "api4", address: "203.0.113.10", port: 443, peakConnections: 40_000 },
        { name: "api6", address: "2001:db8::10", port: 443, peakConnections: peak6 },
      ],
    };
    const gw = new AzureNatGateway("egress", {
      ...base,
      sku: AzureNatGatewaySku.StandardV2,
      publicIpCount: 1,
      publicIpV6Count: 1,
      publicIpPrefixesV6: [{ key: "a", prefixLength: 127 }],
      alerts: { enabled: false },
      expectedTraffic,
      capacityCheck: CapacityCheckMode.Warn,
    });
    await settle(gw);
    const summary = await new Promise<{ ok: boolean; ipsV6?: number }>((resolve) =>
      gw.capacity.apply((c) => resolve(c as { ok: boolean; ipsV6?: number })),
    );
    const component = res("natcap:index:AzureNatGateway", "egress", { expectedTraffic, capacity: summary });
    const generics = seen.registered.filter((r) => r.type === AZ.generic);
    const addresses = generics
      .filter((r) => r.inputs.resourceType !== "natGateways")
      .map((r) => res(r.type, r.name, r.inputs, {}, component));
    const nat = generics.find((r) => r.inputs.resourceType === "natGateways");
    if (!nat) throw new Error("no gateway");
    const resources = [
      component,
      ...addresses,
      res(nat.type, nat.name, nat.inputs, { properties: addresses }, component),
    ];
    return { expectedTraffic, summary, resources };
  }

  it.each([40_000, 149_000, 151_000, 400_000])("IPv6 peak %i", async (peak6) => {
    const { expectedTraffic, summary, resources } = await natcapGateway(peak6);
    // 1 IPv6 address + a /127 prefix: 3 IPv6 addresses, 150,000 ports for one destination.
    expect(summary.ipsV6).toBe(3);
    const ok = peak6 <= 150_000;
    expect(summary.ok).toBe(ok);
    const report = assessCapacity(expectedTraffic, { cloud: "azure", ips: 1, sku: "StandardV2", ipsV6: 3 });
    expect(report.ok).toBe(ok);
    const ds = violations(await pack.check(resources), CAP);
    expect(ds.length === 0).toBe(ok);
    expect(unknowns(await pack.check(resources), CAP)).toEqual([]);
    const workload = { cloud: "azure", gateway: { ips: 1, sku: "StandardV2", ipsV6: 3 }, ...expectedTraffic };
    const cli = await natcapInProcess("simulate", tempFile(JSON.stringify(workload), "json"), "--json");
    expect(cli.code).toBe(ok ? 0 : 1);
    expect(JSON.parse(cli.stdout).ipsV6Needed).toBe(report.ipsV6Needed);
  });
});
