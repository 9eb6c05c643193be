// aws-zonal-egress: a VPC across three Availability Zones with public and private subnets, and one
// NAT gateway per zone (natcap's AwsEgressNat) with three Elastic IPs each, sized for an LDAP login
// peak that the default quota of two Elastic IPs per gateway could not carry.
//
//   pulumi preview --policy-pack ../../policies --policy-pack-config policy-config.json
//   npx natcap check . --policy-pack-config policy-config.json     # no credentials needed
//
// In the natcap repository, `natcap` resolves to the repository itself (package self-reference; run
// `npm run build` first). Your own program installs it instead: `npm install natcap`.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsEgressNat } from "natcap";
import { expectedTraffic } from "./traffic";

const config = new pulumi.Config();
const ipsPerGateway = config.getNumber("ipsPerGateway") ?? 3;
const eipQuota = config.getNumber("eipQuota") ?? 3;
const protectIps = config.getBoolean("protectIps") ?? true;

const zones = [
  { az: "us-east-1a", publicCidr: "10.0.0.0/24", privateCidr: "10.0.16.0/20" },
  { az: "us-east-1b", publicCidr: "10.0.1.0/24", privateCidr: "10.0.32.0/20" },
  { az: "us-east-1c", publicCidr: "10.0.2.0/24", privateCidr: "10.0.48.0/20" },
];

const vpc = new aws.ec2.Vpc("egress", {
  cidrBlock: "10.0.0.0/16",
  enableDnsHostnames: true,
  tags: { Name: "egress" },
});
const igw = new aws.ec2.InternetGateway("egress", { vpcId: vpc.id });
const publicRoutes = new aws.ec2.RouteTable("public", {
  vpcId: vpc.id,
  routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
});

const egressZones = zones.map((z) => {
  const publicSubnet = new aws.ec2.Subnet(`public-${z.az}`, {
    vpcId: vpc.id,
    availabilityZone: z.az,
    cidrBlock: z.publicCidr,
    tags: { Name: `public-${z.az}` },
  });
  new aws.ec2.RouteTableAssociation(`public-${z.az}`, {
    subnetId: publicSubnet.id,
    routeTableId: publicRoutes.id,
  });
  const privateSubnet = new aws.ec2.Subnet(`private-${z.az}`, {
    vpcId: vpc.id,
    availabilityZone: z.az,
    cidrBlock: z.privateCidr,
    tags: { Name: `private-${z.az}` },
  });
  const privateRoutes = new aws.ec2.RouteTable(`private-${z.az}`, { vpcId: vpc.id });
  new aws.ec2.RouteTableAssociation(`private-${z.az}`, {
    subnetId: privateSubnet.id,
    routeTableId: privateRoutes.id,
  });
  return {
    availabilityZone: z.az,
    publicSubnetId: publicSubnet.id,
    publicSubnetCidrBlock: z.publicCidr,
    privateRouteTables: [{ key: "app", routeTableId: privateRoutes.id }],
  };
});

// One gateway per zone, each zone's private subnets routed to its own gateway, and an S3 gateway
// endpoint so S3 traffic skips the NAT gateways (and their capacity check).
const egress = new AwsEgressNat("egress", {
  vpcId: vpc.id,
  zones: egressZones,
  ipCount: ipsPerGateway,
  eipQuota,
  protectIps,
  s3Endpoint: true,
  expectedTraffic,
});

export const vpcId = vpc.id;
export const natGatewayIds = egress.natGatewayIds;
/** The addresses to send to partners for their allow lists. */
export const egressIps = egress.publicIps;
export const capacity = egress.capacity;
