/**
 * The pure plan of an {@link AwsCentralEgress}: the AWS whitepaper's centralised egress ("Using NAT
 * gateway for centralized egress", Building a Scalable and Secure Multi-VPC AWS Network
 * Infrastructure). Every resource's stable name, every route, and each zone's NAT gateway planned
 * against the spokes' combined traffic in that zone (./centralTraffic.ts). A zone whose NAT gateway
 * cannot carry it refuses the component (CapacityError naming the zone, the endpoint and the spokes
 * that feed it) or warns, before anything is registered.
 *
 * @module
 */
import type * as pulumi from "@pulumi/pulumi";
import { CapacityError, WorkloadError } from "../../core/errors";
import { plural } from "../../core/format";
import { COMPONENT_CLASS } from "../../core/tokens";
import { aggregateZoneTraffic } from "../../sim/workload/central-traffic";
import { expectationTags, ZONE_SHARE_TAG_PREFIX } from "../../sim/workload/tags";
import { CapacityCheckMode, type CapacitySummary } from "../common/capacity";
import { failOnIssues } from "../common/findings";
import { componentPrefix } from "../common/identity";
import type { AwsNatGatewayArgs } from "./args";
import type { AwsCentralEgressArgs, ZoneTraffic } from "./centralArgs";
import { centralEgressIssues, DEFAULT_BLACKHOLE_CIDRS, hasExpectationIssue } from "./centralRules";
import type { EgressGatewayPlan } from "./egressPlan";
import { planAwsNatGateway } from "./plan";
import { cidrKey } from "./rules";

/** Class name of the component (messages; the type token is `natcap:index:AwsCentralEgress`). */
export const AWS_CENTRAL_EGRESS = COMPONENT_CLASS.awsCentralEgress;

/** The default route every spoke and attachment subnet sends to the internet. */
export const DEFAULT_ROUTE = "0.0.0.0/0";

/** A route with a stable logical name. */
export interface NamedRoute {
  /** Logical name. */
  readonly logicalName: string;
  /** Route table (VPC or Transit Gateway) the route goes in. */
  readonly routeTableId: pulumi.Input<string>;
  /** Destination CIDR. */
  readonly cidr: pulumi.Input<string>;
}

/** One spoke's resources. */
export interface SpokePlan {
  /** The spoke's key. */
  readonly key: string;
  /** The spoke VPC. */
  readonly vpcId: pulumi.Input<string>;
  /** The attachment subnets, in the order of the spoke's zones. */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** Logical name of its attachment: `<name>-spoke-<key>`; its association and propagation add `-assoc`, `-prop`. */
  readonly logicalName: string;
  /** Its route tables' default routes to the Transit Gateway. */
  readonly routes: readonly NamedRoute[];
  /** Tags of the attachment: the component's, `Name`, and the spoke's expectation tags. */
  readonly tags: Readonly<Record<string, string>>;
}

/** One egress zone's routes beside its NAT gateway. */
export interface CentralZonePlan {
  /** The Availability Zone. */
  readonly availabilityZone: string;
  /** Public route table routes: each spoke CIDR to the Transit Gateway. */
  readonly spokeRoutes: readonly NamedRoute[];
  /** Public route table's default route to the internet gateway, when one is given. */
  readonly internetRoute?: NamedRoute;
}

/** The plan of an AwsCentralEgress. */
export interface AwsCentralEgressPlan {
  /** Message prefix, e.g. `AwsCentralEgress "hub"`. */
  readonly prefix: string;
  /** The existing Transit Gateway, or undefined for a new one. */
  readonly transitGatewayId?: pulumi.Input<string>;
  /** A new Transit Gateway's logical name (`<name>-tgw`) and ASN. */
  readonly newTransitGateway?: { readonly logicalName: string; readonly amazonSideAsn?: number };
  /** The egress VPC's attachment: logical name `<name>-egress`, subnets in zone order. */
  readonly egressAttachment: {
    readonly logicalName: string;
    readonly vpcId: pulumi.Input<string>;
    readonly subnetIds: readonly pulumi.Input<string>[];
    readonly applianceModeSupport: boolean;
  };
  /** Logical names of the Transit Gateway route tables: spokes' and egress. */
  readonly routeTables: { readonly spokes: string; readonly egress: string };
  /** The spokes' route table: `0.0.0.0/0` to the egress attachment (logical name). */
  readonly spokesDefaultRoute: string;
  /** The spokes' route table's blackholes (logical name and CIDR). */
  readonly blackholes: readonly { readonly logicalName: string; readonly cidr: string }[];
  /** The spokes. */
  readonly spokes: readonly SpokePlan[];
  /** Each zone's routes. */
  readonly zones: readonly CentralZonePlan[];
  /** Each zone's NAT gateway (an AwsNatGateway child `<name>-<zone>`), planned against the zone's traffic. */
  readonly gateways: readonly EgressGatewayPlan[];
  /** Each zone's combined traffic and the spokes feeding each endpoint. */
  readonly zoneTraffic: readonly ZoneTraffic[];
  /** Tags for every resource. */
  readonly tags: Readonly<Record<string, string>>;
  /** Warnings (a zone that does not fit, with `capacityCheck: warn`). */
  readonly warnings: readonly string[];
}

/** Drops undefined fields: the gateway's checks treat a present field as "given". */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * A spoke's peak expectations as `natcap-peak-*` tags for its attachment, and its zone shares as
 * `natcap-zone-share-<zone>` tags (sim/workload/tags.ts), as the policy pack reads them from plain resources.
 */
function spokeTags(spoke: AwsCentralEgressArgs["spokes"][number]): Record<string, string> {
  const shares = spoke.zones
    .filter((z) => z.trafficShare !== undefined)
    .map((z) => [`${ZONE_SHARE_TAG_PREFIX}${z.availabilityZone}`, String(z.trafficShare)]);
  return {
    ...expectationTags(
      (spoke.expectedTraffic?.destinations ?? []).map((d) => ({ ...d, protocol: d.protocol ?? "tcp" })),
    ),
    ...Object.fromEntries(shares),
  };
}

/**
 * The refusal of one zone: which endpoints do not fit, from which spokes, and the fixes (more IPs
 * in that zone, another egress VPC, or the traffic's own fixes).
 */
export function zoneCapacityMessage(
  prefix: string,
  index: number,
  zone: ZoneTraffic,
  summary: CapacitySummary,
): string {
  const feeds = new Map(zone.endpoints.map((e) => [e.name, e]));
  const lines = summary.destinations
    .filter((d) => !d.ok)
    .map((d) => {
      const spokes = feeds.get(d.name)?.spokes ?? [];
      return `  endpoint ${d.endpoint} from ${plural(spokes.length, "spoke")} (${spokes.join(", ")}): ${d.message}`;
    });
  const ips = plural(summary.ips, "IP");
  const fix = summary.fix.replace(/^set (ipCount|the number of ipKeys)/, `set zones[${index}].$1`);
  return (
    `${prefix}: zone ${zone.availabilityZone}: its NAT gateway (${ips}) cannot carry the spokes' combined traffic there ` +
    `(one port inventory per endpoint, whichever spoke the connections come from):\n${lines.join("\n")}\n` +
    `  fix: in zone ${zone.availabilityZone}, ${fix || "give the NAT gateway more IPs"}; or move some of these spokes to another egress VPC ` +
    "(each egress VPC's NAT gateways hold their own ports); or lower the spokes' connections to the endpoint " +
    "(shorter holds, connection reuse, spread over more endpoints)"
  );
}

/**
 * Plans an AwsCentralEgress. Throws ValidationError (arguments), WorkloadError (a spoke's
 * expectedTraffic), CapacityError (a zone's NAT gateway cannot carry the spokes' combined traffic,
 * in error mode), or any error of a zone's gateway plan (prefixed `AwsNatGateway "<name>-<zone>"`).
 */
export function planCentralEgress(name: string, args: AwsCentralEgressArgs): AwsCentralEgressPlan {
  const prefix = componentPrefix(AWS_CENTRAL_EGRESS, name);
  const issues = centralEgressIssues(args);
  if (hasExpectationIssue(issues)) throw new WorkloadError(issues, prefix);
  failOnIssues(prefix, issues);
  const tags = { ...(args.tags ?? {}) };
  const mode = args.capacityCheck ?? CapacityCheckMode.Error;
  const applianceMode = args.applianceModeSupport ?? false;
  const egressZones = args.zones.map((z) => z.availabilityZone);
  // The simulator's aggregation returns the argument shape it was given (tsc checks it is a ZoneTraffic).
  const spokeArgs = args.spokes ?? [];
  const zoneTraffic: ZoneTraffic[] = aggregateZoneTraffic(spokeArgs, egressZones, applianceMode);
  const warnings: string[] = [];

  const gateways = args.zones.map((z, i): EgressGatewayPlan => {
    const keyed = z.ipKeys !== undefined || (z.existingIps?.length ?? 0) > 0;
    const gw: AwsNatGatewayArgs = defined({
      subnetId: z.publicSubnetId,
      subnetCidrBlock: z.publicSubnetCidrBlock,
      ipCount: z.ipCount ?? (keyed ? undefined : args.ipCount),
      ipKeys: z.ipKeys,
      existingIps: z.existingIps,
      protectIps: args.protectIps,
      eipQuota: args.eipQuota,
      routeTables: [{ key: "attachment", routeTableId: z.attachmentRouteTableId }],
      portAllocationAlarm: args.portAllocationAlarm,
      alarmActions: args.alarmActions,
      expectedTraffic: zoneTraffic[i].expectedTraffic,
      capacityCheck: mode,
      capacityMethod: args.capacityMethod,
      autoSizeIps: args.autoSizeIps,
      tags: args.tags,
    });
    const logicalName = `${name}-${z.availabilityZone}`;
    // Planned in warn mode so the zone's refusal can name the spokes; the child warns or refuses itself too.
    const checkMode = mode === CapacityCheckMode.Off ? mode : CapacityCheckMode.Warn;
    const plan = planAwsNatGateway(logicalName, { ...gw, capacityCheck: checkMode }, () => {});
    const summary = plan.capacity.summary;
    if (summary && !summary.ok && mode !== CapacityCheckMode.Off) {
      const message = zoneCapacityMessage(prefix, i, zoneTraffic[i], summary);
      if (mode === CapacityCheckMode.Error) throw new CapacityError(message);
      warnings.push(message);
    }
    return { logicalName, availabilityZone: z.availabilityZone, args: gw, plan };
  });

  const spokes = spokeArgs.map(
    (s): SpokePlan => ({
      key: s.key,
      vpcId: s.vpcId,
      subnetIds: s.zones.map((z) => z.subnetId),
      logicalName: `${name}-spoke-${s.key}`,
      routes: (s.routeTables ?? []).map((t) => ({
        logicalName: `${name}-spoke-${s.key}-route-${t.key}`,
        routeTableId: t.routeTableId,
        cidr: DEFAULT_ROUTE,
      })),
      tags: { ...tags, ...spokeTags(s), Name: `${name}-spoke-${s.key}` },
    }),
  );
  const zones = args.zones.map(
    (z): CentralZonePlan => ({
      availabilityZone: z.availabilityZone,
      spokeRoutes: spokeArgs.map((s) => ({
        logicalName: `${name}-${z.availabilityZone}-to-${s.key}`,
        routeTableId: z.publicRouteTableId,
        cidr: s.cidrBlock,
      })),
      ...(args.internetGatewayId !== undefined
        ? {
            internetRoute: {
              logicalName: `${name}-${z.availabilityZone}-internet`,
              routeTableId: z.publicRouteTableId,
              cidr: DEFAULT_ROUTE,
            },
          }
        : {}),
    }),
  );
  const blackholes = (args.blackholeCidrBlocks ?? DEFAULT_BLACKHOLE_CIDRS).map((cidr) => ({
    logicalName: `${name}-spokes-blackhole-${cidrKey(cidr)}`,
    cidr,
  }));
  return {
    prefix,
    ...(args.transitGatewayId !== undefined
      ? { transitGatewayId: args.transitGatewayId }
      : { newTransitGateway: defined({ logicalName: `${name}-tgw`, amazonSideAsn: args.amazonSideAsn }) }),
    egressAttachment: {
      logicalName: `${name}-egress`,
      vpcId: args.vpcId,
      subnetIds: args.zones.map((z) => z.attachmentSubnetId),
      applianceModeSupport: applianceMode,
    },
    routeTables: { spokes: `${name}-spokes`, egress: `${name}-egress` },
    spokesDefaultRoute: `${name}-spokes-default`,
    blackholes,
    spokes,
    zones,
    gateways,
    zoneTraffic,
    tags,
    warnings,
  };
}
