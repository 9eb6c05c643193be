import * as pulumi from "@pulumi/pulumi";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AvailabilityMode,
  AwsEgressNat,
  type AwsEgressNatArgs,
  AwsNatGateway,
  type AwsNatGatewayArgs,
  CapacityCheckMode,
  ConnectivityType,
  GatewayEndpointService,
} from "../../components/aws";
import { CapacityError, LimitError } from "../../core/errors";
import * as natcap from "../../index";
import { parseExpectationTags } from "../../sim/workload/tags";
import { ofType, registered, T, urnsOf, useMocks, value } from "./aws-mocks";

let warnings: string[] = [];

beforeEach(async () => {
  warnings = [];
  vi.spyOn(pulumi.log, "warn").mockImplementation(async (m: string) => {
    warnings.push(m);
  });
  await useMocks();
});
afterEach(() => vi.restoreAllMocks());

/**
 * Runs `fn` with the process's unhandled-rejection listeners swapped for a collector (the SDK rejects
 * a resource registration whose input failed, with no caller to catch it) and returns what arrived.
 */
async function captureRejections(fn: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const saved = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  const collect = (reason: unknown) => seen.push(reason);
  process.on("unhandledRejection", collect);
  try {
    await fn();
    for (let i = 0; i < 50 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 20));
  } finally {
    process.off("unhandledRejection", collect);
    for (const l of saved) process.on("unhandledRejection", l);
  }
  return seen;
}

/** Every child resource of a gateway, so tests can wait for their registration. */
function children(gw: AwsNatGateway): pulumi.Resource[] {
  return [
    gw,
    gw.natGateway,
    ...Object.values(gw.eips),
    ...Object.values(gw.associations),
    ...Object.values(gw.routes),
    ...(gw.portAllocationAlarm ? [gw.portAllocationAlarm] : []),
  ];
}

async function build(name: string, args: AwsNatGatewayArgs): Promise<AwsNatGateway> {
  const gw = new AwsNatGateway(name, args);
  await urnsOf(children(gw));
  return gw;
}

const base: AwsNatGatewayArgs = {
  subnetId: "subnet-1",
  ipKeys: ["a", "b", "c"],
  eipQuota: 8,
  routeTables: [
    { key: "app", routeTableId: "rtb-app" },
    { key: "db", routeTableId: "rtb-db" },
  ],
  extraDestinationCidrBlocks: ["198.51.100.0/24"],
  expectedTraffic: {
    destinations: [{ name: "ldap", address: "203.0.113.10", port: 636, peakConnections: 90_000 }],
  },
};

describe("AwsNatGateway resources", () => {
  it("registers the type token, and every child is parented to the component", async () => {
    const gw = await build("egress", base);
    const urns = await urnsOf(children(gw));
    expect(urns[0]).toBe("urn:pulumi:dev::proj::natcap:index:AwsNatGateway::egress");
    for (const urn of urns.slice(1)) expect(urn).toContain("natcap:index:AwsNatGateway$");
  });

  it("URN snapshot: renaming any child fails this test", async () => {
    const gw = await build("egress", {
      ...base,
      existingIps: [{ key: "byoip", allocationId: "eipalloc-x" }],
    });
    expect((await urnsOf(children(gw))).sort()).toMatchSnapshot();
  });

  it("passes only the primary to aws.ec2.NatGateway and attaches secondaries by association", async () => {
    await build("egress", base);
    const [nat] = ofType(T.nat);
    expect(nat.inputs.connectivityType).toBe("public");
    expect(nat.inputs.subnetId).toBe("subnet-1");
    expect(nat.inputs.allocationId).toBe("eipalloc-egress-eip-a");
    expect(nat.inputs.secondaryAllocationIds).toBeUndefined();
    const assoc = ofType(T.assoc);
    expect(assoc.map((a) => [a.name, a.inputs.allocationId, a.inputs.natGatewayId])).toEqual([
      ["egress-eip-b", "eipalloc-egress-eip-b", "egress-id"],
      ["egress-eip-c", "eipalloc-egress-eip-c", "egress-id"],
    ]);
    expect(ofType(T.eip).every((e) => e.inputs.domain === "vpc")).toBe(true);
  });

  it("protects EIPs by default, and not with protectIps false", async () => {
    const gw = await build("egress", base);
    // biome-ignore lint/suspicious/noExplicitAny: the SDK keeps protect on a private field
    expect(Object.values(gw.eips).every((e) => (e as any).__protect === true)).toBe(true);
    const open = await build("open", { ...base, protectIps: false });
    // biome-ignore lint/suspicious/noExplicitAny: as above
    expect(Object.values(open.eips).every((e) => (e as any).__protect === false)).toBe(true);
  });

  it("puts the expectation tags on the NAT gateway and registers the capacity output", async () => {
    const gw = await build("egress", { ...base, tags: { team: "net" } });
    const [nat] = ofType(T.nat);
    const tags = nat.inputs.tags as Record<string, string>;
    expect(tags.team).toBe("net");
    expect(parseExpectationTags(tags).destinations[0]).toMatchObject({
      name: "ldap",
      peakConnections: 90_000,
    });
    expect(gw.capacity?.ok).toBe(true);
    expect(gw.capacity?.ips).toBe(3);
    expect(gw.expectedTraffic?.destinations[0].name).toBe("ldap");
  });

  it("routes the default route and extra CIDRs from each table to the gateway", async () => {
    await build("egress", base);
    const routes = ofType(T.route).map((r) => [r.name, r.inputs.routeTableId, r.inputs.destinationCidrBlock]);
    expect(routes).toEqual([
      ["egress-route-app", "rtb-app", "0.0.0.0/0"],
      ["egress-route-app-198-51-100-0-24", "rtb-app", "198.51.100.0/24"],
      ["egress-route-db", "rtb-db", "0.0.0.0/0"],
      ["egress-route-db-198-51-100-0-24", "rtb-db", "198.51.100.0/24"],
    ]);
    expect(ofType(T.route).every((r) => r.inputs.natGatewayId === "egress-id")).toBe(true);
  });

  it("creates the ErrorPortAllocation > 0 alarm on the gateway, exposed as an output; opt-out", async () => {
    const gw = await build("egress", { ...base, alarmActions: ["arn:aws:sns:us-east-1:1:ops"] });
    const [alarm] = ofType(T.alarm);
    expect(alarm.inputs).toMatchObject({
      namespace: "AWS/NATGateway",
      metricName: "ErrorPortAllocation",
      dimensions: { NatGatewayId: "egress-id" },
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      alarmActions: ["arn:aws:sns:us-east-1:1:ops"],
    });
    expect(await value(gw.portAllocationAlarmArn)).toContain("alarm:egress-port-allocation");
    await build("quiet", { ...base, portAllocationAlarm: false });
    expect(ofType(T.alarm)).toHaveLength(1);
  });

  it("outputs the gateway id, public IPs (primary first) and allocation ids", async () => {
    const gw = await build("egress", base);
    expect(await value(gw.natGatewayId)).toBe("egress-id");
    expect(await value(gw.publicIps)).toEqual(["198.51.100.1", "ip-of-egress-eip-b", "ip-of-egress-eip-c"]);
    expect(await value(gw.allocationIds)).toEqual([
      "eipalloc-egress-eip-a",
      "eipalloc-egress-eip-b",
      "eipalloc-egress-eip-c",
    ]);
    expect(await value(gw.privateIps)).toEqual(["10.0.0.10"]);
  });

  it("private: no EIPs, the secondary count on the gateway, and a replacement warning", async () => {
    await build("priv", {
      subnetId: "subnet-1",
      connectivityType: ConnectivityType.Private,
      secondaryPrivateIpAddressCount: 2,
    });
    expect(ofType(T.eip)).toEqual([]);
    const [nat] = ofType(T.nat);
    expect(nat.inputs).toMatchObject({ connectivityType: "private", secondaryPrivateIpAddressCount: 2 });
    expect(nat.inputs.allocationId).toBeUndefined();
    expect(warnings.join()).toContain("replaces the NAT gateway");
  });

  it("regional manual mode: per-zone allocation lists, vpcId, no subnet", async () => {
    await build("reg", {
      availabilityMode: AvailabilityMode.Regional,
      vpcId: "vpc-1",
      regionalZones: [
        { availabilityZone: "us-east-1a", ipCount: 2 },
        { availabilityZone: "us-east-1b", existingIps: [{ key: "byoip", allocationId: "eipalloc-byoip" }] },
      ],
    });
    const [nat] = ofType(T.nat);
    expect(nat.inputs).toMatchObject({
      availabilityMode: "regional",
      vpcId: "vpc-1",
      availabilityZoneAddresses: [
        {
          availabilityZone: "us-east-1a",
          allocationIds: ["eipalloc-reg-eip-us-east-1a-1", "eipalloc-reg-eip-us-east-1a-2"],
        },
        { availabilityZone: "us-east-1b", allocationIds: ["eipalloc-byoip"] },
      ],
    });
    expect(nat.inputs.subnetId).toBeUndefined();
  });

  it("throws before registering anything when a check fails", async () => {
    expect(() => new AwsNatGateway("big", { subnetId: "s", ipCount: 9 })).toThrow(LimitError);
    expect(
      () =>
        new AwsNatGateway("hot", {
          subnetId: "s",
          expectedTraffic: {
            destinations: [{ name: "x", address: "203.0.113.1", port: 443, peakConnections: 99_000 }],
          },
        }),
    ).toThrow(CapacityError);
    expect(registered).toEqual([]);
  });

  it("the package root exports the classes and the aws namespace aliases", () => {
    expect(natcap.AwsNatGateway).toBe(AwsNatGateway);
    expect(natcap.aws.NatGateway).toBe(AwsNatGateway);
    expect(natcap.aws.EgressNat).toBe(AwsEgressNat);
  });
});

describe("subnet free addresses", () => {
  it("a known CIDR too small for the gateway's IPs fails at construction with LimitError", () => {
    expect(
      () => new AwsNatGateway("tight", { ...base, subnetCidrBlock: "10.0.0.0/28", subnetAddressesInUse: 9 }),
    ).toThrow(LimitError);
  });

  it("a CIDR known only later is checked when it resolves, and the gateway waits for the check", async () => {
    const later = pulumi.output(Promise.resolve("10.0.0.0/28"));
    // The failed check surfaces where the engine sees it: the gateway's registration is rejected.
    const failures = await captureRejections(async () => {
      const gw = new AwsNatGateway("later", {
        subnetId: "subnet-1",
        ipCount: 3,
        eipQuota: 8,
        portAllocationAlarm: false,
        subnetCidrBlock: later,
        subnetAddressesInUse: 9,
      });
      await expect(value(gw.subnetFreeAddresses)).rejects.toThrow(LimitError);
    });
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((e) => e instanceof LimitError)).toBe(true);
    expect(String(failures[0])).toContain(
      'serializing property "subnetId": AwsNatGateway "later": subnetCidrBlock: subnet 10.0.0.0/28 has 2 free addresses',
    );
    expect(ofType(T.nat).find((r) => r.name === "later")).toBeUndefined();
    const ok = new AwsNatGateway("roomy", {
      ...base,
      subnetCidrBlock: pulumi.output(Promise.resolve("10.0.0.0/24")),
    });
    await urnsOf(children(ok));
    expect(ofType(T.nat).find((r) => r.name === "roomy")?.inputs.subnetId).toBe("subnet-1");
    expect(await value(ok.subnetFreeAddresses)).toBe(256 - 5 - 3);
  });
});

describe("AwsEgressNat", () => {
  const args: AwsEgressNatArgs = {
    vpcId: "vpc-1",
    s3Endpoint: true,
    dynamodbEndpoint: true,
    zones: ["a", "b", "c"].map((z) => ({
      availabilityZone: `us-east-1${z}`,
      publicSubnetId: `subnet-pub-${z}`,
      privateRouteTables: [{ key: "private", routeTableId: `rtb-${z}` }],
    })),
    expectedTraffic: {
      destinations: [
        {
          name: "bucket",
          address: "52.216.0.1",
          port: 443,
          peakConnections: 500_000,
          service: GatewayEndpointService.S3,
        },
        { name: "api", address: "203.0.113.5", port: 443, peakConnections: 20_000 },
      ],
    },
  };

  it("one gateway per zone, each zone's route table routed to its own zone's gateway", async () => {
    const egress = new AwsEgressNat("egress", args);
    await urnsOf([
      egress,
      ...Object.values(egress.gateways()).flatMap(children),
      ...Object.values(egress.endpoints),
    ]);
    const nats = ofType(T.nat);
    expect(nats.map((n) => [n.name, n.inputs.subnetId])).toEqual([
      ["egress-us-east-1a", "subnet-pub-a"],
      ["egress-us-east-1b", "subnet-pub-b"],
      ["egress-us-east-1c", "subnet-pub-c"],
    ]);
    const routes = ofType(T.route).map((r) => [r.inputs.routeTableId, r.inputs.natGatewayId]);
    expect(routes).toEqual([
      ["rtb-a", "egress-us-east-1a-id"],
      ["rtb-b", "egress-us-east-1b-id"],
      ["rtb-c", "egress-us-east-1c-id"],
    ]);
    const gwUrn = await value(egress.gateways()["us-east-1a"].urn);
    expect(gwUrn).toContain("natcap:index:AwsEgressNat$natcap:index:AwsNatGateway::egress-us-east-1a");
    expect(ofType(T.alarm)).toHaveLength(3);
    expect(await value(egress.natGatewayIds)).toEqual({
      "us-east-1a": "egress-us-east-1a-id",
      "us-east-1b": "egress-us-east-1b-id",
      "us-east-1c": "egress-us-east-1c-id",
    });
  });

  it("S3 and DynamoDB gateway endpoints on every private route table; their traffic is not checked", async () => {
    const egress = new AwsEgressNat("egress", args);
    await urnsOf(Object.values(egress.endpoints));
    const eps = ofType(T.endpoint).map((e) => [
      e.name,
      e.inputs.serviceName,
      e.inputs.vpcEndpointType,
      e.inputs.routeTableIds,
    ]);
    expect(eps).toEqual([
      ["egress-s3", "com.amazonaws.us-east-1.s3", "Gateway", ["rtb-a", "rtb-b", "rtb-c"]],
      ["egress-dynamodb", "com.amazonaws.us-east-1.dynamodb", "Gateway", ["rtb-a", "rtb-b", "rtb-c"]],
    ]);
    expect(egress.gateways()["us-east-1a"].capacity?.excluded).toEqual(["bucket"]);
    // Without the S3 endpoint the bucket's 500,000 connections go through the gateways and do not fit.
    expect(() => new AwsEgressNat("noep", { ...args, s3Endpoint: false })).toThrow(CapacityError);
    expect(
      () => new AwsEgressNat("warn", { ...args, s3Endpoint: false, capacityCheck: CapacityCheckMode.Warn }),
    ).not.toThrow();
  });
});
