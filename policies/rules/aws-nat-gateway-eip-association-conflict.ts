/**
 * aws-nat-gateway-eip-association-conflict [mandatory]: a NAT gateway's secondary EIPs are managed
 * either inline (`secondaryAllocationIds`) or with `NatGatewayEipAssociation` resources, never both:
 * each side removes what the other adds, a diff on every run.
 *
 * @module
 */
import { awsGateways } from "../lib/aws";
import { defineStackRule } from "../lib/rule";

/** The policy. */
export const awsNatGatewayEipAssociationConflict = defineStackRule({
  id: "aws-nat-gateway-eip-association-conflict",
  description:
    "An AWS NAT gateway must not set secondaryAllocationIds and also have NatGatewayEipAssociation resources.",
  enforcementLevel: "mandatory",
  remediation:
    "Manage secondary EIPs one way: either list them all in the gateway's secondaryAllocationIds and delete the " +
    "NatGatewayEipAssociation resources, or remove secondaryAllocationIds from the gateway and keep one association " +
    'per EIP (use `ignoreChanges: ["secondaryAllocationIds"]` on the gateway if it was set before).',
  url: "https://www.pulumi.com/registry/packages/aws/api-docs/ec2/natgatewayeipassociation/",
  check: ({ stack, report }) => {
    for (const g of awsGateways(stack)) {
      const subject = `NAT gateway "${g.gw.name}"`;
      if (g.inline.exact && g.inline.min === 0) continue;
      if (!g.inline.exact && g.associations.length > 0) {
        report.cannotEvaluate(subject, "secondaryAllocationIds is unknown", g.gw.urn);
      } else if (g.associations.length > 0) {
        report.violation(
          subject,
          `secondaryAllocationIds lists ${g.inline.min} EIP${g.inline.min === 1 ? "" : "s"} that no association carries, ` +
            `and NatGatewayEipAssociation ${g.associations.map((a) => `"${a.name}"`).join(", ")} attach${g.associations.length === 1 ? "es" : ""} ` +
            "EIPs too: each side removes what the other adds, so every update shows a diff",
          "keep one mechanism: list every secondary EIP in secondaryAllocationIds, or remove that property and use associations only",
          g.gw.urn,
        );
      } else if (g.maybeAssociations.length > 0) {
        report.cannotEvaluate(
          subject,
          `the gateway of ${g.maybeAssociations.map((a) => `NatGatewayEipAssociation "${a.name}"`).join(", ")} is unknown`,
          g.gw.urn,
        );
      }
    }
  },
});
