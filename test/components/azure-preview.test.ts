import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { AzureNatGateway, type AzureNatGatewayArgs } from "../../components/azure";
import { LimitError, ValidationError } from "../../core/errors";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
const registered: Registered[] = [];

beforeAll(async () => {
  // A preview: the mock returns no IDs and only the inputs, so every computed output is unknown.
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: undefined, state: { ...args.inputs } };
      },
      call: (args) => args.inputs,
    },
    "proj",
    "dev",
    true,
  );
});

async function known(o: pulumi.Output<unknown>): Promise<boolean> {
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's internal promise accessors
  return (o as any).isKnown;
}
async function value<T>(o: pulumi.Output<T>): Promise<T | undefined> {
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's internal promise accessors
  const internal = o as any;
  return (await internal.isKnown) ? internal.promise() : undefined;
}

const base: AzureNatGatewayArgs = { resourceGroupName: "rg", location: "westeurope" };

describe("AzureNatGateway in preview", () => {
  it("still checks limits at construction", () => {
    expect(() => new AzureNatGateway("big", { ...base, publicIpCount: 17 })).toThrow(LimitError);
  });

  it("leaves IDs and addresses unknown and defers subnet checks on unknown names", async () => {
    const vnet = new network.VirtualNetwork("vnet", { resourceGroupName: "rg" });
    const old = new network.PublicIPAddress("old", { resourceGroupName: "rg" });
    const subnet = { key: "app", virtualNetworkName: vnet.name, addressPrefixes: ["10.0.1.0/24"] };
    const gw = new AzureNatGateway("pv", {
      ...base,
      publicIpCount: 2,
      existingPublicIpIds: [old.id],
      subnets: [subnet],
      expectedTraffic: {
        destinations: [{ name: "api", address: "198.51.100.7", port: 443, peakConnections: 70_000 }],
      },
    });
    // The same subnet on a second gateway cannot be told apart while the VNet name is unknown:
    // nothing is claimed, nothing fails; the check runs once the name is known.
    const again = new AzureNatGateway("pv2", { ...base, subnets: [subnet] });
    await Promise.all([known(gw.subnetIds), known(again.subnetIds), known(gw.natGatewayId)]);
    expect(await known(vnet.name)).toBe(false);
    expect(await known(gw.natGatewayId)).toBe(false);
    expect(await known(gw.publicIpAddresses)).toBe(false);
    expect(await known(gw.publicIpIds)).toBe(false);
    expect(await known(gw.subnetIds)).toBe(false);
    expect(await value(gw.publicIpAddressCount)).toBe(3);
    const capacity = await value(gw.capacity);
    expect(capacity?.ok).toBe(true);
    expect(capacity?.ips).toBe(3);
    const subnets = registered.filter((r) => r.type === "azure-native:network:Subnet").map((r) => r.name);
    expect(subnets.sort()).toEqual(["pv-subnet-app", "pv2-subnet-app"]);
    const nat = registered.find((r) => r.type === "azure-native:network:NatGateway" && r.name === "pv");
    expect(nat?.inputs.tags).toEqual({ "natcap-peak-api": "198.51.100.7:443/tcp=70000" });
  });

  describe("subnets of two virtual networks, decided at construction where preview can", () => {
    const sub = (
      key: string,
      virtualNetworkName: pulumi.Input<string>,
      resourceGroupName?: pulumi.Input<string>,
    ) => ({
      key,
      virtualNetworkName,
      resourceGroupName,
      addressPrefixes: [`10.${key.length}.${key.charCodeAt(0)}.0/24`],
    });

    it("refuses literal names vnet-a and vnet-b in one resource group input unknown during preview", () => {
      const group = new resources.ResourceGroup("grp-one").name;
      expect(
        () =>
          new AzureNatGateway("two-a", {
            ...base,
            subnets: [sub("a", "vnet-a", group), sub("b", "vnet-b", group)],
          }),
      ).toThrow(ValidationError);
      // The gateway's own group, unknown, used by subnets that name none: the same.
      expect(
        () =>
          new AzureNatGateway("two-b", {
            ...base,
            resourceGroupName: group,
            subnets: [sub("a", "vnet-a"), sub("b", "vnet-b")],
          }),
      ).toThrow(/subnets\[key=b\]\.virtualNetworkName.*different virtual network than subnet "a"/s);
    });

    it("refuses two known resource groups while the VNet names are unknown", () => {
      const name = new network.VirtualNetwork("vnet-unknown", { resourceGroupName: "rg" }).name;
      expect(
        () =>
          new AzureNatGateway("two-c", {
            ...base,
            subnets: [sub("a", name, "rg-1"), sub("b", name, "RG-2")],
          }),
      ).toThrow(/different virtual network/);
    });

    it("passes one VNet (group in another case) and what cannot be decided, and keeps a literal VNet name literal", async () => {
      const group = new resources.ResourceGroup("grp-two").name;
      const other = new resources.ResourceGroup("grp-three").name;
      const same = new AzureNatGateway("one-a", {
        ...base,
        subnets: [sub("a", "vnet-a", group), sub("b", "VNET-A", group)],
      });
      const casing = new AzureNatGateway("one-b", {
        ...base,
        subnets: [sub("a", "v", "RG"), sub("b", "v", "rg")],
      });
      const undecided = new AzureNatGateway("one-c", {
        ...base,
        subnets: [sub("a", "v", group), sub("b", "v", other)],
      });
      await Promise.all([known(same.subnetIds), known(casing.subnetIds), known(undecided.subnetIds)]);
      const subnet = registered.find((r) => r.name === "one-a-subnet-a");
      // The policy pack sees the literal name during preview (the deferred check rides on the group).
      expect(subnet?.inputs.virtualNetworkName).toBe("vnet-a");
    });
  });
});
