import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareVnets,
  oneVnetVerdict,
  type VnetAtPreview,
  type VnetComparison,
  type VnetPart,
  vnetOfResourceId,
} from "../../core/checks-azure";

// Unknowns: two from one source (one Output, one ResourceGroup resource) are equal; others are not.
const groupInput = { source: "group-input" };
const otherGroupInput = { source: "other-group-input" };
const anon: VnetPart = {};
const vnet = (resourceGroup: VnetPart, name: VnetPart, subscription?: VnetPart): VnetAtPreview => ({
  resourceGroup,
  name,
  subscription,
});

describe("compareVnets: every known/unknown combination of group and name", () => {
  const cases: [string, VnetAtPreview, VnetAtPreview, VnetComparison][] = [
    ["known group, names differ", vnet("rg", "vnet-a"), vnet("rg", "vnet-b"), "different"],
    ["known group, same name", vnet("rg", "vnet-a"), vnet("rg", "vnet-a"), "same"],
    ["groups differ only in case (case-insensitive)", vnet("RG-Prod", "v"), vnet("rg-prod", "v"), "same"],
    ["names differ only in case (case-insensitive)", vnet("rg", "VNet-A"), vnet("rg", "vnet-a"), "same"],
    ["known groups differ, same name", vnet("rg1", "v"), vnet("rg2", "v"), "different"],
    ["known groups differ, names unknown", vnet("rg1", anon), vnet("rg2", anon), "different"],
    ["same group input, names differ", vnet(groupInput, "vnet-a"), vnet(groupInput, "vnet-b"), "different"],
    ["same group input, same name", vnet(groupInput, "vnet-a"), vnet(groupInput, "vnet-a"), "same"],
    [
      "two group inputs, names differ",
      vnet(groupInput, "vnet-a"),
      vnet(otherGroupInput, "vnet-b"),
      "different",
    ],
    ["two group inputs, same name", vnet(groupInput, "v"), vnet(otherGroupInput, "v"), "unknown"],
    ["anonymous unknown groups, same name", vnet(anon, "v"), vnet(anon, "v"), "unknown"],
    ["anonymous unknown groups, names differ", vnet(anon, "vnet-a"), vnet(anon, "vnet-b"), "different"],
    ["known group vs unknown group, same name", vnet("rg", "v"), vnet(groupInput, "v"), "unknown"],
    ["same group, one name unknown", vnet("rg", "v"), vnet("rg", anon), "unknown"],
    ["same group, one name input on both sides", vnet("rg", groupInput), vnet("rg", groupInput), "same"],
    ["everything unknown", vnet(anon, anon), vnet(anon, anon), "unknown"],
    ["subscriptions differ, rest equal", vnet("rg", "v", "sub-1"), vnet("rg", "v", "sub-2"), "different"],
    ["subscriptions differ in case only", vnet("rg", "v", "AB-12"), vnet("rg", "v", "ab-12"), "same"],
    ["default subscription vs a named one", vnet("rg", "v"), vnet("rg", "v", "sub-1"), "unknown"],
  ];
  it.each(cases)("%s", (_, a, b, expected) => {
    expect(compareVnets(a, b)).toBe(expected);
    expect(compareVnets(b, a)).toBe(expected);
  });

  it("one declaring resource is one VNet, two are two, whatever is known of names", () => {
    const r1 = { urn: "r1" };
    const r2 = { urn: "r2" };
    expect(
      compareVnets({ ...vnet(anon, anon), declaredBy: r1 }, { ...vnet(anon, anon), declaredBy: r1 }),
    ).toBe("same");
    expect(
      compareVnets({ ...vnet(anon, anon), declaredBy: r1 }, { ...vnet(anon, anon), declaredBy: r2 }),
    ).toBe("different");
  });
});

const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,10}$/);
const part: fc.Arbitrary<VnetPart> = fc.oneof(
  name,
  fc.constant(anon),
  fc.constantFrom(groupInput, otherGroupInput),
);

describe("compareVnets properties", () => {
  it("different known names are different VNets whatever the groups and subscriptions", () => {
    fc.assert(
      fc.property(name, name, part, part, part, part, (n1, n2, g1, g2, s1, s2) => {
        fc.pre(n1.toLowerCase() !== n2.toLowerCase());
        expect(compareVnets(vnet(g1, n1, s1), vnet(g2, n2, s2))).toBe("different");
      }),
    );
  });
  it("is symmetric and never says 'same' unless every part is equal", () => {
    fc.assert(
      fc.property(part, part, part, part, (g1, g2, n1, n2) => {
        const ab = compareVnets(vnet(g1, n1), vnet(g2, n2));
        expect(compareVnets(vnet(g2, n2), vnet(g1, n1))).toBe(ab);
        if (ab === "same") {
          for (const [x, y] of [
            [g1, g2],
            [n1, n2],
          ]) {
            if (typeof x === "string")
              expect(typeof y === "string" && y.toLowerCase() === x.toLowerCase()).toBe(true);
            else expect(typeof y === "object" && x.source !== undefined && y.source === x.source).toBe(true);
          }
        }
      }),
    );
  });
});

describe("oneVnetVerdict", () => {
  it("names the first pair told apart and counts the VNets", () => {
    const v = oneVnetVerdict([
      vnet(groupInput, "a"),
      vnet(groupInput, "A"),
      vnet(groupInput, "b"),
      vnet(groupInput, "c"),
    ]);
    expect(v).toEqual({ kind: "different", pair: [0, 2], networks: 3 });
  });
  it("counts at least the two VNets of a pair told apart, even when the others cannot be placed", () => {
    expect(oneVnetVerdict([vnet(anon, "v"), vnet("rg-1", "v"), vnet("rg-2", "v")])).toEqual({
      kind: "different",
      pair: [1, 2],
      networks: 2,
    });
  });
  it("prefers a decided difference to an undecidable pair", () => {
    const v = oneVnetVerdict([vnet(anon, "v"), vnet(anon, "v"), vnet("rg", "w")]);
    expect(v.kind).toBe("different");
  });
  it("is unknown only where no pair differs and one cannot be compared", () => {
    expect(oneVnetVerdict([vnet(groupInput, "v"), vnet(otherGroupInput, "v")])).toEqual({
      kind: "unknown",
      pair: [0, 1],
    });
    expect(oneVnetVerdict([vnet(groupInput, "v"), vnet(groupInput, "V")])).toEqual({ kind: "one" });
    expect(oneVnetVerdict([])).toEqual({ kind: "one" });
    expect(oneVnetVerdict([vnet(anon, anon)])).toEqual({ kind: "one" });
  });
});

describe("vnetOfResourceId", () => {
  it("reads subscription, group and VNet from a subnet or VNet ID, any case of the segments", () => {
    expect(
      vnetOfResourceId(
        "/subscriptions/0000-1/resourceGroups/RG-1/providers/Microsoft.Network/virtualNetworks/hub/subnets/app",
      ),
    ).toEqual({ subscription: "0000-1", resourceGroup: "RG-1", name: "hub" });
    expect(
      vnetOfResourceId("/SUBSCRIPTIONS/s/RESOURCEGROUPS/g/PROVIDERS/microsoft.network/VIRTUALNETWORKS/v"),
    ).toEqual({ subscription: "s", resourceGroup: "g", name: "v" });
  });
  it("returns undefined for anything that is not a VNet's ID", () => {
    for (const id of [
      "",
      "vnet-a",
      "/subscriptions/s/resourceGroups/g",
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/natGateways/n",
      "//////",
    ])
      expect(vnetOfResourceId(id)).toBeUndefined();
  });
});
