/**
 * azure-nat-gateway-ip-limit [mandatory]: an Azure NAT gateway uses at most 16 public IPv4 addresses
 * across public IPs and prefixes (a prefix counts whole), and takes prefixes of /28 to /31 only.
 *
 * @module
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { checkAzureIps } from "../../core/checks";
import { AZURE } from "../../core/limits";
import { azureGateways, prefixLengthOf } from "../lib/azure";
import { reporter } from "../lib/report";
import { snapshot } from "../lib/stack";

const max = AZURE.maxPublicIpAddresses.value;
const smallest = AZURE.prefixLengthMax.value;

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
          f.path.startsWith("publicIpPrefixes[") ||
          (f.path === "publicIpAddresses" && (f.value as number) > max),
      );
      for (const f of reportable) {
        const note =
          sure || f.path !== "publicIpAddresses"
            ? ""
            : ` (counting ${unsized} prefix${unsized === 1 ? "" : "es"} of unknown size as /${smallest}, the smallest)`;
        r.finding(subject, { ...f, message: f.message + note }, g.gw.urn);
      }
      if (reportable.length === 0 && !sure)
        r.cannotEvaluate(subject, `${unknown.join(" and ")} unknown`, g.gw.urn);
    }
  },
};
