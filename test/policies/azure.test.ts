import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Pack, res, startPack, T, type TestResource, UNKNOWN, unknowns, violations } from "./harness";

let pack: Pack;
beforeAll(async () => {
  pack = await startPack();
});
afterAll(async () => {
  await pack?.process.close();
});

const LIMIT = "azure-nat-gateway-ip-limit";
const SKU = "azure-nat-gateway-public-ip-sku";
const IDLE = "azure-nat-gateway-idle-timeout";
const LONG = "azure-nat-gateway-long-idle-timeout";
const SUBNETS = "azure-nat-gateway-subnet-rules";

const ip = (name: string, extra: Record<string, unknown> = {}) =>
  res(T.azIp, name, {
    resourceGroupName: "rg",
    sku: { name: "Standard" },
    publicIPAllocationMethod: "Static",
    publicIPAddressVersion: "IPv4",
    ...extra,
  });
const prefix = (name: string, prefixLength: unknown, extra: Record<string, unknown> = {}) =>
  res(T.azPrefix, name, { resourceGroupName: "rg", sku: { name: "Standard" }, prefixLength, ...extra });
function natGw(
  name: string,
  ips: TestResource[],
  prefixes: TestResource[],
  extra: Record<string, unknown> = {},
) {
  return res(
    T.azNat,
    name,
    {
      resourceGroupName: "rg",
      sku: { name: "Standard" },
      publicIpAddresses: ips.map(() => ({ id: UNKNOWN })),
      publicIpPrefixes: prefixes.map(() => ({ id: UNKNOWN })),
      ...extra,
    },
    { publicIpAddresses: ips, publicIpPrefixes: prefixes },
  );
}

describe("azure-nat-gateway-ip-limit", () => {
  it("passes 16 addresses across IPs and prefixes and blocks 17", async () => {
    const ips = [ip("a"), ip("b")];
    const prefixes = [prefix("p28", 29), prefix("p30", 30), prefix("p31", 31)]; // 8 + 4 + 2
    expect(
      violations(await pack.check([...ips, ...prefixes, natGw("egress", ips, prefixes)]), LIMIT),
    ).toEqual([]);
    const more = [...ips, ip("c")];
    const ds = violations(await pack.check([...more, ...prefixes, natGw("egress", more, prefixes)]), LIMIT);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain("17 public IPv4 addresses");
  });
  it("blocks a prefix length outside /28-/31", async () => {
    const p = [prefix("big", 27)];
    const ds = violations(await pack.check([...p, natGw("egress", [], p)]), LIMIT);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain("prefix length 27");
  });
  it("cannot evaluate a prefix whose length is unknown, unless the known part is already too many", async () => {
    const p = [prefix("later", UNKNOWN)];
    const ds = await pack.check([...p, natGw("egress", [ip("a")], p)]);
    expect(violations(ds, LIMIT)).toEqual([]);
    expect(unknowns(ds, LIMIT)[0].message).toContain('prefixLength of PublicIPPrefix "later"');
    const ips = Array.from({ length: 15 }, (_, i) => ip(`ip${i}`));
    const over = await pack.check([...ips, ...p, natGw("egress", ips, p)]);
    expect(violations(over, LIMIT)).toHaveLength(1);
  });
  it("counts a known list of unknown IDs by its length", async () => {
    const gw = res(T.azNat, "egress", {
      resourceGroupName: "rg",
      publicIpAddresses: Array(17).fill({ id: UNKNOWN }),
    });
    expect(violations(await pack.check([gw]), LIMIT)).toHaveLength(1);
  });
});

describe("azure-nat-gateway-public-ip-sku", () => {
  it("passes Standard static IPv4 addresses", async () => {
    const ips = [ip("a")];
    const p = [prefix("p", 30)];
    expect(of(await pack.check([...ips, ...p, natGw("egress", ips, p)]))).toEqual([]);
  });
  it("blocks Basic, dynamic, IPv6, DDoS-protected and routing-preference addresses, each by name", async () => {
    const ips = [
      ip("basic", { sku: { name: "Basic" } }),
      ip("dynamic", { publicIPAllocationMethod: "Dynamic" }),
      ip("v6", { publicIPAddressVersion: "IPv6" }),
      ip("ddos", { ddosSettings: { protectionMode: "Enabled" } }),
      ip("internet", { ipTags: [{ ipTagType: "RoutingPreference", tag: "Internet" }] }),
    ];
    const ds = violations(await pack.check([...ips, natGw("egress", ips, [])]), SKU);
    expect(ds.map((d) => d.urn.split("::").pop()).sort()).toEqual([
      "basic",
      "ddos",
      "dynamic",
      "internet",
      "v6",
    ]);
    expect(ds.every((d) => d.enforcementLevel === "mandatory")).toBe(true);
  });
  it("cannot evaluate attached addresses it cannot identify", async () => {
    const gw = res(T.azNat, "egress", { resourceGroupName: "rg", publicIpAddresses: [{ id: UNKNOWN }] });
    expect(unknowns(await pack.check([gw]), SKU)).toHaveLength(1);
    const later = [ip("later", { sku: UNKNOWN })];
    expect(unknowns(await pack.check([...later, natGw("egress", later, [])]), SKU)[0].message).toContain(
      "sku.name",
    );
  });
  function of(ds: Awaited<ReturnType<Pack["check"]>>) {
    return ds.filter((d) => d.policyName === SKU);
  }
});

describe("azure-nat-gateway-idle-timeout and -long-idle-timeout", () => {
  const gw = (idleTimeoutInMinutes: unknown) =>
    res(T.azNat, "egress", { resourceGroupName: "rg", idleTimeoutInMinutes });
  it("passes 4, advises above 4, blocks outside 4-120", async () => {
    const four = await pack.check([gw(4)]);
    expect(violations(four, IDLE)).toEqual([]);
    expect(violations(four, LONG)).toEqual([]);
    const thirty = await pack.check([gw(30)]);
    expect(violations(thirty, IDLE)).toEqual([]);
    expect(violations(thirty, LONG)).toHaveLength(1);
    expect(violations(thirty, LONG)[0].enforcementLevel).toBe("advisory");
    expect(violations(thirty, LONG)[0].message).toMatch(/run out sooner/);
    for (const bad of [3, 121, 4.5]) {
      const ds = await pack.check([gw(bad)]);
      expect(violations(ds, IDLE), String(bad)).toHaveLength(1);
      expect(violations(ds, LONG), String(bad)).toEqual([]);
    }
  });
  it("follows the configured advised maximum", async () => {
    const cfg = { [LONG]: { properties: { maxMinutes: 30 } } };
    expect(violations(await pack.check([gw(30)], cfg), LONG)).toEqual([]);
    expect(violations(await pack.check([gw(31)], cfg), LONG)).toHaveLength(1);
  });
  it("cannot evaluate an unknown timeout", async () => {
    const ds = await pack.check([gw(UNKNOWN)]);
    expect(unknowns(ds, IDLE)).toHaveLength(1);
    expect(unknowns(ds, LONG)).toHaveLength(1);
    expect(violations(ds, IDLE)).toEqual([]);
  });
});

describe("azure-nat-gateway-subnet-rules", () => {
  const gwA = res(T.azNat, "nat-a", { resourceGroupName: "rg" });
  const gwB = res(T.azNat, "nat-b", { resourceGroupName: "rg" });
  const subnet = (name: string, subnetName: unknown, vnet: string, gw: TestResource) =>
    res(
      T.azSubnet,
      name,
      { resourceGroupName: "rg", virtualNetworkName: vnet, subnetName, natGateway: { id: UNKNOWN } },
      { natGateway: [gw] },
    );
  it("passes subnets of one VNet", async () => {
    const ds = await pack.check([gwA, subnet("s1", "app", "vnet1", gwA), subnet("s2", "db", "vnet1", gwA)]);
    expect(violations(ds, SUBNETS)).toEqual([]);
    expect(unknowns(ds, SUBNETS)).toEqual([]);
  });
  it("blocks GatewaySubnet, two VNets, and a subnet given two gateways", async () => {
    expect(
      violations(await pack.check([gwA, subnet("gs", "GatewaySubnet", "vnet1", gwA)]), SUBNETS)[0].message,
    ).toContain("GatewaySubnet");
    const two = violations(
      await pack.check([gwA, subnet("s1", "app", "vnet1", gwA), subnet("s2", "app", "vnet2", gwA)]),
      SUBNETS,
    );
    expect(two[0].message).toContain("2 virtual networks");
    const inline = res(
      T.azVnet,
      "vnet",
      {
        resourceGroupName: "rg",
        virtualNetworkName: "vnet1",
        subnets: [{ name: "app", natGateway: { id: UNKNOWN } }],
      },
      { subnets: [gwB] },
    );
    const dup = violations(await pack.check([gwA, gwB, inline, subnet("s1", "app", "vnet1", gwA)]), SUBNETS);
    expect(dup.some((d) => d.message.includes("2 NAT gateways"))).toBe(true);
  });
  it("passes AzureFirewallSubnet (hub egress through Azure Firewall) while GatewaySubnet stays blocked", async () => {
    const ds = await pack.check([gwA, subnet("fw", "AzureFirewallSubnet", "hub", gwA)]);
    expect(violations(ds, SUBNETS)).toEqual([]);
    const both = violations(
      await pack.check([
        gwA,
        subnet("fw", "AzureFirewallSubnet", "hub", gwA),
        subnet("gs", "GatewaySubnet", "hub", gwA),
      ]),
      SUBNETS,
    );
    expect(both).toHaveLength(1);
    expect(both[0].message).toContain("GatewaySubnet");
    expect(both[0].message).not.toContain("AzureFirewallSubnet");
  });
  describe("two virtual networks, decided at preview where they can be", () => {
    const rg = res("azure-native:resources:ResourceGroup", "grp", { resourceGroupName: UNKNOWN });
    const at = (name: string, props: Record<string, unknown>, deps: Record<string, TestResource[]> = {}) =>
      res(
        T.azSubnet,
        name,
        { subnetName: name, natGateway: { id: UNKNOWN }, ...props },
        { natGateway: [gwA], ...deps },
      );
    const armId = (sub: string, group: string, vnet: string, subnet: string) =>
      `/subscriptions/${sub}/resourceGroups/${group}/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/${subnet}`;

    it("reads the VNet of a subnet given by its ARM ID while its names are unknown", async () => {
      const byId = at("s1", {
        id: armId("sub-1", "rg", "vnet-a", "s1"),
        resourceGroupName: UNKNOWN,
        virtualNetworkName: UNKNOWN,
      });
      const ds = await pack.check([
        gwA,
        byId,
        at("s2", { resourceGroupName: UNKNOWN, virtualNetworkName: "vnet-b" }),
      ]);
      expect(violations(ds, SUBNETS)[0].message).toContain("2 virtual networks");
      const otherSub = at("s2", {
        id: armId("sub-2", "RG", "VNET-A", "s2"),
        resourceGroupName: UNKNOWN,
        virtualNetworkName: UNKNOWN,
      });
      expect(violations(await pack.check([gwA, byId, otherSub]), SUBNETS)).toHaveLength(1);
      const sameVnet = at("s2", {
        id: armId("SUB-1", "RG", "VNET-A", "s2"),
        resourceGroupName: UNKNOWN,
        virtualNetworkName: UNKNOWN,
      });
      const one = await pack.check([gwA, byId, sameVnet]);
      expect([...violations(one, SUBNETS), ...unknowns(one, SUBNETS)]).toEqual([]);
    });

    it("compares resource group and VNet names case-insensitively, as Azure does", async () => {
      const ds = await pack.check([
        gwA,
        at("s1", { resourceGroupName: "RG-Prod", virtualNetworkName: "Hub" }),
        at("s2", { resourceGroupName: "rg-prod", virtualNetworkName: "hub" }),
      ]);
      expect([...violations(ds, SUBNETS), ...unknowns(ds, SUBNETS)]).toEqual([]);
    });

    it("finds one subnet given two gateways when its names differ only in case", async () => {
      const inline = res(
        T.azVnet,
        "vnet",
        {
          resourceGroupName: "rg",
          virtualNetworkName: "vnet1",
          subnets: [{ name: "App", natGateway: { id: UNKNOWN } }],
        },
        { subnets: [gwB] },
      );
      const ds = await pack.check([
        gwA,
        gwB,
        inline,
        at("s1", { subnetName: "app", resourceGroupName: "RG", virtualNetworkName: "VNET1" }),
      ]);
      expect(violations(ds, SUBNETS).some((d) => d.message.includes("2 NAT gateways"))).toBe(true);
    });

    it("does not tell a literal group from a ResourceGroup's unknown name: advisory, not a violation", async () => {
      const ds = await pack.check([
        gwA,
        rg,
        at("s1", { resourceGroupName: "rg", virtualNetworkName: "vnet1" }),
        at("s2", { resourceGroupName: UNKNOWN, virtualNetworkName: "vnet1" }, { resourceGroupName: [rg] }),
      ]);
      expect(violations(ds, SUBNETS)).toEqual([]);
      expect(unknowns(ds, SUBNETS)).toHaveLength(1);
    });
  });

  it("cannot evaluate a subnet whose name is unknown", async () => {
    const ds = await pack.check([gwA, subnet("s1", UNKNOWN, "vnet1", gwA)]);
    expect(unknowns(ds, SUBNETS)).toHaveLength(1);
  });
});
