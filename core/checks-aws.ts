/**
 * Pure checks of regional AWS NAT gateways, per Availability Zone, shared by the AWS component (at
 * construction) and the policy pack (at preview); findings as in core/checks.ts.
 *
 * @module
 */
import type { Finding } from "./checks";
import { AWS } from "./limits";

// ---------------------------------------------------------------------------------------------
// Regional AWS NAT gateways: limits per Availability Zone.
// ---------------------------------------------------------------------------------------------

/**
 * Checks the IPv4 address count of one Availability Zone of a regional AWS NAT gateway: at least 1
 * and at most 32 per zone (VPC user guide, regional NAT gateways). `need` names what the count is:
 * the addresses listed (manual mode) or the addresses the expected traffic needs (auto mode).
 *
 * @param zone the Availability Zone, named in the message
 * @param path the argument or property, e.g. `regionalZones[0].ipCount`
 * @param need what the count is @default "listed"
 */
export function checkAwsRegionalZoneIps(
  ips: number,
  zone: string,
  path: string,
  need: "listed" | "needed" = "listed",
): Finding[] {
  const perAz = AWS.regionalIpsPerAz;
  if (need === "listed" && (!Number.isInteger(ips) || ips < 1)) {
    return [
      {
        severity: "error",
        path,
        value: ips,
        message: `${ips} is not a valid IP count for ${zone}: every zone of a regional NAT gateway in manual mode needs at least one Elastic IP`,
        fix: `give ${zone} from 1 to ${perAz.value} IPs`,
      },
    ];
  }
  if (ips <= perAz.value) return [];
  const what =
    need === "listed"
      ? `${ips} IPv4 addresses in ${zone} exceed`
      : `the expected traffic needs ${ips} IPv4 addresses in ${zone}, more than`;
  return [
    {
      severity: "error",
      path,
      value: ips,
      message: `${what} the ${perAz.value} a regional NAT gateway holds per Availability Zone (each adds ${AWS.connectionsPerIpPerDestination.value.toLocaleString("en-US")} connections to one destination)`,
      fix: `use at most ${perAz.value} IPs per zone; for more, spread the traffic over more destination addresses or add a NAT gateway and route some subnets to it`,
      limit: perAz,
    },
  ];
}

/**
 * Checks that every Availability Zone whose private subnets route to a regional NAT gateway in
 * manual mode lists addresses for that zone: traffic from a zone without addresses cannot leave.
 *
 * @param routedZones zones of the subnets whose route tables send traffic to the gateway
 * @param listedZones zones the gateway lists in its per-zone addresses
 * @param path the property listing the zones, e.g. `availabilityZoneAddresses`
 */
export function checkRegionalZonesRouted(
  routedZones: readonly string[],
  listedZones: readonly string[],
  path = "availabilityZoneAddresses",
): Finding[] {
  const missing = [...new Set(routedZones)].filter((z) => !listedZones.includes(z)).sort();
  if (missing.length === 0) return [];
  return [
    {
      severity: "error",
      path,
      value: listedZones,
      message: `private subnets in ${missing.join(", ")} route to this regional NAT gateway, but it lists no addresses for ${missing.length === 1 ? "that zone" : "those zones"} (manual mode)`,
      fix: `add an entry for ${missing.join(", ")} with at least one Elastic IP, or switch to auto mode (omit the per-zone addresses)`,
      limit: AWS.regionalIpsPerAz,
    },
  ];
}
