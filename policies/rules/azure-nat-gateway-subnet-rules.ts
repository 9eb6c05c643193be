/**
 * azure-nat-gateway-subnet-rules [mandatory]: a NAT gateway cannot serve GatewaySubnet, its subnets
 * must all be in one virtual network, and a subnet takes only one NAT gateway. AzureFirewallSubnet
 * may take one: it is Azure's documented fix for Azure Firewall's SNAT exhaustion ("Scale SNAT ports
 * with Azure NAT Gateway"), so hub egress through the firewall passes.
 *
 * Each subnet's own virtual network is resolved (an inline subnet's VNet, the VirtualNetwork a Subnet
 * references, its literal ARM ID, or literal resource group and VNet names) and compared by the
 * shared decision of core/checks-azure (`oneVnetVerdict`, the component's too): what preview can
 * decide is decided — different literal VNet names, or different known groups or subscriptions, are
 * different networks — and what it cannot is reported as "cannot be evaluated during preview",
 * never passed.
 *
 * @module
 */

import { oneVnetVerdict } from "../../core/checks-azure";
import { AZURE } from "../../core/limits";
import { type AzureSubnetLink, atPreview, azureSubnets, describeVnet, vnetKey } from "../lib/azure";
import { isUnknown } from "../lib/props";
import { defineStackRule } from "../lib/rule";
import { ofType, type Res, TYPES } from "../lib/stack";

function where(s: AzureSubnetLink): string {
  const n = typeof s.name === "string" ? `subnet "${s.name}"` : "a subnet";
  return s.declaredBy.type.endsWith(":VirtualNetwork")
    ? `${n} of VirtualNetwork "${s.declaredBy.name}"`
    : `${n} (Subnet "${s.declaredBy.name}")`;
}

/** The policy. */
export const azureNatGatewaySubnetRules = defineStackRule({
  id: "azure-nat-gateway-subnet-rules",
  description:
    "An Azure NAT gateway cannot serve GatewaySubnet, serves subnets of one virtual network only, and a subnet takes one NAT gateway.",
  enforcementLevel: "mandatory",
  remediation:
    "Remove the natGateway from GatewaySubnet (VPN/ExpressRoute gateways cannot use NAT gateway); give each virtual " +
    "network its own NAT gateway; point each subnet at exactly one NAT gateway.",
  url: AZURE.maxPublicIpAddresses.source,
  check: ({ stack, report }) => {
    const links = azureSubnets(stack).filter((s) => s.gateway !== undefined);
    for (const s of links) {
      const gwName = typeof s.gateway === "object" ? `NAT gateway "${s.gateway.name}"` : "a NAT gateway";
      if (typeof s.name === "string" && s.name.toLowerCase() === "gatewaysubnet") {
        report.violation(
          gwName,
          `${where(s)} is GatewaySubnet, which cannot use a NAT gateway`,
          "remove natGateway from GatewaySubnet",
          s.declaredBy.urn,
        );
      } else if (isUnknown(s.name)) {
        report.cannotEvaluate(
          gwName,
          `the name of ${where(s)} is unknown, so it may be GatewaySubnet`,
          s.declaredBy.urn,
        );
      }
    }
    for (const gw of ofType(stack, TYPES.azureNatGateway)) {
      const mine = links.filter((s) => s.gateway === gw);
      const verdict = oneVnetVerdict(mine.map((s) => atPreview(s.vnet)));
      if (verdict.kind === "different") {
        const [a, b] = verdict.pair.map((i) => mine[i]);
        report.violation(
          `NAT gateway "${gw.name}"`,
          `its subnets are in ${verdict.networks} virtual networks: ${where(a)} is in ${describeVnet(a.vnet)}, ` +
            `${where(b)} in ${describeVnet(b.vnet)}`,
          "a NAT gateway serves the subnets of one virtual network: give each virtual network its own NAT gateway",
          gw.urn,
        );
      } else if (verdict.kind === "unknown") {
        const [a, b] = verdict.pair.map((i) => mine[i]);
        report.cannotEvaluate(
          `NAT gateway "${gw.name}"`,
          `whether ${where(a)} (${describeVnet(a.vnet)}) and ${where(b)} ` +
            `(${describeVnet(b.vnet)}) are in one virtual network depends on values unknown during preview`,
          gw.urn,
        );
      }
      const maybe = links.filter((s) => s.gateway === "unknown");
      if (maybe.length > 0 && mine.length > 0) {
        report.cannotEvaluate(
          `NAT gateway "${gw.name}"`,
          `the gateway of ${maybe.map(where).join(", ")} is unknown`,
          gw.urn,
        );
      }
    }
    // One NAT gateway per subnet: the same subnet (VNet + name) declared twice with different gateways.
    const bySubnet = new Map<string, { link: AzureSubnetLink; gw: Res }[]>();
    for (const s of links) {
      const vnet = vnetKey(s.vnet);
      if (typeof s.name !== "string" || vnet === undefined || typeof s.gateway !== "object") continue;
      const key = `${vnet}/${s.name.toLowerCase()}`; // Azure names are case-insensitive
      bySubnet.set(key, [...(bySubnet.get(key) ?? []), { link: s, gw: s.gateway }]);
    }
    for (const entries of bySubnet.values()) {
      const gws = [...new Set(entries.map((e) => e.gw))];
      if (gws.length > 1) {
        report.violation(
          where(entries[0].link),
          `is given ${gws.length} NAT gateways (${gws.map((g) => `"${g.name}"`).join(", ")}) by ${entries.map((e) => `${e.link.declaredBy.type.split(":").pop()} "${e.link.declaredBy.name}"`).join(" and ")}`,
          "a subnet takes one NAT gateway: keep one association and remove the others",
          entries[0].link.declaredBy.urn,
        );
      }
    }
  },
});
