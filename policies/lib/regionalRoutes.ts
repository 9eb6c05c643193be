/**
 * Which Availability Zones route to a NAT gateway: routes (`aws.ec2.Route`, or inline `routes` of an
 * `aws.ec2.RouteTable`) that name the gateway, the route tables' subnet associations, and those
 * subnets' zones. Only what the stack knows is followed; unknown links are counted, not guessed.
 *
 * @module
 */
import { isUnknown } from "./props";
import { ofType, type Res, resolveRef } from "./stack";

/** Type tokens of the route resources followed. */
export const ROUTE_TYPES = {
  route: "aws:ec2/route:Route",
  routeTable: "aws:ec2/routeTable:RouteTable",
  association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  subnet: "aws:ec2/subnet:Subnet",
} as const;

/** Zones whose subnets route to `gw`, and how many links could not be followed. */
export function zonesRoutingTo(stack: readonly Res[], gw: Res): { zones: string[]; unresolved: number } {
  const gateways = ofType(stack, "aws:ec2/natGateway:NatGateway");
  const tables = ofType(stack, ROUTE_TYPES.routeTable);
  const subnets = ofType(stack, ROUTE_TYPES.subnet);
  const routed = new Set<Res>();
  let unresolved = 0;
  for (const r of ofType(stack, ROUTE_TYPES.route)) {
    if (resolveRef(r, "natGatewayId", r.props.natGatewayId, gateways) !== gw) continue;
    const t = resolveRef(r, "routeTableId", r.props.routeTableId, tables);
    if (t && typeof t === "object") routed.add(t);
    else unresolved++;
  }
  for (const t of tables) {
    const inline = t.props.routes;
    if (!Array.isArray(inline)) continue;
    const deps = t.propertyDependencies.routes ?? [];
    if (inline.length > 0 && deps.includes(gw)) routed.add(t);
  }
  const zones: string[] = [];
  for (const a of ofType(stack, ROUTE_TYPES.association)) {
    const t = resolveRef(a, "routeTableId", a.props.routeTableId, tables);
    if (!(t && typeof t === "object" && routed.has(t))) continue;
    const s = resolveRef(a, "subnetId", a.props.subnetId, subnets);
    const zone = s && typeof s === "object" ? s.props.availabilityZone : undefined;
    if (typeof zone === "string" && !isUnknown(zone)) zones.push(zone);
    else unresolved++;
  }
  return { zones, unresolved };
}
