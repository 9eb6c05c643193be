/**
 * The program-wide record of which Azure NAT gateway associates which subnet: Azure allows one NAT
 * gateway per subnet, and two components of one program must not both claim a subnet. This is the
 * only module-level state of the components; the pure planners never read it, the component
 * claims its subnets once their names are known.
 *
 * @module
 */
import type { FieldIssue } from "../../core/errors";
import { type SubnetLocation, subnetIdentity } from "./subnets";

const owners = new Map<string, string>();

/**
 * Records that `owner` (a component's message prefix) associates the subnet; returns an issue when another
 * gateway in the program already claimed it (Azure allows one NAT gateway per subnet).
 */
export function claimSubnet(owner: string, loc: SubnetLocation): FieldIssue | undefined {
  const id = subnetIdentity(loc);
  const previous = owners.get(id);
  if (previous !== undefined && previous !== owner) {
    return {
      path: `subnets[key=${loc.key}]`,
      value: `${loc.resourceGroupName}/${loc.virtualNetworkName}/${loc.name}`,
      message: `is already associated with ${previous}: a subnet takes one NAT gateway; remove it from one of them`,
    };
  }
  owners.set(id, owner);
  return undefined;
}

/** Forgets every claimed subnet (for tests that build several programs in one process). */
export function resetSubnetRegistry(): void {
  owners.clear();
}
