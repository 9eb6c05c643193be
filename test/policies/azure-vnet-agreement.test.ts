/**
 * The component and the policy rule decide "subnets of one virtual network" with one function
 * (oneVnetVerdict in core/checks-azure): on the same cases, in preview, the component refuses at
 * construction exactly where the rule reports a violation.
 */
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AzureNatGateway, resetSubnetRegistry } from "../../components/azure";
import { ValidationError } from "../../core/errors";
import { type Pack, res, startPack, T, type TestResource, UNKNOWN, unknowns, violations } from "./harness";

const SUBNETS = "azure-nat-gateway-subnet-rules";

let pack: Pack;
beforeAll(async () => {
  // A preview: no IDs, only the inputs, so a resource group's or VNet's own name is unknown.
  await pulumi.runtime.setMocks(
    { newResource: (args) => ({ id: undefined, state: { ...args.inputs } }), call: (args) => args.inputs },
    "proj",
    "dev",
    true,
  );
  pack = await startPack();
});
afterAll(async () => {
  await pack?.process.close();
});

/** A literal name, or the unknown name of input `X` (one Output / one resource per X and case). */
type Spec = string | { input: string };
/** What the rule says: a violation, "cannot be evaluated during preview", or nothing. */
type RuleSays = "violation" | "advisory" | "pass";

const cases: [string, [Spec, Spec], [Spec, Spec], RuleSays][] = [
  [
    "vnet-a and vnet-b in one unknown group",
    [{ input: "G" }, { input: "G" }],
    ["vnet-a", "vnet-b"],
    "violation",
  ],
  [
    "vnet-a and vnet-b in two unknown groups",
    [{ input: "G" }, { input: "H" }],
    ["vnet-a", "vnet-b"],
    "violation",
  ],
  ["vnet-a and vnet-b in one known group", ["rg", "rg"], ["vnet-a", "vnet-b"], "violation"],
  [
    "two known groups, one unknown VNet name",
    ["rg-1", "rg-2"],
    [{ input: "N" }, { input: "N" }],
    "violation",
  ],
  ["group and name differing only in case", ["RG", "rg"], ["Hub", "hub"], "pass"],
  ["one VNet name in one unknown group", [{ input: "G" }, { input: "G" }], ["v", "v"], "pass"],
  ["one VNet name in two unknown groups", [{ input: "G" }, { input: "H" }], ["v", "v"], "advisory"],
  ["one VNet name, a known and an unknown group", ["rg", { input: "G" }], ["v", "v"], "advisory"],
  ["one known group, a VNet name unknown", ["rg", "rg"], [{ input: "N" }, "v"], "advisory"],
];

/** Builds the component in preview; true when it refuses the subnets at construction. */
function componentRefuses(i: number, groups: [Spec, Spec], names: [Spec, Spec]): boolean {
  resetSubnetRegistry();
  const outputs = new Map<string, pulumi.Output<string>>();
  const value = (s: Spec, make: (n: string) => pulumi.Output<string>) => {
    if (typeof s === "string") return s;
    const o = outputs.get(s.input) ?? make(`case${i}-${s.input}`);
    outputs.set(s.input, o);
    return o;
  };
  const subnet = (k: 0 | 1) => ({
    key: `s${k}`,
    resourceGroupName: value(groups[k], (n) => new resources.ResourceGroup(n).name),
    virtualNetworkName: value(
      names[k],
      (n) => new network.VirtualNetwork(n, { resourceGroupName: "rg" }).name,
    ),
    addressPrefixes: [`10.${k}.0.0/24`],
  });
  try {
    new AzureNatGateway(`case${i}`, {
      resourceGroupName: "rg",
      location: "westeurope",
      subnets: [subnet(0), subnet(1)],
    });
    return false;
  } catch (e) {
    if (e instanceof ValidationError && /different virtual network/.test(e.message)) return true;
    throw e;
  }
}

/** The same two subnets as the engine sends them to the pack during preview. */
async function ruleSays(groups: [Spec, Spec], names: [Spec, Spec]): Promise<RuleSays> {
  const gw = res(T.azNat, "nat", { resourceGroupName: "rg" });
  const groupResources = new Map<string, TestResource>();
  const subnet = (k: 0 | 1) => {
    const g = groups[k];
    const n = names[k];
    let deps: TestResource[] = [];
    if (typeof g !== "string") {
      const r = groupResources.get(g.input) ?? res("azure-native:resources:ResourceGroup", g.input, {});
      groupResources.set(g.input, r);
      deps = [r];
    }
    return res(
      T.azSubnet,
      `s${k}`,
      {
        subnetName: `s${k}`,
        resourceGroupName: typeof g === "string" ? g : UNKNOWN,
        virtualNetworkName: typeof n === "string" ? n : UNKNOWN,
        natGateway: { id: UNKNOWN },
      },
      { natGateway: [gw], resourceGroupName: deps },
    );
  };
  const subnets = [subnet(0), subnet(1)];
  const ds = await pack.check([gw, ...groupResources.values(), ...subnets]);
  if (violations(ds, SUBNETS).length > 0) return "violation";
  return unknowns(ds, SUBNETS).length > 0 ? "advisory" : "pass";
}

describe("component and policy rule agree on subnets of two virtual networks at preview", () => {
  it.each(cases.map((c, i) => [...c, i] as const))("%s", async (_, groups, names, expected, i) => {
    expect(await ruleSays(groups, names)).toBe(expected);
    expect(componentRefuses(i, groups, names)).toBe(expected === "violation");
  });
});
