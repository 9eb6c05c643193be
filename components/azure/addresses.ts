/**
 * The public addresses of an Azure NAT gateway as its arguments give them: the keys of the public IPs
 * to create (explicit, counted, or added by auto-sizing), the SKU's address rules on IPv4 and IPv6
 * addresses, and the limit findings renamed to the arguments that add the addresses. Pure.
 *
 * @module
 */
import type { Finding } from "../../core/checks";
import { checkAzureIpv6PrefixLengths, checkAzureSkuAddresses } from "../../core/checks-azure";
import type { FieldIssue } from "../../core/errors";
import { AzureNatSku } from "../../core/limits";
import { resolveKeys } from "../common/keys";
import type { AzureNatGatewayArgs } from "./args";

/**
 * Keys of the public IPs: explicit keys, or "1".."N" from `publicIpCount`; `extraIps` more from
 * automatic sizing (continuing the count, or `auto-1`... after explicit keys).
 */
export function ipKeys(args: AzureNatGatewayArgs, extraIps: number, issues: FieldIssue[]): string[] {
  const hasOther =
    (args.publicIpPrefixes?.length ?? 0) +
      (args.existingPublicIpIds?.length ?? 0) +
      (args.existingPublicIpPrefixes?.length ?? 0) >
    0;
  const { keys, issues: found } = resolveKeys({
    keys: args.publicIps?.map((p) => p.key),
    count: args.publicIpCount,
    keysField: "publicIps",
    countField: "publicIpCount",
    defaultCount: hasOther ? 0 : 1,
  });
  issues.push(...found.map((i) => (i.path.startsWith("publicIps[") ? { ...i, path: `${i.path}.key` } : i)));
  if (args.publicIps !== undefined) {
    for (let i = 1; i <= extraIps; i++) keys.push(`auto-${i}`);
  } else {
    const n = keys.length;
    for (let i = 1; i <= extraIps; i++) keys.push(String(n + i));
  }
  return keys;
}

/** The arguments that add addresses, e.g. `publicIpCount + publicIpPrefixes`, for the total's message. */
function addressArguments(args: AzureNatGatewayArgs, ips: number): string {
  const given = [
    ips === 0 ? "" : args.publicIps !== undefined ? "publicIps" : "publicIpCount",
    (args.publicIpPrefixes?.length ?? 0) > 0 ? "publicIpPrefixes" : "",
    (args.existingPublicIpIds?.length ?? 0) > 0 ? "existingPublicIpIds" : "",
    (args.existingPublicIpPrefixes?.length ?? 0) > 0 ? "existingPublicIpPrefixes" : "",
  ];
  return given.filter((g) => g !== "").join(" + ");
}

/** checkAzureIps numbers prefixes over created then existing; name them as the arguments do. */
export function renamePrefixFindings(findings: Finding[], args: AzureNatGatewayArgs, ips: number): Finding[] {
  const createdCount = args.publicIpPrefixes?.length ?? 0;
  return findings.map((f) => {
    const m = /^publicIpPrefixes\[(\d+)\]\.prefixLength$/.exec(f.path);
    if (m) {
      const i = Number(m[1]);
      const field =
        i < createdCount
          ? `publicIpPrefixes[${i}].prefixLength`
          : `existingPublicIpPrefixes[${i - createdCount}].prefixLength`;
      return { ...f, path: field };
    }
    if (f.path === "publicIps") return { ...f, path: addressArguments(args, ips) };
    return f;
  });
}

/** The IPv6 addresses an {@link AzureNatGatewayArgs} gives, by argument. */
export interface Ipv6Args {
  /** `publicIpV6Count`. */
  readonly created: number;
  /** `existingPublicIpV6Ids`. */
  readonly existing: number;
  /** Lengths of `publicIpPrefixesV6`, then `existingPublicIpPrefixesV6`. */
  readonly prefixLengths: readonly number[];
  /** How many of `prefixLengths` are created (`publicIpPrefixesV6`). */
  readonly createdPrefixes: number;
  /** The arguments that add them, e.g. `publicIpV6Count + publicIpPrefixesV6`. */
  readonly argumentNames: string;
}

/**
 * The SKU's address rules (core/checks-azure.ts) on the addresses the arguments give: IPv6 only on
 * StandardV2, at most 16 of each version there. Created addresses have the gateway's SKU by
 * construction; existing ones cannot be seen here (the policy pack checks them). An IPv4 count already
 * reported by checkAzureIps (same limit, 16) is not reported twice.
 */
export function skuFindings(
  sku: AzureNatSku,
  reported: readonly Finding[],
  ipv4Ips: number,
  ipv4PrefixLengths: readonly number[],
  v6: Ipv6Args,
): Finding[] {
  const ipv6Ips = v6.created + v6.existing;
  if (sku === AzureNatSku.Standard && ipv6Ips + v6.prefixLengths.length === 0) return [];
  const ipv4Reported = reported.some((f) => f.severity === "error");
  // IPv6 prefix lengths first: a count from a wrong length would mislead.
  const lengths = checkAzureIpv6PrefixLengths(v6.prefixLengths).map((f) => {
    const i = Number(/\[(\d+)\]/.exec(f.path)?.[1]);
    const path =
      i < v6.createdPrefixes
        ? `publicIpPrefixesV6[${i}].prefixLength`
        : `existingPublicIpPrefixesV6[${i - v6.createdPrefixes}].prefixLength`;
    return { ...f, path };
  });
  return [
    ...(sku === AzureNatSku.StandardV2 ? lengths : []),
    ...checkAzureSkuAddresses({
      sku,
      ipv4Ips,
      ipv4PrefixLengths: ipv4Reported ? [] : ipv4PrefixLengths,
      ipv6Ips,
      ipv6PrefixLengths: lengths.length > 0 ? [] : v6.prefixLengths,
    })
      .filter((f) => !(ipv4Reported && f.path === "publicIpAddresses"))
      .map((f) =>
        f.path === "publicIpAddresses"
          ? { ...f, path: "publicIps" }
          : f.path === "publicIpAddressesV6"
            ? {
                ...f,
                path: v6.argumentNames,
                fix: f.fix.replace(
                  "remove the IPv6 addresses",
                  v6.argumentNames === "publicIpV6Count"
                    ? "set publicIpV6Count to 0"
                    : `remove ${v6.argumentNames}`,
                ),
              }
            : f,
      ),
  ];
}

/** The arguments that add IPv6 addresses, e.g. `publicIpV6Count + publicIpPrefixesV6`, for messages. */
export function v6ArgumentNames(args: AzureNatGatewayArgs): string {
  const given = [
    (args.publicIpV6Count ?? 0) > 0 ? "publicIpV6Count" : "",
    (args.publicIpPrefixesV6?.length ?? 0) > 0 ? "publicIpPrefixesV6" : "",
    (args.existingPublicIpV6Ids?.length ?? 0) > 0 ? "existingPublicIpV6Ids" : "",
    (args.existingPublicIpPrefixesV6?.length ?? 0) > 0 ? "existingPublicIpPrefixesV6" : "",
  ].filter((g) => g !== "");
  return given.length > 0 ? given.join(" + ") : "publicIpV6Count";
}
