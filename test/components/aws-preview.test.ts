import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { AwsEgressNat, AwsNatGateway, type AwsNatGatewayArgs } from "../../components/aws";
import { LimitError } from "../../core/errors";
import { ofType, T, urnsOf, useMocks, value } from "./aws-mocks";

const base: AwsNatGatewayArgs = {
  subnetId: "subnet-1",
  ipKeys: ["a", "b", "c"],
  eipQuota: 8,
  routeTables: [{ key: "app", routeTableId: "rtb-app" }],
  expectedTraffic: {
    destinations: [{ name: "ldap", address: "203.0.113.10", port: 636, peakConnections: 90_000 }],
  },
};

beforeEach(async () => {
  vi.spyOn(pulumi.log, "warn").mockImplementation(async () => {});
  await useMocks(true);
});

describe("preview with unknown values", () => {
  it("checks what is known now: the number of allocation IDs, even when the IDs are unknown", () => {
    const unknownId = new aws.ec2.Vpc("vpc-a", {}).id;
    expect(
      () =>
        new AwsNatGateway("byoip", {
          subnetId: "s",
          existingIps: Array.from({ length: 9 }, (_, i) => ({ key: `k${i}`, allocationId: unknownId })),
        }),
    ).toThrow(LimitError);
  });

  it("defers the subnet CIDR check while the CIDR is unknown, and still plans the gateway", async () => {
    const vpc = new aws.ec2.Vpc("vpc-b", {});
    const gw = new AwsNatGateway("pv", {
      ...base,
      subnetCidrBlock: vpc.cidrBlock, // unknown in preview; would fail when known (1000 in use)
      subnetAddressesInUse: 1000,
      existingIps: [{ key: "byoip", allocationId: vpc.id }],
    });
    await urnsOf([gw, gw.natGateway, ...Object.values(gw.eips), ...Object.values(gw.routes)]);
    expect(ofType(T.nat).map((n) => n.name)).toEqual(["pv"]);
    expect(await value(gw.subnetFreeAddresses)).toBeUndefined();
    expect(await value(gw.natGatewayId)).toBeUndefined();
    expect(await value(gw.allocationIds)).toBeUndefined();
    expect(gw.capacity?.ips).toBe(4);
    expect(Object.keys(gw.associations).sort()).toEqual(["a", "b", "c"]);
  });

  it("AwsEgressNat registers per-zone gateways with unknown subnet IDs", async () => {
    const vpc = new aws.ec2.Vpc("vpc-c", {});
    const egress = new AwsEgressNat("eg", {
      vpcId: vpc.id,
      region: "eu-west-1",
      s3Endpoint: true,
      zones: ["a", "b"].map((z) => ({
        availabilityZone: `eu-west-1${z}`,
        publicSubnetId: vpc.id,
        privateRouteTables: [{ key: "private", routeTableId: vpc.defaultRouteTableId }],
      })),
    });
    await urnsOf([egress, ...Object.values(egress.gateways()), ...Object.values(egress.endpoints)]);
    await urnsOf(Object.values(egress.gateways()).map((g) => g.natGateway));
    expect(ofType(T.nat).map((n) => n.name)).toEqual(["eg-eu-west-1a", "eg-eu-west-1b"]);
    expect(ofType(T.endpoint)[0].inputs.serviceName).toBe("com.amazonaws.eu-west-1.s3");
  });
});
