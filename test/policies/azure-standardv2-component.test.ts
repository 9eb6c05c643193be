import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AzureNatGateway, AzureNatGatewaySku } from "../../components/azure";
import { T as AZ, base, installMocks, seen, settle } from "../components/azure-mocks";
import { of, type Pack, res, startPack, type TestResource, UNKNOWN, violations } from "./harness";

installMocks();

let pack: Pack;
beforeAll(async () => {
  pack = await startPack();
});
afterAll(async () => {
  await pack?.process.close();
});

const LIMIT = "azure-nat-gateway-ip-limit";
const SKU = "azure-nat-gateway-public-ip-sku";

/**
 * The generic resources a natcap StandardV2 gateway registered, as the pack receives them: the
 * gateway's `properties` depend on the public IPs and prefixes it references. `edit` changes the
 * inputs of one resource (by logical name) before they are sent.
 */
async function natcapStandardV2(
  edit: (name: string, inputs: Record<string, unknown>) => Record<string, unknown> = (_, i) => i,
  publicIpV6Count = 0,
): Promise<TestResource[]> {
  seen.registered = [];
  const gw = new AzureNatGateway("egress", {
    ...base,
    sku: AzureNatGatewaySku.StandardV2,
    publicIpCount: 2,
    publicIpPrefixes: [{ key: "a", prefixLength: 29 }],
    alerts: { enabled: false },
    publicIpV6Count,
  });
  await settle(gw);
  const generic = seen.registered.filter((r) => r.type === AZ.generic);
  const addresses = generic
    .filter((r) => r.inputs.resourceType !== "natGateways")
    .map((r) => res(r.type, r.name, edit(r.name, r.inputs)));
  const gateway = generic.find((r) => r.inputs.resourceType === "natGateways");
  if (!gateway) throw new Error("the component registered no generic NAT gateway");
  return [
    ...addresses,
    res(gateway.type, gateway.name, edit(gateway.name, gateway.inputs), { properties: addresses }),
  ];
}

const gatewaySku = (sku: string) => (name: string, inputs: Record<string, unknown>) =>
  name === "egress" ? { ...inputs, sku: { name: sku } } : inputs;

/** The gateway as a preview sends it: the IDs of the addresses it references are not known yet. */
const atPreview = (name: string, inputs: Record<string, unknown>) => {
  if (name !== "egress") return inputs;
  const props = inputs.properties as Record<string, { id: unknown }[] | unknown>;
  const unknownIds = (list: unknown) => (Array.isArray(list) ? list.map(() => ({ id: UNKNOWN })) : list);
  return {
    ...inputs,
    properties: {
      ...props,
      publicIpAddresses: unknownIds(props.publicIpAddresses),
      publicIpPrefixes: unknownIds(props.publicIpPrefixes),
      publicIpAddressesV6: unknownIds(props.publicIpAddressesV6),
    },
  };
};

describe("the policy pack on a natcap StandardV2 gateway (over gRPC)", () => {
  it("matches every address through the dependencies at preview, IPv6 ones beside the IPv4 ones", async () => {
    const ds = await pack.check(await natcapStandardV2(atPreview, 2));
    expect(of(ds, SKU)).toEqual([]);
    expect(of(ds, LIMIT)).toEqual([]);
  });

  it("finds nothing to block in what the component creates", async () => {
    const ds = await pack.check(await natcapStandardV2());
    expect(violations(ds, LIMIT)).toEqual([]);
    expect(violations(ds, SKU)).toEqual([]);
  });

  it("reads the gateway as StandardV2: its IPv6 addresses pass, and are blocked once the SKU says Standard", async () => {
    const ds0 = await pack.check(await natcapStandardV2(undefined, 2));
    expect(violations(ds0, LIMIT)).toEqual([]);
    expect(violations(ds0, SKU)).toEqual([]);
    const ds = violations(await pack.check(await natcapStandardV2(gatewaySku("Standard"), 2)), LIMIT);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain("IPv6 needs the StandardV2 SKU");
  });

  it("blocks a Standard public IP slipped onto the natcap StandardV2 gateway", async () => {
    const downgrade = (name: string, inputs: Record<string, unknown>) =>
      name === "egress-pip-2" ? { ...inputs, sku: { name: "Standard", tier: "Regional" } } : inputs;
    const ds = violations(await pack.check(await natcapStandardV2(downgrade)), SKU);
    expect(ds.length).toBeGreaterThanOrEqual(1);
    expect(ds.map((d) => d.message).join("\n")).toContain("StandardV2");
  });
});
