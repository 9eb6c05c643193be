import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AZURE } from "../../core/limits";
import { genericNetworkResource, type Pack, startPack, UNKNOWN, violations } from "./harness";

let pack: Pack;
beforeAll(async () => {
  pack = await startPack();
});
afterAll(async () => {
  await pack?.process.close();
});

const LIMIT = "azure-nat-gateway-ip-limit";
const SKU = "azure-nat-gateway-public-ip-sku";
const v6 = AZURE.maxPublicIpv6StandardV2.value;

const generic = genericNetworkResource;

const publicIp = (name: string, sku: string, version: "IPv4" | "IPv6" = "IPv4") =>
  generic(
    "publicIPAddresses",
    name,
    { publicIPAllocationMethod: "Static", publicIPAddressVersion: version },
    sku,
  );

describe("StandardV2 NAT gateways built with azure-native's generic Resource", () => {
  it("are checked by the IPv4 limit like typed gateways", async () => {
    const ips = Array.from({ length: 17 }, (_, i) => publicIp(`ip-${i}`, "StandardV2"));
    const gw = generic(
      "natGateways",
      "egress",
      { publicIpAddresses: ips.map(() => ({ id: UNKNOWN })) },
      "StandardV2",
      { properties: ips },
    );
    const ds = violations(await pack.check([...ips, gw]), LIMIT);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain("17 public IPv4 addresses");
  });

  it(`allow up to ${v6} IPv6 addresses on StandardV2 and block one more`, async () => {
    const gw = (n: number) =>
      generic(
        "natGateways",
        "egress",
        { publicIpAddresses: [{ id: UNKNOWN }], publicIpAddressesV6: Array(n).fill({ id: UNKNOWN }) },
        "StandardV2",
      );
    expect(violations(await pack.check([gw(v6)]), LIMIT)).toEqual([]);
    const ds = violations(await pack.check([gw(v6 + 1)]), LIMIT);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain(`${v6 + 1} public IPv6 addresses exceed the ${v6}`);
  });

  it("block IPv6 addresses on a Standard gateway", async () => {
    const gw = generic(
      "natGateways",
      "egress",
      { publicIpAddresses: [{ id: UNKNOWN }], publicIpAddressesV6: [{ id: UNKNOWN }] },
      "Standard",
    );
    const ds = violations(await pack.check([gw]), LIMIT);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain("IPv6 needs the StandardV2 SKU");
  });

  it("block a Standard public IP on a StandardV2 gateway", async () => {
    const ip = publicIp("ip-1", "Standard");
    const gw = generic("natGateways", "egress", { publicIpAddresses: [{ id: UNKNOWN }] }, "StandardV2", {
      properties: [ip],
    });
    const ds = violations(await pack.check([ip, gw]), SKU);
    expect(ds.length).toBeGreaterThanOrEqual(1);
    expect(ds.map((d) => d.message).join("\n")).toContain("StandardV2");
  });
});
