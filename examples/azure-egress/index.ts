// azure-egress: a NAT gateway for two application subnets of one virtual network, egressing from two
// public IPs and a /30 public IP prefix (six addresses in all; Azure counts every address of a prefix
// toward the 16 a gateway holds). IPs, prefix and subnets are keyed, so resizing touches only what
// changed.
//
//   pulumi preview --policy-pack ../../policies
//   npx natcap check .                                  # no credentials needed
//
// In the natcap repository, `natcap` resolves to the repository itself (package self-reference; run
// `npm run build` first). Your own program installs it instead: `npm install natcap`.
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import { azure } from "natcap";

const config = new pulumi.Config();
const publicIpCount = config.getNumber("publicIpCount") ?? 2;
const zone = config.get("zone") ?? "1";

const rg = new resources.ResourceGroup("egress");
const vnet = new network.VirtualNetwork("egress", {
  resourceGroupName: rg.name,
  addressSpace: { addressPrefixes: ["10.1.0.0/16"] },
});

const nat = new azure.NatGateway("egress", {
  resourceGroupName: rg.name,
  zone,
  publicIpCount,
  publicIpPrefixes: [{ key: "partners", prefixLength: 30 }],
  subnets: [
    { key: "web", virtualNetworkName: vnet.name, addressPrefixes: ["10.1.1.0/24"] },
    { key: "jobs", virtualNetworkName: vnet.name, addressPrefixes: ["10.1.2.0/24"] },
  ],
  // Any address with a free port serves a flow (pooled): 6 × 50,000 to one destination.
  expectedTraffic: {
    destinations: [
      { name: "crm-api", address: "20.50.2.10", port: 443, protocol: "tcp", peakConnections: 220_000 },
      { name: "dns", address: "168.63.129.16", port: 53, protocol: "udp", peakConnections: 5_000 },
    ],
  },
});

export const natGatewayId = nat.natGatewayId;
/** The addresses to send to partners for their allow lists: the public IPs and the prefix. */
export const egressIps = nat.publicIpAddresses;
export const egressPrefixes = nat.publicIpPrefixes;
