import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AZURE_STANDARD_V2_API_VERSION,
  AzureNatGateway,
  AzureNatGatewaySku,
  planAzureNatGateway,
} from "../../components/azure";
import { LimitError, ValidationError } from "../../core/errors";
import { AZURE } from "../../core/limits";
import { base, children, idOf, installMocks, of, one, seen, settle, T, thrown, value } from "./azure-mocks";

installMocks();

const v2 = { ...base, sku: AzureNatGatewaySku.StandardV2 };
const generic = (resourceType: string) => of(T.generic).filter((r) => r.inputs.resourceType === resourceType);

describe("AzureNatGateway with sku StandardV2", () => {
  it("creates the gateway, public IPs and prefixes as generic Microsoft.Network resources at API 2025-01-01", async () => {
    const gw = new AzureNatGateway("v2", {
      ...v2,
      publicIpCount: 2,
      publicIpPrefixes: [{ key: "a", prefixLength: 30, name: "pre-a" }],
      existingPublicIpIds: ["/ip/old"],
      idleTimeoutInMinutes: 4,
      tags: { team: "net" },
    });
    await settle(gw);
    expect(AZURE_STANDARD_V2_API_VERSION).toBe("2025-01-01");
    // No typed network resource: the typed ones cannot express StandardV2.
    expect([...of(T.ip), ...of(T.prefix), ...of(T.nat)]).toEqual([]);
    const fixed = {
      apiVersion: "2025-01-01",
      resourceProviderNamespace: "Microsoft.Network",
      parentResourcePath: "",
      resourceGroupName: "rg",
      location: "westeurope",
      tags: { team: "net" },
    };
    const ips = generic("publicIPAddresses");
    expect(ips.map((r) => r.name)).toEqual(["v2-pip-1", "v2-pip-2"]);
    for (const ip of ips) {
      expect(ip.inputs).toEqual({
        ...fixed,
        resourceType: "publicIPAddresses",
        sku: { name: "StandardV2", tier: "Regional" },
        properties: { publicIPAllocationMethod: "Static", publicIPAddressVersion: "IPv4" },
      });
    }
    const prefix = generic("publicIPPrefixes");
    expect(prefix.map((r) => r.name)).toEqual(["v2-ippre-a"]);
    expect(prefix[0].inputs).toEqual({
      ...fixed,
      resourceType: "publicIPPrefixes",
      resourceName: "pre-a",
      sku: { name: "StandardV2" },
      properties: { prefixLength: 30, publicIPAddressVersion: "IPv4" },
    });
    const nat = generic("natGateways");
    expect(nat.map((r) => r.name)).toEqual(["v2"]);
    expect(nat[0].inputs).toEqual({
      ...fixed,
      resourceType: "natGateways",
      sku: { name: "StandardV2" },
      properties: {
        idleTimeoutInMinutes: 4,
        publicIpAddresses: [{ id: idOf("v2-pip-1") }, { id: idOf("v2-pip-2") }, { id: "/ip/old" }],
        publicIpPrefixes: [{ id: idOf("v2-ippre-a") }],
      },
    });
    expect(await value(gw.natGatewayId)).toBe(idOf("v2"));
    expect(await value(gw.natGatewayName)).toBe("v2abc");
    expect(await value(gw.publicIpAddresses)).toEqual([
      expect.stringMatching(/^198\.51\.100\./),
      expect.any(String),
    ]);
    expect(await value(gw.publicIpPrefixes)).toEqual([expect.stringMatching(/\/30$/)]);
    expect(await value(gw.publicIpIds)).toEqual([idOf("v2-pip-1"), idOf("v2-pip-2"), "/ip/old"]);
    expect(await value(gw.publicIpAddressCount)).toBe(7);
  });

  it("protects the public IPs and prefixes as the Standard path does, and not the gateway", async () => {
    const gw = new AzureNatGateway("p", {
      ...v2,
      publicIps: [{ key: "blue" }],
      publicIpPrefixes: [{ key: "a", prefixLength: 31 }],
    });
    await settle(gw);
    const kids = new Map(children(gw).map((c) => [c.name, c.protect]));
    expect(kids.get("p-pip-blue")).toBe(true);
    expect(kids.get("p-ippre-a")).toBe(true);
    expect(kids.get("p")).toBe(false);
    const off = new AzureNatGateway("q", { ...v2, protectIps: false });
    await settle(off);
    expect(children(off).find((c) => c.name === "q-pip-1")?.protect).toBe(false);
  });

  it("associates subnets and scopes the alerts to the generic gateway's ID", async () => {
    const gw = new AzureNatGateway("s", {
      ...v2,
      subnets: [{ key: "app", virtualNetworkName: "vnet", addressPrefixes: ["10.0.1.0/24"] }],
    });
    await settle(gw);
    expect(one(T.subnet).inputs.natGateway).toEqual({ id: idOf("s") });
    for (const alert of of(T.alert)) expect(alert.inputs.scopes).toEqual([idOf("s")]);
    expect(of(T.alert)).toHaveLength(2);
  });

  it("keeps the Standard SKU by default and for sku Standard", async () => {
    await settle(new AzureNatGateway("std", { ...base, sku: AzureNatGatewaySku.Standard }));
    expect(one(T.nat).inputs.sku).toEqual({ name: "Standard" });
    expect(of(T.generic)).toEqual([]);
    expect(planAzureNatGateway("d", base).sku).toBe("Standard");
  });
});

describe("AzureNatGateway StandardV2 IPv6", () => {
  it("creates StandardV2 IPv6 public IPs and lists them as publicIpAddressesV6 on the gateway", async () => {
    const gw = new AzureNatGateway("six", { ...v2, publicIpCount: 1, publicIpV6Count: 2 });
    await settle(gw);
    const ips = generic("publicIPAddresses");
    expect(ips.map((r) => r.name)).toEqual(["six-pip-1", "six-pipv6-1", "six-pipv6-2"]);
    for (const ip of ips.slice(1)) {
      expect(ip.inputs.sku).toEqual({ name: "StandardV2", tier: "Regional" });
      expect(ip.inputs.properties).toEqual({
        publicIPAllocationMethod: "Static",
        publicIPAddressVersion: "IPv6",
      });
    }
    const props = generic("natGateways")[0].inputs.properties as Record<string, unknown>;
    expect(props.publicIpAddresses).toEqual([{ id: idOf("six-pip-1") }]);
    expect(props.publicIpAddressesV6).toEqual([{ id: idOf("six-pipv6-1") }, { id: idOf("six-pipv6-2") }]);
    expect(await value(gw.publicIpV6Addresses)).toHaveLength(2);
    // IPv6 addresses add no IPv4 SNAT capacity.
    expect(await value(gw.publicIpAddressCount)).toBe(1);
    expect(children(gw).find((c) => c.name === "six-pipv6-1")?.protect).toBe(true);
  });

  it("refuses IPv6 on a Standard gateway, naming publicIpV6Count and the fix", () => {
    const e = thrown(() => new AzureNatGateway("s6", { ...base, publicIpV6Count: 1 }));
    expect(e).toBeInstanceOf(LimitError);
    expect((e as Error).message).toMatch(/publicIpV6Count.*takes no IPv6.*StandardV2/s);
    expect(seen.registered).toEqual([]);
  });

  it(`refuses more than ${AZURE.maxPublicIpv6StandardV2.value} IPv6 addresses and a bad count`, () => {
    const max = AZURE.maxPublicIpv6StandardV2.value;
    expect(thrown(() => planAzureNatGateway("ok", { ...v2, publicIpV6Count: max }))).toBeUndefined();
    const e = thrown(() => planAzureNatGateway("big6", { ...v2, publicIpV6Count: max + 1 }));
    expect(e).toBeInstanceOf(LimitError);
    expect((e as Error).message).toMatch(
      new RegExp(`publicIpV6Count.*${max + 1} public IPv6 addresses exceed the ${max}`, "s"),
    );
    const bad = thrown(() => planAzureNatGateway("neg", { ...v2, publicIpV6Count: -1 }));
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as Error).message).toContain("publicIpV6Count");
  });
});

describe("AzureNatGateway sku errors", () => {
  it("refuses a zone on StandardV2 (zone-redundant), naming zone and the fix", () => {
    const e = thrown(() => new AzureNatGateway("z", { ...v2, zone: "1" }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(String((e as Error).message)).toMatch(
      /zone: a StandardV2 NAT gateway is zone-redundant.*omit zone/s,
    );
    expect(seen.registered).toEqual([]);
  });

  it("refuses an unknown sku, listing the allowed values", () => {
    const e = thrown(() => planAzureNatGateway("u", { ...base, sku: "Basic" as AzureNatGatewaySku }));
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as Error).message).toMatch(/sku.*"Basic".*Standard, StandardV2/s);
  });

  it(`refuses more than ${AZURE.maxPublicIpv4StandardV2.value} IPv4 addresses, as Standard does`, () => {
    const e = thrown(
      () =>
        new AzureNatGateway("big", {
          ...v2,
          publicIpCount: 1,
          publicIpPrefixes: [{ key: "a", prefixLength: 28 }],
        }),
    );
    expect(e).toBeInstanceOf(LimitError);
    expect((e as Error).message).toContain("17 public IPv4 addresses");
    expect(seen.registered).toEqual([]);
  });

  it("accepts exactly the address counts Standard accepts (at most 16, prefixes counted whole)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.array(fc.integer({ min: 28, max: 31 }), { maxLength: 3 }),
        (count, lengths) => {
          const args = {
            ...base,
            publicIpCount: count,
            publicIpPrefixes: lengths.map((prefixLength, i) => ({ key: `p${i}`, prefixLength })),
          };
          const outcome = (sku: AzureNatGatewaySku) => {
            const e = thrown(() => planAzureNatGateway("f", { ...args, sku }));
            return e === undefined ? "ok" : (e as Error).constructor.name;
          };
          const total = count + lengths.reduce((s, l) => s + 2 ** (32 - l), 0);
          const v2Outcome = outcome(AzureNatGatewaySku.StandardV2);
          expect(v2Outcome).toBe(outcome(AzureNatGatewaySku.Standard));
          expect(v2Outcome === "ok").toBe(total >= 1 && total <= AZURE.maxPublicIpv4StandardV2.value);
        },
      ),
      { numRuns: 60 },
    );
  });
});
