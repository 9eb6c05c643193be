/**
 * azure-nat-gateway-public-ip-sku [mandatory]: the public IPs and prefixes attached to an Azure NAT
 * gateway must be of the gateway's SKU (Standard for a Standard gateway), static, IPv4, without DDoS
 * protection and without routing preference Internet.
 *
 * @module
 */
import { AZURE } from "../../core/limits";
import { azureGateways, gatewaySku } from "../lib/azure";
import { at, isUnknown } from "../lib/props";
import type { Reporter } from "../lib/report";
import { defineStackRule } from "../lib/rule";
import type { Res } from "../lib/stack";

function checkAttachment(
  report: Reporter,
  gwName: string,
  gwSku: string,
  res: Res,
  kind: "PublicIPAddress" | "PublicIPPrefix",
  urn: string,
  family: "IPv4" | "IPv6" = "IPv4",
) {
  const subject = `NAT gateway "${gwName}": ${kind} "${res.name}"`;
  const unknown: string[] = [];
  const sku = at(res.props, "sku.name");
  if (isUnknown(sku)) unknown.push("sku.name");
  else if (sku === undefined)
    report.violation(
      subject,
      `sku is not set; a NAT gateway only takes ${gwSku} ${kind === "PublicIPAddress" ? "public IPs" : "prefixes"}`,
      `set sku: { name: "${gwSku}" }`,
      urn,
    );
  else if (sku !== gwSku)
    report.violation(
      subject,
      `sku ${JSON.stringify(sku)} does not match the ${gwSku} NAT gateway`,
      `set sku: { name: "${gwSku}" }`,
      urn,
    );
  const version = at(res.props, "publicIPAddressVersion");
  if (isUnknown(version)) unknown.push("publicIPAddressVersion");
  // An address of StandardV2's IPv6 lists is IPv6 by construction; its SKU and the rest still count.
  else if (family === "IPv4" && version !== undefined && version !== "IPv4")
    report.violation(
      subject,
      `publicIPAddressVersion ${JSON.stringify(version)}: a Standard NAT gateway uses IPv4 only`,
      'use publicIPAddressVersion: "IPv4"',
      urn,
    );
  const tags = at(res.props, "ipTags");
  if (isUnknown(tags)) unknown.push("ipTags");
  else if (Array.isArray(tags)) {
    for (const t of tags) {
      const type = at(t, "ipTagType");
      const tag = at(t, "tag");
      if (isUnknown(type) || isUnknown(tag)) unknown.push("ipTags");
      else if (String(type).toLowerCase() === "routingpreference" && String(tag).toLowerCase() === "internet")
        report.violation(
          subject,
          "routing preference Internet is set; NAT gateway does not take such addresses",
          "remove the RoutingPreference=Internet ipTag (use Microsoft network routing)",
          urn,
        );
    }
  }
  if (kind === "PublicIPAddress") {
    const method = at(res.props, "publicIPAllocationMethod");
    if (isUnknown(method)) unknown.push("publicIPAllocationMethod");
    else if (method !== undefined && method !== "Static")
      report.violation(
        subject,
        `publicIPAllocationMethod ${JSON.stringify(method)}: NAT gateway needs static addresses`,
        'set publicIPAllocationMethod: "Static"',
        urn,
      );
    const ddos = at(res.props, "ddosSettings.protectionMode");
    if (isUnknown(ddos)) unknown.push("ddosSettings.protectionMode");
    else if (ddos === "Enabled")
      report.violation(
        subject,
        "DDoS IP protection is enabled; NAT gateway does not take DDoS-protected public IPs",
        "remove ddosSettings.protectionMode Enabled (protect the virtual network instead)",
        urn,
      );
  }
  if (unknown.length > 0) report.cannotEvaluate(subject, `${[...new Set(unknown)].join(", ")} unknown`, urn);
}

/** The policy. */
export const azureNatGatewayPublicIpSku = defineStackRule({
  id: "azure-nat-gateway-public-ip-sku",
  description:
    "Public IPs and prefixes on an Azure NAT gateway must be Standard SKU, static, IPv4, without DDoS protection or routing preference Internet.",
  enforcementLevel: "mandatory",
  remediation:
    'Create the addresses with sku: { name: "Standard" }, publicIPAllocationMethod: "Static", publicIPAddressVersion: ' +
    '"IPv4", no ddosSettings.protectionMode "Enabled" and no RoutingPreference ipTag; addresses that break one of these ' +
    "cannot be attached, so replace them rather than editing in place.",
  url: AZURE.maxPublicIpAddresses.source,
  check: ({ stack, report }) => {
    for (const g of azureGateways(stack)) {
      const sku = gatewaySku(g.gw);
      if (isUnknown(sku)) {
        report.cannotEvaluate(`NAT gateway "${g.gw.name}"`, "its sku is unknown", g.gw.urn);
        continue;
      }
      for (const ip of g.publicIps) checkAttachment(report, g.gw.name, sku, ip, "PublicIPAddress", ip.urn);
      for (const p of g.prefixes) checkAttachment(report, g.gw.name, sku, p, "PublicIPPrefix", p.urn);
      for (const ip of g.publicIpsV6)
        checkAttachment(report, g.gw.name, sku, ip, "PublicIPAddress", ip.urn, "IPv6");
      for (const p of g.prefixesV6)
        checkAttachment(report, g.gw.name, sku, p, "PublicIPPrefix", p.urn, "IPv6");
      const unmatched = g.unresolvedIps + g.unresolvedPrefixes;
      const listsUnknown = [...g.publicIpCount.unknowns, ...g.prefixCount.unknowns];
      if (unmatched > 0 || listsUnknown.length > 0) {
        const why = listsUnknown.length
          ? `${listsUnknown.join(" and ")} unknown`
          : `${unmatched} attached address${unmatched === 1 ? "" : "es"} not matched to a resource in this stack (ID unknown, or defined elsewhere)`;
        report.cannotEvaluate(`NAT gateway "${g.gw.name}"`, why, g.gw.urn);
      }
    }
  },
});
