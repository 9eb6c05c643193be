// azure-hub-firewall-egress: Azure's documented fix for Azure Firewall's SNAT exhaustion ("Scale SNAT
// ports with Azure NAT Gateway"): a NAT gateway on the hub's AzureFirewallSubnet takes over outbound
// SNAT, with 64,512 ports per public IP instead of the firewall's 2,496 per IP per instance. Every
// spoke's internet traffic leaves through that one NAT gateway, so the same endpoint reached from
// several spokes is one port inventory there: the gateway's expectation is the spokes' merged per
// endpoint (aggregateHubTraffic). Three spokes of 40,000 connections to one CRM API are 120,000
// connections to one destination: three public IPs (50,000 each, pooled).
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
const publicIpCount = config.getNumber("publicIpCount") ?? 3;

const rg = new resources.ResourceGroup("hub");
const hub = new network.VirtualNetwork("hub", {
  resourceGroupName: rg.name,
  addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
});

const crm = (peakConnections: number) => ({
  destinations: [{ name: "crm-api", address: "20.50.2.10", port: 443, peakConnections }],
});
const hubTraffic = azure.aggregateHubTraffic([
  { key: "payments", expectedTraffic: crm(40_000) },
  { key: "orders", expectedTraffic: crm(40_000) },
  { key: "search", expectedTraffic: crm(40_000) },
]);

// The NAT gateway on AzureFirewallSubnet (allowed; GatewaySubnet is not).
const nat = new azure.NatGateway("hub-egress", {
  resourceGroupName: rg.name,
  zone: "1",
  publicIpCount,
  subnets: [
    {
      key: "firewall",
      name: "AzureFirewallSubnet",
      virtualNetworkName: hub.name,
      addressPrefixes: ["10.0.1.0/26"],
    },
  ],
  expectedTraffic: hubTraffic.expectedTraffic,
});

// The firewall in that subnet; the spokes' route tables send 0.0.0.0/0 to its private IP.
const management = new network.PublicIPAddress("firewall", {
  resourceGroupName: rg.name,
  sku: { name: "Standard" },
  publicIPAllocationMethod: "Static",
});
const firewall = new network.AzureFirewall("hub", {
  resourceGroupName: rg.name,
  sku: { name: "AZFW_VNet", tier: "Standard" },
  ipConfigurations: [
    { name: "ipconfig", subnet: { id: nat.subnetIds[0] }, publicIPAddress: { id: management.id } },
  ],
});

export const natGatewayId = nat.natGatewayId;
/** The addresses partners see for every spoke's traffic: the NAT gateway's, not the firewall's. */
export const egressIps = nat.publicIpAddresses;
export const firewallPrivateIp = firewall.ipConfigurations.apply((c) => c?.[0]?.privateIPAddress);
/** Each endpoint with the spokes that feed it. */
export const endpoints = hubTraffic.endpoints;
