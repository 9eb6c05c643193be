/**
 * aws-nat-gateway-ip-quota [advisory]: the EIPs of a public NAT gateway above the account's quota of
 * Elastic IPs per NAT gateway (Service Quotas L-5F53652F, default 2, raisable to 8). Creation fails
 * until the quota is raised.
 *
 * The quota of a gateway a natcap component created is the component's `eipQuota` (registered as its
 * output); the policy's `quota` config applies to every other gateway (policies/lib/quota.ts).
 *
 * @module
 */
import { z } from "zod";
import { checkAwsZonalIps } from "../../core/checks";
import { AWS } from "../../core/limits";
import { awsGateways, describePublicIps } from "../lib/aws";
import { quotaOrReport } from "../lib/quota";
import { defineStackRule } from "../lib/rule";

const quotaLimit = AWS.defaultEipsPerGatewayQuota;
const max = AWS.maxIpsPerZonalGateway.value;

/** Config of the policy. */
export const IpQuotaConfig = z.object({
  quota: z
    .number()
    .int()
    .min(1)
    .max(max)
    .default(quotaLimit.value)
    .describe(
      `Your account's quota of Elastic IPs per public NAT gateway (Service Quotas ${quotaLimit.quotaCode}, default ${quotaLimit.value}); ` +
        "a natcap component's own eipQuota wins for the gateways it creates.",
    ),
});

/** The policy. */
export const awsNatGatewayIpQuota = defineStackRule({
  id: "aws-nat-gateway-ip-quota",
  description: `A public AWS NAT gateway's Elastic IPs exceed the account quota (${quotaLimit.quotaCode}, default ${quotaLimit.value}).`,
  enforcementLevel: "advisory",
  remediation:
    `Request an increase of Service Quotas code ${quotaLimit.quotaCode} ("Elastic IP addresses per public NAT gateway") ` +
    "in the region before deploying, then set the granted value as the natcap component's `eipQuota` (or, for gateways " +
    "natcap did not create, this policy's `quota` config).",
  url: quotaLimit.source,
  config: IpQuotaConfig,
  check: ({ stack, config: { quota: configured }, report }) => {
    for (const g of awsGateways(stack)) {
      if (g.regional || g.connectivity !== "public") continue;
      const subject = `NAT gateway "${g.gw.name}"`;
      const n = g.publicIps.min;
      if (n > max) continue; // aws-nat-gateway-ip-limit reports it
      const source = quotaOrReport(report, subject, g.gw, "eipQuota", configured, { min: 1, max });
      if (!source) continue;
      const quota = source.value;
      if (n > quota) {
        for (const f of checkAwsZonalIps(n, quota, "secondaryAllocationIds").filter(
          (x) => x.severity === "warning",
        )) {
          report.finding(
            subject,
            { ...f, message: `${describePublicIps(g)}: ${f.message} (quota ${quota} from ${source.from})` },
            g.gw.urn,
          );
        }
      } else if (!g.publicIps.exact) {
        report.cannotEvaluate(
          subject,
          `${g.publicIps.unknowns.join(" and ")} unknown; ${n} EIP${n === 1 ? "" : "s"} known against a quota of ${quota} (from ${source.from})`,
          g.gw.urn,
        );
      }
    }
  },
});
