// azure-standardv2: a StandardV2 NAT gateway (zone-redundant, so no zone) for one application subnet,
// egressing from four public IPs and a /29 public IP prefix (twelve addresses of the 16 IPv4 a
// StandardV2 gateway holds), plus two public IPv6 addresses (of 16). azure-native's typed network resources know only the Standard SKU, so
// natcap creates the gateway, the IPs and the prefix as generic resources at network API version
// 2025-01-01, under the same keyed names as a Standard gateway.
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
const publicIpCount = config.getNumber("publicIpCount") ?? 4;

const rg = new resources.ResourceGroup("egress");
const vnet = new network.VirtualNetwork("egress", {
  resourceGroupName: rg.name,
  addressSpace: { addressPrefixes: ["10.2.0.0/16"] },
});

const nat = new azure.NatGateway("egress", {
  resourceGroupName: rg.name,
  // The generic resources are given the region explicitly.
  location: rg.location,
  sku: azure.AzureNatGatewaySku.StandardV2,
  publicIpCount,
  publicIpPrefixes: [{ key: "partners", prefixLength: 29 }],
  publicIpV6Count: 2,
  subnets: [{ key: "app", virtualNetworkName: vnet.name, addressPrefixes: ["10.2.1.0/24"] }],
  // Same SNAT model as Standard: any address with a free port serves a flow, 12 × 50,000 to one destination.
  expectedTraffic: {
    destinations: [
      { name: "payments-api", address: "20.50.2.20", port: 443, protocol: "tcp", peakConnections: 450_000 },
    ],
  },
});

export const natGatewayId = nat.natGatewayId;
/** The addresses to send to partners for their allow lists: the public IPs and the prefix. */
export const egressIps = nat.publicIpAddresses;
export const egressPrefixes = nat.publicIpPrefixes;
export const egressIpsV6 = nat.publicIpV6Addresses;
