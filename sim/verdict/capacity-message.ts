/**
 * The words of a failed capacity check, in one place: the components' CapacityError (and their
 * `capacityCheck: warn` warning), the policy pack's `nat-gateway-capacity` finding and `natcap
 * simulate`'s fix all come from here, so they say the same thing about the same verdict. The caller
 * names the setting that holds the IP count on its surface (a component argument, a resource
 * property, a workload field); the fix names that setting with a value that would work, and never an
 * IP count when more IPs cannot help (a gateway-wide cap).
 *
 * @module
 */
import { fmt, plural } from "../../core/format";
import { AZURE } from "../../core/limits";
import { MIN_IPS_SEARCH_CAP } from "../analytic/closed-forms";

/** The setting that holds a gateway's IP count on one surface, as a fix names it. */
export interface IpCountSetting {
  /** The setting, e.g. `ipCount`, `secondaryPrivateIpAddressCount`, `gateway.ips`. */
  readonly name: string;
  /**
   * IPs the gateway has that the setting does not count (the primary private IP, existing
   * allocations, prefixes): the value named is the IPs needed minus these. @default 0
   */
  readonly notCounted?: number;
  /** The setting that sizes the IP count from the expectation, e.g. `autoSizeIps`. @default none */
  readonly autoSize?: string;
  /** What the fix says the setting is now, when not the report's IP count (e.g. `at least 2`). @default the report's IPs minus notCounted */
  readonly current?: string;
  /**
   * The setting that holds the IPv6 address count (e.g. `publicIpV6Count`, `gateway.ipsV6`), named
   * when an IPv6 destination needs more IPv6 addresses. @default `ipsV6`
   */
  readonly v6?: IpCountSetting;
}

/** What a fix is decided from: the gateway's verdict and its IP counts. */
export interface FixFacts {
  /** True when everything fits (no fix). */
  readonly ok: boolean;
  /** False when a gateway-wide limit fails: more IPs do not help. */
  readonly moreIpsHelp: boolean;
  /** Fewest IPs with which every destination fits. */
  readonly ipsNeeded: number;
  /** IPs the gateway has. */
  readonly ips: number;
  /** Most IPs one gateway of this kind can hold. */
  readonly maxIps: number;
  /** Connections across all destinations at their peaks, when known. @default unknown */
  readonly totalConnections?: number;
  /** The gateway-wide connection cap. @default Azure's 2,000,000 */
  readonly totalConnectionsCap?: number;
  /** What `ipsNeeded` stands for: a real count, or past the planners' search (a marker, not a count). @default "fits" */
  readonly ipsNeededReason?: "fits" | "beyond-search" | "gateway-cap";
  /** IPv6 addresses the gateway has (Azure StandardV2), when it carries IPv6 destinations. @default none */
  readonly ipsV6?: number;
  /** Fewest IPv6 addresses with which every IPv6 destination fits; absent without IPv6 destinations. */
  readonly ipsV6Needed?: number;
  /** What `ipsV6Needed` stands for. @default "fits" */
  readonly ipsV6NeededReason?: "fits" | "beyond-search" | "gateway-cap";
  /** Most IPv6 addresses one gateway can hold. @default Azure StandardV2's 16 */
  readonly maxIpsV6?: number;
}

/** What a failure message is worded from: a capacity report (sim/verdict/capacity.ts) has these fields. */
export interface FailureFacts extends FixFacts {
  /** Each destination's verdict and its one-sentence message. */
  readonly destinations: readonly { readonly ok: boolean; readonly message: string }[];
  /** The report's explanations (hash imbalance, instant peaks, the gateway-wide cap). */
  readonly notes: readonly string[];
}

/** A failed capacity check in words. */
export interface CapacityFailure {
  /** What is predicted, with one line per failing destination (or the gateway-wide cause). */
  readonly message: string;
  /** What would fix it, naming the setting and a value that would work. */
  readonly fix: string;
}

/** `1 IPv6 address`, `3 IPv6 addresses`. */
export function v6Words(n: number): string {
  return `${fmt(n)} IPv6 address${Math.round(n) === 1 ? "" : "es"}`;
}

function ipsPhrase(n: number): string {
  return n === 1 ? "1 IP" : fmt(n);
}

/** The value of the setting that gives the gateway `ips` IPs, and its current value, in words. */
function settingValue(ips: number, now: number, s: IpCountSetting): string {
  const off = s.notCounted ?? 0;
  const current = s.current ?? fmt(now - off);
  const total = off > 0 ? `${plural(ips, "IP")} in all; ` : "";
  return `set ${s.name} to ${fmt(ips - off)} (${total}it is ${current})`;
}

/** The IPv6 side of a gateway's facts, when it carries IPv6 destinations. */
function v6Facts(f: FixFacts, setting: IpCountSetting) {
  if (f.ipsV6Needed === undefined) return undefined;
  return {
    ips: f.ipsV6 ?? 0,
    needed: f.ipsV6Needed,
    reason: f.ipsV6NeededReason ?? "fits",
    max: f.maxIpsV6 ?? AZURE.maxPublicIpv6StandardV2.value,
    setting: setting.v6 ?? { name: "ipsV6" },
  };
}

/** The fix of one address family whose destinations need more addresses than the gateway has. */
function familyFix(
  needed: number,
  ips: number,
  max: number,
  reason: "fits" | "beyond-search" | "gateway-cap",
  setting: IpCountSetting,
  what: string,
): string {
  if (reason === "beyond-search") {
    return (
      `the ${what}traffic needs more than ${fmt(MIN_IPS_SEARCH_CAP)} IPs (beyond any NAT gateway), far more than the ${ipsPhrase(max)} one gateway can hold: ` +
      "split the traffic across gateways or destination addresses, or lower the expected connections"
    );
  }
  if (needed <= max) {
    const auto = setting.autoSize ? ` or ${setting.autoSize}: true` : "";
    return `${settingValue(needed, ips, setting)}${auto}, or lower the expected connections`;
  }
  return (
    `the ${what}traffic needs ${what === "IPv6 " ? v6Words(needed) : plural(needed, "IP")}, more than the ${what === "IPv6 " ? v6Words(max) : ipsPhrase(max)} one gateway can hold: ` +
    "split the traffic across gateways or destination addresses, or lower the expected connections"
  );
}

/**
 * The fix for an exhausted gateway ("" when it fits): the setting and a value that would work, or,
 * when one gateway cannot hold the IPs needed or a gateway-wide cap fails, how to split the traffic.
 * IPv6 destinations (Azure StandardV2) are sized in IPv6 addresses and named by `setting.v6`.
 */
export function capacityFix(f: FixFacts, setting: IpCountSetting): string {
  if (f.ok) return "";
  const v6 = v6Facts(f, setting);
  if (!f.moreIpsHelp) {
    const cap = fmt(f.totalConnectionsCap ?? AZURE.totalConnections.value);
    const capValue = f.totalConnectionsCap ?? AZURE.totalConnections.value;
    // Traffic held at the cap (every attempt past it refused) reaches it; an expected peak passes it.
    const peak =
      f.totalConnections === undefined
        ? `exceed the ${cap}`
        : f.totalConnections > capValue
          ? `peak at ${fmt(f.totalConnections)}, more than the ${cap}`
          : `reach the ${cap}`;
    const alsoIps =
      f.ipsNeeded > f.ips && f.ipsNeeded <= f.maxIps
        ? `; the busiest destination also needs ${plural(f.ipsNeeded, "IP")} on the gateway that carries it (${settingValue(f.ipsNeeded, f.ips, setting)})`
        : "";
    const alsoV6 =
      v6 && v6.needed > v6.ips && v6.needed <= v6.max
        ? `; the busiest IPv6 destination also needs ${v6Words(v6.needed)} (${settingValue(v6.needed, v6.ips, v6.setting)})`
        : "";
    return (
      `connections across all destinations ${peak} one NAT gateway supports in total; more IPs do not help: ` +
      `split the subnets across gateways or lower the expected connections${alsoIps}${alsoV6}`
    );
  }
  const parts: string[] = [];
  // Without IPv6 destinations a failing gateway always needs more IPv4 addresses.
  if (!v6 || f.ipsNeeded > f.ips || f.ipsNeededReason === "beyond-search") {
    parts.push(
      familyFix(f.ipsNeeded, f.ips, f.maxIps, f.ipsNeededReason ?? "fits", setting, v6 ? "IPv4 " : ""),
    );
  }
  if (v6 && (v6.needed > v6.ips || v6.reason === "beyond-search")) {
    parts.push(familyFix(v6.needed, v6.ips, v6.max, v6.reason, v6.setting, "IPv6 "));
  }
  return parts.join("; and ");
}

/**
 * A failed capacity check in words: `<source> predicts port-allocation errors with N IPs:`, one line
 * per failing destination, then the report's explanations (the gateway-wide cap among them), and the
 * fix from {@link capacityFix}.
 *
 * @param source where the expectation came from, e.g. `expectedTraffic`
 */
export function capacityFailure(f: FailureFacts, setting: IpCountSetting, source: string): CapacityFailure {
  const failing = f.destinations.filter((d) => !d.ok).map((d) => d.message);
  // The explanations follow (why IPs × limit is not reachable, the gateway-wide cap).
  const lines = [...failing, ...f.notes];
  if (lines.length === 0) lines.push("the gateway as a whole does not fit");
  return {
    message: `${source} predicts port-allocation errors with ${plural(f.ips, "IP")}${f.ipsV6Needed !== undefined ? ` and ${v6Words(f.ipsV6 ?? 0)}` : ""}:\n${lines.map((l) => `  - ${l}`).join("\n")}`,
    fix: capacityFix(f, setting),
  };
}
