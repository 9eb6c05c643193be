/**
 * What the AWS rules need to know about each `aws.ec2.NatGateway` in a stack: connectivity, zonal or
 * regional, and how many IPv4 addresses it holds — the primary, inline `secondaryAllocationIds`, and
 * `aws.ec2.NatGatewayEipAssociation` resources aimed at it — as counts that may be only partly known.
 *
 * A deployed gateway's state lists in `secondaryAllocationIds` every secondary EIP, also those that
 * associations attached (the property is computed as well as optional). So an inline ID that an
 * association of the same gateway also carries is counted once, and only inline IDs no association
 * carries make a gateway "inline-managed".
 *
 * @module
 */
import { add, type Count, exact, isUnknown, listLength, num, UNKNOWN, type Unknown } from "./props";
import { ofType, pointingAt, type Res, TYPES } from "./stack";

/** One AWS NAT gateway with the counts the rules check. */
export interface AwsGateway {
  /** The gateway resource. */
  readonly gw: Res;
  /** `public` (default) or `private`; UNKNOWN when computed. */
  readonly connectivity: "public" | "private" | Unknown;
  /** True for a regional NAT gateway (`availabilityMode: regional`). */
  readonly regional: boolean;
  /** Inline secondary EIPs that no association of this gateway carries (all of them when IDs are unknown). */
  readonly inline: Count;
  /** Association resources that surely aim at this gateway. */
  readonly associations: readonly Res[];
  /** Association resources whose gateway is unknown during preview (they may aim at this one). */
  readonly maybeAssociations: readonly Res[];
  /** Public IPv4 addresses: 1 primary + inline + associations (public gateways). */
  readonly publicIps: Count;
  /** Secondary private IPv4 addresses requested on a private gateway. */
  readonly privateSecondaries: Count;
}

function connectivityOf(gw: Res): "public" | "private" | Unknown {
  const v = gw.props.connectivityType;
  if (isUnknown(v)) return UNKNOWN;
  return v === "private" ? "private" : "public";
}

/** Secondary private IPs of a private gateway: the count, or the length of the address list. */
export function privateSecondaries(props: Record<string, unknown>): Count {
  const count = num(props.secondaryPrivateIpAddressCount);
  if (count === UNKNOWN) return { min: 0, exact: false, unknowns: ["secondaryPrivateIpAddressCount"] };
  if (typeof count === "number") return exact(count);
  return listLength(props.secondaryPrivateIpAddresses, "secondaryPrivateIpAddresses");
}

/** Every AWS NAT gateway of the stack with its counts. */
export function awsGateways(stack: readonly Res[]): AwsGateway[] {
  const gateways = ofType(stack, TYPES.awsNatGateway);
  return gateways.map((gw) => {
    const { sure, maybe } = pointingAt(stack, TYPES.awsEipAssociation, "natGatewayId", gw, gateways);
    const inlineValue = gw.props.secondaryAllocationIds;
    const carried = new Set(
      sure.map((a) => a.props.allocationId).filter((id): id is string => typeof id === "string"),
    );
    const inline = Array.isArray(inlineValue)
      ? exact(inlineValue.filter((id) => !(typeof id === "string" && carried.has(id))).length)
      : listLength(inlineValue, "secondaryAllocationIds");
    const assoc: Count = {
      min: sure.length,
      exact: maybe.length === 0,
      unknowns: maybe.length
        ? [`the gateway of ${maybe.map((m) => `NatGatewayEipAssociation "${m.name}"`).join(", ")}`]
        : [],
    };
    const connectivity = connectivityOf(gw);
    return {
      gw,
      connectivity,
      regional: gw.props.availabilityMode === "regional",
      inline,
      associations: sure,
      maybeAssociations: maybe,
      publicIps: add(exact(1), inline, assoc),
      privateSecondaries: privateSecondaries(gw.props),
    };
  });
}

/** "1 primary + 2 secondaryAllocationIds + 1 NatGatewayEipAssociation", for messages. */
export function describePublicIps(g: AwsGateway): string {
  const parts = ["1 primary"];
  if (g.inline.exact) {
    if (g.inline.min > 0) parts.push(`${g.inline.min} in secondaryAllocationIds`);
  } else parts.push("secondaryAllocationIds (unknown)");
  if (g.associations.length > 0) {
    parts.push(
      `${g.associations.length} NatGatewayEipAssociation${g.associations.length === 1 ? "" : "s"} (${g.associations
        .map((a) => a.name)
        .join(", ")})`,
    );
  }
  if (g.maybeAssociations.length > 0)
    parts.push(`${g.maybeAssociations.length} association(s) with an unknown gateway`);
  return parts.join(" + ");
}

/** Private IPv4 addresses a gateway takes from its subnet: public — one per EIP; private — 1 + secondaries. */
export function subnetAddressesNeeded(g: AwsGateway): Count {
  if (g.connectivity === "private") return add(exact(1), g.privateSecondaries);
  return g.publicIps;
}

/** IPs per zone of a regional gateway in manual mode (`availabilityZoneAddresses`). */
export function regionalZones(gw: Res): { zone: string; ips: Count }[] | Unknown | undefined {
  const v = gw.props.availabilityZoneAddresses;
  if (isUnknown(v)) return UNKNOWN;
  if (!Array.isArray(v)) return undefined;
  return v.map((z, i) => {
    const entry = (z && typeof z === "object" ? z : {}) as Record<string, unknown>;
    const zone = typeof entry.availabilityZone === "string" ? entry.availabilityZone : `zone ${i + 1}`;
    return { zone, ips: listLength(entry.allocationIds, `the allocationIds of ${zone}`) };
  });
}
