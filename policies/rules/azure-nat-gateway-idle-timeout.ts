/**
 * azure-nat-gateway-idle-timeout [mandatory]: the TCP idle timeout of an Azure NAT gateway is a whole
 * number of minutes from 4 to 120.
 *
 * @module
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { checkAzureIdleTimeout } from "../../core/checks";
import { AZURE } from "../../core/limits";
import { isUnknown, num, plainProps } from "../lib/props";
import { reporter } from "../lib/report";
import { isType, TYPES } from "../lib/stack";

const min = AZURE.idleTimeoutMinutesMin.value;
const max = AZURE.idleTimeoutMinutesMax.value;

/** The policy. */
export const azureNatGatewayIdleTimeout: ResourceValidationPolicy = {
  name: "azure-nat-gateway-idle-timeout",
  description: `An Azure NAT gateway's TCP idle timeout must be ${min}-${max} minutes.`,
  enforcementLevel: "mandatory",
  remediationSteps: `Set idleTimeoutInMinutes to a whole number from ${min} to ${max}, or leave it unset for the default of ${AZURE.idleTimeoutMinutesDefault.value}.`,
  url: AZURE.idleTimeoutMinutesMax.source,
  validateResource: (args, reportViolation) => {
    if (!isType(args.type, TYPES.azureNatGateway)) return;
    const r = reporter(azureNatGatewayIdleTimeout.description, reportViolation);
    const subject = `NAT gateway "${args.name}"`;
    const raw = plainProps(args.props).idleTimeoutInMinutes;
    const minutes = num(raw);
    if (isUnknown(minutes)) return r.cannotEvaluate(subject, "idleTimeoutInMinutes is unknown");
    if (minutes === undefined && raw === undefined) return;
    const value = minutes ?? (raw as number);
    for (const f of checkAzureIdleTimeout(value, max).filter((x) => x.severity === "error"))
      r.finding(subject, f);
  },
};
