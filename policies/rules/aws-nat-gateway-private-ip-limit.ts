/**
 * aws-nat-gateway-private-ip-limit [mandatory]: a private NAT gateway's secondary private IPv4
 * addresses stay within what CreateNatGateway accepts (1–31) and the quota of private IPs per NAT
 * gateway (L-DFA99DE7, 8 including the primary).
 *
 * @module
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { checkAwsPrivateIps } from "../../sim/checks";
import { AWS } from "../../sim/limits";
import { privateSecondaries } from "../lib/aws";
import { configSchema, readConfig } from "../lib/config";
import { isUnknown, plainProps } from "../lib/props";
import { reporter } from "../lib/report";
import { isType, TYPES } from "../lib/stack";

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
      `Your account's quota of private IPv4 addresses per NAT gateway, primary included (Service Quotas ${quotaLimit.quotaCode}, default ${quotaLimit.value}).`,
    ),
});

/** The policy. */
export const awsNatGatewayPrivateIpLimit: ResourceValidationPolicy = {
  name: "aws-nat-gateway-private-ip-limit",
  description: `A private AWS NAT gateway's secondary private IPs must fit the API range (1-${AWS.secondaryPrivateIpCountApiMax.value}) and the quota (${quotaLimit.quotaCode}).`,
  enforcementLevel: "mandatory",
  remediationSteps:
    "Lower secondaryPrivateIpAddressCount (or the number of secondaryPrivateIpAddresses) to at most the quota minus " +
    `the primary, or raise Service Quotas ${quotaLimit.quotaCode} first and set this policy's \`quota\` config. ` +
    "Changing the count replaces a private NAT gateway.",
  url: quotaLimit.source,
  configSchema: configSchema(PrivateIpConfig),
  validateResource: (args, reportViolation) => {
    if (!isType(args.type, TYPES.awsNatGateway)) return;
    const { quota } = readConfig("aws-nat-gateway-private-ip-limit", PrivateIpConfig, args.getConfig());
    const props = plainProps(args.props);
    const r = reporter(awsNatGatewayPrivateIpLimit.description, reportViolation);
    const subject = `NAT gateway "${args.name}"`;
    if (isUnknown(props.connectivityType)) {
      r.cannotEvaluate(
        subject,
        "connectivityType is unknown, so it is not known whether this is a private gateway",
      );
      return;
    }
    if (props.connectivityType !== "private") return;
    const count = privateSecondaries(props);
    const findings = checkAwsPrivateIps(count.min, quota);
    if (findings.length > 0 && (count.exact || count.min + 1 > quota)) {
      for (const f of findings) r.finding(subject, f);
    } else if (!count.exact) {
      r.cannotEvaluate(subject, `${count.unknowns.join(" and ")} unknown`);
    }
  },
};
