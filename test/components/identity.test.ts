/**
 * Identity of every child: for representative arguments of each component, the URN of every
 * resource in the tree and the inputs of every cloud resource are pinned as literal values (written
 * down from the components' behaviour before their code was restructured). A renamed child, a
 * changed parent, a lost tag or a rewired allocation fails here. The expected values live in
 * ./identity.aws.expected.ts and ./identity.azure.expected.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { AwsEgressNat, AwsNatGateway, GatewayEndpointService } from "../../components/aws";
import { AzureNatGateway, resetSubnetRegistry } from "../../components/azure";
import { EXPECTED_AWS } from "./identity.aws.expected";
import { EXPECTED_AZURE } from "./identity.azure.expected";

const EXPECTED = { ...EXPECTED_AWS, ...EXPECTED_AZURE };

interface Seen {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
let seen: Seen[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        seen.push({ type: args.type, name: args.name, inputs: args.inputs });
        // Every resource answers with an allocation ID, so the wiring of EIPs is pinned too.
        return { id: `${args.name}-id`, state: { ...args.inputs, allocationId: `alloc-${args.name}` } };
      },
      call: (args) =>
        args.token === "aws:index/getRegion:getRegion" ? { region: "us-east-1" } : args.inputs,
    },
    "proj",
    "dev",
  );
});
beforeEach(() => {
  seen = [];
  resetSubnetRegistry();
  vi.spyOn(pulumi.log, "warn").mockImplementation(async () => {});
});

/** Every resource of the tree below `root` (the SDK keeps children on an internal field). */
function tree(root: pulumi.Resource): pulumi.Resource[] {
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's internal child set
  const children: Set<pulumi.Resource> = (root as any).__childResources ?? new Set();
  return [root, ...[...children].flatMap(tree)];
}

async function urn(r: pulumi.Resource): Promise<string> {
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's internal promise accessor
  return (r.urn as any).promise();
}

/** Sorted URNs of the tree and the inputs of each registered cloud resource, by `type::name`. */
async function identity(build: () => pulumi.Resource) {
  const root = build();
  // Children register after the constructor; wait until the tree stops growing.
  let count = -1;
  let urns: string[] = [];
  while (count !== tree(root).length) {
    count = tree(root).length;
    urns = await Promise.all(tree(root).map(urn));
    await new Promise((r) => setTimeout(r, 5));
  }
  const inputs: Record<string, unknown> = {};
  for (const s of seen) {
    if (s.type.startsWith("natcap:")) continue;
    inputs[`${s.type}::${s.name}`] = JSON.parse(JSON.stringify(s.inputs));
  }
  return { urns: urns.sort(), inputs };
}

const ldap = { name: "ldap", address: "203.0.113.10", port: 636, peakConnections: 90_000 };
const s3 = { name: "bucket", address: "52.216.0.10", port: 443, service: GatewayEndpointService.S3 };

/** The representative arguments, one per kind of component and gateway. */
const CASES: Record<string, () => pulumi.Resource> = {
  "aws zonal public": () =>
    new AwsNatGateway("egress", {
      subnetId: "subnet-1",
      ipKeys: ["a", "b"],
      existingIps: [
        { key: "byoip", allocationId: "eipalloc-byoip" },
        { key: "byoip2", allocationId: "eipalloc-byoip2" },
      ],
      eipQuota: 8,
      routeTables: [
        { key: "app", routeTableId: "rtb-app" },
        { key: "db", routeTableId: "rtb-db" },
      ],
      extraDestinationCidrBlocks: ["198.51.100.0/24"],
      alarmActions: ["arn:aws:sns:us-east-1:1:ops"],
      expectedTraffic: { destinations: [ldap, s3] },
      excludedServices: [GatewayEndpointService.S3],
      tags: { team: "net" },
    }),
  "aws zonal public auto-sized": () =>
    new AwsNatGateway("sized", {
      subnetId: "subnet-1",
      subnetCidrBlock: "10.0.0.0/24",
      eipQuota: 8,
      autoSizeIps: true,
      expectedTraffic: {
        destinations: [{ ...ldap, peakConnections: 200_000 }],
      },
    }),
  "aws zonal private": () =>
    new AwsNatGateway("priv", {
      connectivityType: "private",
      subnetId: "subnet-2",
      secondaryPrivateIpAddressCount: 2,
      routeTables: [{ key: "main", routeTableId: "rtb-main" }],
      portAllocationAlarm: false,
    }),
  "aws regional manual": () =>
    new AwsNatGateway("reg", {
      availabilityMode: "regional",
      vpcId: "vpc-1",
      regionalZones: [
        { availabilityZone: "us-east-1a", ipCount: 2 },
        {
          availabilityZone: "us-east-1b",
          ipKeys: ["x"],
          existingIps: [{ key: "old", allocationId: "eipalloc-old" }],
        },
      ],
      routeTables: [{ key: "app", routeTableId: "rtb-app" }],
      expectedTraffic: { destinations: [{ ...ldap, peakConnections: 50_000 }] },
    }),
  "aws regional auto": () =>
    new AwsNatGateway("regauto", {
      availabilityMode: "regional",
      vpcId: "vpc-1",
      defaultRoute: false,
      extraDestinationCidrBlocks: ["10.9.0.0/16"],
      routeTables: [{ key: "app", routeTableId: "rtb-app" }],
    }),
  "aws egress": () =>
    new AwsEgressNat("out", {
      vpcId: "vpc-1",
      ipCount: 2,
      eipQuota: 8,
      s3Endpoint: true,
      dynamodbEndpoint: true,
      zones: [
        {
          availabilityZone: "us-east-1a",
          publicSubnetId: "subnet-a",
          privateRouteTables: [{ key: "a", routeTableId: "rtb-a" }],
        },
        {
          availabilityZone: "us-east-1b",
          publicSubnetId: "subnet-b",
          privateRouteTables: [{ key: "b", routeTableId: "rtb-b" }],
          ipKeys: ["k1"],
          expectedTraffic: { destinations: [{ ...ldap, peakConnections: 40_000 }, s3] },
        },
      ],
      expectedTraffic: { destinations: [ldap] },
      tags: { team: "net" },
    }),
  "azure full": () =>
    new AzureNatGateway("az", {
      resourceGroupName: "rg",
      location: "westeurope",
      zone: "1",
      idleTimeoutInMinutes: 10,
      publicIps: [{ key: "a", name: "pip-a" }, { key: "b" }],
      publicIpPrefixes: [{ key: "p", prefixLength: 31 }],
      existingPublicIpIds: ["/subscriptions/s/pip-old"],
      existingPublicIpPrefixes: [{ id: "/subscriptions/s/ippre-old", prefixLength: 31 }],
      subnets: [
        { key: "app", virtualNetworkName: "vnet", addressPrefixes: ["10.0.1.0/24"] },
        {
          key: "db",
          name: "data",
          virtualNetworkName: "vnet",
          addressPrefixes: ["10.0.2.0/24"],
          defaultOutboundAccess: true,
        },
      ],
      alerts: { actionGroupIds: ["/subscriptions/s/ag"], severity: 2 },
      expectedTraffic: { destinations: [{ ...ldap, peakConnections: 100_000 }] },
      tags: { team: "net" },
    }),
  "azure auto-sized keyed": () =>
    new AzureNatGateway("azk", {
      resourceGroupName: "rg",
      publicIps: [{ key: "first" }],
      autoSizeIps: true,
      alerts: { enabled: false },
      expectedTraffic: { destinations: [{ ...ldap, peakConnections: 120_000 }] },
    }),
  "azure auto-sized counted": () =>
    new AzureNatGateway("azc", {
      resourceGroupName: "rg",
      publicIpCount: 1,
      autoSizeIps: true,
      expectedTraffic: { destinations: [{ ...ldap, peakConnections: 120_000 }] },
    }),
};

describe("child identity (names, URNs, inputs) for representative arguments", () => {
  it("has an expectation for every case", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.keys(CASES))("%s", async (name) => {
    const got = await identity(CASES[name]);
    if (process.env.NATCAP_PRINT_IDENTITY) {
      console.log(`IDENTITY ${JSON.stringify({ [name]: got })}`);
      return;
    }
    expect(got.urns).toEqual(EXPECTED[name].urns);
    expect(got.inputs).toEqual(EXPECTED[name].inputs);
  });
});
