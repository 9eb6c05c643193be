/**
 * aws-nat-gateway-private-ip-limit [mandatory]: a private NAT gateway's secondary private IPv4
 * addresses stay within what CreateNatGateway accepts (1–31) and the quota of private IPs per NAT
 * gateway (L-DFA99DE7, 8 including the primary).
 *
 * A stack policy, so that the quota of a gateway a natcap component created is the component's
 * `privateIpQuota` (its registered output); the policy's `quota` config applies to every other
 * gateway (policies/lib/quota.ts).
 *
 * @module
 */
import { z } from "zod";
import { checkAwsPrivateIps } from "../../core/checks";
import { AWS } from "../../core/limits";
import { privateSecondaries } from "../lib/aws";
import { isUnknown } from "../lib/props";
import { quotaOrReport } from "../lib/quota";
import { defineStackRule } from "../lib/rule";
import { ofType, TYPES } from "../lib/stack";

const quotaLimit = AWS.privateIpsPerGatewayQuota;

/** Config of the policy. */
export const PrivateIpConfig = z.object({
  quota: z
    .number()
    .int()
    .min(1)
    .max(AWS.secondaryPrivateIpCountApiMax.value + 1)
    .default(quotaLimit.value)
    .describe(
      `Your account's quota of private IPv4 addresses per NAT gateway, primary included (Service Quotas ${quotaLimit.quotaCode}, default ${quotaLimit.value}); ` +
        "a natcap component's own privateIpQuota wins for the gateways it creates.",
    ),
});

/** The policy. */
export const awsNatGatewayPrivateIpLimit = defineStackRule({
  id: "aws-nat-gateway-private-ip-limit",
  description: `A private AWS NAT gateway's secondary private IPs must fit the API range (1-${AWS.secondaryPrivateIpCountApiMax.value}) and the quota (${quotaLimit.quotaCode}).`,
  enforcementLevel: "mandatory",
  remediation:
    "Lower secondaryPrivateIpAddressCount (or the number of secondaryPrivateIpAddresses) to at most the quota minus " +
    `the primary, or raise Service Quotas ${quotaLimit.quotaCode} first and set the granted value as the natcap component's ` +
    "`privateIpQuota` (or, for gateways natcap did not create, this policy's `quota` config). " +
    "Changing the count replaces a private NAT gateway.",
  url: quotaLimit.source,
  config: PrivateIpConfig,
  check: ({ stack, config: { quota: configured }, report }) => {
    const apiMax = AWS.secondaryPrivateIpCountApiMax.value + 1;
    for (const gw of ofType(stack, TYPES.awsNatGateway)) {
      const props = gw.props;
      const subject = `NAT gateway "${gw.name}"`;
      if (isUnknown(props.connectivityType)) {
        report.cannotEvaluate(
          subject,
          "connectivityType is unknown, so it is not known whether this is a private gateway",
          gw.urn,
        );
        continue;
      }
      if (props.connectivityType !== "private") continue;
      const range = { min: 1, max: apiMax };
      const source = quotaOrReport(report, subject, gw, "privateIpQuota", configured, range);
      if (!source) continue;
      const quota = source.value;
      const count = privateSecondaries(props);
      const findings = checkAwsPrivateIps(count.min, quota);
      if (findings.length > 0 && (count.exact || count.min + 1 > quota)) {
        for (const f of findings)
          report.finding(
            subject,
            /quota/i.test(f.message)
              ? { ...f, message: `${f.message} (quota ${quota} from ${source.from})` }
              : f,
            gw.urn,
          );
      } else if (!count.exact) {
        report.cannotEvaluate(subject, `${count.unknowns.join(" and ")} unknown`, gw.urn);
      }
    }
  },
});
