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
import type { StackValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { checkAwsZonalIps } from "../../core/checks";
import { AWS } from "../../core/limits";
import { awsGateways, describePublicIps } from "../lib/aws";
import { configSchema, readConfig } from "../lib/config";
import { isUnknown } from "../lib/props";
import { quotaFor } from "../lib/quota";
import { reporter } from "../lib/report";
import { snapshot } from "../lib/stack";

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
export const awsNatGatewayIpQuota: StackValidationPolicy = {
  name: "aws-nat-gateway-ip-quota",
  description: `A public AWS NAT gateway's Elastic IPs exceed the account quota (${quotaLimit.quotaCode}, default ${quotaLimit.value}).`,
  enforcementLevel: "advisory",
  remediationSteps:
    `Request an increase of Service Quotas code ${quotaLimit.quotaCode} ("Elastic IP addresses per public NAT gateway") ` +
    "in the region before deploying, then set the granted value as the natcap component's `eipQuota` (or, for gateways " +
    "natcap did not create, this policy's `quota` config).",
  url: quotaLimit.source,
  configSchema: configSchema(IpQuotaConfig),
  validateStack: (args, reportViolation) => {
    const { quota: configured } = readConfig("aws-nat-gateway-ip-quota", IpQuotaConfig, args.getConfig());
    const r = reporter(awsNatGatewayIpQuota.description, reportViolation);
    for (const g of awsGateways(snapshot(args.resources))) {
      if (g.regional || g.connectivity !== "public") continue;
      const subject = `NAT gateway "${g.gw.name}"`;
      const n = g.publicIps.min;
      if (n > max) continue; // aws-nat-gateway-ip-limit reports it
      const source = quotaFor(g.gw, "eipQuota", configured, { min: 1, max });
      if (isUnknown(source)) {
        r.cannotEvaluate(subject, "the eipQuota of its natcap component is unknown", g.gw.urn);
        continue;
      }
      if ("invalid" in source) {
        r.violation(subject, source.invalid, `set eipQuota to a whole number from 1 to ${max}`, g.gw.urn);
        continue;
      }
      const quota = source.value;
      if (n > quota) {
        for (const f of checkAwsZonalIps(n, quota, "secondaryAllocationIds").filter(
          (x) => x.severity === "warning",
        )) {
          r.finding(
            subject,
            { ...f, message: `${describePublicIps(g)}: ${f.message} (quota ${quota} from ${source.from})` },
            g.gw.urn,
          );
        }
      } else if (!g.publicIps.exact) {
        r.cannotEvaluate(
          subject,
          `${g.publicIps.unknowns.join(" and ")} unknown; ${n} EIP${n === 1 ? "" : "s"} known against a quota of ${quota} (from ${source.from})`,
          g.gw.urn,
        );
      }
    }
  },
};
