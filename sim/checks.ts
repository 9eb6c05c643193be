/**
 * Pure limit checks shared by the components (at construction) and the policy pack (at preview).
 * Each returns findings instead of throwing, so a component can turn an error finding into an
 * exception and a policy can turn it into a violation with the same words.
 *
 * @module
 */
import { AWS, AZURE, type Limit } from "./limits";

/** Result of one check: an error (a hard limit is broken) or a warning (advice, a default quota). */
export interface Finding {
  /** `error` breaks a hard limit; `warning` is advice or a soft (raisable) quota. */
  readonly severity: "error" | "warning";
  /** Argument or property the finding is about, e.g. `ipCount`, `publicIpPrefixes[0].prefixLength`. */
  readonly field: string;
  /** The value that was checked. */
  readonly value: unknown;
  /** What is wrong, naming the value and the rule. */
  readonly message: string;
  /** What to change. */
  readonly fix: string;
  /** The cloud limit behind the finding. */
  readonly limit?: Limit;
}

/** True when every finding is a warning. */
export function isClean(findings: readonly Finding[]): boolean {
  return findings.every((f) => f.severity !== "error");
}

/** Number of addresses in an IPv4 prefix of the given length (e.g. 30 → 4). */
export function prefixSize(prefixLength: number): number {
  return 2 ** (32 - prefixLength);
}

/**
 * Public IPv4 addresses an Azure NAT gateway uses: single public IPs plus every address of each
 * prefix (a prefix counts whole).
 */
export function countAzureIps(publicIps: number, prefixLengths: readonly number[]): number {
  return publicIps + prefixLengths.reduce((sum, len) => sum + prefixSize(len), 0);
}

/**
 * Checks an Azure NAT gateway's public IPs and prefixes: prefix lengths /28–/31 and at most 16
 * addresses in all. `publicIps` may be a count of IPs whose identity is not known yet.
 */
export function checkAzureIps(
  publicIps: number,
  prefixLengths: readonly number[],
  field = "publicIps",
): Finding[] {
  const findings: Finding[] = [];
  const min = AZURE.prefixLengthMin.value;
  const max = AZURE.prefixLengthMax.value;
  prefixLengths.forEach((len, i) => {
    if (!Number.isInteger(len) || len < min || len > max) {
      findings.push({
        severity: "error",
        field: `publicIpPrefixes[${i}].prefixLength`,
        value: len,
        message: `prefix length ${len} is outside /${min}–/${max}, the prefix sizes a NAT gateway accepts`,
        fix: `use a prefix length from ${min} (16 addresses) to ${max} (2 addresses)`,
        limit: AZURE.prefixLengthMin,
      });
    }
  });
  if (findings.length > 0) return findings;
  const total = countAzureIps(publicIps, prefixLengths);
  const limit = AZURE.maxPublicIpAddresses.value;
  if (total > limit) {
    const parts = [`${publicIps} public IP${publicIps === 1 ? "" : "s"}`];
    for (const len of prefixLengths) parts.push(`/${len} prefix (${prefixSize(len)})`);
    findings.push({
      severity: "error",
      field,
      value: total,
      message: `${total} public IPv4 addresses (${parts.join(" + ")}) exceed the ${limit} an Azure NAT gateway can use`,
      fix: `remove ${total - limit} address${total - limit === 1 ? "" : "es"} (a prefix counts whole), or split egress across gateways`,
      limit: AZURE.maxPublicIpAddresses,
    });
  }
  if (total < 1) {
    findings.push({
      severity: "error",
      field,
      value: total,
      message: "an Azure NAT gateway needs at least one public IP or prefix",
      fix: "add a public IP or a public IP prefix",
    });
  }
  return findings;
}

/** Checks an Azure TCP idle timeout: 4–120 minutes; above the advised maximum a warning. */
export function checkAzureIdleTimeout(
  minutes: number,
  advisedMax: number = AZURE.idleTimeoutMinutesDefault.value,
  field = "idleTimeoutInMinutes",
): Finding[] {
  const min = AZURE.idleTimeoutMinutesMin.value;
  const max = AZURE.idleTimeoutMinutesMax.value;
  if (!Number.isInteger(minutes) || minutes < min || minutes > max) {
    return [
      {
        severity: "error",
        field,
        value: minutes,
        message: `TCP idle timeout ${minutes} minutes is outside the ${min}–${max} minutes Azure allows`,
        fix: `set a whole number of minutes from ${min} to ${max} (default ${AZURE.idleTimeoutMinutesDefault.value})`,
        limit: AZURE.idleTimeoutMinutesMax,
      },
    ];
  }
  if (minutes > advisedMax) {
    return [
      {
        severity: "warning",
        field,
        value: minutes,
        message:
          `TCP idle timeout ${minutes} minutes is above ${advisedMax}: idle connections keep their SNAT ports ` +
          `${minutes} minutes instead of ${advisedMax}, so ports run out sooner`,
        fix: `keep the timeout at ${advisedMax} minutes and use TCP keepalives in the application for long-lived flows`,
        limit: AZURE.idleTimeoutMinutesDefault,
      },
    ];
  }
  return [];
}

/**
 * Checks the IPv4 address count of a zonal public AWS NAT gateway (primary + secondaries): at most
 * 8, and a warning above the account's quota (default 2, code L-5F53652F).
 */
export function checkAwsZonalIps(
  totalIps: number,
  quota: number = AWS.defaultEipsPerGatewayQuota.value,
  field = "ipCount",
): Finding[] {
  const max = AWS.maxIpsPerZonalGateway.value;
  const code = AWS.maxIpsPerZonalGateway.quotaCode;
  if (!Number.isInteger(totalIps) || totalIps < 1) {
    return [
      {
        severity: "error",
        field,
        value: totalIps,
        message: `${totalIps} is not a valid IP count: a public NAT gateway needs at least its primary Elastic IP`,
        fix: "use a whole number from 1 to 8",
      },
    ];
  }
  if (totalIps > max) {
    return [
      {
        severity: "error",
        field,
        value: totalIps,
        message: `${totalIps} exceeds the ${max} IPv4 addresses a zonal NAT gateway can hold (AWS quota ${code})`,
        fix: `use at most ${max} IPs per gateway (1 primary + 7 secondary), or add a NAT gateway in another subnet`,
        limit: AWS.maxIpsPerZonalGateway,
      },
    ];
  }
  if (totalIps > quota) {
    return [
      {
        severity: "warning",
        field,
        value: totalIps,
        message: `${totalIps} Elastic IPs exceed the account quota of ${quota} per NAT gateway (AWS quota ${code}); creation fails until it is raised`,
        fix: `request an increase of Service Quotas code ${code} ("Elastic IP addresses per public NAT gateway") to at least ${totalIps}`,
        limit: AWS.defaultEipsPerGatewayQuota,
      },
    ];
  }
  return [];
}

/**
 * Checks the secondary private IPv4 addresses of a private NAT gateway: the API accepts 1–31 and the
 * quota (L-DFA99DE7) allows 8 private IPs per gateway, primary included.
 */
export function checkAwsPrivateIps(
  secondaryCount: number,
  quota: number = AWS.privateIpsPerGatewayQuota.value,
  field = "secondaryPrivateIpAddressCount",
): Finding[] {
  const apiMax = AWS.secondaryPrivateIpCountApiMax.value;
  const code = AWS.privateIpsPerGatewayQuota.quotaCode;
  if (!Number.isInteger(secondaryCount) || secondaryCount < 0 || secondaryCount > apiMax) {
    return [
      {
        severity: "error",
        field,
        value: secondaryCount,
        message: `${secondaryCount} secondary private IPs is outside the 1–${apiMax} the CreateNatGateway API accepts`,
        fix: `use a whole number from 1 to ${Math.min(apiMax, quota - 1)}`,
        limit: AWS.secondaryPrivateIpCountApiMax,
      },
    ];
  }
  if (secondaryCount + 1 > quota) {
    return [
      {
        severity: "error",
        field,
        value: secondaryCount,
        message: `${secondaryCount} secondary + 1 primary private IPs exceed the quota of ${quota} private IPs per NAT gateway (AWS quota ${code})`,
        fix: `use at most ${quota - 1} secondary private IPs, or raise quota ${code} first`,
        limit: AWS.privateIpsPerGatewayQuota,
      },
    ];
  }
  return [];
}

/** A parsed IPv4 CIDR block. */
export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly base: number;
  /** Prefix length 0–32. */
  readonly prefixLength: number;
  /** Number of addresses in the block. */
  readonly size: number;
}

/** Parses `a.b.c.d/n`; returns undefined when the text is not an IPv4 CIDR. */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefixLength = Number(m[5]);
  if (octets.some((o) => o > 255) || prefixLength > 32) return undefined;
  const addr = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const size = 2 ** (32 - prefixLength);
  const base = prefixLength === 0 ? 0 : (addr & (0xffffffff << (32 - prefixLength))) >>> 0;
  return { base, prefixLength, size };
}

/** Addresses of a subnet that can be assigned after the cloud's 5 reserved ones. */
export function usableSubnetAddresses(cidr: string, cloud: "aws" | "azure"): number | undefined {
  const parsed = parseCidr(cidr);
  if (!parsed) return undefined;
  const reserved = cloud === "aws" ? AWS.subnetReservedAddresses.value : AZURE.subnetReservedAddresses.value;
  return Math.max(0, parsed.size - reserved);
}

/**
 * Checks that a subnet has room for `needed` more private addresses (a NAT gateway's primary and
 * secondary private IPs) given `alreadyUsed` addresses taken by other resources in the stack.
 */
export function checkSubnetFreeAddresses(
  cidr: string,
  needed: number,
  alreadyUsed = 0,
  cloud: "aws" | "azure" = "aws",
  field = "subnetId",
): Finding[] {
  const usable = usableSubnetAddresses(cidr, cloud);
  if (usable === undefined) {
    return [
      {
        severity: "error",
        field,
        value: cidr,
        message: `${JSON.stringify(cidr)} is not an IPv4 CIDR block`,
        fix: "give the subnet's CIDR as a.b.c.d/n",
      },
    ];
  }
  const free = usable - alreadyUsed;
  if (needed > free) {
    const reserved = cloud === "aws" ? AWS.subnetReservedAddresses : AZURE.subnetReservedAddresses;
    return [
      {
        severity: "error",
        field,
        value: cidr,
        message:
          `subnet ${cidr} has ${Math.max(0, free)} free addresses (${usable} after the ${reserved.value} the cloud reserves, ` +
          `${alreadyUsed} already used) but the NAT gateway needs ${needed}; creation fails with InsufficientFreeAddressesInSubnet`,
        fix: "put the gateway in a larger subnet, free addresses in this one, or use fewer IPs",
        limit: reserved,
      },
    ];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Regional AWS NAT gateways: limits per Availability Zone.
// ---------------------------------------------------------------------------------------------

/**
 * Checks the IPv4 address count of one Availability Zone of a regional AWS NAT gateway: at least 1
 * and at most 32 per zone (VPC user guide, regional NAT gateways). `need` names what the count is:
 * the addresses listed (manual mode) or the addresses the expected traffic needs (auto mode).
 *
 * @param zone the Availability Zone, named in the message
 * @param field the argument or property, e.g. `regionalZones[0].ipCount`
 * @param need what the count is @default "listed"
 */
export function checkAwsRegionalZoneIps(
  ips: number,
  zone: string,
  field: string,
  need: "listed" | "needed" = "listed",
): Finding[] {
  const perAz = AWS.regionalIpsPerAz;
  if (need === "listed" && (!Number.isInteger(ips) || ips < 1)) {
    return [
      {
        severity: "error",
        field,
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
      field,
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
 * @param field the property listing the zones, e.g. `availabilityZoneAddresses`
 */
export function checkRegionalZonesRouted(
  routedZones: readonly string[],
  listedZones: readonly string[],
  field = "availabilityZoneAddresses",
): Finding[] {
  const missing = [...new Set(routedZones)].filter((z) => !listedZones.includes(z)).sort();
  if (missing.length === 0) return [];
  return [
    {
      severity: "error",
      field,
      value: listedZones,
      message: `private subnets in ${missing.join(", ")} route to this regional NAT gateway, but it lists no addresses for ${missing.length === 1 ? "that zone" : "those zones"} (manual mode)`,
      fix: `add an entry for ${missing.join(", ")} with at least one Elastic IP, or switch to auto mode (omit the per-zone addresses)`,
      limit: AWS.regionalIpsPerAz,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Azure NAT gateway SKUs: StandardV2 (IPv4 and IPv6) against Standard (IPv4 only).
// ---------------------------------------------------------------------------------------------

/** The addresses attached to an Azure NAT gateway, by IP version, with their SKUs. */
export interface AzureGatewayAddresses {
  /** The gateway's SKU name, e.g. `Standard`, `StandardV2`. */
  readonly sku: string;
  /** Public IPv4 addresses (single IPs). */
  readonly ipv4Ips: number;
  /** Prefix lengths of the IPv4 prefixes. @default [] */
  readonly ipv4PrefixLengths?: readonly number[];
  /** Public IPv6 addresses (single IPs). @default 0 */
  readonly ipv6Ips?: number;
  /** Prefix lengths of the IPv6 prefixes. @default [] */
  readonly ipv6PrefixLengths?: readonly number[];
  /** SKU names of the attached public IPs and prefixes, where known. @default [] */
  readonly addressSkus?: readonly string[];
  /** Prefixes derived from a custom (BYOIP) prefix. @default 0 */
  readonly customPrefixes?: number;
}

/**
 * Checks the SKU rules of an Azure NAT gateway's addresses: a Standard gateway takes no IPv6; a
 * StandardV2 gateway takes at most 16 IPv4 and 16 IPv6 addresses (a prefix counts whole), only
 * StandardV2 public IPs and prefixes, and no prefix from a custom (BYOIP) range.
 */
export function checkAzureSkuAddresses(a: AzureGatewayAddresses): Finding[] {
  const findings: Finding[] = [];
  const ipv6 = (a.ipv6Ips ?? 0) + (a.ipv6PrefixLengths ?? []).reduce((s, len) => s + 2 ** (128 - len), 0);
  const ipv4 = countAzureIps(a.ipv4Ips, a.ipv4PrefixLengths ?? []);
  if (a.sku !== "StandardV2") {
    if (ipv6 > 0) {
      findings.push({
        severity: "error",
        field: "publicIpAddressesV6",
        value: ipv6,
        message: `a ${a.sku} NAT gateway takes no IPv6 addresses (${ipv6} given): IPv6 needs the StandardV2 SKU`,
        fix: "use sku StandardV2 with StandardV2 public IPv6 addresses, or remove the IPv6 addresses",
        limit: AZURE.maxPublicIpv6StandardV2,
      });
    }
    return findings;
  }
  const v4 = AZURE.maxPublicIpv4StandardV2;
  const v6 = AZURE.maxPublicIpv6StandardV2;
  if (ipv4 > v4.value) {
    findings.push({
      severity: "error",
      field: "publicIpAddresses",
      value: ipv4,
      message: `${ipv4} public IPv4 addresses exceed the ${v4.value} a StandardV2 NAT gateway can use`,
      fix: `remove ${ipv4 - v4.value} IPv4 address${ipv4 - v4.value === 1 ? "" : "es"} (a prefix counts whole)`,
      limit: v4,
    });
  }
  if (ipv6 > v6.value) {
    findings.push({
      severity: "error",
      field: "publicIpAddressesV6",
      value: ipv6,
      message: `${ipv6} public IPv6 addresses exceed the ${v6.value} a StandardV2 NAT gateway can use`,
      fix: `remove ${ipv6 - v6.value} IPv6 address${ipv6 - v6.value === 1 ? "" : "es"} (a prefix counts whole)`,
      limit: v6,
    });
  }
  const wrong = (a.addressSkus ?? []).filter((s) => s !== "StandardV2");
  if (wrong.length > 0) {
    findings.push({
      severity: "error",
      field: "sku",
      value: wrong,
      message: `a StandardV2 NAT gateway takes only StandardV2 public IPs and prefixes, not ${[...new Set(wrong)].join(", ")}`,
      fix: 'create the public IPs and prefixes with sku: { name: "StandardV2" }',
      limit: v4,
    });
  }
  if ((a.customPrefixes ?? 0) > 0) {
    findings.push({
      severity: "error",
      field: "publicIpPrefixes",
      value: a.customPrefixes,
      message: `a StandardV2 NAT gateway takes no prefix from a custom (BYOIP) range (${a.customPrefixes} given)`,
      fix: "use Azure-owned StandardV2 prefixes, or a Standard NAT gateway for BYOIP prefixes",
      limit: v4,
    });
  }
  return findings;
}
