/**
 * The quota a rule checks a gateway against. A natcap component registers the quota it was given
 * (`eipQuota`, `privateIpQuota`) as an output; for the gateways it created, that value wins over the
 * policy's `quota` config, so a quota is written once, in the program. Gateways natcap did not create
 * (and components given no quota) are checked against the policy config.
 *
 * @module
 */
import { isUnknown, num, UNKNOWN, type Unknown } from "./props";
import type { Reporter } from "./report";
import { natcapAncestor, type Res } from "./stack";

/** A quota and where it came from, for messages. */
export interface QuotaSource {
  /** The quota (addresses per gateway). */
  readonly value: number;
  /** Where it came from, e.g. `eipQuota of AwsNatGateway "egress"` or `this policy's quota config`. */
  readonly from: string;
}

/**
 * The quota for `gw`: the `output` its natcap component registered when a whole number in
 * [min, max], else the policy config. UNKNOWN when the component's value is unknown during preview.
 *
 * @returns the quota, UNKNOWN, or an `invalid` note when the component's value is out of range.
 */
export function quotaFor(
  gw: Res,
  output: "eipQuota" | "privateIpQuota",
  configured: number,
  range: { min: number; max: number },
): QuotaSource | Unknown | { invalid: string } {
  const component = natcapAncestor(gw);
  const raw = component?.props[output];
  if (!component || raw === undefined || raw === null)
    return { value: configured, from: "this policy's quota config" };
  const where = `${output} of ${component.type.split(":").pop()} "${component.name}"`;
  if (isUnknown(raw)) return UNKNOWN;
  const value = num(raw);
  if (typeof value !== "number" || !Number.isInteger(value) || value < range.min || value > range.max)
    return {
      invalid: `${where} is ${JSON.stringify(raw)}, not a whole number from ${range.min} to ${range.max}`,
    };
  return { value, from: where };
}

/**
 * {@link quotaFor}, with the cases a rule cannot check against reported for it: a component value
 * unknown during preview ("cannot be evaluated") and one out of range (a violation naming the fix).
 *
 * @returns the quota, or undefined when it was reported and the gateway is to be skipped.
 */
export function quotaOrReport(
  report: Reporter,
  subject: string,
  gw: Res,
  output: "eipQuota" | "privateIpQuota",
  configured: number,
  range: { min: number; max: number },
): QuotaSource | undefined {
  const source = quotaFor(gw, output, configured, range);
  if (isUnknown(source)) {
    report.cannotEvaluate(subject, `the ${output} of its natcap component is unknown`, gw.urn);
    return undefined;
  }
  if ("invalid" in source) {
    report.violation(
      subject,
      source.invalid,
      `set ${output} to a whole number from ${range.min} to ${range.max}`,
      gw.urn,
    );
    return undefined;
  }
  return source;
}
