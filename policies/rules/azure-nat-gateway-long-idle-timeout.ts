/**
 * azure-nat-gateway-long-idle-timeout [advisory]: a TCP idle timeout above the advised maximum
 * (default 4 minutes) keeps idle connections' SNAT ports held longer, so exhaustion comes sooner.
 *
 * @module
 */
import { z } from "zod";
import { checkAzureIdleTimeout } from "../../core/checks";
import { AZURE } from "../../core/limits";
import { isUnknown, num } from "../lib/props";
import { defineResourceRule } from "../lib/rule";
import { TYPES } from "../lib/stack";

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
export const azureNatGatewayLongIdleTimeout = defineResourceRule({
  id: "azure-nat-gateway-long-idle-timeout",
  description:
    "An Azure NAT gateway's TCP idle timeout above the advised maximum holds SNAT ports of idle connections longer, so ports run out sooner.",
  enforcementLevel: "advisory",
  remediation:
    "Lower idleTimeoutInMinutes (the default 4 is best for port reuse) and keep long-lived flows alive with TCP " +
    "keepalives in the application; or raise this policy's `maxMinutes` config if the long timeout is deliberate.",
  url: AZURE.idleTimeoutMinutesDefault.source,
  config: LongIdleTimeoutConfig,
  resourceTypes: [TYPES.azureNatGateway],
  check: ({ resource, config: { maxMinutes }, report }) => {
    const subject = `NAT gateway "${resource.name}"`;
    const minutes = num(resource.props.idleTimeoutInMinutes);
    if (isUnknown(minutes)) return report.cannotEvaluate(subject, "idleTimeoutInMinutes is unknown");
    if (minutes === undefined) return;
    for (const f of checkAzureIdleTimeout(minutes, maxMinutes).filter((x) => x.severity === "warning")) {
      report.finding(subject, f);
    }
  },
});
