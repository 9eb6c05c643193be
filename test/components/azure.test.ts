import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  AzureNatGateway,
  type AzureNatGatewayArgs,
  CapacityCheckMode,
  resetSubnetRegistry,
} from "../../components/azure";
import { CapacityError, LimitError, ValidationError, WorkloadError } from "../../sim/errors";
import { parseExpectationTags } from "../../sim/tags";

const T = {
  ip: "azure-native:network:PublicIPAddress",
  prefix: "azure-native:network:PublicIPPrefix",
  nat: "azure-native:network:NatGateway",
  subnet: "azure-native:network:Subnet",
  alert: "azure-native:monitor:MetricAlert",
};

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

let registered: Registered[] = [];
let warnings: string[] = [];
const originalWarn = pulumi.log.warn;

async function useMocks(): Promise<void> {
  let n = 0;
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        n++;
        const state: Record<string, unknown> = { ...args.inputs };
        if (args.type === T.ip) state.ipAddress = `198.51.100.${n}`;
        if (args.type === T.prefix) state.ipPrefix = `203.0.113.${n * 16}/${args.inputs.prefixLength}`;
        if (args.type === T.nat) state.name = args.inputs.natGatewayName ?? `${args.name}abc`;
        return { id: `/subscriptions/s/resourceGroups/rg/x/${args.name}`, state };
      },
      call: (args) => args.inputs,
    },
    "proj",
    "dev",
  );
}

/** Resolves an Output (undefined when unknown, as in a preview). */
async function value<T>(o: pulumi.Output<T>): Promise<T | undefined> {
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's internal promise accessors
  const internal = o as any;
  if (!(await internal.isKnown)) return undefined;
  return internal.promise();
}

async function known(o: pulumi.Output<unknown>): Promise<boolean> {
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's internal promise accessors
  return (o as any).isKnown;
}

/** Waits until every child of the component registered. */
async function settle(gw: AzureNatGateway): Promise<void> {
  await Promise.all([
    known(gw.natGatewayId),
    known(gw.subnetIds),
    known(gw.snatFailureAlertId),
    known(gw.datapathAvailabilityAlertId),
    known(gw.publicIpAddresses),
    known(gw.publicIpPrefixes),
  ]);
}

const of = (type: string) => registered.filter((r) => r.type === type);
const one = (type: string) => {
  const found = of(type);
  expect(found).toHaveLength(1);
  return found[0];
};

/** Children of a component with their protect flag (SDK internals, read-only). */
function children(res: pulumi.Resource): { name: string; protect: boolean }[] {
  // biome-ignore lint/suspicious/noExplicitAny: the SDK keeps children and options on internal fields
  const set: Set<any> = (res as any).__childResources ?? new Set();
  return [...set].map((c) => ({ name: c.__name, protect: c.__protect === true }));
}

const base: AzureNatGatewayArgs = { resourceGroupName: "rg", location: "westeurope" };

beforeAll(async () => {
  await useMocks();
});
beforeEach(() => {
  registered = [];
  resetSubnetRegistry();
  warnings = [];
  pulumi.log.warn = (msg: string) => {
    warnings.push(msg);
    return Promise.resolve();
  };
});
afterEach(() => {
  pulumi.log.warn = originalWarn;
});

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
    expect(warnings).toEqual([]);
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
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^AzureNatGateway "idle": idleTimeoutInMinutes/);
    expect(warnings[0]).toMatch(/keep their SNAT ports/);
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

describe("AzureNatGateway validation errors, by class", () => {
  const cases: [string, Partial<AzureNatGatewayArgs>, new (...a: never[]) => Error, RegExp][] = [
    [
      "17 addresses",
      { publicIpCount: 1, publicIpPrefixes: [{ key: "a", prefixLength: 28 }] },
      LimitError,
      /17 public IPv4/,
    ],
    [
      "prefix /27",
      { publicIpPrefixes: [{ key: "a", prefixLength: 27 }] },
      LimitError,
      /publicIpPrefixes\[0\]/,
    ],
    [
      "existing prefix /32",
      { existingPublicIpPrefixes: [{ id: "/p", prefixLength: 32 }] },
      LimitError,
      /existingPublicIpPrefixes\[0\]\.prefixLength/,
    ],
    ["idle timeout 121", { idleTimeoutInMinutes: 121 }, LimitError, /idleTimeoutInMinutes.*4–120/],
    ["idle timeout 3", { idleTimeoutInMinutes: 3 }, LimitError, /outside/],
    ["no addresses", { publicIpCount: 0 }, ValidationError, /at least one public IP/],
    ["negative count", { publicIpCount: -1 }, ValidationError, /publicIpCount/],
    [
      "count and keys disagree",
      { publicIpCount: 3, publicIps: [{ key: "a" }] },
      ValidationError,
      /does not match/,
    ],
    ["duplicate IP key", { publicIps: [{ key: "a" }, { key: "a" }] }, ValidationError, /publicIps\[1\]\.key/],
    ["bad IP key", { publicIps: [{ key: "a b" }] }, ValidationError, /not a valid key/],
    [
      "duplicate prefix key",
      {
        publicIpPrefixes: [
          { key: "p", prefixLength: 31 },
          { key: "p", prefixLength: 31 },
        ],
      },
      ValidationError,
      /publicIpPrefixes\[1\]\.key/,
    ],
    ["two zones", { zone: "1,2" }, ValidationError, /one zone or none/],
    ["alert severity", { alerts: { severity: 7 } }, ValidationError, /alerts\.severity/],
    [
      "availability threshold",
      { alerts: { datapathAvailabilityThreshold: 150 } },
      ValidationError,
      /percentage/,
    ],
    [
      "GatewaySubnet",
      {
        subnets: [
          { key: "gw", name: "GatewaySubnet", virtualNetworkName: "v", addressPrefixes: ["10.0.0.0/27"] },
        ],
      },
      ValidationError,
      /GatewaySubnet/,
    ],
    [
      "gatewaysubnet by key",
      { subnets: [{ key: "gatewaysubnet", virtualNetworkName: "v", addressPrefixes: ["10.0.0.0/27"] }] },
      ValidationError,
      /VPN and ExpressRoute/,
    ],
    [
      "two VNets",
      {
        subnets: [
          { key: "a", virtualNetworkName: "v1", addressPrefixes: ["10.0.0.0/24"] },
          { key: "b", virtualNetworkName: "v2", addressPrefixes: ["10.1.0.0/24"] },
        ],
      },
      ValidationError,
      /different virtual network/,
    ],
    [
      "same subnet twice",
      {
        subnets: [
          { key: "a", name: "s", virtualNetworkName: "v", addressPrefixes: ["10.0.0.0/24"] },
          { key: "b", name: "S", virtualNetworkName: "V", addressPrefixes: ["10.0.0.0/24"] },
        ],
      },
      ValidationError,
      /same subnet/,
    ],
    [
      "no address prefixes",
      { subnets: [{ key: "a", virtualNetworkName: "v", addressPrefixes: [] }] },
      ValidationError,
      /at least one address prefix/,
    ],
  ];
  it.each(cases)("%s", (_label, extra, cls, pattern) => {
    let caught: unknown;
    try {
      new AzureNatGateway("bad", { ...base, ...extra } as AzureNatGatewayArgs);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(cls);
    const message = (caught as Error).message;
    expect(message).toMatch(/^AzureNatGateway "bad": /);
    expect(message).toMatch(pattern);
  });

  it("rejects a subnet given to two gateways in the program", () => {
    const subnet = { key: "app", virtualNetworkName: "vnet", addressPrefixes: ["10.0.1.0/24"] };
    new AzureNatGateway("first", { ...base, subnets: [subnet] });
    expect(() => new AzureNatGateway("second", { ...base, subnets: [subnet] })).toThrow(ValidationError);
    expect(() => new AzureNatGateway("third", { ...base, subnets: [subnet] })).toThrow(
      /already associated with AzureNatGateway "first"/,
    );
  });

  it("checks subnets whose VNet name is an Output once it is known", async () => {
    new AzureNatGateway("one", {
      ...base,
      subnets: [{ key: "app", virtualNetworkName: pulumi.output("vnet"), addressPrefixes: ["10.0.1.0/24"] }],
    });
    const second = new AzureNatGateway("two", {
      ...base,
      subnets: [{ key: "app", virtualNetworkName: pulumi.output("vnet"), addressPrefixes: ["10.0.1.0/24"] }],
    });
    // The deployment fails on the subnet's input; under mocks that surfaces as an unhandled rejection.
    const previous = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const reasons: unknown[] = [];
    const failure = await new Promise<unknown>((resolve) => {
      process.on("unhandledRejection", (reason) => {
        reasons.push(reason);
        resolve(reason);
      });
    });
    await new Promise((r) => setTimeout(r, 300));
    process.removeAllListeners("unhandledRejection");
    for (const l of previous) process.on("unhandledRejection", l);
    expect(reasons.every((r) => r instanceof ValidationError)).toBe(true);
    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as Error).message).toMatch(/already associated with AzureNatGateway "one"/);
    expect(second).toBeDefined();
  });
});

describe("AzureNatGateway capacity check", () => {
  const ldap = (peak: number) => ({
    destinations: [
      { name: "ldap", address: "203.0.113.10", port: 636, protocol: "tcp" as const, peakConnections: peak },
    ],
  });

  it("writes expectation tags on the gateway and the summary as an output", async () => {
    const gw = new AzureNatGateway("cap", {
      ...base,
      publicIpCount: 2,
      expectedTraffic: ldap(60_000),
      tags: { team: "net" },
    });
    await settle(gw);
    const tags = one(T.nat).inputs.tags as Record<string, string>;
    expect(tags.team).toBe("net");
    const parsed = parseExpectationTags(tags);
    expect(parsed.issues).toEqual([]);
    expect(parsed.destinations).toEqual([
      { name: "ldap", address: "203.0.113.10", port: 636, protocol: "tcp", peakConnections: 60_000 },
    ]);
    const summary = await value(gw.capacity);
    expect(summary?.ok).toBe(true);
    expect(summary?.ips).toBe(2);
  });

  it("fails with a CapacityError when the peak exceeds what the addresses carry", () => {
    expect(
      () => new AzureNatGateway("small", { ...base, publicIpCount: 1, expectedTraffic: ldap(60_000) }),
    ).toThrow(CapacityError);
  });

  it("counts prefix addresses as capacity", () => {
    expect(
      () =>
        new AzureNatGateway("pre", {
          ...base,
          publicIpPrefixes: [{ key: "a", prefixLength: 31 }],
          expectedTraffic: ldap(60_000),
        }),
    ).not.toThrow();
  });

  it("warns instead of failing in warn mode", async () => {
    const gw = new AzureNatGateway("w", {
      ...base,
      publicIpCount: 1,
      expectedTraffic: ldap(60_000),
      capacityCheck: CapacityCheckMode.Warn,
    });
    await settle(gw);
    expect(warnings.join("\n")).toMatch(
      /^AzureNatGateway "w": expectedTraffic predicts port-allocation errors/,
    );
    expect((await value(gw.capacity))?.ok).toBe(false);
  });

  it("adds public IPs on request, continuing the count keys", async () => {
    const gw = new AzureNatGateway("auto", {
      ...base,
      publicIpCount: 1,
      expectedTraffic: ldap(120_000),
      autoSizeIps: true,
    });
    await settle(gw);
    const names = of(T.ip).map((r) => r.name);
    expect(names.slice(0, 1)).toEqual(["auto-pip-1"]);
    expect(names.length).toBeGreaterThan(1);
    expect(names).toEqual(names.map((_, i) => `auto-pip-${i + 1}`));
    const summary = await value(gw.capacity);
    expect(summary?.ok).toBe(true);
    expect(summary?.autoSized).toBe(true);
    expect(await value(gw.publicIpAddressCount)).toBe(names.length);
  });

  it("keys automatic IPs auto-N after explicit keys", async () => {
    const gw = new AzureNatGateway("ak", {
      ...base,
      publicIps: [{ key: "main" }],
      expectedTraffic: ldap(120_000),
      autoSizeIps: true,
    });
    await settle(gw);
    const names = of(T.ip).map((r) => r.name);
    expect(names[0]).toBe("ak-pip-main");
    expect(names.slice(1).every((n, i) => n === `ak-pip-auto-${i + 1}`)).toBe(true);
  });

  it("fails when even 16 addresses are not enough", () => {
    expect(
      () => new AzureNatGateway("huge", { ...base, expectedTraffic: ldap(5_000_000), autoSizeIps: true }),
    ).toThrow(/split the traffic across gateways/);
  });

  it("reports an invalid expectation as a WorkloadError naming the field", () => {
    let caught: unknown;
    try {
      new AzureNatGateway("inv", {
        ...base,
        expectedTraffic: { destinations: [{ name: "x", address: "a", port: 0 }] },
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(WorkloadError);
    expect((caught as Error).message).toMatch(
      /^AzureNatGateway "inv": .*expectedTraffic\.destinations\[0\]\.port/,
    );
  });
});

describe("AzureNatGateway resize (property over resources)", () => {
  const stepArb = fc.oneof(
    fc.record({ add: fc.stringMatching(/^[a-z]{1,3}$/) }),
    fc.record({ remove: fc.nat(7) }),
    fc.record({ prefix: fc.stringMatching(/^[a-z]{1,3}$/), length: fc.integer({ min: 30, max: 31 }) }),
  );

  async function build(args: AzureNatGatewayArgs): Promise<Map<string, Registered>> {
    registered = [];
    const gw = new AzureNatGateway("rs", args);
    await settle(gw);
    return new Map(registered.map((r) => [`${r.type}::${r.name}`, r]));
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
