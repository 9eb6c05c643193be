/**
 * Subnet rules of an Azure NAT gateway, pure: never the GatewaySubnet, all subnets in one virtual
 * network, no subnet twice. The one-gateway-per-subnet rule across the program needs state; it lives
 * in ./registry.
 *
 * @module
 */
import type * as pulumi from "@pulumi/pulumi";
import { oneVnetVerdict, type VnetPart } from "../../core/checks-azure";
import type { FieldIssue } from "../../core/errors";
import { isKnownNow } from "../common/deferred";
import { KEY_PATTERN } from "../common/keys";
import type { AzureNatSubnetArgs } from "./args";

/** Azure's reserved subnet name for VPN/ExpressRoute gateways; a NAT gateway cannot attach to it. */
export const GATEWAY_SUBNET = "GatewaySubnet";

/**
 * Name of Azure Firewall's subnet. A NAT gateway on it is Azure's documented fix for the firewall's
 * SNAT exhaustion ("Scale SNAT ports with Azure NAT Gateway": 2,496 ports per public IP per firewall
 * instance, against 64,512 per NAT gateway IP): allowed, unlike {@link GATEWAY_SUBNET}.
 */
export const FIREWALL_SUBNET = "AzureFirewallSubnet";

/** A subnet to create and associate with the gateway. */
export interface SubnetPlan {
  /** Stable key from the arguments. */
  readonly key: string;
  /** Pulumi logical name, `<component>-subnet-<key>`. */
  readonly logicalName: string;
  /** Azure name of the subnet. */
  readonly name: string;
  /** Virtual network name (may be unknown until deployment). */
  readonly virtualNetworkName: pulumi.Input<string>;
  /** Resource group of the VNet; undefined means the gateway's. */
  readonly resourceGroupName?: pulumi.Input<string>;
  /** Address prefixes. */
  readonly addressPrefixes: pulumi.Input<string>[];
  /** NSG to attach. */
  readonly networkSecurityGroupId?: pulumi.Input<string>;
  /** Route table to attach. */
  readonly routeTableId?: pulumi.Input<string>;
  /** Default outbound access (off unless asked). */
  readonly defaultOutboundAccess: boolean;
}

/** Plans the subnets and reports malformed ones (bad or duplicate key, GatewaySubnet, no prefixes). */
export function planSubnets(
  component: string,
  subnets: readonly AzureNatSubnetArgs[] | undefined,
  issues: FieldIssue[],
): SubnetPlan[] {
  const plans: SubnetPlan[] = [];
  const keys = new Map<string, number>();
  (subnets ?? []).forEach((s, i) => {
    const path = `subnets[${i}]`;
    if (typeof s.key !== "string" || !KEY_PATTERN.test(s.key)) {
      issues.push({
        path: `${path}.key`,
        value: s.key,
        message: "a key must start with a letter or digit and use only letters, digits, '_', '.' and '-'",
      });
      return;
    }
    const first = keys.get(s.key);
    if (first !== undefined) {
      issues.push({ path: `${path}.key`, value: s.key, message: `duplicate key (also subnets[${first}])` });
      return;
    }
    keys.set(s.key, i);
    const name = s.name ?? s.key;
    if (name.toLowerCase() === GATEWAY_SUBNET.toLowerCase()) {
      issues.push({
        path: `${path}.name`,
        value: name,
        message:
          "a NAT gateway cannot be associated with the GatewaySubnet (reserved for VPN and ExpressRoute gateways); use another subnet",
      });
    }
    if (Array.isArray(s.addressPrefixes) && s.addressPrefixes.length === 0) {
      issues.push({
        path: `${path}.addressPrefixes`,
        value: s.addressPrefixes,
        message: "give at least one address prefix, e.g. 10.0.1.0/24",
      });
    }
    plans.push({
      key: s.key,
      logicalName: `${component}-subnet-${s.key}`,
      name,
      virtualNetworkName: s.virtualNetworkName,
      resourceGroupName: s.resourceGroupName,
      addressPrefixes: s.addressPrefixes,
      networkSecurityGroupId: s.networkSecurityGroupId,
      routeTableId: s.routeTableId,
      defaultOutboundAccess: s.defaultOutboundAccess ?? false,
    });
  });
  return plans;
}

/** A subnet's location once its VNet and resource group are known. */
export interface SubnetLocation {
  /** Key of the subnet in the component's arguments. */
  readonly key: string;
  /** Resource group of the VNet. */
  readonly resourceGroupName: string;
  /** Virtual network name. */
  readonly virtualNetworkName: string;
  /** Subnet name. */
  readonly name: string;
}

/** Case-insensitive identity of a VNet (Azure names are case-insensitive). */
export function vnetIdentity(loc: Pick<SubnetLocation, "resourceGroupName" | "virtualNetworkName">): string {
  return `${loc.resourceGroupName}/${loc.virtualNetworkName}`.toLowerCase();
}

/** Case-insensitive identity of a subnet. */
export function subnetIdentity(loc: SubnetLocation): string {
  return `${vnetIdentity(loc)}/${loc.name}`.toLowerCase();
}

/** A subnet whose VNet and resource group may still be unknown (Outputs during preview). */
export interface SubnetPlace {
  /** Key of the subnet in the component's arguments. */
  readonly key: string;
  /** Resource group of the VNet. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Virtual network name. */
  readonly virtualNetworkName: pulumi.Input<string>;
}

/** A known name as is; an Output or Promise as an unknown that equals only itself. */
function part(v: pulumi.Input<string>): VnetPart {
  return isKnownNow(v) ? v : { source: v };
}

function shown(v: pulumi.Input<string>): string {
  return isKnownNow(v) ? v : "(unknown until deployment)";
}

/**
 * The issue when the subnets are in different virtual networks, decided with what is known now
 * (see {@link oneVnetVerdict}): literal VNet names that differ are two VNets whatever their
 * resource groups, and so are known groups that differ. All the component's subnets use its
 * provider, so one subscription. Undefined when one VNet, or not decidable yet.
 */
export function differentVnetIssue(places: readonly SubnetPlace[]): FieldIssue | undefined {
  const verdict = oneVnetVerdict(
    places.map((p) => ({ resourceGroup: part(p.resourceGroupName), name: part(p.virtualNetworkName) })),
  );
  if (verdict.kind !== "different") return undefined;
  const [a, b] = verdict.pair.map((i) => places[i]);
  return {
    path: `subnets[key=${b.key}].virtualNetworkName`,
    value: `${shown(b.resourceGroupName)}/${shown(b.virtualNetworkName)}`,
    message:
      `is a different virtual network than subnet "${a.key}" (${shown(a.resourceGroupName)}/${shown(a.virtualNetworkName)}): ` +
      "a NAT gateway serves subnets of one VNet; create one gateway per VNet",
  };
}

/** Issues when the subnets are not all in one virtual network, or one subnet is listed twice. */
export function subnetLocationIssues(locations: readonly SubnetLocation[]): FieldIssue[] {
  if (locations.length < 2) return [];
  const issues: FieldIssue[] = [];
  const seen = new Map<string, string>();
  for (const loc of locations) {
    const other = seen.get(subnetIdentity(loc));
    if (other !== undefined) {
      issues.push({
        path: `subnets[key=${loc.key}].name`,
        value: loc.name,
        message: `names the same subnet as subnets[key=${other}]; list each subnet once`,
      });
    } else seen.set(subnetIdentity(loc), loc.key);
  }
  const different = differentVnetIssue(locations);
  if (different) issues.push(different);
  return issues;
}
