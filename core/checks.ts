/**
 * Pure limit checks shared by the components (at construction) and the policy pack (at preview).
 * Each returns findings instead of throwing, so a component can turn an error finding into an
 * exception and a policy can turn it into a violation with the same words.
 *
 * @module
 */
import type { Issue } from "./errors";
import { AWS, AZURE } from "./limits";

/**
 * Result of one check: an {@link Issue} (the one issue type) that always says its severity, the
 * value checked and the fix. `path` is the argument or property it is about, e.g. `ipCount`,
 * `publicIpPrefixes[0].prefixLength`; `severity` is `error` when a hard limit is broken, `warning`
 * for advice or a soft (raisable) quota; `limit` is the cloud limit behind it.
 */
export type Finding = Issue & {
  readonly severity: "error" | "warning";
  readonly value: unknown;
  readonly fix: string;
};

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
 *
 * @param ipParts the arguments whose counts add up to `publicIps` (e.g. publicIpCount, then
 *   existingPublicIpIds), so the message names each @default the count alone
 */
export function checkAzureIps(
  publicIps: number,
  prefixLengths: readonly number[],
  field = "publicIps",
  ipParts: readonly CountPart[] = [],
): Finding[] {
  const findings: Finding[] = [];
  const min = AZURE.prefixLengthMin.value;
  const max = AZURE.prefixLengthMax.value;
  prefixLengths.forEach((len, i) => {
    if (!Number.isInteger(len) || len < min || len > max) {
      findings.push({
        severity: "error",
        path: `publicIpPrefixes[${i}].prefixLength`,
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
    const named = ipParts.filter((p) => p.count !== 0).map((p) => `${p.name} ${p.count}`);
    const parts = named.length > 0 ? named : [`${publicIps} public IP${publicIps === 1 ? "" : "s"}`];
    for (const len of prefixLengths) parts.push(`/${len} prefix (${prefixSize(len)})`);
    findings.push({
      severity: "error",
      path: field,
      value: total,
      message: `${total} public IPv4 addresses (${parts.join(" + ")}) exceed the ${limit} an Azure NAT gateway can use`,
      fix: `remove ${total - limit} address${total - limit === 1 ? "" : "es"} (a prefix counts whole), or split egress across gateways`,
      limit: AZURE.maxPublicIpAddresses,
    });
  }
  if (total < 1) {
    findings.push({
      severity: "error",
      path: field,
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
        path: field,
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
        path: field,
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

/** One argument that adds addresses to a total, e.g. `{ name: "existingIps", count: 7 }`. */
export interface CountPart {
  /** The argument, as the user wrote it. */
  readonly name: string;
  /** How many addresses it adds. */
  readonly count: number;
}

/**
 * How a total reads when several arguments add to it: the first argument's own value, then each
 * other argument that adds something and the sum (`2 + existingIps 7 = 9`); the total alone when
 * only the first argument counts. The message then starts with the first argument's value, so
 * `issueLine` writes `ipCount 2 + existingIps 7 = 9 ...`.
 */
export function countSum(total: number, parts: readonly CountPart[] = []): { value: number; text: string } {
  const others = parts.slice(1).filter((p) => p.count !== 0);
  if (parts.length === 0 || others.length === 0) return { value: total, text: String(total) };
  const rest = others.map((p) => ` + ${p.name} ${p.count}`).join("");
  return { value: parts[0].count, text: `${parts[0].count}${rest} = ${total}` };
}

/**
 * Checks the IPv4 address count of a zonal public AWS NAT gateway (primary + secondaries): at most
 * 8, and a warning above the account's quota (default 2, code L-5F53652F).
 *
 * @param parts the arguments whose counts add up to `totalIps`, the first being `field` (e.g. ipCount,
 *   then existingIps), so the message names each and the sum @default the total alone
 */
export function checkAwsZonalIps(
  totalIps: number,
  quota: number = AWS.defaultEipsPerGatewayQuota.value,
  field = "ipCount",
  parts: readonly CountPart[] = [],
): Finding[] {
  const max = AWS.maxIpsPerZonalGateway.value;
  const code = AWS.maxIpsPerZonalGateway.quotaCode;
  const sum = countSum(totalIps, parts);
  if (!Number.isInteger(totalIps) || totalIps < 1) {
    return [
      {
        severity: "error",
        path: field,
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
        path: field,
        value: sum.value,
        message: `${sum.text} exceeds the ${max} IPv4 addresses a zonal NAT gateway can hold (AWS quota ${code})`,
        fix: `use at most ${max} IPs per gateway (1 primary + 7 secondary), or add a NAT gateway in another subnet`,
        limit: AWS.maxIpsPerZonalGateway,
      },
    ];
  }
  if (totalIps > quota) {
    return [
      {
        severity: "warning",
        path: field,
        value: sum.value,
        message: `${sum.text} Elastic IPs exceed the account quota of ${quota} per NAT gateway (AWS quota ${code}); creation fails until it is raised`,
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
        path: field,
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
        path: field,
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
        path: field,
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
        path: field,
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
