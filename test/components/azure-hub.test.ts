/**
 * Hub egress through Azure Firewall: a NAT gateway on AzureFirewallSubnet is allowed (GatewaySubnet
 * is not), and the spokes' expectations merge per endpoint into one pooled inventory.
 */
import { describe, expect, it } from "vitest";
import { aggregateHubTraffic, planAzureNatGateway } from "../../components/azure";
import { CapacityError, ValidationError } from "../../core/errors";
import { AZURE } from "../../core/limits";

const crm = (peakConnections: number) => ({
  destinations: [{ name: "crm-api", address: "20.50.2.10", port: 443, peakConnections }],
});
const hubArgs = (subnetName: string, publicIpCount: number, peaks: number[]) => ({
  resourceGroupName: "rg",
  publicIpCount,
  subnets: [{ key: "fw", name: subnetName, virtualNetworkName: "hub", addressPrefixes: ["10.0.1.0/26"] }],
  expectedTraffic: aggregateHubTraffic(peaks.map((p, i) => ({ key: `spoke${i}`, expectedTraffic: crm(p) })))
    .expectedTraffic,
});

describe("Azure hub egress", () => {
  it("merges one endpoint from several spokes into one destination, naming the spokes", () => {
    const hub = aggregateHubTraffic([
      { key: "payments", expectedTraffic: crm(40_000) },
      { key: "orders", expectedTraffic: crm(40_000) },
    ]);
    expect(hub.expectedTraffic?.destinations).toEqual([{ ...crm(80_000).destinations[0] }]);
    expect(hub.endpoints).toEqual([
      { name: "crm-api", endpoint: "20.50.2.10:443/tcp", spokes: ["payments", "orders"] },
    ]);
  });

  it("allows a NAT gateway on AzureFirewallSubnet and still refuses GatewaySubnet", () => {
    expect(() =>
      planAzureNatGateway("hub", hubArgs("AzureFirewallSubnet", 3, [40_000, 40_000, 40_000])),
    ).not.toThrow();
    expect(() => planAzureNatGateway("hub", hubArgs("GatewaySubnet", 3, [1]))).toThrow(ValidationError);
  });

  it("checks the spokes' sum against the pooled ports: each spoke fits alone, three do not on two IPs", () => {
    const per = AZURE.connectionsPerIpPerDestination.value;
    expect(() => planAzureNatGateway("hub", hubArgs("AzureFirewallSubnet", 2, [0.8 * per]))).not.toThrow();
    expect(() =>
      planAzureNatGateway("hub", hubArgs("AzureFirewallSubnet", 2, [0.8 * per, 0.8 * per, 0.8 * per])),
    ).toThrow(CapacityError);
  });
});
