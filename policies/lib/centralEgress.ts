/**
 * Centralised egress found in a stack of plain resources: a Transit Gateway route `0.0.0.0/0` to the
 * attachment of an egress VPC whose attachment subnets route `0.0.0.0/0` to NAT gateways, zone by
 * zone; the spokes are the other attachments associated with that route's Transit Gateway route
 * table. Each spoke's expected traffic comes from tags on its attachment — the gateways' format,
 * `natcap-peak-<name> = <address>:<port>/<tcp|udp>=<peak>` (sim/workload/tags.ts), with an optional
 * `natcap-zone-share-<zone> = <share>` per zone (else an even split) — and is aggregated per zone and
 * endpoint exactly as the AwsCentralEgress component does (sim/workload/central-traffic.ts). A spoke zone with
 * no NAT gateway behind it is a finding. Pure: reads the stack view, creates nothing.
 *
 * @module
 */
import { aggregateZoneTraffic, type SpokeTraffic, type StreamLike } from "../../sim/workload/central-traffic";
import { parseExpectationTags, ZONE_SHARE_TAG_PREFIX } from "../../sim/workload/tags";
import type { Destination, ExpectedTraffic } from "../../sim/workload/workload";
import { isUnknown } from "./props";
import { ROUTE_TYPES } from "./regionalRoutes";
import { ofType, type Res, resolveRef, resolveRefList } from "./stack";

/** Type tokens of the Transit Gateway resources followed. */
export const TGW_TYPES = {
  route: "aws:ec2transitgateway/route:Route",
  routeTable: "aws:ec2transitgateway/routeTable:RouteTable",
  association: "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
  attachment: "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
} as const;

/** An aggregated expectation of one egress zone's NAT gateway. */
export interface CentralExpectation {
  /** The zone's combined traffic from the spokes' tags. */
  readonly expected: ExpectedTraffic;
  /** Where it came from, for messages: the spokes per endpoint. */
  readonly from: string;
}

/** A problem found in the central egress plumbing. */
export interface CentralFinding {
  /** Subject of the finding (the spoke attachment). */
  readonly subject: string;
  /** What is wrong. */
  readonly message: string;
  /** What to change. */
  readonly fix: string;
  /** URN to report against. */
  readonly urn: string;
}

/** What the stack's centralised egress designs say about its NAT gateways. */
export interface CentralEgressView {
  /** The aggregated expectation of each egress zone's NAT gateway. */
  readonly expectations: Map<Res, CentralExpectation>;
  /** Spoke zones with no NAT gateway behind them, malformed spoke tags. */
  readonly findings: CentralFinding[];
}

/** The `0.0.0.0/0` NAT gateway of a route table: a separate route, or an inline one. */
function natOfTable(stack: readonly Res[], table: Res, gateways: readonly Res[]): Res | undefined {
  const tables = ofType(stack, ROUTE_TYPES.routeTable);
  for (const r of ofType(stack, ROUTE_TYPES.route)) {
    if (r.props.destinationCidrBlock !== "0.0.0.0/0") continue;
    if (resolveRef(r, "routeTableId", r.props.routeTableId, tables) !== table) continue;
    const gw = resolveRef(r, "natGatewayId", r.props.natGatewayId, gateways);
    if (gw && typeof gw === "object") return gw;
  }
  const inline = (table.propertyDependencies.routes ?? []).filter((d) => gateways.includes(d));
  return inline.length === 1 ? inline[0] : undefined;
}

/** Each zone of an attachment's subnets, with the NAT gateway its subnet's route table sends `0.0.0.0/0` to. */
function attachmentZones(stack: readonly Res[], attachment: Res): Map<string, Res | undefined> {
  const subnets = ofType(stack, ROUTE_TYPES.subnet);
  const tables = ofType(stack, ROUTE_TYPES.routeTable);
  const gateways = ofType(stack, "aws:ec2/natGateway:NatGateway");
  const zones = new Map<string, Res | undefined>();
  for (const s of resolveRefList(attachment, "subnetIds", subnets).targets) {
    const zone = s.props.availabilityZone;
    if (typeof zone !== "string" || isUnknown(zone)) continue;
    const assoc = ofType(stack, ROUTE_TYPES.association).find(
      (a) => resolveRef(a, "subnetId", a.props.subnetId, subnets) === s,
    );
    const table = assoc ? resolveRef(assoc, "routeTableId", assoc.props.routeTableId, tables) : undefined;
    zones.set(zone, table && typeof table === "object" ? natOfTable(stack, table, gateways) : undefined);
  }
  return zones;
}

/** A spoke attachment's expectation and zone shares from its tags, or the tag problems. */
function spokeTags(
  a: Res,
  zones: readonly string[],
): { expected?: Destination[]; shares: Map<string, number>; problems: string[] } {
  const tags = isUnknown(a.props.tags) ? {} : ((a.props.tags ?? {}) as Record<string, unknown>);
  const { destinations, issues } = parseExpectationTags(tags);
  const problems = issues.map((i) => `tag ${i.path.slice(5)}=${JSON.stringify(i.value)}: ${i.message}`);
  const shares = new Map<string, number>();
  for (const [k, v] of Object.entries(tags)) {
    if (!k.startsWith(ZONE_SHARE_TAG_PREFIX)) continue;
    const zone = k.slice(ZONE_SHARE_TAG_PREFIX.length);
    const share = Number(v);
    if (!zones.includes(zone) || !(share > 0 && share <= 1))
      problems.push(
        `tag ${k}=${JSON.stringify(v)}: expected a share above 0 and at most 1 for one of the attachment's zones (${zones.join(", ")})`,
      );
    else shares.set(zone, share);
  }
  return { ...(destinations.length > 0 ? { expected: destinations } : {}), shares, problems };
}

/** The egress attachments: targets of a Transit Gateway `0.0.0.0/0` route, with that route's table. */
function egressRoutes(stack: readonly Res[]): { egress: Res; table: Res }[] {
  const attachments = ofType(stack, TGW_TYPES.attachment);
  const tables = ofType(stack, TGW_TYPES.routeTable);
  const out: { egress: Res; table: Res }[] = [];
  for (const r of ofType(stack, TGW_TYPES.route)) {
    if (r.props.destinationCidrBlock !== "0.0.0.0/0" || r.props.blackhole === true) continue;
    const egress = resolveRef(
      r,
      "transitGatewayAttachmentId",
      r.props.transitGatewayAttachmentId,
      attachments,
    );
    const table = resolveRef(r, "transitGatewayRouteTableId", r.props.transitGatewayRouteTableId, tables);
    if (egress && typeof egress === "object" && table && typeof table === "object")
      out.push({ egress, table });
  }
  return out;
}

/**
 * Finds every centralised egress design of the stack and aggregates its spokes' tagged traffic per
 * egress zone; reports spoke zones with no NAT gateway behind them and malformed spoke tags.
 */
export function centralEgressView(stack: readonly Res[]): CentralEgressView {
  const expectations = new Map<Res, CentralExpectation>();
  const findings: CentralFinding[] = [];
  const attachments = ofType(stack, TGW_TYPES.attachment);
  const tables = ofType(stack, TGW_TYPES.routeTable);
  for (const { egress, table } of egressRoutes(stack)) {
    const egressZones = attachmentZones(stack, egress);
    const zoneList = [...egressZones.keys()];
    const appliance = egress.props.applianceModeSupport === "enable";
    const spokes = ofType(stack, TGW_TYPES.association)
      .filter(
        (a) =>
          resolveRef(a, "transitGatewayRouteTableId", a.props.transitGatewayRouteTableId, tables) === table,
      )
      .map((a) =>
        resolveRef(a, "transitGatewayAttachmentId", a.props.transitGatewayAttachmentId, attachments),
      )
      .filter((a): a is Res => typeof a === "object" && a !== egress);
    const traffic: SpokeTraffic<Destination, StreamLike>[] = [];
    for (const spoke of spokes) {
      const zones = [...attachmentZones(stack, spoke).keys()];
      const tags = spokeTags(spoke, zones);
      const subject = `Transit Gateway attachment "${spoke.name}"`;
      for (const p of tags.problems)
        findings.push({
          subject,
          message: `malformed spoke tag: ${p}`,
          fix: "correct or remove the tag",
          urn: spoke.urn,
        });
      const reached = appliance ? zoneList : zones;
      for (const zone of reached.filter((z) => egressZones.get(z) === undefined))
        findings.push({
          subject,
          message:
            `its traffic leaves for the internet through zone ${zone} of the egress VPC (attachment "${egress.name}"), ` +
            `and no NAT gateway is behind that zone: ${egressZones.has(zone) ? `the attachment subnet's route table sends 0.0.0.0/0 to no NAT gateway` : "the egress VPC has no attachment subnet there"}`,
          fix: `give the egress VPC a NAT gateway in ${zone} with its attachment subnet's 0.0.0.0/0 routed to it, or attach the spoke only in zones that have one`,
          urn: spoke.urn,
        });
      if (!tags.expected) continue;
      // Zones the egress VPC lacks carry nothing here (they are findings above).
      const given = tags.shares.size === zones.length;
      traffic.push({
        key: spoke.name,
        zones: zones
          .filter((z) => egressZones.has(z) || appliance)
          .map((z) => ({ availabilityZone: z, ...(given ? { trafficShare: tags.shares.get(z) } : {}) })),
        expectedTraffic: { destinations: tags.expected },
      });
    }
    aggregateZoneTraffic(traffic, zoneList, appliance).forEach((z) => {
      const gw = egressZones.get(z.availabilityZone);
      if (!gw || !z.expectedTraffic) return;
      const feeds = z.endpoints.map((e) => `${e.endpoint} from ${e.spokes.join(", ")}`).join("; ");
      expectations.set(gw, {
        expected: z.expectedTraffic,
        from: `the natcap-peak-* tags of the spoke attachments reaching zone ${z.availabilityZone} through "${egress.name}": ${feeds}`,
      });
    });
  }
  return { expectations, findings };
}
