/**
 * azure-nat-gateway-ip-limit [mandatory]: an Azure NAT gateway uses at most 16 public IPv4 addresses
 * across public IPs and prefixes (a prefix counts whole), and takes prefixes of /28 to /31 only; IPv6
 * addresses only on StandardV2 (at most 16, IPv6 prefixes /124 to /127 counted whole). Gateways created through azure-native's generic
 * Resource (StandardV2 at API 2025-01-01) are checked the same way (policies/lib/azureGeneric.ts).
 *
 * @module
 */
import { checkAzureIps } from "../../core/checks";
import { checkAzureIpv6PrefixLengths, checkAzureSkuAddresses } from "../../core/checks-azure";
import { AZURE } from "../../core/limits";
import { type AzureGateway, azureAddresses, azureAddressesV6, azureGateways, gatewaySku } from "../lib/azure";
import { isUnknown } from "../lib/props";
import type { Reporter } from "../lib/report";
import { defineStackRule } from "../lib/rule";

const max = AZURE.maxPublicIpAddresses.value;
const smallest = AZURE.prefixLengthMax.value;

/**
 * IPv6 addresses (API 2025-01-01 `publicIpAddressesV6`, `publicIpPrefixesV6`): none on a Standard
 * gateway, at most 16 on StandardV2 with each IPv6 prefix counted whole (/124 to /127). Prefixes of
 * unknown size count as /127 (2 addresses), the smallest.
 */
function checkIpv6(report: Reporter, g: AzureGateway, subject: string): void {
  const gw = g.gw;
  const count = azureAddressesV6(g);
  if (count.publicIps + count.prefixLengths.length === 0) {
    if (count.unknowns.length > 0 && gatewaySku(gw) === "StandardV2")
      report.cannotEvaluate(subject, `${count.unknowns.join(" and ")} unknown`, gw.urn);
    return;
  }
  const sku = gatewaySku(gw);
  if (isUnknown(sku)) {
    report.cannotEvaluate(
      subject,
      "sku is unknown, so it is not known whether IPv6 addresses are allowed",
      gw.urn,
    );
    return;
  }
  const lengths = sku === "StandardV2" ? checkAzureIpv6PrefixLengths(count.knownPrefixLengths) : [];
  for (const f of lengths) report.finding(subject, f, gw.urn);
  const findings = checkAzureSkuAddresses({
    sku,
    ipv4Ips: 0,
    ipv6Ips: count.publicIps,
    ipv6PrefixLengths: lengths.length > 0 ? [] : count.prefixLengths,
  });
  const note = count.exact
    ? ""
    : ` (counting IPv6 prefixes of unknown size as /${AZURE.prefixLengthV6Max.value}, the smallest)`;
  for (const f of findings) report.finding(subject, { ...f, message: f.message + note }, gw.urn);
  if (findings.length === 0 && lengths.length === 0 && !count.exact && sku === "StandardV2")
    report.cannotEvaluate(subject, `${count.unknowns.join(" and ")} unknown`, gw.urn);
}

/** The policy. */
export const azureNatGatewayIpLimit = defineStackRule({
  id: "azure-nat-gateway-ip-limit",
  description: `An Azure NAT gateway uses at most ${max} public IPv4 addresses (IPs plus whole prefixes), with prefixes /${AZURE.prefixLengthMin.value} to /${smallest}.`,
  enforcementLevel: "mandatory",
  remediation:
    `Keep publicIpAddresses plus every address of each publicIpPrefixes entry at or below ${max} (a /28 alone is 16), ` +
    `use prefix lengths /${AZURE.prefixLengthMin.value} to /${smallest}, or split egress across NAT gateways on different subnets.`,
  url: AZURE.maxPublicIpAddresses.source,
  check: ({ stack, report }) => {
    for (const g of azureGateways(stack)) {
      const subject = `NAT gateway "${g.gw.name}"`;
      // Prefixes whose size is not known count as /31 (2 addresses), the smallest a gateway takes.
      const count = azureAddresses(g);
      const unknown = [
        ...count.unknownLists,
        ...count.unsizedPrefixes.map(
          (u) => `the prefixLength of PublicIPPrefix "${u.prefix.name}"${u.notSet ? " (not set)" : ""}`,
        ),
      ];
      const unmatched = count.unmatchedPrefixes;
      if (unmatched > 0)
        unknown.push(
          `${unmatched} publicIpPrefixes entr${unmatched === 1 ? "y" : "ies"} not matched to a prefix in this stack`,
        );
      const findings = checkAzureIps(count.publicIps, count.prefixLengths, "publicIpAddresses");
      const reportable = findings.filter(
        (f) =>
          count.exact ||
          f.path.startsWith("publicIpPrefixes[") ||
          (f.path === "publicIpAddresses" && (f.value as number) > max),
      );
      const assumed = count.assumedPrefixes;
      for (const f of reportable) {
        const note =
          count.exact || f.path !== "publicIpAddresses"
            ? ""
            : ` (counting ${assumed} prefix${assumed === 1 ? "" : "es"} of unknown size as /${smallest}, the smallest)`;
        report.finding(subject, { ...f, message: f.message + note }, g.gw.urn);
      }
      if (reportable.length === 0 && !count.exact)
        report.cannotEvaluate(subject, `${unknown.join(" and ")} unknown`, g.gw.urn);
      checkIpv6(report, g, subject);
    }
  },
});
