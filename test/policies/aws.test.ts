import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Pack, res, startPack, T, UNKNOWN, unknowns, violations } from "./harness";

let pack: Pack;
beforeAll(async () => {
  pack = await startPack();
});
afterAll(async () => {
  await pack?.process.close();
});

const LIMIT = "aws-nat-gateway-ip-limit";
const QUOTA = "aws-nat-gateway-ip-quota";
const PRIVATE = "aws-nat-gateway-private-ip-limit";
const SUBNET = "aws-nat-gateway-subnet-free-addresses";
const CONFLICT = "aws-nat-gateway-eip-association-conflict";

const subnet = (name: string, cidrBlock: unknown) => res(T.subnet, name, { cidrBlock, vpcId: UNKNOWN });
/** A public gateway in `sub` with `secondaries` inline secondary EIPs. */
function gateway(name: string, secondaries: unknown, sub = subnet("public-a", "10.0.0.0/24"), extra = {}) {
  const props: Record<string, unknown> = { allocationId: UNKNOWN, subnetId: UNKNOWN, ...extra };
  if (secondaries !== undefined) props.secondaryAllocationIds = secondaries;
  return res(T.nat, name, props, { subnetId: [sub] });
}
function association(name: string, gw: ReturnType<typeof gateway>, natGatewayId: unknown = UNKNOWN) {
  return res(
    T.assoc,
    name,
    { natGatewayId, allocationId: UNKNOWN },
    typeof natGatewayId === "string" && natGatewayId !== UNKNOWN ? {} : { natGatewayId: [gw] },
  );
}

describe("aws-nat-gateway-ip-limit", () => {
  it("passes 8 IPs and blocks 9, counting inline secondaries and associations together", async () => {
    const sub = subnet("public-a", "10.0.0.0/24");
    const gw = gateway("egress", Array(5).fill(UNKNOWN), sub);
    const two = [association("extra-1", gw), association("extra-2", gw)];
    const ok = await pack.check([sub, gw, ...two]);
    expect(violations(ok, LIMIT)).toEqual([]);
    const three = [...two, association("extra-3", gw)];
    const bad = violations(await pack.check([sub, gw, ...three]), LIMIT);
    expect(bad).toHaveLength(1);
    expect(bad[0].enforcementLevel).toBe("mandatory");
    expect(bad[0].urn).toContain("::egress");
    expect(bad[0].message).toContain("9 exceeds the 8 IPv4 addresses");
    expect(bad[0].message).toContain("3 NatGatewayEipAssociations (extra-1, extra-2, extra-3)");
    expect(bad[0].message).toContain("L-5F53652F");
  });

  it("blocks exactly when 1 + secondaries exceeds 8 (any count)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 12 }), async (n) => {
        const ds = await pack.check([gateway("egress", Array(n).fill("eipalloc-x"))]);
        expect(violations(ds, LIMIT).length).toBe(1 + n > 8 ? 1 : 0);
      }),
      { numRuns: 8 },
    );
  });

  it("counts an unknown list of secondaries as unknown, not as zero", async () => {
    const ds = await pack.check([gateway("egress", UNKNOWN)]);
    expect(violations(ds, LIMIT)).toEqual([]);
    const u = unknowns(ds, LIMIT);
    expect(u).toHaveLength(1);
    expect(u[0].enforcementLevel).toBe("advisory");
    expect(u[0].message).toContain("secondaryAllocationIds unknown");
  });

  it("still blocks when the known part alone is over the limit", async () => {
    const sub = subnet("public-a", "10.0.0.0/24");
    const gw = gateway("egress", Array(8).fill(UNKNOWN), sub);
    const stray = res(T.assoc, "stray", { natGatewayId: UNKNOWN, allocationId: UNKNOWN });
    const ds = await pack.check([sub, gw, stray]);
    expect(violations(ds, LIMIT)).toHaveLength(1);
  });

  it("reports an association whose gateway is unknown as not evaluable", async () => {
    const gw = gateway("egress", ["eipalloc-1"]);
    const stray = res(T.assoc, "stray", { natGatewayId: UNKNOWN, allocationId: UNKNOWN });
    const ds = await pack.check([gw, stray]);
    expect(violations(ds, LIMIT)).toEqual([]);
    expect(unknowns(ds, LIMIT)[0].message).toContain('NatGatewayEipAssociation "stray"');
  });

  it("matches associations by known gateway ID (gateways deployed earlier)", async () => {
    const gw = gateway("egress", undefined, undefined, { id: "nat-0abc" });
    const assocs = Array.from({ length: 8 }, (_, i) =>
      res(T.assoc, `a${i}`, { natGatewayId: "nat-0abc", allocationId: `eipalloc-${i}` }),
    );
    const ds = await pack.check([gw, ...assocs]);
    expect(violations(ds, LIMIT)).toHaveLength(1);
  });
});

describe("aws-nat-gateway-ip-quota", () => {
  it("advises above the default quota of 2 and names the quota code", async () => {
    expect(violations(await pack.check([gateway("egress", ["a"])]), QUOTA)).toEqual([]);
    const ds = violations(await pack.check([gateway("egress", ["a", "b"])]), QUOTA);
    expect(ds).toHaveLength(1);
    expect(ds[0].enforcementLevel).toBe("advisory");
    expect(ds[0].message).toContain("L-5F53652F");
    expect(ds[0].message).toMatch(/request an increase/i);
  });

  it("follows the configured quota", async () => {
    const gw = gateway("egress", ["a", "b", "c"]);
    expect(violations(await pack.check([gw]), QUOTA)).toHaveLength(1);
    expect(violations(await pack.check([gw], { [QUOTA]: { properties: { quota: 4 } } }), QUOTA)).toEqual([]);
    expect(violations(await pack.check([gw], { [QUOTA]: { properties: { quota: 3 } } }), QUOTA)).toHaveLength(
      1,
    );
  });

  it("cannot evaluate an unknown list that may exceed the quota", async () => {
    const ds = await pack.check([gateway("egress", UNKNOWN)]);
    expect(unknowns(ds, QUOTA)).toHaveLength(1);
    expect(violations(ds, QUOTA)).toEqual([]);
  });
});

describe("aws-nat-gateway-private-ip-limit", () => {
  const priv = (extra: Record<string, unknown>) =>
    res(T.nat, "private", { connectivityType: "private", subnetId: "subnet-1", ...extra });
  it("passes 7 secondaries and blocks 8 against the quota of 8", async () => {
    expect(violations(await pack.check([priv({ secondaryPrivateIpAddressCount: 7 })]), PRIVATE)).toEqual([]);
    const ds = violations(await pack.check([priv({ secondaryPrivateIpAddressCount: 8 })]), PRIVATE);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain("L-DFA99DE7");
  });
  it("blocks counts outside the API range and counts address lists", async () => {
    expect(
      violations(await pack.check([priv({ secondaryPrivateIpAddressCount: 32 })]), PRIVATE)[0].message,
    ).toContain("1–31");
    const list = Array.from({ length: 9 }, (_, i) => `10.0.0.${i + 10}`);
    expect(violations(await pack.check([priv({ secondaryPrivateIpAddresses: list })]), PRIVATE)).toHaveLength(
      1,
    );
  });
  it("follows the configured quota", async () => {
    const gw = priv({ secondaryPrivateIpAddressCount: 12 });
    expect(violations(await pack.check([gw]), PRIVATE)).toHaveLength(1);
    expect(violations(await pack.check([gw], { [PRIVATE]: { properties: { quota: 16 } } }), PRIVATE)).toEqual(
      [],
    );
  });
  it("cannot evaluate an unknown count", async () => {
    const ds = await pack.check([priv({ secondaryPrivateIpAddressCount: UNKNOWN })]);
    expect(unknowns(ds, PRIVATE)).toHaveLength(1);
    expect(violations(ds, PRIVATE)).toEqual([]);
  });
});

describe("aws-nat-gateway-subnet-free-addresses", () => {
  it("fits 8 IPs in a /28 (11 usable) and blocks once other consumers take the room", async () => {
    const sub = subnet("nat-a", "10.0.0.0/28");
    const gw = gateway("egress", Array(7).fill(UNKNOWN), sub);
    expect(violations(await pack.check([sub, gw]), SUBNET)).toEqual([]);
    const enis = Array.from({ length: 4 }, (_, i) =>
      res(T.eni, `eni-${i}`, { subnetId: UNKNOWN }, { subnetId: [sub] }),
    );
    const ds = violations(await pack.check([sub, gw, ...enis]), SUBNET);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain("InsufficientFreeAddressesInSubnet");
    expect(ds[0].message).toContain("4 already used");
  });
  it("counts a network interface's addresses once when both privateIps and privateIpsCount are given", async () => {
    const sub = subnet("nat-a", "10.0.0.0/28");
    const gw = gateway("egress", Array(7).fill(UNKNOWN), sub);
    const eni = res(
      T.eni,
      "eni",
      { subnetId: UNKNOWN, privateIps: ["10.0.0.4", "10.0.0.5", "10.0.0.6"], privateIpsCount: 2 },
      { subnetId: [sub] },
    );
    expect(violations(await pack.check([sub, gw, eni]), SUBNET)).toEqual([]);
    const bigger = res(T.eni, "eni", { subnetId: UNKNOWN, privateIpsCount: 3 }, { subnetId: [sub] });
    expect(violations(await pack.check([sub, gw, bigger]), SUBNET)).toHaveLength(1);
  });
  it("blocks when two gateways share a subnet too small for both", async () => {
    const sub = subnet("nat-a", "10.0.0.0/28");
    const a = gateway("a", Array(5).fill(UNKNOWN), sub);
    const b = gateway("b", Array(5).fill(UNKNOWN), sub);
    expect(violations(await pack.check([sub, a, b]), SUBNET)).toHaveLength(2);
  });
  it("cannot evaluate an unknown CIDR, and uses configured CIDRs for subnets outside the stack", async () => {
    const sub = subnet("nat-a", UNKNOWN);
    const ds = await pack.check([sub, gateway("egress", [], sub)]);
    expect(unknowns(ds, SUBNET)[0].message).toContain("cidrBlock");
    const outside = res(T.nat, "egress", {
      allocationId: "eipalloc-1",
      subnetId: "subnet-0abc",
      secondaryAllocationIds: Array(7).fill("x"),
    });
    expect(unknowns(await pack.check([outside]), SUBNET)[0].message).toContain("subnetCidrs");
    const cfg = { [SUBNET]: { properties: { subnetCidrs: { "subnet-0abc": "10.1.0.0/29" } } } };
    expect(violations(await pack.check([outside], cfg), SUBNET)).toHaveLength(1);
  });
});

describe("aws-nat-gateway-eip-association-conflict", () => {
  it("passes either mechanism alone and blocks both on one gateway", async () => {
    const sub = subnet("public-a", "10.0.0.0/24");
    const inline = gateway("egress", ["eipalloc-1"], sub);
    expect(violations(await pack.check([sub, inline]), CONFLICT)).toEqual([]);
    const bare = gateway("egress", undefined, sub);
    expect(violations(await pack.check([sub, bare, association("x", bare)]), CONFLICT)).toEqual([]);
    const ds = violations(await pack.check([sub, inline, association("x", inline)]), CONFLICT);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain('NatGatewayEipAssociation "x"');
  });
  it("cannot evaluate when an association's gateway is unknown", async () => {
    const gw = gateway("egress", ["eipalloc-1"]);
    const stray = res(T.assoc, "stray", { natGatewayId: UNKNOWN, allocationId: UNKNOWN });
    expect(unknowns(await pack.check([gw, stray]), CONFLICT)).toHaveLength(1);
  });
});

describe("aws-nat-gateway-ip-limit on regional gateways", () => {
  const regional = (zones: unknown) =>
    res(T.nat, "regional", {
      availabilityMode: "regional",
      vpcId: "vpc-1",
      availabilityZoneAddresses: zones,
    });
  it("checks each zone's addresses against the per-zone limit", async () => {
    const zone = (n: number) => ({ availabilityZone: "us-east-1a", allocationIds: Array(n).fill(UNKNOWN) });
    expect(violations(await pack.check([regional([zone(32)])]), LIMIT)).toEqual([]);
    const ds = violations(await pack.check([regional([zone(33)])]), LIMIT);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain("33 IPv4 addresses in us-east-1a");
    expect(ds[0].message).toContain("a regional NAT gateway holds per Availability Zone");
  });
  it("leaves auto mode to AWS and cannot evaluate unknown zones", async () => {
    expect(violations(await pack.check([regional(undefined)]), LIMIT)).toEqual([]);
    expect(unknowns(await pack.check([regional(UNKNOWN)]), LIMIT)).toHaveLength(1);
  });
});

describe("deployed gateways (state lists associated EIPs in secondaryAllocationIds)", () => {
  const deployed = (ids: string[]) => [
    res(T.nat, "egress", {
      id: "nat-1",
      allocationId: "eipalloc-p",
      subnetId: "subnet-1",
      secondaryAllocationIds: ids,
    }),
    ...ids.map((id) => res(T.assoc, `assoc-${id}`, { natGatewayId: "nat-1", allocationId: id })),
  ];
  it("counts an EIP carried by an association once, and is no conflict", async () => {
    const ids = Array.from({ length: 7 }, (_, i) => `eipalloc-${i}`);
    const ds = await pack.check(deployed(ids));
    expect(violations(ds, LIMIT)).toEqual([]);
    expect(violations(ds, CONFLICT)).toEqual([]);
    expect(unknowns(ds, LIMIT)).toEqual([]);
  });
  it("still finds inline EIPs that no association carries", async () => {
    const [gw, ...assocs] = deployed(["eipalloc-1"]);
    gw.props.secondaryAllocationIds = ["eipalloc-1", "eipalloc-9"];
    const ds = violations(await pack.check([gw, ...assocs]), CONFLICT);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain("1 EIP that no association carries");
  });
});

describe("gateways natcap did not create", () => {
  it("checks an awsx-created gateway (a plain NatGateway under an awsx:ec2:Vpc component)", async () => {
    const vpc = res("awsx:ec2:Vpc", "main", {});
    const sub = res(T.subnet, "main-public-1", { cidrBlock: "10.0.0.0/20", vpcId: UNKNOWN }, {}, vpc);
    const gw = res(
      T.nat,
      "main-1",
      { allocationId: UNKNOWN, subnetId: UNKNOWN, secondaryAllocationIds: Array(8).fill(UNKNOWN) },
      { subnetId: [sub] },
      vpc,
    );
    const ds = await pack.check([vpc, sub, gw]);
    expect(violations(ds, LIMIT)).toHaveLength(1);
    expect(violations(ds, QUOTA)).toEqual([]);
    expect(violations(ds, SUBNET)).toEqual([]);
  });
});
