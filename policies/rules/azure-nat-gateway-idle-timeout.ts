/**
 * azure-nat-gateway-idle-timeout [mandatory]: the TCP idle timeout of an Azure NAT gateway is a whole
 * number of minutes from 4 to 120.
 *
 * @module
 */
import { checkAzureIdleTimeout } from "../../core/checks";
import { AZURE } from "../../core/limits";
import { isUnknown, num } from "../lib/props";
import { defineResourceRule } from "../lib/rule";
import { TYPES } from "../lib/stack";

const min = AZURE.idleTimeoutMinutesMin.value;
const max = AZURE.idleTimeoutMinutesMax.value;

/** The policy. */
export const azureNatGatewayIdleTimeout = defineResourceRule({
  id: "azure-nat-gateway-idle-timeout",
  description: `An Azure NAT gateway's TCP idle timeout must be ${min}-${max} minutes.`,
  enforcementLevel: "mandatory",
  remediation: `Set idleTimeoutInMinutes to a whole number from ${min} to ${max}, or leave it unset for the default of ${AZURE.idleTimeoutMinutesDefault.value}.`,
  url: AZURE.idleTimeoutMinutesMax.source,
  resourceTypes: [TYPES.azureNatGateway],
  check: ({ resource, report }) => {
    const subject = `NAT gateway "${resource.name}"`;
    const raw = resource.props.idleTimeoutInMinutes;
    const minutes = num(raw);
    if (isUnknown(minutes)) return report.cannotEvaluate(subject, "idleTimeoutInMinutes is unknown");
    if (minutes === undefined && raw === undefined) return;
    const value = minutes ?? (raw as number);
    for (const f of checkAzureIdleTimeout(value, max).filter((x) => x.severity === "error"))
      report.finding(subject, f);
  },
});
