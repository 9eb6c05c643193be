/**
 * The public addresses of an Azure NAT gateway as its arguments give them: the keys of the public IPs
 * to create (explicit, counted, or added by auto-sizing), and the limit findings renamed to the
 * arguments that add the addresses. Pure.
 *
 * @module
 */
import type { Finding } from "../../core/checks";
import type { FieldIssue } from "../../core/errors";
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
