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
import { checkSubnetFreeAddresses, usableSubnetAddresses } from "../../sim/checks";
import type { CapacitySummary } from "../common/capacity";
import { checkWhenKnown } from "../common/deferred";
import type { ExpectedTrafficArgs } from "../common/expectation";
import { applyFindings } from "../common/findings";
import { childOptions, ipResourceOptions } from "../common/options";
import { AvailabilityMode, type AwsNatGatewayArgs, ConnectivityType } from "./args";
import { AWS_NAT_GATEWAY, type AwsNatGatewayPlan, planAwsNatGateway } from "./plan";

/** CloudWatch namespace and metric of the port-allocation alarm. */
export const PORT_ALLOCATION_METRIC = { namespace: "AWS/NATGateway", metricName: "ErrorPortAllocation" };

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
  /** The expectation that was checked (without destinations a gateway endpoint carries). */
  readonly expectedTraffic: ExpectedTrafficArgs | undefined;

  /**
   * Creates the gateway. Throws before any resource is registered when an argument breaks a rule:
   * ValidationError, LimitError, CapacityError or WorkloadError, each naming the component.
   */
  constructor(name: string, args: AwsNatGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    // Plan first: every rule that can be checked now fails before any child is registered.
    const warnings: string[] = [];
    const plan = planAwsNatGateway(name, args, (m) => warnings.push(m));
    super(`natcap:index:${AWS_NAT_GATEWAY}`, name, {}, opts);
    for (const m of warnings) pulumi.log.warn(m, this);
    const warn = (m: string) => pulumi.log.warn(m, this);

    this.capacity = plan.capacity.summary;
    const excluded = new Set(plan.capacity.summary?.excluded ?? []);
    this.expectedTraffic = args.expectedTraffic && {
      ...args.expectedTraffic,
      destinations: args.expectedTraffic.destinations.filter((d) => !excluded.has(d.name)),
      ...(args.expectedTraffic.traffic
        ? { traffic: args.expectedTraffic.traffic.filter((t) => !excluded.has(t.to)) }
        : {}),
    };
    this.eips = {};
    for (const e of plan.eips) {
      this.eips[e.key + (e.zone ? `@${e.zone}` : "")] = new aws.ec2.Eip(
        e.name,
        { domain: "vpc", tags: { ...plan.tags, Name: e.name } },
        ipResourceOptions(this, args.protectIps),
      );
    }
    const eip = (key: string, zone?: string) => this.eips[key + (zone ? `@${zone}` : "")];
    const existing = new Map((args.existingIps ?? []).map((e) => [e.key, e.allocationId]));

    let subnetId: pulumi.Input<string> | undefined = args.subnetId;
    this.subnetFreeAddresses = pulumi.output(undefined);
    if (args.subnetId !== undefined && args.subnetCidrBlock !== undefined) {
      const needed = plan.subnetAddressesNeeded;
      const inUse = args.subnetAddressesInUse ?? 0;
      const checked = checkWhenKnown(args.subnetCidrBlock, (cidr) =>
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
      subnetId = pulumi.all([args.subnetId, checked]).apply(([id]) => id);
    }

    this.natGateway = new aws.ec2.NatGateway(
      name,
      gatewayArgs(plan, args, subnetId, eip),
      childOptions(this),
    );
    this.natGatewayId = this.natGateway.id;

    this.associations = {};
    if (
      plan.availabilityMode === AvailabilityMode.Zonal &&
      plan.connectivityType === ConnectivityType.Public
    ) {
      for (const key of plan.secondaryNewKeys) {
        this.associations[key] = new aws.ec2.NatGatewayEipAssociation(
          `${name}-eip-${key}`,
          { natGatewayId: this.natGateway.id, allocationId: eip(key).allocationId },
          childOptions(this),
        );
      }
      for (const key of plan.secondaryExistingKeys) {
        this.associations[key] = new aws.ec2.NatGatewayEipAssociation(
          `${name}-eip-${key}`,
          { natGatewayId: this.natGateway.id, allocationId: existing.get(key)! },
          childOptions(this),
        );
      }
    }

    const tableIds = new Map((args.routeTables ?? []).map((t) => [t.key, t.routeTableId]));
    this.routes = {};
    for (const r of plan.routes) {
      this.routes[r.name] = new aws.ec2.Route(
        r.name,
        {
          routeTableId: tableIds.get(r.routeTableKey)!,
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
          alarmActions: args.alarmActions ?? [],
          tags: plan.tags,
        },
        childOptions(this),
      );
    }
    this.portAllocationAlarmArn = this.portAllocationAlarm
      ? this.portAllocationAlarm.arn
      : pulumi.output(undefined);

    const newSecondaryIps = plan.secondaryNewKeys.map((k) => eip(k).publicIp);
    this.publicIps =
      plan.connectivityType === ConnectivityType.Private
        ? pulumi.output([])
        : plan.availabilityMode === AvailabilityMode.Regional
          ? pulumi.all(plan.eips.map((e) => eip(e.key, e.zone).publicIp))
          : pulumi.all([this.natGateway.publicIp, ...newSecondaryIps]);
    this.privateIps = pulumi
      .all([this.natGateway.privateIp, this.natGateway.secondaryPrivateIpAddresses])
      .apply(([p, s]) => [p, ...(s ?? [])].filter((x): x is string => !!x));
    const existingIds = [
      ...existing.values(),
      ...(args.regionalZones ?? []).flatMap((z) => (z.existingIps ?? []).map((e) => e.allocationId)),
    ];
    this.allocationIds = pulumi.all([
      ...existingIds,
      ...plan.eips.map((e) => eip(e.key, e.zone).allocationId),
    ]);

    this.registerOutputs({
      natGatewayId: this.natGatewayId,
      publicIps: this.publicIps,
      privateIps: this.privateIps,
      allocationIds: this.allocationIds,
      portAllocationAlarmArn: this.portAllocationAlarmArn,
      subnetFreeAddresses: this.subnetFreeAddresses,
      capacity: this.capacity,
      expectedTraffic: this.expectedTraffic,
      // The quotas this gateway was checked against: the policy pack checks against the same values.
      eipQuota: args.eipQuota,
      privateIpQuota: args.privateIpQuota,
    });
  }
}

function gatewayArgs(
  plan: AwsNatGatewayPlan,
  args: AwsNatGatewayArgs,
  subnetId: pulumi.Input<string> | undefined,
  eip: (key: string, zone?: string) => aws.ec2.Eip,
): aws.ec2.NatGatewayArgs {
  const tags = { ...plan.gatewayTags };
  if (plan.availabilityMode === AvailabilityMode.Regional) {
    return {
      availabilityMode: "regional",
      connectivityType: "public",
      vpcId: args.vpcId,
      availabilityZoneAddresses: plan.regionalZones?.map((z) => {
        const given = args.regionalZones?.find((r) => r.availabilityZone === z.availabilityZone);
        return {
          availabilityZone: z.availabilityZone,
          allocationIds: [
            ...(given?.existingIps ?? []).map((e) => e.allocationId),
            ...z.newKeys.map((k) => eip(k, z.availabilityZone).allocationId),
          ],
        };
      }),
      tags,
    };
  }
  if (plan.connectivityType === ConnectivityType.Private) {
    return {
      connectivityType: "private",
      subnetId,
      secondaryPrivateIpAddressCount: plan.secondaryPrivateIpAddressCount || undefined,
      secondaryPrivateIpAddresses: args.secondaryPrivateIpAddresses,
      tags,
    };
  }
  const primary =
    plan.primary?.newKey !== undefined
      ? eip(plan.primary.newKey).allocationId
      : args.existingIps?.find((e) => e.key === plan.primary?.existingKey)?.allocationId;
  return { connectivityType: "public", subnetId, allocationId: primary, tags };
}
