/**
 * The {@link AzureNatGateway} component: turns the plan of plan.ts into azure-native resources
 * (public IPs, prefixes, the NAT gateway, subnets, metric alerts) and nothing more.
 *
 * @module
 */
import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { AzureNatSku } from "../../core/limits";
import type { CapacitySummary } from "../common/capacity";
import { checkWhenKnown, isKnownNow } from "../common/deferred";
import type { ExpectedTrafficArgs } from "../common/expectation";
import { failOnIssues } from "../common/findings";
import { typeToken } from "../common/identity";
import { childOptions, ipResourceOptions } from "../common/options";
import { outputsOf } from "../common/outputs";
import type { AzureNatGatewayArgs } from "./args";
import { AZURE_NAT_GATEWAY, type AzureNatPlan, PUBLIC_IP_SKU, planAzureNatGateway } from "./plan";
import { claimSubnet } from "./registry";
import { createStandardV2 } from "./standardV2";
import { differentVnetIssue, type SubnetLocation, subnetLocationIssues } from "./subnets";

/** The gateway and addresses either SKU's path creates, as the outputs read them. */
interface CreatedGateway {
  readonly gateway: pulumi.CustomResource & { readonly name: pulumi.Output<string> };
  readonly ipIds: pulumi.Input<string>[];
  readonly prefixIds: pulumi.Input<string>[];
  readonly ipAddresses: pulumi.Output<string | undefined>[];
  readonly prefixBlocks: pulumi.Output<string | undefined>[];
  readonly ipV6Addresses: pulumi.Output<string | undefined>[];
  readonly prefixV6Blocks: pulumi.Output<string | undefined>[];
}

/** The properties AzureNatGateway registers as outputs (the one list to extend with a new output). */
const AZURE_NAT_GATEWAY_OUTPUTS = [
  "natGatewayId",
  "natGatewayName",
  "publicIpAddresses",
  "publicIpIds",
  "publicIpPrefixes",
  "publicIpPrefixIds",
  "publicIpAddressCount",
  "publicIpV6Addresses",
  "publicIpPrefixesV6",
  "publicIpV6AddressCount",
  "subnetIds",
  "snatFailureAlertId",
  "datapathAvailabilityAlertId",
  "capacity",
  "expectedTraffic",
] as const satisfies readonly (keyof AzureNatGateway)[];

/**
 * An Azure NAT gateway (Standard, or zone-redundant StandardV2) with up to 16 public IPv4 addresses from public IPs and
 * prefixes (and on StandardV2 up to 16 IPv6 addresses, from IPv6 public IPs and prefixes), keyed by stable names and protected by default; optional subnets of one VNet; Azure
 * Monitor alerts on SNAT failures and datapath availability; and a capacity check of the expected
 * traffic against the simulator's Azure model at construction.
 *
 * Type token `natcap:index:AzureNatGateway`.
 */
export class AzureNatGateway extends pulumi.ComponentResource {
  /** Resource ID of the NAT gateway. Attach subnets your program declares with `natGateway: { id: natGatewayId }`. */
  public readonly natGatewayId: pulumi.Output<string>;
  /** Name of the NAT gateway in Azure. */
  public readonly natGatewayName: pulumi.Output<string>;
  /** Addresses of the public IPs the component created, in key order. */
  public readonly publicIpAddresses: pulumi.Output<string[]>;
  /** Resource IDs of every public IP on the gateway (created, then existing). */
  public readonly publicIpIds: pulumi.Output<string[]>;
  /** CIDR blocks of the prefixes the component created, in key order. */
  public readonly publicIpPrefixes: pulumi.Output<string[]>;
  /** Resource IDs of every prefix on the gateway (created, then existing). */
  public readonly publicIpPrefixIds: pulumi.Output<string[]>;
  /** Public IPv4 addresses on the gateway, prefixes counted whole. */
  public readonly publicIpAddressCount: pulumi.Output<number>;
  /** Addresses of the public IPv6 addresses the component created (StandardV2), in key order. */
  public readonly publicIpV6Addresses: pulumi.Output<string[]>;
  /** CIDR blocks of the IPv6 prefixes the component created (StandardV2), in key order. */
  public readonly publicIpPrefixesV6: pulumi.Output<string[]>;
  /** Public IPv6 addresses on the gateway (StandardV2), prefixes counted whole: the SNAT addresses of IPv6 destinations. */
  public readonly publicIpV6AddressCount: pulumi.Output<number>;
  /** Resource IDs of the subnets the component created. */
  public readonly subnetIds: pulumi.Output<string[]>;
  /** Resource ID of the SNAT-failure alert; undefined when alerts are off. */
  public readonly snatFailureAlertId: pulumi.Output<string | undefined>;
  /** Resource ID of the datapath-availability alert; undefined when alerts are off. */
  public readonly datapathAvailabilityAlertId: pulumi.Output<string | undefined>;
  /** The capacity check's result; undefined without `expectedTraffic`. */
  public readonly capacity: pulumi.Output<CapacitySummary | undefined>;
  /** The expectation that was checked (read by the policy pack's capacity rule); undefined without one. */
  public readonly expectedTraffic: pulumi.Output<ExpectedTrafficArgs | undefined>;

  /**
   * @param name logical name; children are named `<name>-pip-<key>`, `<name>-ippre-<key>`,
   *   `<name>-pipv6-<key>`, `<name>-ipprev6-<key>` (StandardV2 IPv6),
   *   `<name>-subnet-<key>`, `<name>-alert-<kind>`, and the gateway itself `<name>`
   * @throws {ValidationError} on malformed arguments
   * @throws {LimitError} when an Azure limit is broken
   * @throws {CapacityError} when the expected traffic predicts port-allocation errors (default mode)
   * @throws {WorkloadError} when `expectedTraffic` is invalid
   */
  constructor(name: string, args: AzureNatGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    // Plan first: every rule that can be checked now fails before the component is registered.
    const plan = planAzureNatGateway(name, args);
    super(typeToken(AZURE_NAT_GATEWAY), name, {}, opts);
    for (const w of plan.warnings) pulumi.log.warn(w, this);

    const { gateway, ipIds, prefixIds, ipAddresses, prefixBlocks, ipV6Addresses, prefixV6Blocks } =
      plan.sku === AzureNatSku.StandardV2 ? this.createStandardV2(plan) : this.createStandard(plan);

    const subnets = this.createSubnets(plan, gateway);
    const alerts = plan.alerts.map(
      (a) =>
        new monitor.MetricAlert(
          a.logicalName,
          {
            resourceGroupName: plan.resourceGroupName,
            location: "global",
            tags: plan.tags,
            description: a.description,
            severity: a.severity,
            enabled: true,
            autoMitigate: true,
            scopes: [gateway.id],
            evaluationFrequency: a.evaluationFrequency,
            windowSize: a.windowSize,
            criteria: {
              odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
              allOf: [a.criterion],
            },
            actions: plan.alertActionGroupIds.map((actionGroupId) => ({ actionGroupId })),
          },
          childOptions(this),
        ),
    );
    const alertId = (key: string) => {
      const i = plan.alerts.findIndex((a) => a.key === key);
      return i < 0 ? pulumi.output(undefined) : alerts[i].id.apply((id) => id as string | undefined);
    };

    this.natGatewayId = gateway.id;
    this.natGatewayName = gateway.name;
    this.publicIpAddresses = pulumi.all(ipAddresses).apply((a) => a.map((x) => x ?? ""));
    this.publicIpIds = pulumi.all(ipIds);
    this.publicIpPrefixes = pulumi.all(prefixBlocks).apply((a) => a.map((x) => x ?? ""));
    this.publicIpPrefixIds = pulumi.all(prefixIds);
    this.publicIpAddressCount = pulumi.output(plan.totalAddresses);
    this.publicIpV6Addresses = pulumi.all(ipV6Addresses).apply((a) => a.map((x) => x ?? ""));
    this.publicIpPrefixesV6 = pulumi.all(prefixV6Blocks).apply((a) => a.map((x) => x ?? ""));
    this.publicIpV6AddressCount = pulumi.output(plan.totalAddressesV6);
    this.subnetIds = pulumi.all(subnets.map((s) => s.id));
    this.snatFailureAlertId = alertId("snat-failures");
    this.datapathAvailabilityAlertId = alertId("datapath-availability");
    this.capacity = pulumi.output(plan.capacity.summary);
    this.expectedTraffic = pulumi.output(plan.expectedTraffic);
    this.registerOutputs(outputsOf(this, AZURE_NAT_GATEWAY_OUTPUTS));
  }

  /** The Standard gateway, public IPs and prefixes (azure-native's typed network resources). */
  private createStandard(plan: AzureNatPlan): CreatedGateway {
    const common = { resourceGroupName: plan.resourceGroupName, location: plan.location, tags: plan.tags };
    const ipOpts = ipResourceOptions(this, plan.protectIps);
    const ips = plan.publicIps.map(
      (ip) =>
        new network.PublicIPAddress(
          ip.logicalName,
          {
            ...common,
            publicIpAddressName: ip.azureName,
            sku: { name: PUBLIC_IP_SKU[plan.sku], tier: "Regional" },
            publicIPAllocationMethod: "Static",
            publicIPAddressVersion: "IPv4",
            zones: ip.zones,
          },
          ipOpts,
        ),
    );
    const prefixes = plan.prefixes.map(
      (p) =>
        new network.PublicIPPrefix(
          p.logicalName,
          {
            ...common,
            publicIpPrefixName: p.azureName,
            sku: { name: PUBLIC_IP_SKU[plan.sku], tier: "Regional" },
            prefixLength: p.prefixLength,
            publicIPAddressVersion: "IPv4",
            zones: p.zones,
          },
          ipOpts,
        ),
    );
    const ipIds: pulumi.Input<string>[] = [...ips.map((ip) => ip.id), ...plan.existingPublicIpIds];
    const prefixIds: pulumi.Input<string>[] = [
      ...prefixes.map((p) => p.id),
      ...plan.existingPublicIpPrefixIds,
    ];

    const gateway = new network.NatGateway(
      plan.gatewayLogicalName,
      {
        ...common,
        tags: plan.gatewayTags,
        natGatewayName: plan.natGatewayName,
        sku: { name: plan.sku },
        zones: plan.zones,
        idleTimeoutInMinutes: plan.idleTimeoutInMinutes,
        publicIpAddresses: ipIds.map((id) => ({ id })),
        publicIpPrefixes: prefixIds.map((id) => ({ id })),
      },
      childOptions(this),
    );

    return {
      gateway,
      ipIds,
      prefixIds,
      ipAddresses: ips.map((ip) => ip.ipAddress),
      prefixBlocks: prefixes.map((p) => p.ipPrefix),
      ipV6Addresses: [],
      prefixV6Blocks: [],
    };
  }

  /** The StandardV2 gateway, public IPs and prefixes (generic resources at network API 2025-01-01). */
  private createStandardV2(plan: AzureNatPlan): CreatedGateway {
    const v2 = createStandardV2(this, plan, plan.existingPublicIpIds, plan.existingPublicIpPrefixIds);
    return {
      gateway: v2.gateway,
      ipIds: [...v2.ips.map((ip) => ip.id), ...plan.existingPublicIpIds],
      prefixIds: [...v2.prefixes.map((p) => p.id), ...plan.existingPublicIpPrefixIds],
      ipAddresses: v2.ips.map((ip) => ip.value),
      prefixBlocks: v2.prefixes.map((p) => p.value),
      ipV6Addresses: v2.ipsV6.map((ip) => ip.value),
      prefixV6Blocks: v2.prefixesV6.map((p) => p.value),
    };
  }

  /**
   * Creates the subnets, each pointing at the gateway. The one-VNet and one-gateway-per-subnet rules
   * run now when names are plain strings, otherwise when they are known (never on unknowns).
   */
  private createSubnets(plan: AzureNatPlan, gateway: { readonly id: pulumi.Output<string> }) {
    if (plan.subnets.length === 0) return [];
    const located = plan.subnets.map((s) => ({
      key: s.key,
      name: s.name,
      resourceGroupName: s.resourceGroupName ?? plan.resourceGroupName,
      virtualNetworkName: s.virtualNetworkName,
    }));
    // Decided now where preview can: literal VNet names that differ are two VNets whatever the groups.
    const different = differentVnetIssue(located);
    if (different) failOnIssues(plan.prefix, [different]);
    const check = (locations: SubnetLocation[]) => {
      const issues = subnetLocationIssues(locations);
      for (const loc of locations) {
        const issue = claimSubnet(plan.prefix, loc);
        if (issue) issues.push(issue);
      }
      failOnIssues(plan.prefix, issues);
    };
    const allKnown = located.every(
      (l) => isKnownNow(l.resourceGroupName) && isKnownNow(l.virtualNetworkName),
    );
    const checked = checkWhenKnown(
      allKnown
        ? (located as SubnetLocation[])
        : pulumi.all(
            located.map((l) =>
              pulumi.all([l.resourceGroupName, l.virtualNetworkName]).apply(([rg, vnet]) => ({
                key: l.key,
                name: l.name,
                resourceGroupName: rg,
                virtualNetworkName: vnet,
              })),
            ),
          ),
      check,
    );
    return plan.subnets.map(
      (s, i) =>
        new network.Subnet(
          s.logicalName,
          {
            // The deferred check rides on an unknown input; a literal VNet name stays literal, so the
            // policy pack sees it during preview.
            ...(isKnownNow(located[i].virtualNetworkName) && !isKnownNow(located[i].resourceGroupName)
              ? {
                  resourceGroupName: checked.apply((locs) => locs[i].resourceGroupName),
                  virtualNetworkName: located[i].virtualNetworkName,
                }
              : {
                  resourceGroupName: located[i].resourceGroupName,
                  virtualNetworkName: checked.apply((locs) => locs[i].virtualNetworkName),
                }),
            subnetName: s.name,
            addressPrefixes: s.addressPrefixes,
            networkSecurityGroup: s.networkSecurityGroupId ? { id: s.networkSecurityGroupId } : undefined,
            routeTable: s.routeTableId ? { id: s.routeTableId } : undefined,
            defaultOutboundAccess: s.defaultOutboundAccess,
            natGateway: { id: gateway.id },
          },
          childOptions(this),
        ),
    );
  }
}
