// aws-regional: one regional NAT gateway for the whole VPC instead of one gateway per zone. In manual
// mode each Availability Zone gets its own Elastic IPs (named by zone and key, so adding a zone or an
// IP never touches the others' addresses); every private route table points at the one gateway.
// Each zone holds up to 32 IPs and is sized for its own share of the traffic.
//
//   pulumi preview --policy-pack ../../policies
//   npx natcap check .                                  # no credentials needed
//
// In the natcap repository, `natcap` resolves to the repository itself (package self-reference; run
// `npm run build` first). Your own program installs it instead: `npm install natcap`.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { aws as natcap } from "natcap";

const config = new pulumi.Config();
const ipsPerZone = config.getNumber("ipsPerZone") ?? 2;
const zones = ["us-east-1a", "us-east-1b"];
// Share of the expected traffic each zone carries (its private subnets' share of the workloads).
const zoneShares: Record<string, number> = { "us-east-1a": 0.6, "us-east-1b": 0.4 };

const vpc = new aws.ec2.Vpc("shared", { cidrBlock: "10.20.0.0/16", tags: { Name: "shared" } });
new aws.ec2.InternetGateway("shared", { vpcId: vpc.id });

const routeTables = zones.map((az, i) => {
  const subnet = new aws.ec2.Subnet(`private-${az}`, {
    vpcId: vpc.id,
    availabilityZone: az,
    cidrBlock: `10.20.${16 * (i + 1)}.0/20`,
  });
  const table = new aws.ec2.RouteTable(`private-${az}`, { vpcId: vpc.id });
  new aws.ec2.RouteTableAssociation(`private-${az}`, { subnetId: subnet.id, routeTableId: table.id });
  return { key: az, routeTableId: table.id };
});

const nat = new natcap.NatGateway("regional", {
  availabilityMode: natcap.AvailabilityMode.Regional,
  vpcId: vpc.id,
  regionalZones: zones.map((availabilityZone) => ({
    availabilityZone,
    ipCount: ipsPerZone,
    trafficShare: zoneShares[availabilityZone],
  })),
  routeTables,
  // Capacity is per (zone, destination), fed by that zone's IPs only. The gateway's expected traffic
  // is split between the zones by their share of the workloads; each zone is checked on its own IPs.
  expectedTraffic: {
    destinations: [
      { name: "git", address: "140.82.112.3", port: 443, peakConnections: 30_000 },
      { name: "registry", address: "54.198.86.24", port: 443, peakConnections: 150_000 },
    ],
  },
});

export const natGatewayId = nat.natGatewayId;
export const egressIps = nat.publicIps;
