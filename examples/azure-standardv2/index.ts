// azure-standardv2: a StandardV2 NAT gateway (zone-redundant, so no zone) for one application subnet,
// egressing from four public IPs and a /29 public IP prefix (twelve addresses of the 16 IPv4 a
// StandardV2 gateway holds), plus two public IPv6 addresses and a /126 IPv6 prefix (six of the 16
// IPv6). azure-native's typed network resources know only the Standard SKU, so natcap creates the
// gateway, the IPs and the prefixes as generic resources at network API version 2025-01-01, under the
// same keyed names as a Standard gateway. The expectation has an IPv6 destination too: its SNAT
// ports come from the six IPv6 addresses, not from the IPv4 ones.
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
  publicIpPrefixesV6: [{ key: "partners-v6", prefixLength: 126 }],
  subnets: [{ key: "app", virtualNetworkName: vnet.name, addressPrefixes: ["10.2.1.0/24"] }],
  // Same SNAT model as Standard: any address with a free port serves a flow, 12 × 50,000 to one IPv4
  // destination; the IPv6 destination is served by the 6 IPv6 addresses (6 × 50,000).
  expectedTraffic: {
    destinations: [
      { name: "payments-api", address: "20.50.2.20", port: 443, protocol: "tcp", peakConnections: 450_000 },
      {
        name: "payments-api-v6",
        address: "2001:db8:50::20",
        port: 443,
        protocol: "tcp",
        peakConnections: 240_000,
      },
    ],
  },
});

export const natGatewayId = nat.natGatewayId;
/** The addresses to send to partners for their allow lists: the public IPs and the prefix. */
export const egressIps = nat.publicIpAddresses;
export const egressPrefixes = nat.publicIpPrefixes;
export const egressIpsV6 = nat.publicIpV6Addresses;
export const egressPrefixesV6 = nat.publicIpPrefixesV6;
