// aws-regional-blocked: a regional NAT gateway written with plain provider resources (no natcap
// component to stop it at construction) that `pulumi preview --policy-pack` must block:
//
// - aws-nat-gateway-ip-limit: 33 Elastic IPs in us-east-1a; a regional NAT gateway holds at most 32
//   IPv4 addresses per Availability Zone;
// - nat-gateway-capacity: us-east-1b carries an expected registry peak of 90,000 connections
//   (policy-config.json, key "regional-egress/us-east-1b") on its 1 IP, which holds 55,000 to one
//   destination: capacity is per zone, fed by that zone's IPs only.
//
//   pulumi preview --policy-pack ../../policies --policy-pack-config policy-config.json   # fails
//   npx natcap check . --policy-pack-config policy-config.json    # exit code 1, no credentials needed
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { limits } from "natcap/sim";

const config = new pulumi.Config();
const ipsInZone = {
  // One past the per-zone limit (32, from natcap's limits table).
  "us-east-1a": config.getNumber("ipsInZoneA") ?? limits.AWS.regionalIpsPerAz.value + 1,
  "us-east-1b": config.getNumber("ipsInZoneB") ?? 1,
};

const vpc = new aws.ec2.Vpc("shared", { cidrBlock: "10.30.0.0/16" });
new aws.ec2.InternetGateway("shared", { vpcId: vpc.id });

new aws.ec2.NatGateway("regional-egress", {
  availabilityMode: "regional",
  connectivityType: "public",
  vpcId: vpc.id,
  availabilityZoneAddresses: Object.entries(ipsInZone).map(([availabilityZone, count]) => ({
    availabilityZone,
    allocationIds: Array.from(
      { length: count },
      (_, i) => new aws.ec2.Eip(`egress-${availabilityZone}-${i + 1}`, { domain: "vpc" }).allocationId,
    ),
  })),
});
