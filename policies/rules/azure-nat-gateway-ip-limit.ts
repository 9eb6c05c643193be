/**
 * azure-nat-gateway-ip-limit [mandatory]: an Azure NAT gateway uses at most 16 public IPv4 addresses
 * across public IPs and prefixes (a prefix counts whole), and takes prefixes of /28 to /31 only; IPv6
 * addresses only on StandardV2 (at most 16). Gateways created through azure-native's generic
 * Resource (StandardV2 at API 2025-01-01) are checked the same way (policies/lib/azureGeneric.ts).
 *
 * @module
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { checkAzureIps, checkAzureSkuAddresses } from "../../sim/checks";
import { AZURE } from "../../sim/limits";
import { azureGateways, gatewaySku, prefixLengthOf } from "../lib/azure";
import { isUnknown, listLength } from "../lib/props";
import { type Reporter, reporter } from "../lib/report";
import { type Res, snapshot } from "../lib/stack";

const max = AZURE.maxPublicIpAddresses.value;
const smallest = AZURE.prefixLengthMax.value;

/**
 * IPv6 addresses (API 2025-01-01 `publicIpAddressesV6`, `publicIpPrefixesV6`): none on a Standard
 * gateway, at most 16 on StandardV2. Prefixes of unknown size count as one address.
 */
function checkIpv6(r: Reporter, gw: Res, subject: string): void {
  const ips = listLength(gw.props.publicIpAddressesV6, "publicIpAddressesV6");
  const prefixes = listLength(gw.props.publicIpPrefixesV6, "publicIpPrefixesV6");
  if (ips.min + prefixes.min === 0) return;
  const sku = gatewaySku(gw);
  if (isUnknown(sku)) {
    r.cannotEvaluate(
      subject,
      "sku is unknown, so it is not known whether IPv6 addresses are allowed",
      gw.urn,
    );
    return;
  }
  const findings = checkAzureSkuAddresses({ sku, ipv4Ips: 0, ipv6Ips: ips.min + prefixes.min });
  for (const f of findings) r.finding(subject, f, gw.urn);
}

/** The policy. */
export const azureNatGatewayIpLimit: StackValidationPolicy = {
  name: "azure-nat-gateway-ip-limit",
  description: `An Azure NAT gateway uses at most ${max} public IPv4 addresses (IPs plus whole prefixes), with prefixes /${AZURE.prefixLengthMin.value} to /${smallest}.`,
  enforcementLevel: "mandatory",
  remediationSteps:
    `Keep publicIpAddresses plus every address of each publicIpPrefixes entry at or below ${max} (a /28 alone is 16), ` +
    `use prefix lengths /${AZURE.prefixLengthMin.value} to /${smallest}, or split egress across NAT gateways on different subnets.`,
  url: AZURE.maxPublicIpAddresses.source,
  validateStack: (args, reportViolation) => {
    const r = reporter(azureNatGatewayIpLimit.description, reportViolation);
    for (const g of azureGateways(snapshot(args.resources))) {
      const subject = `NAT gateway "${g.gw.name}"`;
      const lengths: number[] = [];
      const unknown: string[] = [...g.publicIpCount.unknowns, ...g.prefixCount.unknowns];
      for (const p of g.prefixes) {
        const len = prefixLengthOf(p);
        if (typeof len === "number") lengths.push(len);
        else
          unknown.push(
            `the prefixLength of PublicIPPrefix "${p.name}"${len === undefined ? " (not set)" : ""}`,
          );
      }
      const unsized = g.prefixCount.min - lengths.length;
      if (g.unresolvedPrefixes > 0)
        unknown.push(
          `${g.unresolvedPrefixes} publicIpPrefixes entr${g.unresolvedPrefixes === 1 ? "y" : "ies"} not matched to a prefix in this stack`,
        );
      // Prefixes whose size is not known count as /31 (2 addresses), the smallest a gateway takes.
      const assumed = [...lengths, ...Array<number>(Math.max(0, unsized)).fill(smallest)];
      const findings = checkAzureIps(g.publicIpCount.min, assumed, "publicIpAddresses");
      const sure = unknown.length === 0;
      const reportable = findings.filter(
        (f) =>
          sure ||
          f.field.startsWith("publicIpPrefixes[") ||
          (f.field === "publicIpAddresses" && (f.value as number) > max),
      );
      for (const f of reportable) {
        const note =
          sure || f.field !== "publicIpAddresses"
            ? ""
            : ` (counting ${unsized} prefix${unsized === 1 ? "" : "es"} of unknown size as /${smallest}, the smallest)`;
        r.finding(subject, { ...f, message: f.message + note }, g.gw.urn);
      }
      if (reportable.length === 0 && !sure)
        r.cannotEvaluate(subject, `${unknown.join(" and ")} unknown`, g.gw.urn);
      checkIpv6(r, g.gw, subject);
    }
  },
};
