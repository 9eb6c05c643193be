// The policy pack fed what a preview can send: unknown values, absurd and mistyped properties, quotas
// that come from natcap components. Each case starts from one stack, runs the whole pack over the
// Analyzer gRPC service (one pack process for every case), and asserts what one rule reports: a
// violation, a "cannot be evaluated during preview" advisory, or nothing; that the message names the
// field; and that no message carries a stack trace.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ConfigEntry } from "../../check/config";
import type { Diagnostic } from "../../check/pack";
import {
  type Pack,
  res,
  startPack,
  T,
  type TestResource,
  UNKNOWN,
  unknowns,
  violations,
} from "../policies/harness";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let pack: Pack;
beforeAll(async () => {
  pack = await startPack();
});
afterAll(async () => {
  await pack?.process.close();
});

const COMPONENT = "natcap:index:AwsNatGateway";

/** A natcap AwsNatGateway component (its registered outputs) with its child gateway and associations. */
function natcapGateway(
  outputs: Record<string, unknown>,
  gatewayProps: Record<string, unknown>,
  associations = 0,
) {
  const component = res(COMPONENT, "egress", outputs);
  const gw = res(T.nat, "egress", { subnetId: "subnet-1", ...gatewayProps }, {}, component);
  const assocs = Array.from({ length: associations }, (_, i) =>
    res(
      T.assoc,
      `egress-eip-${i + 2}`,
      { natGatewayId: UNKNOWN, allocationId: UNKNOWN },
      { natGatewayId: [gw] },
      component,
    ),
  );
  return [component, gw, ...assocs];
}

const azGw = res(T.azNat, "nat-a", { resourceGroupName: "rg" });
const rgRes = res("azure-native:resources:ResourceGroup", "rg", { resourceGroupName: UNKNOWN });
function azSubnet(name: string, props: Record<string, unknown>, deps: Record<string, TestResource[]> = {}) {
  return res(
    T.azSubnet,
    name,
    { subnetName: name, natGateway: { id: UNKNOWN }, ...props },
    { natGateway: [azGw], ...deps },
  );
}
const vnetA = res(T.azVnet, "vnet-a", { resourceGroupName: "rg", virtualNetworkName: UNKNOWN });
const vnetB = res(T.azVnet, "vnet-b", { resourceGroupName: "rg", virtualNetworkName: UNKNOWN });

interface Case {
  name: string;
  rule: string;
  stack: TestResource[];
  config?: Record<string, ConfigEntry>;
  /** violation: a finding at the rule's level; unknown: the preview advisory; none: nothing. */
  expect: "violation" | "unknown" | "none";
  /** Patterns the message must contain (the field, the value, the source of a quota). */
  says?: (string | RegExp)[];
}

const QUOTA = "aws-nat-gateway-ip-quota";
const PRIVATE = "aws-nat-gateway-private-ip-limit";
const SUBNETS = "azure-nat-gateway-subnet-rules";
const LIMIT = "aws-nat-gateway-ip-limit";
const AZ_LIMIT = "azure-nat-gateway-ip-limit";
const IDLE = "azure-nat-gateway-idle-timeout";
const CAPACITY = "nat-gateway-capacity";

const CASES: Case[] = [
  // One source for a quota: the component's eipQuota / privateIpQuota.
  {
    name: "component eipQuota 4 covers 4 EIPs although the config keeps the default 2",
    rule: QUOTA,
    stack: natcapGateway({ eipQuota: 4 }, { allocationId: UNKNOWN }, 3),
    expect: "none",
  },
  {
    name: "component eipQuota 2 wins over a config quota of 8",
    rule: QUOTA,
    stack: natcapGateway({ eipQuota: 2 }, { allocationId: UNKNOWN }, 2),
    config: { [QUOTA]: { properties: { quota: 8 } } } as Record<string, ConfigEntry>,
    expect: "violation",
    says: ['quota 2 from eipQuota of AwsNatGateway "egress"', "L-5F53652F"],
  },
  {
    name: "a component without eipQuota falls back to the config",
    rule: QUOTA,
    stack: natcapGateway({}, { allocationId: UNKNOWN }, 2),
    expect: "violation",
    says: ["quota 2 from this policy's quota config"],
  },
  {
    name: "an unknown component eipQuota cannot be evaluated",
    rule: QUOTA,
    stack: natcapGateway({ eipQuota: UNKNOWN }, { allocationId: UNKNOWN }, 2),
    expect: "unknown",
    says: ["eipQuota"],
  },
  {
    name: "a mistyped component eipQuota is named with its value",
    rule: QUOTA,
    stack: natcapGateway({ eipQuota: "lots" }, { allocationId: UNKNOWN }, 1),
    expect: "violation",
    says: ['eipQuota of AwsNatGateway "egress" is "lots"', "whole number from 1 to 8"],
  },
  {
    name: "component privateIpQuota 16 covers 12 secondaries",
    rule: PRIVATE,
    stack: natcapGateway(
      { privateIpQuota: 16 },
      { connectivityType: "private", secondaryPrivateIpAddressCount: 12 },
    ),
    expect: "none",
  },
  {
    name: "component privateIpQuota 4 blocks 5 secondaries despite a config quota of 16",
    rule: PRIVATE,
    stack: natcapGateway(
      { privateIpQuota: 4 },
      { connectivityType: "private", secondaryPrivateIpAddressCount: 5 },
    ),
    config: { [PRIVATE]: { properties: { quota: 16 } } } as Record<string, ConfigEntry>,
    expect: "violation",
    says: ["privateIpQuota", "L-DFA99DE7"],
  },
  {
    name: "a component privateIpQuota of 0 is named",
    rule: PRIVATE,
    stack: natcapGateway(
      { privateIpQuota: 0 },
      { connectivityType: "private", secondaryPrivateIpAddressCount: 1 },
    ),
    expect: "violation",
    says: ["privateIpQuota", "is 0"],
  },
  {
    name: "an unknown connectivityType cannot be evaluated",
    rule: PRIVATE,
    stack: [res(T.nat, "gw", { connectivityType: UNKNOWN, secondaryPrivateIpAddressCount: 9 })],
    expect: "unknown",
    says: ["connectivityType"],
  },
  {
    name: "a negative secondary count is outside the API range",
    rule: PRIVATE,
    stack: [res(T.nat, "gw", { connectivityType: "private", secondaryPrivateIpAddressCount: -3 })],
    expect: "violation",
    says: ["-3"],
  },
  {
    name: "a billion secondaries is outside the API range",
    rule: PRIVATE,
    stack: [res(T.nat, "gw", { connectivityType: "private", secondaryPrivateIpAddressCount: 1e9 })],
    expect: "violation",
    says: ["1000000000"],
  },
  {
    name: "an unknown list of secondary EIPs cannot be evaluated against the limit",
    rule: LIMIT,
    stack: [res(T.nat, "gw", { allocationId: UNKNOWN, secondaryAllocationIds: UNKNOWN })],
    expect: "unknown",
    says: ["secondaryAllocationIds"],
  },
  {
    name: "100 secondary EIPs break the limit",
    rule: LIMIT,
    stack: [res(T.nat, "gw", { allocationId: UNKNOWN, secondaryAllocationIds: Array(100).fill(UNKNOWN) })],
    expect: "violation",
    says: ["101"],
  },
  // Azure subnet rules: decide what preview can decide.
  {
    name: "literal, different VNet names are two networks even with unknown resource groups",
    rule: SUBNETS,
    stack: [
      azGw,
      rgRes,
      azSubnet(
        "app",
        { resourceGroupName: UNKNOWN, virtualNetworkName: "vnet-one" },
        { resourceGroupName: [rgRes] },
      ),
      azSubnet(
        "db",
        { resourceGroupName: UNKNOWN, virtualNetworkName: "vnet-two" },
        { resourceGroupName: [rgRes] },
      ),
    ],
    expect: "violation",
    says: ['VNet "vnet-one"', 'VNet "vnet-two"'],
  },
  {
    name: "the same literal VNet name in one ResourceGroup resource is one network",
    rule: SUBNETS,
    stack: [
      azGw,
      rgRes,
      azSubnet(
        "app",
        { resourceGroupName: UNKNOWN, virtualNetworkName: "vnet-one" },
        { resourceGroupName: [rgRes] },
      ),
      azSubnet(
        "db",
        { resourceGroupName: UNKNOWN, virtualNetworkName: "vnet-one" },
        { resourceGroupName: [rgRes] },
      ),
    ],
    expect: "none",
  },
  {
    name: "the same literal VNet name in unknown resource groups cannot be evaluated",
    rule: SUBNETS,
    stack: [
      azGw,
      azSubnet("app", { resourceGroupName: UNKNOWN, virtualNetworkName: "vnet-one" }),
      azSubnet("db", { resourceGroupName: UNKNOWN, virtualNetworkName: "vnet-one" }),
    ],
    expect: "unknown",
    says: ['subnet "app"', 'subnet "db"'],
  },
  {
    name: "subnets of two VirtualNetwork resources (names unknown) are two networks",
    rule: SUBNETS,
    stack: [
      azGw,
      vnetA,
      vnetB,
      azSubnet(
        "app",
        { resourceGroupName: "rg", virtualNetworkName: UNKNOWN },
        { virtualNetworkName: [vnetA] },
      ),
      azSubnet(
        "db",
        { resourceGroupName: "rg", virtualNetworkName: UNKNOWN },
        { virtualNetworkName: [vnetB] },
      ),
    ],
    expect: "violation",
    says: ['VirtualNetwork "vnet-a"', 'VirtualNetwork "vnet-b"'],
  },
  {
    name: "subnets of one VirtualNetwork resource are one network",
    rule: SUBNETS,
    stack: [
      azGw,
      vnetA,
      azSubnet(
        "app",
        { resourceGroupName: "rg", virtualNetworkName: UNKNOWN },
        { virtualNetworkName: [vnetA] },
      ),
      azSubnet(
        "db",
        { resourceGroupName: "rg", virtualNetworkName: UNKNOWN },
        { virtualNetworkName: [vnetA] },
      ),
    ],
    expect: "none",
  },
  {
    name: "an inline subnet and a Subnet resource of the same literal VNet are one network",
    rule: SUBNETS,
    stack: [
      azGw,
      res(
        T.azVnet,
        "main",
        {
          resourceGroupName: "rg",
          virtualNetworkName: "vnet-one",
          subnets: [{ name: "web", natGateway: { id: UNKNOWN } }],
        },
        { subnets: [azGw] },
      ),
      azSubnet("app", { resourceGroupName: "rg", virtualNetworkName: "vnet-one" }),
    ],
    expect: "none",
  },
  {
    name: "a subnet whose VNet is unknown, beside a known one, cannot be evaluated",
    rule: SUBNETS,
    stack: [
      azGw,
      azSubnet("app", { resourceGroupName: "rg", virtualNetworkName: "vnet-one" }),
      azSubnet("db", { resourceGroupName: "rg", virtualNetworkName: UNKNOWN }),
    ],
    expect: "unknown",
    says: ["unknown during preview"],
  },
  {
    name: "a subnet named GatewaySubnet in any case is blocked",
    rule: SUBNETS,
    stack: [azGw, azSubnet("GATEWAYSUBNET", { resourceGroupName: "rg", virtualNetworkName: "v" })],
    expect: "violation",
    says: ["GatewaySubnet"],
  },
  // Absurd Azure values.
  {
    name: "an idle timeout of 0 minutes is outside 4-120",
    rule: IDLE,
    stack: [res(T.azNat, "nat", { resourceGroupName: "rg", idleTimeoutInMinutes: 0 })],
    expect: "violation",
    says: ["idleTimeoutInMinutes"],
  },
  {
    name: "an idle timeout of a million minutes is outside 4-120",
    rule: IDLE,
    stack: [res(T.azNat, "nat", { resourceGroupName: "rg", idleTimeoutInMinutes: 1e6 })],
    expect: "violation",
    says: ["idleTimeoutInMinutes", "1000000"],
  },
  {
    name: "an unknown idle timeout cannot be evaluated",
    rule: IDLE,
    stack: [res(T.azNat, "nat", { resourceGroupName: "rg", idleTimeoutInMinutes: UNKNOWN })],
    expect: "unknown",
  },
  {
    name: "40 public IPs break the Azure limit",
    rule: AZ_LIMIT,
    stack: [
      res(T.azNat, "nat", {
        resourceGroupName: "rg",
        publicIpAddresses: Array.from({ length: 40 }, (_, i) => ({ id: `/subscriptions/x/ip-${i}` })),
      }),
    ],
    expect: "violation",
    says: ["40"],
  },
  // Expectation tags that are not expectations.
  {
    name: "a malformed natcap-peak tag is named",
    rule: CAPACITY,
    stack: [res(T.nat, "gw", { allocationId: UNKNOWN, tags: { "natcap-peak-ldap": "not-an-endpoint" } })],
    expect: "violation",
    says: ["natcap-peak-ldap", "not-an-endpoint"],
  },
  {
    name: "unknown tags leave capacity undecided",
    rule: CAPACITY,
    stack: [res(T.nat, "gw", { allocationId: UNKNOWN, tags: UNKNOWN })],
    expect: "unknown",
  },
];

function classify(ds: Diagnostic[], rule: string): "violation" | "unknown" | "none" {
  if (violations(ds, rule).length > 0) return "violation";
  return unknowns(ds, rule).length > 0 ? "unknown" : "none";
}

describe("the policy pack on unknown and absurd properties", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    const ds = await pack.check(c.stack, c.config);
    expect(classify(ds, c.rule), JSON.stringify(ds.map((d) => [d.policyName, d.message]))).toBe(c.expect);
    for (const d of ds) expect(d.message).not.toMatch(/\n\s+at /);
    const mine = c.expect === "violation" ? violations(ds, c.rule) : unknowns(ds, c.rule);
    for (const s of c.says ?? []) expect(mine.map((d) => d.message).join("\n")).toMatch(s);
  });
});
