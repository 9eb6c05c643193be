// aws-central-egress: the AWS whitepaper's centralised egress ("Using NAT gateway for centralized
// egress"). Three spoke VPCs send their internet traffic through a Transit Gateway to one egress VPC
// with a NAT gateway per Availability Zone (natcap's AwsCentralEgress). Each spoke opens up to
// 60,000 connections to the same partner API, split evenly over its two zones: every zone's NAT
// gateway carries 3 × 30,000 = 90,000 connections to that one endpoint, one port inventory whichever
// spoke they come from, so each needs two Elastic IPs.
//
//   pulumi preview --policy-pack ../../policies
//   npx natcap check .                 # no credentials needed
//
// In the natcap repository, `natcap` resolves to the repository itself (package self-reference; run
// `npm run build` first). Your own program installs it instead: `npm install natcap`.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsCentralEgress, type aws as natcap } from "natcap";

const config = new pulumi.Config();
const ipsPerZone = config.getNumber("ipsPerZone") ?? 2;
const zones = ["us-east-1a", "us-east-1b"];

// The egress VPC: a public subnet (the NAT gateway) and a Transit Gateway subnet per zone.
const egressVpc = new aws.ec2.Vpc("egress", { cidrBlock: "10.0.0.0/16", tags: { Name: "egress" } });
const igw = new aws.ec2.InternetGateway("egress", { vpcId: egressVpc.id });
const egressZones = zones.map((az, i) => {
  const subnet = (kind: string, cidr: string) => {
    const s = new aws.ec2.Subnet(`egress-${kind}-${az}`, {
      vpcId: egressVpc.id,
      availabilityZone: az,
      cidrBlock: cidr,
    });
    const rt = new aws.ec2.RouteTable(`egress-${kind}-${az}`, { vpcId: egressVpc.id });
    new aws.ec2.RouteTableAssociation(`egress-${kind}-${az}`, { subnetId: s.id, routeTableId: rt.id });
    return { s, rt };
  };
  const pub = subnet("public", `10.0.${i}.0/24`);
  const tgw = subnet("tgw", `10.0.${100 + i}.0/28`);
  return {
    availabilityZone: az,
    publicSubnetId: pub.s.id,
    publicSubnetCidrBlock: `10.0.${i}.0/24`,
    publicRouteTableId: pub.rt.id,
    attachmentSubnetId: tgw.s.id,
    attachmentRouteTableId: tgw.rt.id,
  };
});

/** A spoke VPC with an attachment subnet per zone and a private route table for its workloads. */
function spokeVpc(key: string, n: number, peakConnections: number): natcap.CentralEgressSpokeArgs {
  const vpc = new aws.ec2.Vpc(`spoke-${key}`, { cidrBlock: `10.${n}.0.0/16`, tags: { Name: key } });
  const privateRoutes = new aws.ec2.RouteTable(`spoke-${key}-private`, { vpcId: vpc.id });
  return {
    key,
    vpcId: vpc.id,
    cidrBlock: `10.${n}.0.0/16`,
    zones: zones.map((az, i) => ({
      availabilityZone: az,
      subnetId: new aws.ec2.Subnet(`spoke-${key}-tgw-${az}`, {
        vpcId: vpc.id,
        availabilityZone: az,
        cidrBlock: `10.${n}.${200 + i}.0/28`,
      }).id,
    })),
    routeTables: [{ key: "private", routeTableId: privateRoutes.id }],
    expectedTraffic: {
      destinations: [{ name: "partner-api", address: "203.0.113.10", port: 443, peakConnections }],
    },
  };
}

const hub = new AwsCentralEgress("hub", {
  vpcId: egressVpc.id,
  internetGatewayId: igw.id,
  zones: egressZones,
  ipCount: ipsPerZone,
  spokes: [spokeVpc("payments", 1, 60_000), spokeVpc("orders", 2, 60_000), spokeVpc("search", 3, 60_000)],
});

export const transitGatewayId = hub.transitGatewayId;
/** The addresses to send to partners for their allow lists, by zone. */
export const egressIps = hub.publicIps;
export const capacity = hub.capacity;
