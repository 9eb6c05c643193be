/**
 * Pure checks of Azure NAT gateway SKUs (StandardV2 with IPv4 and IPv6, Standard with IPv4 only),
 * used by the policy pack; findings as in core/checks.ts.
 *
 * @module
 */
import { countAzureIps, type Finding } from "./checks";
import { AZURE } from "./limits";

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

/** Addresses in an IPv6 public IP prefix of length `len` (/124 = 16, /127 = 2). */
export function prefixSizeV6(len: number): number {
  return 2 ** (128 - len);
}

/**
 * Checks the lengths of a StandardV2 gateway's IPv6 prefixes: /124 (16 addresses) to /127 (2), the
 * IPv6 public IP prefix sizes Azure offers.
 *
 * @param field the path of the list, e.g. `publicIpPrefixesV6` @default "publicIpPrefixesV6"
 */
export function checkAzureIpv6PrefixLengths(
  prefixLengths: readonly number[],
  field = "publicIpPrefixesV6",
): Finding[] {
  const min = AZURE.prefixLengthV6Min.value;
  const max = AZURE.prefixLengthV6Max.value;
  const findings: Finding[] = [];
  prefixLengths.forEach((len, i) => {
    if (!Number.isInteger(len) || len < min || len > max) {
      findings.push({
        severity: "error",
        path: `${field}[${i}].prefixLength`,
        value: len,
        message: `IPv6 prefix length ${len} is outside /${min}–/${max}, the IPv6 public IP prefix sizes Azure offers`,
        fix: `use a prefix length from ${min} (16 addresses) to ${max} (2 addresses)`,
        limit: AZURE.prefixLengthV6Min,
      });
    }
  });
  return findings;
}

/**
 * Checks the SKU rules of an Azure NAT gateway's addresses: a Standard gateway takes no IPv6; a
 * StandardV2 gateway takes at most 16 IPv4 and 16 IPv6 addresses (a prefix counts whole), only
 * StandardV2 public IPs and prefixes, and no prefix from a custom (BYOIP) range.
 */
export function checkAzureSkuAddresses(a: AzureGatewayAddresses): Finding[] {
  const findings: Finding[] = [];
  const ipv6 = (a.ipv6Ips ?? 0) + (a.ipv6PrefixLengths ?? []).reduce((s, len) => s + prefixSizeV6(len), 0);
  const ipv4 = countAzureIps(a.ipv4Ips, a.ipv4PrefixLengths ?? []);
  if (a.sku !== "StandardV2") {
    if (ipv6 > 0) {
      findings.push({
        severity: "error",
        path: "publicIpAddressesV6",
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
      path: "publicIpAddresses",
      value: ipv4,
      message: `${ipv4} public IPv4 addresses exceed the ${v4.value} a StandardV2 NAT gateway can use`,
      fix: `remove ${ipv4 - v4.value} IPv4 address${ipv4 - v4.value === 1 ? "" : "es"} (a prefix counts whole)`,
      limit: v4,
    });
  }
  if (ipv6 > v6.value) {
    findings.push({
      severity: "error",
      path: "publicIpAddressesV6",
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
      path: "sku",
      value: wrong,
      message: `a StandardV2 NAT gateway takes only StandardV2 public IPs and prefixes, not ${[...new Set(wrong)].join(", ")}`,
      fix: 'create the public IPs and prefixes with sku: { name: "StandardV2" }',
      limit: v4,
    });
  }
  if ((a.customPrefixes ?? 0) > 0) {
    findings.push({
      severity: "error",
      path: "publicIpPrefixes",
      value: a.customPrefixes,
      message: `a StandardV2 NAT gateway takes no prefix from a custom (BYOIP) range (${a.customPrefixes} given)`,
      fix: "use Azure-owned StandardV2 prefixes, or a Standard NAT gateway for BYOIP prefixes",
      limit: v4,
    });
  }
  return findings;
}
