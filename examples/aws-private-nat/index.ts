// aws-private-nat: a private NAT gateway that translates the application subnets to a few private
// IPs of a routable subnet before traffic crosses the transit gateway to a partner's network (the
// partner allow-lists those IPs). The secondary IPs are listed by address, so adding one later does
// not replace the gateway (changing a count would).
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
const partnerCidr = config.get("partnerCidr") ?? "10.200.0.0/16";
const transitGatewayId = config.get("transitGatewayId") ?? "tgw-0123456789abcdef0";

const vpc = new aws.ec2.Vpc("settlement", { cidrBlock: "10.30.0.0/16", tags: { Name: "settlement" } });

// The routable subnet the gateway's private IPs come from (each IP takes one of its addresses).
const transitCidr = "10.30.0.0/27";
const transit = new aws.ec2.Subnet("transit", {
  vpcId: vpc.id,
  availabilityZone: "us-east-1a",
  cidrBlock: transitCidr,
});
new aws.ec2transitgateway.VpcAttachment("partner", {
  vpcId: vpc.id,
  subnetIds: [transit.id],
  transitGatewayId,
});
const transitRoutes = new aws.ec2.RouteTable("transit", {
  vpcId: vpc.id,
  routes: [{ cidrBlock: partnerCidr, transitGatewayId }],
});
new aws.ec2.RouteTableAssociation("transit", { subnetId: transit.id, routeTableId: transitRoutes.id });

const app = new aws.ec2.Subnet("app", {
  vpcId: vpc.id,
  availabilityZone: "us-east-1a",
  cidrBlock: "10.30.16.0/20",
});
const appRoutes = new aws.ec2.RouteTable("app", { vpcId: vpc.id });
new aws.ec2.RouteTableAssociation("app", { subnetId: app.id, routeTableId: appRoutes.id });

const nat = new natcap.NatGateway("partner", {
  connectivityType: natcap.ConnectivityType.Private,
  subnetId: transit.id,
  subnetCidrBlock: transitCidr,
  // Primary plus three secondaries: four source IPs for the partner's allow list.
  secondaryPrivateIpAddresses: ["10.30.0.10", "10.30.0.11", "10.30.0.12"],
  routeTables: [{ key: "app", routeTableId: appRoutes.id }],
  // Only the partner's network goes through this gateway; the internet is not reachable from it.
  defaultRoute: false,
  extraDestinationCidrBlocks: [partnerCidr],
  // The nightly settlement batch opens up to 180,000 connections to one partner endpoint.
  expectedTraffic: {
    destinations: [{ name: "settlement-api", address: "10.200.4.10", port: 443, peakConnections: 180_000 }],
  },
});

export const natGatewayId = nat.natGatewayId;
export const sourceIps = nat.privateIps;
