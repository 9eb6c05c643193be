/**
 * azure-nat-gateway-subnet-rules [mandatory]: a NAT gateway cannot serve GatewaySubnet, its subnets
 * must all be in one virtual network, and a subnet takes only one NAT gateway.
 *
 * @module
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { AZURE } from "../../sim/limits";
import { type AzureSubnetLink, azureSubnets } from "../lib/azure";
import { isUnknown } from "../lib/props";
import { reporter } from "../lib/report";
import { ofType, type Res, snapshot, TYPES } from "../lib/stack";

function where(s: AzureSubnetLink): string {
  const n = typeof s.name === "string" ? `subnet "${s.name}"` : "a subnet";
  return s.declaredBy.type.endsWith(":VirtualNetwork")
    ? `${n} of VirtualNetwork "${s.declaredBy.name}"`
    : `${n} (Subnet "${s.declaredBy.name}")`;
}

/** The policy. */
export const azureNatGatewaySubnetRules: StackValidationPolicy = {
  name: "azure-nat-gateway-subnet-rules",
  description:
    "An Azure NAT gateway cannot serve GatewaySubnet, serves subnets of one virtual network only, and a subnet takes one NAT gateway.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Remove the natGateway from GatewaySubnet (VPN/ExpressRoute gateways cannot use NAT gateway); give each virtual " +
    "network its own NAT gateway; point each subnet at exactly one NAT gateway.",
  url: AZURE.maxPublicIpAddresses.source,
  validateStack: (args, reportViolation) => {
    const r = reporter(azureNatGatewaySubnetRules.description, reportViolation);
    const stack = snapshot(args.resources);
    const links = azureSubnets(stack).filter((s) => s.gateway !== undefined);
    for (const s of links) {
      const gwName = typeof s.gateway === "object" ? `NAT gateway "${s.gateway.name}"` : "a NAT gateway";
      if (typeof s.name === "string" && s.name.toLowerCase() === "gatewaysubnet") {
        r.violation(
          gwName,
          `${where(s)} is GatewaySubnet, which cannot use a NAT gateway`,
          "remove natGateway from GatewaySubnet",
          s.declaredBy.urn,
        );
      } else if (isUnknown(s.name)) {
        r.cannotEvaluate(
          gwName,
          `the name of ${where(s)} is unknown, so it may be GatewaySubnet`,
          s.declaredBy.urn,
        );
      }
    }
    for (const gw of ofType(stack, TYPES.azureNatGateway)) {
      const mine = links.filter((s) => s.gateway === gw);
      const vnets = new Set(mine.map((s) => s.vnet).filter((v): v is string => typeof v === "string"));
      if (vnets.size > 1) {
        r.violation(
          `NAT gateway "${gw.name}"`,
          `its subnets are in ${vnets.size} virtual networks (${mine.map(where).join(", ")})`,
          "use one NAT gateway per virtual network",
          gw.urn,
        );
      } else if (mine.some((s) => isUnknown(s.vnet)) && mine.length > 1) {
        r.cannotEvaluate(
          `NAT gateway "${gw.name}"`,
          "the virtual network of some of its subnets is unknown",
          gw.urn,
        );
      }
      const maybe = links.filter((s) => s.gateway === "unknown");
      if (maybe.length > 0 && mine.length > 0) {
        r.cannotEvaluate(
          `NAT gateway "${gw.name}"`,
          `the gateway of ${maybe.map(where).join(", ")} is unknown`,
          gw.urn,
        );
      }
    }
    // One NAT gateway per subnet: the same subnet (VNet + name) declared twice with different gateways.
    const bySubnet = new Map<string, { link: AzureSubnetLink; gw: Res }[]>();
    for (const s of links) {
      if (typeof s.name !== "string" || typeof s.vnet !== "string" || typeof s.gateway !== "object") continue;
      const key = `${s.vnet}/${s.name}`;
      bySubnet.set(key, [...(bySubnet.get(key) ?? []), { link: s, gw: s.gateway }]);
    }
    for (const entries of bySubnet.values()) {
      const gws = [...new Set(entries.map((e) => e.gw))];
      if (gws.length > 1) {
        r.violation(
          where(entries[0].link),
          `is given ${gws.length} NAT gateways (${gws.map((g) => `"${g.name}"`).join(", ")}) by ${entries.map((e) => `${e.link.declaredBy.type.split(":").pop()} "${e.link.declaredBy.name}"`).join(" and ")}`,
          "a subnet takes one NAT gateway: keep one association and remove the others",
          entries[0].link.declaredBy.urn,
        );
      }
    }
  },
};
