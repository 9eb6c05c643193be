// aws-central-egress-blocked: the three spokes of examples/aws-central-egress, but most of their
// workloads run in us-east-1a: 70% of each spoke's 60,000 connections to the partner API leave
// through that zone. Each spoke alone fits (42,000 on us-east-1a's two Elastic IPs), and us-east-1b
// carries its 3 × 18,000 = 54,000; but us-east-1a's NAT gateway gets 3 × 42,000 = 126,000
// connections to one endpoint, one port inventory whichever spoke they come from, and two IPs
// (55,000 each to one destination, hashed) cannot hold them. AwsCentralEgress refuses the program,
// naming the zone, the endpoint and the spokes that feed it.
//
//   pulumi preview                     # fails: CapacityError
//   npx natcap check .                 # exit code 1, no credentials needed
//
// In the natcap repository, `natcap` resolves to the repository itself (package self-reference; run
// `npm run build` first). Your own program installs it instead: `npm install natcap`.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsCentralEgress, type aws as natcap } from "natcap";

const config = new pulumi.Config();
const ipsPerZone = config.getNumber("ipsPerZone") ?? 2;
const zones = ["us-east-1a", "us-east-1b"];
/** Each spoke's share of its traffic leaving through each zone. */
const busiestZoneShare = [0.7, 0.3];

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
      trafficShare: busiestZoneShare[i],
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
