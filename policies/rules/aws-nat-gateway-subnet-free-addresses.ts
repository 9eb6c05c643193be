/**
 * aws-nat-gateway-subnet-free-addresses [mandatory]: every EIP of a public NAT gateway (and every
 * private IP of a private one) takes a private IPv4 address from the gateway's subnet. The subnet
 * must have room after AWS's 5 reserved addresses and the other address consumers in the stack
 * (NAT gateways, network interfaces, instances, interface VPC endpoints), or creation fails with
 * InsufficientFreeAddressesInSubnet.
 *
 * @module
 */
import { z } from "zod";
import { checkSubnetFreeAddresses } from "../../core/checks";
import { AWS } from "../../core/limits";
import { type AwsGateway, awsGateways, subnetAddressesNeeded } from "../lib/aws";
import { add, type Count, exact, isUnknown, listLength, num } from "../lib/props";
import { defineStackRule } from "../lib/rule";
import { ofType, type Res, refId, resolveRef, TYPES } from "../lib/stack";

/** Config of the policy. */
export const SubnetConfig = z.object({
  subnetCidrs: z
    .record(z.string(), z.string())
    .default({})
    .describe(
      'CIDR blocks of subnets defined outside this stack, keyed by subnet ID (e.g. {"subnet-0abc": "10.0.0.0/28"}), ' +
        "so gateways placed in them can be checked too.",
    ),
});

/** Addresses one other resource takes from a subnet. */
function consumerAddresses(r: Res): Count {
  const p = r.props;
  if (r.type === TYPES.awsNetworkInterface) {
    // privateIps lists every address including the primary; privateIpsCount counts the secondaries.
    // A deployed interface's state has both, describing the same addresses: take the larger.
    const list = listLength(p.privateIps, "privateIps");
    const count = num(p.privateIpsCount);
    const fromCount = typeof count === "number" ? 1 + count : 1;
    const unknowns = [...list.unknowns, ...(isUnknown(count) ? [`privateIpsCount of "${r.name}"`] : [])];
    return { min: Math.max(list.min, fromCount), exact: unknowns.length === 0, unknowns };
  }
  if (r.type === TYPES.awsInstance)
    return add(exact(1), listLength(p.secondaryPrivateIps, "secondaryPrivateIps"));
  return exact(1);
}

/** The subnet IDs a resource sits in (`subnetId`, or `subnetIds` of an interface endpoint). */
function subnetRefs(r: Res): { property: string; value: unknown }[] {
  if (r.type === TYPES.awsVpcEndpoint) {
    if (r.props.vpcEndpointType !== "Interface") return [];
    const ids = r.props.subnetIds;
    return Array.isArray(ids) ? ids.map((value) => ({ property: "subnetIds", value })) : [];
  }
  return [{ property: "subnetId", value: r.props.subnetId }];
}

/** The policy. */
export const awsNatGatewaySubnetFreeAddresses = defineStackRule({
  id: "aws-nat-gateway-subnet-free-addresses",
  description: `An AWS NAT gateway's subnet must have a free private IPv4 address for each of its IPs (AWS reserves ${AWS.subnetReservedAddresses.value} per subnet).`,
  enforcementLevel: "mandatory",
  remediation:
    "Put the NAT gateway in a larger subnet (a dedicated /28 holds 11 addresses after the 5 AWS reserves), free " +
    "addresses in this one, or give the gateway fewer IPs.",
  url: AWS.subnetReservedAddresses.source,
  config: SubnetConfig,
  check: ({ stack, config: { subnetCidrs }, report }) => {
    const subnets = ofType(stack, TYPES.awsSubnet);
    const gateways = awsGateways(stack);
    const byGw = new Map<Res, AwsGateway>(gateways.map((g) => [g.gw, g]));
    const consumers = stack.filter((x) =>
      [TYPES.awsNatGateway, TYPES.awsNetworkInterface, TYPES.awsInstance, TYPES.awsVpcEndpoint].includes(
        x.type as never,
      ),
    );
    // Which subnet each consumer sits in ("unknown" when that cannot be told during preview).
    const placement = new Map<Res, (Res | string | "unknown")[]>();
    for (const c of consumers) {
      placement.set(
        c,
        subnetRefs(c).map(({ property, value }) => {
          const t = resolveRef(c, property, value, subnets);
          if (t === "external") return refId(value) as string;
          return t ?? "unknown";
        }),
      );
    }
    for (const g of gateways) {
      if (g.regional) continue;
      const subject = `NAT gateway "${g.gw.name}"`;
      const where = placement.get(g.gw)?.[0];
      let cidr: unknown;
      let subnetName: string;
      if (where === undefined || where === "unknown") {
        report.cannotEvaluate(
          subject,
          "its subnetId is unknown and no subnet in this stack matches it",
          g.gw.urn,
        );
        continue;
      }
      if (typeof where === "string") {
        cidr = subnetCidrs[where];
        subnetName = where;
        if (cidr === undefined) {
          report.cannotEvaluate(
            subject,
            `subnet ${where} is not defined in this stack; give its CIDR in this policy's subnetCidrs config to check it`,
            g.gw.urn,
          );
          continue;
        }
      } else {
        cidr = where.props.cidrBlock;
        subnetName = `subnet "${where.name}"`;
      }
      if (isUnknown(cidr) || typeof cidr !== "string") {
        report.cannotEvaluate(subject, `the cidrBlock of ${subnetName} is unknown`, g.gw.urn);
        continue;
      }
      const needed = subnetAddressesNeeded(g);
      const others: Count[] = [];
      const unsure: string[] = [];
      for (const [c, places] of placement) {
        if (c === g.gw) continue;
        for (const p of places) {
          if (p === where) {
            const og = byGw.get(c);
            others.push(og ? subnetAddressesNeeded(og) : consumerAddresses(c));
          } else if (p === "unknown") unsure.push(`${c.type.split(":").pop()} "${c.name}"`);
        }
      }
      const used = add(exact(0), ...others);
      const findings = checkSubnetFreeAddresses(cidr, needed.min, used.min, "aws", "subnetId");
      if (findings.length > 0) {
        for (const f of findings) report.finding(`${subject} in ${subnetName}`, f, g.gw.urn);
      } else if (!needed.exact || !used.exact || unsure.length > 0) {
        const why = [...needed.unknowns, ...used.unknowns];
        if (unsure.length) why.push(`the subnet of ${unsure.join(", ")}`);
        report.cannotEvaluate(`${subject} in ${subnetName}`, `${why.join(" and ")} unknown`, g.gw.urn);
      }
    }
  },
});
