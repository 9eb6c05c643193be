import * as pulumi from "@pulumi/pulumi";
import type { ComponentProvider } from "@pulumi/pulumi/provider/experimental/provider";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetSubnetRegistry } from "../../components/azure";
import { AwsEgressNat, AwsNatGateway, AzureNatGateway } from "../../index";
import { constructOptions, engineInputs, fromResource, hostProvider, localArgs } from "./host";

// A program in another language constructs a component through the plugin: the engine sends the
// inputs over gRPC, the provider server decodes them (output values, dependencies) and the host's
// ComponentProvider.construct finds the class by name. The same arguments given to the class in
// TypeScript must register the same children with the same inputs, and return the same outputs.

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
let registered: Registered[] = [];

/** Mock state derived from the resource alone, so that both paths see the same values. */
function mockState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const state: Record<string, unknown> = { ...inputs };
  if (type === "aws:ec2/eip:Eip")
    Object.assign(state, { allocationId: `eipalloc-${name}`, publicIp: `ip-of-${name}` });
  if (type === "aws:ec2/natGateway:NatGateway")
    Object.assign(state, {
      publicIp: "198.51.100.1",
      privateIp: "10.0.0.10",
      secondaryPrivateIpAddresses: [],
    });
  if (type === "aws:cloudwatch/metricAlarm:MetricAlarm")
    state.arn = `arn:aws:cloudwatch:eu-west-1:1:alarm:${name}`;
  if (type === "azure-native:network:PublicIPAddress") state.ipAddress = `ip-of-${name}`;
  if (type === "azure-native:network:PublicIPPrefix")
    state.ipPrefix = `prefix-of-${name}/${inputs.prefixLength}`;
  if (type === "azure-native:network:NatGateway") state.name = inputs.natGatewayName ?? `${name}-azure`;
  return state;
}

const VPC = "urn:pulumi:dev::proj::aws:ec2/vpc:Vpc::main";
const SUBNET = "urn:pulumi:dev::proj::aws:ec2/subnet:Subnet::public-a";
const RTB = "urn:pulumi:dev::proj::aws:ec2/routeTable:RouteTable::private-a";
const RG = "urn:pulumi:dev::proj::azure-native:resources:ResourceGroup::net";
const VNET = "urn:pulumi:dev::proj::azure-native:network:VirtualNetwork::vnet";

const ldap = (peak: number) => ({
  destinations: [
    { name: "ldap", address: "203.0.113.10", port: 636, protocol: "tcp", peakConnections: peak },
  ],
});

/** One case per component: its class, its type token, and arguments with values from other resources. */
const cases = [
  {
    cls: AwsNatGateway,
    type: "natcap:index:AwsNatGateway",
    args: {
      subnetId: fromResource("subnet-0a", SUBNET),
      subnetCidrBlock: fromResource("10.0.0.0/24", SUBNET),
      ipKeys: ["blue", "green"],
      existingIps: [{ key: "partner", allocationId: "eipalloc-byoip" }],
      eipQuota: 8,
      routeTables: [{ key: "private-a", routeTableId: fromResource("rtb-0a", RTB) }],
      extraDestinationCidrBlocks: ["192.0.2.0/24"],
      alarmActions: ["arn:aws:sns:eu-west-1:123456789012:ops"],
      expectedTraffic: ldap(100_000),
      capacityCheck: "warn",
      tags: { team: "network" },
    },
  },
  {
    cls: AwsEgressNat,
    type: "natcap:index:AwsEgressNat",
    args: {
      vpcId: fromResource("vpc-0a", VPC, false),
      zones: [
        {
          availabilityZone: "eu-west-1a",
          publicSubnetId: fromResource("subnet-0a", SUBNET),
          privateRouteTables: [{ key: "a", routeTableId: fromResource("rtb-0a", RTB) }],
        },
        {
          availabilityZone: "eu-west-1b",
          publicSubnetId: "subnet-0b",
          privateRouteTables: [{ key: "b", routeTableId: "rtb-0b" }],
          ipKeys: ["1", "2", "3"],
        },
      ],
      ipCount: 2,
      eipQuota: 8,
      s3Endpoint: true,
      region: "eu-west-1",
      expectedTraffic: {
        destinations: [
          { name: "api", address: "198.51.100.7", port: 443, peakConnections: 20_000 },
          { name: "bucket", address: "52.218.0.1", port: 443, service: "s3", peakConnections: 900_000 },
        ],
      },
    },
  },
  {
    cls: AzureNatGateway,
    type: "natcap:index:AzureNatGateway",
    args: {
      resourceGroupName: fromResource("rg-net", RG, false),
      location: "westeurope",
      zone: "1",
      idleTimeoutInMinutes: 10,
      publicIpCount: 2,
      publicIpPrefixes: [{ key: "partners", prefixLength: 30 }],
      subnets: [
        { key: "app", virtualNetworkName: fromResource("vnet", VNET), addressPrefixes: ["10.1.0.0/24"] },
      ],
      alerts: {
        actionGroupIds: ["/subscriptions/s/resourceGroups/rg/providers/microsoft.insights/actionGroups/ops"],
      },
      expectedTraffic: ldap(120_000),
      autoSizeIps: true,
      tags: { team: "network" },
    },
  },
];

let provider: ComponentProvider;

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: mockState(args.type, args.name, args.inputs) };
      },
      call: (args) => args.inputs,
    },
    "proj",
    "dev",
    false,
  );
  provider = hostProvider();
  await provider.getSchema(); // construct needs the schema's output list; infer it once
}, 120_000);

beforeEach(() => {
  registered = [];
  resetSubnetRegistry();
});

/** Every registration, in a stable order. */
function snapshot(): Registered[] {
  return [...registered].sort((a, b) => `${a.type}::${a.name}`.localeCompare(`${b.type}::${b.name}`));
}

/** The outputs serialized for the wire, as the server answers a Construct call. */
async function wireState(state: Record<string, unknown>): Promise<Record<string, unknown>> {
  const [serialized] = await rpc.serializeResourceProperties("state", state as pulumi.Inputs);
  return serialized;
}

/** Waits for every outstanding resource registration (the server does the same before answering). */
const settled = () => (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();

describe("component plugin: construct through the host", () => {
  it("finds each class by name under the index module", () => {
    for (const c of cases) expect(c.type).toBe(`natcap:index:${c.cls.name}`);
  });

  it.each(cases)("$type builds the same resources remotely as locally", async ({ cls, type, args }) => {
    const outputKeys = Object.keys(JSON.parse(await provider.getSchema()).resources[type].properties);

    const Component = cls as unknown as new (n: string, a: unknown) => pulumi.ComponentResource;
    const local = new Component("egress", localArgs(args));
    const localState = await wireState(
      Object.fromEntries(outputKeys.map((k) => [k, (local as unknown as Record<string, unknown>)[k]])),
    );
    const localUrn = await new Promise((r) => local.urn.apply(r));
    await settled();
    const localResources = snapshot();

    registered = [];
    resetSubnetRegistry();
    const inputs = await engineInputs(args);
    const result = await provider.construct("egress", type, inputs as pulumi.Inputs, constructOptions);
    const remoteState = await wireState(result.state as Record<string, unknown>);
    const remoteUrn = await new Promise((r) => pulumi.output(result.urn).apply(r));
    await settled();
    const remoteResources = snapshot();

    expect(remoteUrn).toBe(localUrn);
    expect(String(remoteUrn)).toContain(`::${type}::egress`);
    expect(remoteResources.length).toBeGreaterThan(3);
    expect(remoteResources).toEqual(localResources);
    expect(Object.keys(remoteState).sort()).toEqual(Object.keys(localState).sort());
    expect(remoteState).toEqual(localState);
  });

  it("delivers output values from other resources as Outputs, plain values as plain values", async () => {
    const inputs = await engineInputs(cases[0].args);
    expect(pulumi.Output.isInstance(inputs.subnetId)).toBe(true);
    expect(inputs.ipKeys).toEqual(["blue", "green"]);
    const [table] = inputs.routeTables as { key: string; routeTableId: unknown }[];
    expect(table.key).toBe("private-a");
    expect(pulumi.Output.isInstance(table.routeTableId)).toBe(true);
    const legacy = await engineInputs({ vpcId: fromResource("vpc-0a", VPC, false) });
    expect(pulumi.Output.isInstance(legacy.vpcId)).toBe(true);
  });

  it("passes a construction error of the component back as the same error class", async () => {
    const { CapacityError } = await import("../../core/errors");
    const inputs = await engineInputs({
      ...cases[0].args,
      capacityCheck: "error",
      expectedTraffic: ldap(400_000),
    });
    await expect(
      provider.construct("tight", "natcap:index:AwsNatGateway", inputs, constructOptions),
    ).rejects.toThrow(CapacityError);
  });
});
