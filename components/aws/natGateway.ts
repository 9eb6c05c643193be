/**
 * `AwsNatGateway` (`natcap:index:AwsNatGateway`): one AWS NAT gateway with many egress IPs, its
 * routes and its port-allocation alarm. The rules live in ./plan; this file only turns the plan into
 * resources.
 *
 * Secondary Elastic IPs are attached with one `aws.ec2.NatGatewayEipAssociation` each, never with
 * the gateway's inline `secondaryAllocationIds` (the provider warns that mixing the two causes a
 * perpetual diff). With one association per EIP, adding an IP creates one EIP and one association
 * and leaves the gateway's inputs unchanged; removing one deletes only its association (AWS drains
 * its connections, up to 350 s by default) before the EIP itself.
 *
 * @module
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkSubnetFreeAddresses, usableSubnetAddresses } from "../../core/checks";
import type { CapacitySummary } from "../common/capacity";
import { checkWhenKnown } from "../common/deferred";
import type { ExpectedTrafficArgs } from "../common/expectation";
import { applyFindings } from "../common/findings";
import { typeToken } from "../common/identity";
import { childOptions, ipResourceOptions } from "../common/options";
import { outputsOf } from "../common/outputs";
import { AvailabilityMode, type AwsNatGatewayArgs, ConnectivityType } from "./args";
import { AWS_NAT_GATEWAY, type AwsNatGatewayPlan, allocationKey, planAwsNatGateway } from "./plan";
import type { ZoneExpectedTraffic } from "./regionalZones";

/** CloudWatch namespace and metric of the port-allocation alarm. */
export const PORT_ALLOCATION_METRIC = { namespace: "AWS/NATGateway", metricName: "ErrorPortAllocation" };

/** The properties AwsNatGateway registers as outputs (the one list to extend with a new output). */
const AWS_NAT_GATEWAY_OUTPUTS = [
  "natGatewayId",
  "publicIps",
  "privateIps",
  "allocationIds",
  "portAllocationAlarmArn",
  "subnetFreeAddresses",
  "capacity",
  "expectedTraffic",
  "zoneExpectedTraffic",
  "eipQuota",
  "privateIpQuota",
] as const satisfies readonly (keyof AwsNatGateway)[];

/** One AWS NAT gateway (zonal public, zonal private or regional) with routes and an alarm. */
export class AwsNatGateway extends pulumi.ComponentResource {
  /** The NAT gateway resource. */
  readonly natGateway: aws.ec2.NatGateway;
  /** ID of the NAT gateway. */
  readonly natGatewayId: pulumi.Output<string>;
  /** Elastic IPs natcap allocated, by key (regional manual mode: `<key>@<zone>`). */
  readonly eips: Record<string, aws.ec2.Eip>;
  /** Public IPs: the primary, then each new secondary EIP (existing secondary allocations are not resolved). */
  readonly publicIps: pulumi.Output<string[]>;
  /** Private IPs of the gateway: the primary, then the secondaries. */
  readonly privateIps: pulumi.Output<string[]>;
  /** Allocation IDs of every Elastic IP of the gateway (zonal public: primary first). */
  readonly allocationIds: pulumi.Output<string[]>;
  /** The ErrorPortAllocation > 0 alarm, unless switched off. */
  readonly portAllocationAlarm?: aws.cloudwatch.MetricAlarm;
  /** ARN of the alarm, or undefined. */
  readonly portAllocationAlarmArn: pulumi.Output<string | undefined>;
  /** Associations of the secondary Elastic IPs, by IP key. */
  readonly associations: Record<string, aws.ec2.NatGatewayEipAssociation>;
  /** Routes created from the route tables, by logical name. */
  readonly routes: Record<string, aws.ec2.Route>;
  /**
   * Addresses of the subnet left free after the gateway's, once the subnet CIDR is known (undefined
   * without subnetCidrBlock). Fails with a LimitError when the subnet is too small; so does the gateway.
   */
  readonly subnetFreeAddresses: pulumi.Output<number | undefined>;
  /** The capacity check result (undefined when nothing was checked). */
  readonly capacity: CapacitySummary | undefined;
  /**
   * The Elastic-IP-per-gateway quota given in the arguments: the policy pack checks this gateway
   * against it (it wins over the pack's config).
   */
  readonly eipQuota: number | undefined;
  /** The private-IP-per-gateway quota given in the arguments, checked by the policy pack likewise. */
  readonly privateIpQuota: number | undefined;
  /** The expectation that was checked (without destinations a gateway endpoint carries). */
  readonly expectedTraffic: ExpectedTrafficArgs | undefined;
  /**
   * Regional manual mode with per-zone traffic (a zone's expectedTraffic or trafficShare): the
   * expectation each zone was checked against; the policy pack checks each zone with it.
   */
  readonly zoneExpectedTraffic: ZoneExpectedTraffic[] | undefined;

  /**
   * Creates the gateway. Throws before any resource is registered when an argument breaks a rule:
   * ValidationError, LimitError, CapacityError or WorkloadError, each naming the component.
   */
  constructor(name: string, args: AwsNatGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    // Plan first: every rule that can be checked now fails before any child is registered.
    const plan = planAwsNatGateway(name, args);
    super(typeToken(AWS_NAT_GATEWAY), name, {}, opts);
    for (const m of plan.warnings) pulumi.log.warn(m, this);
    const warn = (m: string) => pulumi.log.warn(m, this);

    this.capacity = plan.capacity.summary;
    this.eipQuota = plan.eipQuota;
    this.privateIpQuota = plan.privateIpQuota;
    this.expectedTraffic = plan.expectedTraffic;
    this.zoneExpectedTraffic = plan.zoneExpectedTraffic ? [...plan.zoneExpectedTraffic] : undefined;
    this.eips = {};
    for (const e of plan.eips) {
      this.eips[allocationKey(e.key, e.zone)] = new aws.ec2.Eip(
        e.logicalName,
        { domain: "vpc", tags: { ...plan.tags, Name: e.logicalName } },
        ipResourceOptions(this, plan.protectIps),
      );
    }
    const existing = new Map(
      plan.existingAllocations.map((e) => [allocationKey(e.key, e.zone), e.allocationId]),
    );
    /** Allocation ID of an IP of the gateway: a new EIP's, or an existing allocation's. */
    const allocationId = (key: string, zone?: string): pulumi.Input<string> =>
      this.eips[allocationKey(key, zone)]?.allocationId ?? existing.get(allocationKey(key, zone))!;

    const subnet = plan.subnet;
    let subnetId: pulumi.Input<string> | undefined = subnet?.id;
    this.subnetFreeAddresses = pulumi.output(undefined);
    if (subnet?.cidrBlock !== undefined) {
      const needed = plan.subnetAddressesNeeded;
      const inUse = subnet.addressesInUse;
      const checked = checkWhenKnown(subnet.cidrBlock, (cidr) =>
        applyFindings(
          plan.prefix,
          checkSubnetFreeAddresses(cidr, needed, inUse, "aws", "subnetCidrBlock"),
          warn,
        ),
      );
      this.subnetFreeAddresses = checked.apply(
        (cidr) => (usableSubnetAddresses(cidr, "aws") ?? 0) - inUse - needed,
      );
      // The gateway waits for the check: a failed check stops the deployment before the gateway.
      subnetId = pulumi.all([subnet.id, checked]).apply(([id]) => id);
    }

    this.natGateway = new aws.ec2.NatGateway(
      name,
      gatewayArgs(plan, subnetId, allocationId),
      childOptions(this),
    );
    this.natGatewayId = this.natGateway.id;

    this.associations = {};
    for (const a of plan.associations) {
      this.associations[a.key] = new aws.ec2.NatGatewayEipAssociation(
        a.logicalName,
        { natGatewayId: this.natGateway.id, allocationId: allocationId(a.key) },
        childOptions(this),
      );
    }

    this.routes = {};
    for (const r of plan.routes) {
      this.routes[r.logicalName] = new aws.ec2.Route(
        r.logicalName,
        {
          routeTableId: plan.routeTableIds[r.routeTableKey],
          destinationCidrBlock: r.cidr,
          natGatewayId: this.natGateway.id,
        },
        childOptions(this),
      );
    }

    if (plan.alarm) {
      this.portAllocationAlarm = new aws.cloudwatch.MetricAlarm(
        `${name}-port-allocation`,
        {
          alarmDescription: `${plan.prefix}: connections failed because no source port was free (ErrorPortAllocation > 0); add IPs or spread traffic across destinations`,
          namespace: PORT_ALLOCATION_METRIC.namespace,
          metricName: PORT_ALLOCATION_METRIC.metricName,
          dimensions: { NatGatewayId: this.natGateway.id },
          statistic: "Sum",
          period: 60,
          evaluationPeriods: 1,
          threshold: 0,
          comparisonOperator: "GreaterThanThreshold",
          treatMissingData: "notBreaching",
          alarmActions: [...plan.alarmActions],
          tags: plan.tags,
        },
        childOptions(this),
      );
    }
    this.portAllocationAlarmArn = this.portAllocationAlarm
      ? this.portAllocationAlarm.arn
      : pulumi.output(undefined);

    const newSecondaryIps = plan.secondaryNewKeys.map((k) => this.eips[k].publicIp);
    this.publicIps =
      plan.connectivityType === ConnectivityType.Private
        ? pulumi.output([])
        : plan.availabilityMode === AvailabilityMode.Regional
          ? pulumi.all(plan.eips.map((e) => this.eips[allocationKey(e.key, e.zone)].publicIp))
          : pulumi.all([this.natGateway.publicIp, ...newSecondaryIps]);
    this.privateIps = pulumi
      .all([this.natGateway.privateIp, this.natGateway.secondaryPrivateIpAddresses])
      .apply(([p, s]) => [p, ...(s ?? [])].filter((x): x is string => !!x));
    this.allocationIds = pulumi.all([
      ...plan.existingAllocations.map((e) => e.allocationId),
      ...plan.eips.map((e) => this.eips[allocationKey(e.key, e.zone)].allocationId),
    ]);

    this.registerOutputs(outputsOf(this, AWS_NAT_GATEWAY_OUTPUTS));
  }
}

function gatewayArgs(
  plan: AwsNatGatewayPlan,
  subnetId: pulumi.Input<string> | undefined,
  allocationId: (key: string, zone?: string) => pulumi.Input<string>,
): aws.ec2.NatGatewayArgs {
  const tags = { ...plan.gatewayTags };
  if (plan.availabilityMode === AvailabilityMode.Regional) {
    return {
      availabilityMode: "regional",
      connectivityType: "public",
      vpcId: plan.vpcId,
      availabilityZoneAddresses: plan.regionalZones?.map((z) => ({
        availabilityZone: z.availabilityZone,
        allocationIds: [
          ...z.existingKeys.map((k) => allocationId(k, z.availabilityZone)),
          ...z.newKeys.map((k) => allocationId(k, z.availabilityZone)),
        ],
      })),
      tags,
    };
  }
  if (plan.connectivityType === ConnectivityType.Private) {
    return {
      connectivityType: "private",
      subnetId,
      secondaryPrivateIpAddressCount: plan.secondaryPrivateIpAddressCount || undefined,
      secondaryPrivateIpAddresses: plan.secondaryPrivateIpAddresses && [...plan.secondaryPrivateIpAddresses],
      tags,
    };
  }
  const primary = plan.primary?.newKey ?? plan.primary?.existingKey;
  return {
    connectivityType: "public",
    subnetId,
    allocationId: primary === undefined ? undefined : allocationId(primary),
    tags,
  };
}
