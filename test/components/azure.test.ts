import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AzureNatGateway, type AzureNatGatewayArgs } from "../../components/azure";
import {
  base,
  children,
  installMocks,
  of,
  one,
  type Registered,
  seen,
  settle,
  T,
  value,
} from "./azure-mocks";

installMocks();

describe("AzureNatGateway resources", () => {
  it("creates Standard static IPv4 public IPs and prefixes in the gateway's zone, and references them", async () => {
    const gw = new AzureNatGateway("egress", {
      ...base,
      zone: "2",
      publicIpCount: 2,
      publicIpPrefixes: [{ key: "a", prefixLength: 30 }],
      idleTimeoutInMinutes: 4,
    });
    await settle(gw);
    const ips = of(T.ip);
    expect(ips.map((r) => r.name)).toEqual(["egress-pip-1", "egress-pip-2"]);
    for (const ip of ips) {
      expect(ip.inputs).toMatchObject({
        resourceGroupName: "rg",
        location: "westeurope",
        sku: { name: "Standard", tier: "Regional" },
        publicIPAllocationMethod: "Static",
        publicIPAddressVersion: "IPv4",
        zones: ["2"],
      });
    }
    const prefix = one(T.prefix);
    expect(prefix.name).toBe("egress-ippre-a");
    expect(prefix.inputs).toMatchObject({ prefixLength: 30, zones: ["2"], sku: { name: "Standard" } });
    const nat = one(T.nat);
    expect(nat.name).toBe("egress");
    expect(nat.inputs).toMatchObject({ sku: { name: "Standard" }, zones: ["2"], idleTimeoutInMinutes: 4 });
    expect(nat.inputs.publicIpAddresses).toEqual([
      { id: "/subscriptions/s/resourceGroups/rg/x/egress-pip-1" },
      { id: "/subscriptions/s/resourceGroups/rg/x/egress-pip-2" },
    ]);
    expect(nat.inputs.publicIpPrefixes).toEqual([
      { id: "/subscriptions/s/resourceGroups/rg/x/egress-ippre-a" },
    ]);
    expect(await value(gw.publicIpAddressCount)).toBe(6);
    expect(await value(gw.publicIpAddresses)).toHaveLength(2);
    expect((await value(gw.publicIpPrefixes))?.[0]).toMatch(/\/30$/);
    expect(seen.warnings).toEqual([]);
  });

  it("leaves zones off everything when no zone is given", async () => {
    const gw = new AzureNatGateway("nz", { ...base, publicIpCount: 1 });
    await settle(gw);
    expect(one(T.ip).inputs.zones).toBeUndefined();
    expect(one(T.nat).inputs.zones).toBeUndefined();
  });

  it("uses existing public IPs and prefixes by ID, after the created ones", async () => {
    const gw = new AzureNatGateway("ex", {
      ...base,
      publicIps: [{ key: "blue" }],
      existingPublicIpIds: ["/ip/old"],
      existingPublicIpPrefixes: [{ id: "/prefix/old", prefixLength: 29 }],
    });
    await settle(gw);
    expect(one(T.ip).name).toBe("ex-pip-blue");
    const nat = one(T.nat);
    expect(nat.inputs.publicIpAddresses).toEqual([
      { id: "/subscriptions/s/resourceGroups/rg/x/ex-pip-blue" },
      { id: "/ip/old" },
    ]);
    expect(nat.inputs.publicIpPrefixes).toEqual([{ id: "/prefix/old" }]);
    expect(await value(gw.publicIpAddressCount)).toBe(10);
    expect(await value(gw.publicIpIds)).toEqual([
      "/subscriptions/s/resourceGroups/rg/x/ex-pip-blue",
      "/ip/old",
    ]);
  });

  it("protects public IPs and prefixes by default, not the gateway; protectIps: false opts out", async () => {
    const gw = new AzureNatGateway("p", {
      ...base,
      publicIpCount: 1,
      publicIpPrefixes: [{ key: "x", prefixLength: 31 }],
    });
    const off = new AzureNatGateway("q", { ...base, publicIpCount: 1, protectIps: false });
    await Promise.all([settle(gw), settle(off)]);
    const byName = Object.fromEntries([...children(gw), ...children(off)].map((c) => [c.name, c.protect]));
    expect(byName["p-pip-1"]).toBe(true);
    expect(byName["p-ippre-x"]).toBe(true);
    expect(byName.p).toBe(false);
    expect(byName["q-pip-1"]).toBe(false);
  });

  it("creates two metric alerts on the gateway by default, with action groups", async () => {
    const gw = new AzureNatGateway("al", { ...base, alerts: { actionGroupIds: ["/ag/1"] } });
    await settle(gw);
    const alerts = of(T.alert);
    expect(alerts.map((a) => a.name).sort()).toEqual([
      "al-alert-datapath-availability",
      "al-alert-snat-failures",
    ]);
    const snat = alerts.find((a) => a.name.endsWith("snat-failures"))!;
    expect(snat.inputs).toMatchObject({
      location: "global",
      enabled: true,
      scopes: ["/subscriptions/s/resourceGroups/rg/x/al"],
      actions: [{ actionGroupId: "/ag/1" }],
      criteria: {
        odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
        allOf: [
          {
            metricName: "SNATConnectionCount",
            dimensions: [{ name: "ConnectionState", operator: "Include", values: ["Failed"] }],
            operator: "GreaterThan",
            timeAggregation: "Total",
          },
        ],
      },
    });
    const dp = alerts.find((a) => a.name.endsWith("datapath-availability"))!;
    expect(dp.inputs).toMatchObject({
      criteria: { allOf: [{ metricName: "DatapathAvailability", operator: "LessThan", threshold: 90 }] },
    });
    expect(await value(gw.snatFailureAlertId)).toBe(
      "/subscriptions/s/resourceGroups/rg/x/al-alert-snat-failures",
    );
  });

  it("creates no alerts when turned off, and their outputs are undefined", async () => {
    const gw = new AzureNatGateway("na", { ...base, alerts: { enabled: false } });
    await settle(gw);
    expect(of(T.alert)).toHaveLength(0);
    expect(await value(gw.snatFailureAlertId)).toBeUndefined();
  });

  it("creates subnets that point at the gateway, default outbound access off", async () => {
    const gw = new AzureNatGateway("sn", {
      ...base,
      subnets: [
        { key: "app", virtualNetworkName: "vnet", addressPrefixes: ["10.0.1.0/24"], routeTableId: "/rt/1" },
        { key: "db", name: "data", virtualNetworkName: "vnet", addressPrefixes: ["10.0.2.0/24"] },
      ],
    });
    await settle(gw);
    const subnets = of(T.subnet);
    subnets.sort((a, b) => a.name.localeCompare(b.name));
    expect(subnets.map((s) => s.name)).toEqual(["sn-subnet-app", "sn-subnet-db"]);
    expect(subnets[0].inputs).toMatchObject({
      resourceGroupName: "rg",
      virtualNetworkName: "vnet",
      subnetName: "app",
      defaultOutboundAccess: false,
      routeTable: { id: "/rt/1" },
      natGateway: { id: "/subscriptions/s/resourceGroups/rg/x/sn" },
    });
    expect(subnets[1].inputs.subnetName).toBe("data");
    expect(await value(gw.subnetIds)).toHaveLength(2);
  });

  it("warns, naming the reason, when the idle timeout is above 4 minutes", async () => {
    const gw = new AzureNatGateway("idle", { ...base, idleTimeoutInMinutes: 30 });
    await settle(gw);
    expect(one(T.nat).inputs.idleTimeoutInMinutes).toBe(30);
    expect(seen.warnings).toHaveLength(1);
    expect(seen.warnings[0]).toMatch(/^AzureNatGateway "idle": idleTimeoutInMinutes/);
    expect(seen.warnings[0]).toMatch(/keep their SNAT ports/);
  });

  it("pins the URNs of every resource", async () => {
    const gw = new AzureNatGateway("urn", {
      ...base,
      zone: "1",
      publicIps: [{ key: "a" }, { key: "b" }],
      publicIpPrefixes: [{ key: "p", prefixLength: 31 }],
      subnets: [{ key: "app", virtualNetworkName: "vnet", addressPrefixes: ["10.0.1.0/24"] }],
    });
    await settle(gw);
    await value(gw.urn);
    // biome-ignore lint/suspicious/noExplicitAny: the mock monitor lists what was registered
    const monitor = pulumi.runtime.getMonitor() as any;
    const urns = [...monitor.getRegisteredResources().keys()]
      .filter((u: string) => /::urn(-|$)/.test(u))
      .sort();
    expect(urns).toHaveLength(8);
    expect(urns).toMatchSnapshot();
  });
});

describe("AzureNatGateway resize (property over resources)", () => {
  const stepArb = fc.oneof(
    fc.record({ add: fc.stringMatching(/^[a-z]{1,3}$/) }),
    fc.record({ remove: fc.nat(7) }),
    fc.record({ prefix: fc.stringMatching(/^[a-z]{1,3}$/), length: fc.integer({ min: 30, max: 31 }) }),
  );

  async function build(args: AzureNatGatewayArgs): Promise<Map<string, Registered>> {
    seen.registered = [];
    const gw = new AzureNatGateway("rs", args);
    await settle(gw);
    return new Map(seen.registered.map((r) => [`${r.type}::${r.name}`, r]));
  }
  const stable = (r: Registered) => {
    const { publicIpAddresses: _a, publicIpPrefixes: _p, tags: _t, ...rest } = r.inputs;
    return rest;
  };

  it("keeps every kept IP, prefix and the gateway with the same name and inputs", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 4 }), async (steps) => {
        let ips = ["a"];
        let prefixes: { key: string; prefixLength: number }[] = [];
        const args = () => ({
          ...base,
          zone: "1",
          publicIps: ips.map((key) => ({ key })),
          publicIpPrefixes: prefixes,
        });
        let before = await build(args());
        for (const step of steps) {
          if ("add" in step && !ips.includes(step.add)) ips = [...ips, step.add];
          else if ("remove" in step && ips.length > 1)
            ips = ips.filter((_, i) => i !== step.remove % ips.length);
          else if ("prefix" in step && !prefixes.some((p) => p.key === step.prefix))
            prefixes = [...prefixes, { key: step.prefix, prefixLength: step.length }];
          else continue;
          if (ips.length + prefixes.reduce((s, p) => s + 2 ** (32 - p.prefixLength), 0) > 16) return;
          const after = await build(args());
          for (const [urn, r] of after) {
            const old = before.get(urn);
            if (r.type === T.nat) expect(old && stable(old)).toEqual(stable(r));
            if (r.type === T.ip || r.type === T.prefix) {
              if (old) expect(r.inputs).toEqual(old.inputs);
            }
          }
          const nat = [...after.values()].find((r) => r.type === T.nat)!;
          const ipIds = (nat.inputs.publicIpAddresses as { id: string }[]).map((x) => x.id);
          expect(ipIds).toEqual(ips.map((k) => `/subscriptions/s/resourceGroups/rg/x/rs-pip-${k}`));
          before = after;
        }
      }),
      { numRuns: 15 },
    );
  });
});
