import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import {
  type AzureNatGatewayArgs,
  claimSubnet,
  planAlerts,
  planAzureNatGateway,
  resetSubnetRegistry,
  subnetLocationIssues,
} from "../../components/azure";
import { countAzureIps } from "../../core/checks";
import { LimitError, ValidationError } from "../../core/errors";
import { AZURE, AzureNatSku } from "../../core/limits";

const base: AzureNatGatewayArgs = { resourceGroupName: "rg" };

describe("planAzureNatGateway", () => {
  it.each([
    ["nothing given: one IP", {}, ["1"], 1],
    ["a count", { publicIpCount: 3 }, ["1", "2", "3"], 3],
    ["explicit keys", { publicIps: [{ key: "blue" }, { key: "green" }] }, ["blue", "green"], 2],
    ["only a prefix: no IP", { publicIpPrefixes: [{ key: "p", prefixLength: 29 }] }, [], 8],
    ["only existing IPs: no IP", { existingPublicIpIds: ["/a", "/b"] }, [], 2],
    [
      "a mix",
      {
        publicIpCount: 2,
        publicIpPrefixes: [{ key: "p", prefixLength: 30 }],
        existingPublicIpIds: ["/a"],
        existingPublicIpPrefixes: [{ id: "/q", prefixLength: 31 }],
      },
      ["1", "2"],
      9,
    ],
  ] as [string, Partial<AzureNatGatewayArgs>, string[], number][])("%s", (_l, extra, keys, total) => {
    const plan = planAzureNatGateway("egress", { ...base, ...extra });
    expect(plan.publicIps.map((p) => p.key)).toEqual(keys);
    expect(plan.publicIps.map((p) => p.logicalName)).toEqual(keys.map((k) => `egress-pip-${k}`));
    expect(plan.totalAddresses).toBe(total);
    expect(plan.sku).toBe(AzureNatSku.Standard);
    expect(plan.gatewayLogicalName).toBe("egress");
  });

  it("accepts exactly 16 addresses and rejects 17, counting prefixes whole", () => {
    const sixteen = { ...base, publicIpPrefixes: [{ key: "p", prefixLength: 28 }] };
    expect(planAzureNatGateway("g", sixteen).totalAddresses).toBe(AZURE.maxPublicIpAddresses.value);
    expect(() => planAzureNatGateway("g", { ...sixteen, existingPublicIpIds: ["/x"] })).toThrow(LimitError);
    expect(() => planAzureNatGateway("g", { ...sixteen, existingPublicIpIds: ["/x"] })).toThrow(
      /^AzureNatGateway "g": publicIpPrefixes \+ existingPublicIpIds 17 public IPv4 addresses \(existingPublicIpIds 1 \+ \/28 prefix \(16\)\) exceed the 16/,
    );
  });

  it("gives zonal IPs and prefixes the gateway's zone", () => {
    const plan = planAzureNatGateway("g", {
      ...base,
      zone: "3",
      publicIpCount: 1,
      publicIpPrefixes: [{ key: "p", prefixLength: 31 }],
    });
    expect(plan.zones).toEqual(["3"]);
    expect(plan.publicIps[0].zones).toEqual(["3"]);
    expect(plan.prefixes[0].zones).toEqual(["3"]);
  });

  it("defaults the idle timeout to 4 minutes with no warning, warns above 4", () => {
    const plain = planAzureNatGateway("g", base);
    expect(plain.idleTimeoutInMinutes).toBe(AZURE.idleTimeoutMinutesDefault.value);
    expect(plain.warnings).toEqual([]);
    const long = planAzureNatGateway("g", { ...base, idleTimeoutInMinutes: 120 });
    expect(long.warnings).toHaveLength(1);
    expect(long.warnings[0]).toMatch(/^AzureNatGateway "g": idleTimeoutInMinutes: .*120 minutes/);
  });

  it("accepts every idle timeout from 4 to 120 and rejects the rest (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 200 }), (minutes) => {
        const ok = minutes >= 4 && minutes <= 120;
        let threw: unknown;
        try {
          planAzureNatGateway("g", { ...base, idleTimeoutInMinutes: minutes });
        } catch (e) {
          threw = e;
        }
        return ok ? threw === undefined : threw instanceof LimitError;
      }),
    );
  });

  it("limits the address total for any mix (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.array(fc.integer({ min: 28, max: 31 }), { maxLength: 3 }),
        fc.integer({ min: 0, max: 4 }),
        (ips, lengths, existing) => {
          const args: AzureNatGatewayArgs = {
            ...base,
            publicIpCount: ips,
            publicIpPrefixes: lengths.map((prefixLength, i) => ({ key: `p${i}`, prefixLength })),
            existingPublicIpIds: Array.from({ length: existing }, (_, i) => `/ip/${i}`),
          };
          const total = countAzureIps(ips + existing, lengths);
          let threw: unknown;
          try {
            planAzureNatGateway("g", args);
          } catch (e) {
            threw = e;
          }
          if (total > 16) return threw instanceof LimitError;
          if (total === 0) return threw instanceof ValidationError;
          return threw === undefined;
        },
      ),
    );
  });

  it("adds automatic IPs after the count or as auto-N after explicit keys", () => {
    expect(planAzureNatGateway("g", { ...base, publicIpCount: 2 }, 2).publicIps.map((p) => p.key)).toEqual([
      "1",
      "2",
      "3",
      "4",
    ]);
    expect(
      planAzureNatGateway("g", { ...base, publicIps: [{ key: "x" }] }, 1).publicIps.map((p) => p.key),
    ).toEqual(["x", "auto-1"]);
  });

  it("turns alerts off on request", () => {
    expect(planAzureNatGateway("g", { ...base, alerts: { enabled: false } }).alerts).toEqual([]);
    expect(planAzureNatGateway("g", base).alerts.map((a) => a.key)).toEqual([
      "snat-failures",
      "datapath-availability",
    ]);
  });
});

describe("planAlerts", () => {
  it("watches failed SNAT connections and datapath availability with overridable thresholds", () => {
    const [snat, dp] = planAlerts("g", {
      snatFailureThreshold: 10,
      datapathAvailabilityThreshold: 99,
      severity: 0,
    });
    expect(snat.criterion).toMatchObject({
      metricName: "SNATConnectionCount",
      metricNamespace: "Microsoft.Network/natGateways",
      dimensions: [{ name: "ConnectionState", operator: "Include", values: ["Failed"] }],
      operator: "GreaterThan",
      threshold: 10,
    });
    expect(dp.criterion).toMatchObject({
      metricName: "DatapathAvailability",
      operator: "LessThan",
      threshold: 99,
    });
    expect(snat.severity).toBe(0);
    expect(snat.description).toMatch(/add public IPs/);
  });
});

describe("subnet rules", () => {
  beforeEach(() => resetSubnetRegistry());
  const loc = (key: string, vnet: string, name = key, rg = "rg") => ({
    key,
    name,
    virtualNetworkName: vnet,
    resourceGroupName: rg,
  });

  it("accepts subnets of one VNet, names in any case", () => {
    expect(subnetLocationIssues([loc("a", "vnet"), loc("b", "VNET")])).toEqual([]);
  });
  it("rejects a second VNet, also one of the same name in another resource group", () => {
    expect(subnetLocationIssues([loc("a", "v1"), loc("b", "v2")])[0].path).toBe(
      "subnets[key=b].virtualNetworkName",
    );
    expect(subnetLocationIssues([loc("a", "v"), loc("b", "v", "b", "other")])).toHaveLength(1);
  });
  it("lets one gateway claim a subnet, not two", () => {
    expect(claimSubnet('AzureNatGateway "a"', loc("s", "v"))).toBeUndefined();
    expect(claimSubnet('AzureNatGateway "a"', loc("s", "v"))).toBeUndefined();
    expect(claimSubnet('AzureNatGateway "b"', loc("t", "V", "S"))?.message).toMatch(/AzureNatGateway "a"/);
    resetSubnetRegistry();
    expect(claimSubnet('AzureNatGateway "b"', loc("s", "v"))).toBeUndefined();
  });
});

/** One resize step on the arguments. */
type Step =
  | { kind: "addIp"; key: string }
  | { kind: "removeIp"; index: number }
  | { kind: "addPrefix"; key: string; prefixLength: number }
  | { kind: "removePrefix"; index: number }
  | { kind: "addExisting" }
  | { kind: "removeExisting" };

const keyArb = fc.stringMatching(/^[a-z0-9]{1,4}$/);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("addIp" as const), key: keyArb }),
  fc.record({ kind: fc.constant("removeIp" as const), index: fc.nat(15) }),
  fc.record({
    kind: fc.constant("addPrefix" as const),
    key: keyArb,
    prefixLength: fc.integer({ min: 29, max: 31 }),
  }),
  fc.record({ kind: fc.constant("removePrefix" as const), index: fc.nat(3) }),
  fc.record({ kind: fc.constant("addExisting" as const) }),
  fc.record({ kind: fc.constant("removeExisting" as const) }),
);

/** Applies a step; returns undefined when it would break a rule (duplicate key, > 16, nothing left). */
function resize(
  args: AzureNatGatewayArgs,
  step: Step,
  counter: { n: number },
): AzureNatGatewayArgs | undefined {
  const ips = [...(args.publicIps ?? [])];
  const prefixes = [...(args.publicIpPrefixes ?? [])];
  const existing = [...(args.existingPublicIpIds ?? [])];
  switch (step.kind) {
    case "addIp":
      if (ips.some((i) => i.key === step.key)) return undefined;
      ips.push({ key: step.key });
      break;
    case "removeIp":
      if (ips.length === 0) return undefined;
      ips.splice(step.index % ips.length, 1);
      break;
    case "addPrefix":
      if (prefixes.some((p) => p.key === step.key)) return undefined;
      prefixes.push({ key: step.key, prefixLength: step.prefixLength });
      break;
    case "removePrefix":
      if (prefixes.length === 0) return undefined;
      prefixes.splice(step.index % prefixes.length, 1);
      break;
    case "addExisting":
      existing.push(`/ip/existing-${counter.n++}`);
      break;
    case "removeExisting":
      if (existing.length === 0) return undefined;
      existing.shift();
      break;
  }
  const next = { ...args, publicIps: ips, publicIpPrefixes: prefixes, existingPublicIpIds: existing };
  const total = countAzureIps(
    ips.length + existing.length,
    prefixes.map((p) => p.prefixLength),
  );
  return total >= 1 && total <= 16 ? next : undefined;
}

describe("resizing (property)", () => {
  it("never renames or changes a kept IP or prefix, and keeps the gateway's identity", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(undefined, "1", "2"),
        fc.array(stepArb, { minLength: 1, maxLength: 12 }),
        (zone, steps) => {
          let args: AzureNatGatewayArgs = { ...base, zone, publicIps: [{ key: "first" }] };
          let before = planAzureNatGateway("egress", args);
          const counter = { n: 0 };
          for (const step of steps) {
            const next = resize(args, step, counter);
            if (!next) continue;
            const after = planAzureNatGateway("egress", next);
            expect(after.gatewayLogicalName).toBe(before.gatewayLogicalName);
            expect(after.zones).toEqual(before.zones);
            expect(after.sku).toBe(before.sku);
            for (const ip of after.publicIps) {
              const old = before.publicIps.find((p) => p.key === ip.key);
              if (old) expect(ip).toEqual(old);
              else expect(before.publicIps.some((p) => p.logicalName === ip.logicalName)).toBe(false);
            }
            for (const prefix of after.prefixes) {
              const old = before.prefixes.find((p) => p.key === prefix.key);
              if (old) expect(prefix).toEqual(old);
              else expect(before.prefixes.some((p) => p.logicalName === prefix.logicalName)).toBe(false);
            }
            args = next;
            before = after;
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("growing a count adds one IP and keeps the others", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 15 }), (n) => {
        const small = planAzureNatGateway("g", { ...base, publicIpCount: n }).publicIps;
        const big = planAzureNatGateway("g", { ...base, publicIpCount: n + 1 }).publicIps;
        expect(big.slice(0, n)).toEqual(small);
        expect(big).toHaveLength(n + 1);
      }),
    );
  });
});
