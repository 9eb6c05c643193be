/**
 * Reuse of a natcap component's capacity assessment by the capacity rule. A component assesses its
 * expectation at construction and registers the result (its `capacity` output) with a digest of the
 * inputs the verdict depends on (sim/verdict/capacity-input.ts). The rule recomputes that digest from the
 * expectation and the gateway it sees in the stack — never trusting the stored one — and reuses the
 * stored verdict only when the two are equal: the same question is not answered twice at preview.
 *
 * @module
 */
import { z } from "zod";
import { NatcapError } from "../../core/errors";
import { capacityDigest, type GatewayModel } from "../../sim/verdict/capacity";
import type { FailureFacts } from "../../sim/verdict/capacity-message";
import type { ExpectedTraffic } from "../../sim/workload/workload";
import type { Res } from "./stack";

const reason = z.enum(["fits", "beyond-search", "gateway-cap"]);

/** The fields of a component's capacity output the rule's verdict and finding need. */
const StoredAssessment = z.object({
  digest: z.string(),
  ok: z.boolean(),
  ips: z.number(),
  ipsNeeded: z.number(),
  ipsNeededReason: reason.optional(),
  maxIps: z.number(),
  ipsV6: z.number().optional(),
  ipsV6Needed: z.number().optional(),
  ipsV6NeededReason: reason.optional(),
  maxIpsV6: z.number().optional(),
  moreIpsHelp: z.boolean(),
  destinations: z.array(z.object({ ok: z.boolean(), message: z.string() })),
  notes: z.array(z.string()),
});

/** A verdict the rule can report as its own: whether it fits, and the facts of a failure. */
export type ReusedAssessment = FailureFacts;

/**
 * The assessment the natcap component `component` registered for `expected` on `gateway`, when the
 * digest of those inputs equals the registered one; undefined when there is none to reuse (no
 * component, no or malformed capacity output, other inputs, or inputs that do not validate: the
 * rule then assesses them itself and reports what it finds).
 */
export function reusableAssessment(
  component: Res | undefined,
  expected: ExpectedTraffic,
  gateway: GatewayModel,
): ReusedAssessment | undefined {
  const stored = StoredAssessment.safeParse(component?.props.capacity);
  if (!stored.success) return undefined;
  let digest: string;
  try {
    digest = capacityDigest(expected, gateway);
  } catch (e) {
    if (e instanceof NatcapError) return undefined;
    throw e;
  }
  return digest === stored.data.digest ? stored.data : undefined;
}
