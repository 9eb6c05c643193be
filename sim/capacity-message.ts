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
import { fmt, plural } from "../core/format";
import { AZURE } from "../core/limits";
import { MIN_IPS_SEARCH_CAP } from "./analytic";

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
}

/** What a failure message is worded from: a capacity report (sim/capacity.ts) has these fields. */
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

/**
 * The fix for an exhausted gateway ("" when it fits): the setting and a value that would work, or,
 * when one gateway cannot hold the IPs needed or a gateway-wide cap fails, how to split the traffic.
 */
export function capacityFix(f: FixFacts, setting: IpCountSetting): string {
  if (f.ok) return "";
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
    return (
      `connections across all destinations ${peak} one NAT gateway supports in total; more IPs do not help: ` +
      `split the subnets across gateways or lower the expected connections${alsoIps}`
    );
  }
  if (f.ipsNeededReason === "beyond-search") {
    return (
      `the traffic needs more than ${fmt(MIN_IPS_SEARCH_CAP)} IPs (beyond any NAT gateway), far more than the ${ipsPhrase(f.maxIps)} one gateway can hold: ` +
      "split the traffic across gateways or destination addresses, or lower the expected connections"
    );
  }
  if (f.ipsNeeded <= f.maxIps) {
    const auto = setting.autoSize ? ` or ${setting.autoSize}: true` : "";
    return `${settingValue(f.ipsNeeded, f.ips, setting)}${auto}, or lower the expected connections`;
  }
  return (
    `the traffic needs ${plural(f.ipsNeeded, "IP")}, more than the ${ipsPhrase(f.maxIps)} one gateway can hold: ` +
    "split the traffic across gateways or destination addresses, or lower the expected connections"
  );
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
    message: `${source} predicts port-allocation errors with ${plural(f.ips, "IP")}:\n${lines.map((l) => `  - ${l}`).join("\n")}`,
    fix: capacityFix(f, setting),
  };
}
