/**
 * azure-nat-gateway-long-idle-timeout [advisory]: a TCP idle timeout above the advised maximum
 * (default 4 minutes) keeps idle connections' SNAT ports held longer, so exhaustion comes sooner.
 *
 * @module
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { checkAzureIdleTimeout } from "../../core/checks";
import { AZURE } from "../../core/limits";
import { configSchema, readConfig } from "../lib/config";
import { isUnknown, num, plainProps } from "../lib/props";
import { reporter } from "../lib/report";
import { isType, TYPES } from "../lib/stack";

/** Config of the policy. */
export const LongIdleTimeoutConfig = z.object({
  maxMinutes: z
    .number()
    .int()
    .min(AZURE.idleTimeoutMinutesMin.value)
    .max(AZURE.idleTimeoutMinutesMax.value)
    .default(AZURE.idleTimeoutMinutesDefault.value)
    .describe("Largest TCP idle timeout, in minutes, that passes without advice."),
});

/** The policy. */
export const azureNatGatewayLongIdleTimeout: ResourceValidationPolicy = {
  name: "azure-nat-gateway-long-idle-timeout",
  description:
    "An Azure NAT gateway's TCP idle timeout above the advised maximum holds SNAT ports of idle connections longer, so ports run out sooner.",
  enforcementLevel: "advisory",
  remediationSteps:
    "Lower idleTimeoutInMinutes (the default 4 is best for port reuse) and keep long-lived flows alive with TCP " +
    "keepalives in the application; or raise this policy's `maxMinutes` config if the long timeout is deliberate.",
  url: AZURE.idleTimeoutMinutesDefault.source,
  configSchema: configSchema(LongIdleTimeoutConfig),
  validateResource: (args, reportViolation) => {
    if (!isType(args.type, TYPES.azureNatGateway)) return;
    const { maxMinutes } = readConfig(
      "azure-nat-gateway-long-idle-timeout",
      LongIdleTimeoutConfig,
      args.getConfig(),
    );
    const r = reporter(azureNatGatewayLongIdleTimeout.description, reportViolation);
    const subject = `NAT gateway "${args.name}"`;
    const minutes = num(plainProps(args.props).idleTimeoutInMinutes);
    if (isUnknown(minutes)) return r.cannotEvaluate(subject, "idleTimeoutInMinutes is unknown");
    if (minutes === undefined) return;
    for (const f of checkAzureIdleTimeout(minutes, maxMinutes).filter((x) => x.severity === "warning")) {
      r.finding(subject, f);
    }
  },
};
