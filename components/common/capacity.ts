/**
 * The capacity check both component families run at construction: the expected traffic goes
 * through the simulator's `assessCapacity` for the gateway being built; predicted port-allocation
 * errors fail the preview (or warn, or are ignored), and the IP count can be sized from the
 * expectation. Destinations a gateway endpoint carries are left out first (sim/workload/gatewayEndpoints.ts).
 * The result is plain data, registered as a component output for the policy pack; its types are
 * checked against the simulator's by tsc (./contract.ts).
 *
 * @module
 */

import { CapacityError, LimitError, ValidationError, WorkloadError } from "../../core/errors";
import { fmt } from "../../core/format";
import { assessCapacity, type CapacityReport, type GatewayModel } from "../../sim/verdict/capacity";
import { stableKey } from "../../sim/verdict/capacity-input";
import { capacityFailure, capacityFix, type IpCountSetting } from "../../sim/verdict/capacity-message";
import { addressFamily } from "../../sim/workload/address";
import { splitByGatewayEndpoints } from "../../sim/workload/gatewayEndpoints";
import { expectationTags } from "../../sim/workload/tags";
import type { ExpectedTraffic } from "../../sim/workload/workload";
import type { Warn } from "./findings";

/** What a component does when the simulator predicts port-allocation errors. */
export const CapacityCheckMode = {
  /** Fail construction (and so the preview) with a CapacityError. */
  Error: "error",
  /** Log a warning and go on. */
  Warn: "warn",
  /** Do not run the check. */
  Off: "off",
} as const;
/** A value of {@link CapacityCheckMode}: the member (e.g. `CapacityCheckMode.Error`) or its string. */
export type CapacityCheckMode = (typeof CapacityCheckMode)[keyof typeof CapacityCheckMode];

/** How the capacity check predicts errors for rate-based traffic. */
export const CapacityMethod = {
  /** Closed forms only (fast; Erlang-B and hash tails). */
  Analytic: "analytic",
  /** Discrete-event simulation of the traffic. */
  Simulate: "simulate",
  /** The cheapest trustworthy answer: analytic where its verdict is validated, a simulation near the threshold. */
  Auto: "auto",
} as const;
/** A value of {@link CapacityMethod}: the member (e.g. `CapacityMethod.Auto`) or its string. */
export type CapacityMethod = (typeof CapacityMethod)[keyof typeof CapacityMethod];

/** One destination of a {@link CapacitySummary}. */
export interface DestinationSummary {
  /** Destination name from the expectation. */
  name: string;
  /** `address:port/protocol` (an IPv6 address in brackets). */
  endpoint: string;
  /** `ipv6` for an IPv6 destination (its ports come from the IPv6 addresses), else `ipv4`. */
  addressFamily: string;
  /** IPs whose ports serve the destination: the IPv6 addresses for an IPv6 destination, else the IPv4 ones. */
  ips: number;
  /** Peak connections given, or the simulated peak of ports held. */
  predictedPeak: number;
  /** Usable capacity with the gateway's IPs. */
  capacity: number;
  /** Fewest IPs with no predicted errors for this destination. */
  ipsNeeded: number;
  /** Simulated port-allocation errors (0 for peak-only). */
  portAllocationErrors: number;
  /** Why it does not fit (empty when ok): the simulator's reason codes, e.g. `port-allocation-errors`. */
  reasons: string[];
  /** True when no errors are predicted. */
  ok: boolean;
  /** One sentence naming the destination, its peak, the capacity and the IPs needed. */
  message: string;
}

/** The capacity result a component registers as an output (plain JSON data). */
export interface CapacitySummary {
  /** The mode the check ran in. */
  mode: CapacityCheckMode;
  /** False when any destination is predicted to see port-allocation errors. */
  ok: boolean;
  /** IPs the gateway gets. */
  ips: number;
  /** Fewest IPs with no predicted errors (may exceed `maxIps`). */
  ipsNeeded: number;
  /** Most IPs one gateway of this kind can hold. */
  maxIps: number;
  /** IPv6 addresses the gateway gets (Azure StandardV2), when it carries IPv6 destinations or has some. */
  ipsV6?: number;
  /** Fewest IPv6 addresses with which every IPv6 destination fits; absent without IPv6 destinations. */
  ipsV6Needed?: number;
  /** What `ipsV6Needed` means: `fits`, `beyond-search` or `gateway-cap`. */
  ipsV6NeededReason?: string;
  /** Most IPv6 addresses one gateway can hold, with `ipsV6`. */
  maxIpsV6?: number;
  /** True when `ips` was chosen from the expectation. */
  autoSized: boolean;
  /** True when `ipsV6` was chosen from the expectation (IPv6 destinations on a StandardV2 gateway). */
  autoSizedV6?: boolean;
  /** Destinations left out because a gateway endpoint serves them (e.g. `s3`). */
  excluded: string[];
  /** Per-destination results. */
  destinations: DestinationSummary[];
  /** Explanations from the simulator (e.g. why 8 × 55,000 is not reachable under hashing). */
  notes: string[];
  /** Why the gateway does not fit (empty when ok): the simulator's reason codes. */
  reasons: string[];
  /** False when a gateway-wide limit fails (Azure's 2,000,000 connections): more IPs do not help. */
  moreIpsHelp: boolean;
  /** The fix when not ok, naming the component's argument and a value that would work (empty when ok). */
  fix: string;
  /** Which method answered rate-based traffic: `analytic` or `simulate`. */
  method: string;
  /** Why that method answered, in words. */
  methodReason: string;
  /**
   * Digest of the inputs the verdict depends on (model version, method, limits, the checked
   * workload): the policy pack recomputes it from the expectation and gateway it sees and reuses
   * this summary's verdict only when they are equal.
   */
  digest: string;
}

/** Input of {@link runCapacityCheck}. */
export interface CapacityCheckRequest {
  /** Message prefix naming the component, e.g. `AwsNatGateway "egress"`. */
  prefix: string;
  /** The expectation, as the user gave it. Undefined: nothing to check. */
  expected: ExpectedTraffic | undefined;
  /**
   * The gateway model; `ips` is the IP count the user asked for (ignored when auto-sizing), and
   * `gatewayEndpoints` the services whose destinations a gateway endpoint carries (left out).
   */
  gateway: GatewayModel;
  /** What to do on predicted errors. @default CapacityCheckMode.Error */
  mode?: CapacityCheckMode;
  /**
   * Size the IP count from the expectation: the fewest IPs with no predicted errors, at least `min`
   * and at most `max`. Undefined: keep `gateway.ips`.
   */
  autoSize?: { readonly min: number; readonly max: number };
  /**
   * Size the IPv6 address count from the expectation when it has IPv6 destinations: the fewest
   * IPv6 addresses with no predicted errors, at least `min` (and at least 1) and at most `max`.
   * Needing more than `max` is a {@link LimitError} naming `ipsSetting.v6` in error mode. Undefined,
   * or no IPv6 destination: keep `gateway.ipsV6`.
   */
  autoSizeV6?: { readonly min: number; readonly max: number };
  /**
   * The argument that sets the IP count, named in the fix with a value that would work (e.g.
   * `ipCount`, with `autoSize: "autoSizeIps"`); its `autoSize` is left out of the fix when the
   * component already auto-sizes.
   */
  ipsSetting: IpCountSetting;
  /** Where warnings go. */
  warn: Warn;
}

/** Result of {@link runCapacityCheck}. */
export interface CapacityCheckOutcome {
  /** The IP count to provision: the requested one, or the auto-sized one. */
  readonly ips: number;
  /** The IPv6 address count to provision: the requested one, or the auto-sized one. */
  readonly ipsV6?: number;
  /** The summary to register as an output; undefined when nothing was checked. */
  readonly summary?: CapacitySummary;
  /** The full report of the simulator, when it ran. */
  readonly report?: CapacityReport;
  /** The expectation actually checked (after gateway-endpoint exclusions), when there was one. */
  readonly checked?: ExpectedTraffic;
  /** Expectation tags for the gateway resource (sim/workload/tags.ts format), predicted peaks per destination. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The expectation without the destinations a gateway endpoint for one of `services` carries (and
 * without the traffic to them), with the names left out. A malformed expectation (no destination
 * list) is returned as is, for the simulator to report.
 */
export function withoutGatewayEndpoints(
  expected: ExpectedTraffic,
  services: readonly string[],
): { expected: ExpectedTraffic; excluded: string[] } {
  if (!Array.isArray(expected.destinations)) return { expected, excluded: [] };
  const split = splitByGatewayEndpoints(expected, services);
  if (split.excluded.length === 0) return { expected, excluded: [] };
  return {
    expected: { ...expected, destinations: split.destinations, traffic: split.traffic },
    excluded: split.excluded.map((d) => d.name),
  };
}

/**
 * Reports kept for reuse, shared by every component of the program (one module per process): a
 * program plans a gateway more than once (AwsEgressNat plans each zone's gateway before it
 * registers, then the gateway plans itself), and zones often share an expectation. Keyed by the
 * expectation and the whole gateway model (IP counts, method, limits and setting names), so a
 * kept report answers exactly the question asked.
 */
const reports = new Map<string, CapacityReport>();
/**
 * Most reports kept (oldest dropped first): more than the distinct (expectation, gateway) pairs of
 * a stack with hundreds of gateways; a report is a few kilobytes (no simulated attempts are kept).
 */
const MAX_KEPT_REPORTS = 2048;

function assess(prefix: string, expected: ExpectedTraffic, gateway: GatewayModel): CapacityReport {
  const key = stableKey([expected, gateway]);
  const kept = key === undefined ? undefined : reports.get(key);
  if (kept) return kept;
  let report: CapacityReport;
  try {
    report = assessCapacity(expected, gateway);
  } catch (e) {
    // Keep the class (WorkloadError) and the field paths; add the component prefix.
    if (e instanceof WorkloadError) throw new WorkloadError(e.issues, prefix);
    if (e instanceof ValidationError) throw new ValidationError(e.issues, prefix);
    throw e;
  }
  if (key === undefined) return report;
  if (reports.size >= MAX_KEPT_REPORTS) reports.delete(reports.keys().next().value as string);
  reports.set(key, report);
  return report;
}

function summarize(
  report: CapacityReport,
  mode: CapacityCheckMode,
  autoSized: boolean,
  excluded: string[],
  setting: IpCountSetting,
  autoSizedV6: boolean,
): CapacitySummary {
  return {
    mode,
    ok: report.ok,
    ips: report.ips,
    ipsNeeded: report.ipsNeeded,
    maxIps: report.maxIps,
    ...(report.ipsV6 !== undefined ? { ipsV6: report.ipsV6, maxIpsV6: report.maxIpsV6 } : {}),
    ...(report.ipsV6Needed !== undefined
      ? { ipsV6Needed: report.ipsV6Needed, ipsV6NeededReason: report.ipsV6NeededReason }
      : {}),
    autoSized,
    ...(autoSizedV6 ? { autoSizedV6 } : {}),
    excluded,
    // DestinationSummary has exactly DestinationCapacity's fields (checked by tsc in ./contract.ts).
    destinations: report.destinations.map((d) => ({ ...d })),
    notes: [...report.notes],
    reasons: [...report.reasons],
    moreIpsHelp: report.moreIpsHelp,
    // The fix names the component's own argument (the report's names the workload's `ips`).
    fix: capacityFix(report, setting),
    method: report.method,
    methodReason: report.methodReason,
    digest: report.digest,
  };
}

/**
 * The message of a failed capacity check: every failing destination (or the gateway-wide cause),
 * then the fix naming `setting` with a value that would work (worded by sim/verdict/capacity-message.ts, as
 * the policy pack's finding is).
 */
export function capacityMessage(prefix: string, report: CapacityReport, setting: IpCountSetting): string {
  const failure = capacityFailure(report, setting, "expectedTraffic");
  return `${prefix}: ${failure.message}\n  fix: ${failure.fix}`;
}

function tagsFor(expected: ExpectedTraffic, report: CapacityReport | undefined): Record<string, string> {
  if (!Array.isArray(expected.destinations)) return {};
  const peaks = new Map(report?.destinations.map((d) => [d.name, d.predictedPeak]));
  return expectationTags(
    expected.destinations.map((d) => ({
      name: d.name,
      address: d.address,
      port: d.port,
      protocol: d.protocol ?? "tcp",
      peakConnections: peaks.get(d.name) ?? d.peakConnections,
    })),
  );
}

/**
 * Runs the capacity check of one gateway. Throws {@link CapacityError} on predicted errors in
 * {@link CapacityCheckMode.Error} mode (also when auto-sizing cannot reach zero errors within `max`),
 * a WorkloadError (prefixed with the component) when the expectation is invalid. Peak-only
 * expectations are analytic and fast.
 */
export function runCapacityCheck(req: CapacityCheckRequest): CapacityCheckOutcome {
  const mode = req.mode ?? CapacityCheckMode.Error;
  if (req.expected === undefined) return { ips: req.gateway.ips, ipsV6: req.gateway.ipsV6, tags: {} };
  const { expected, excluded } = withoutGatewayEndpoints(req.expected, req.gateway.gatewayEndpoints ?? []);
  const nothingLeft = Array.isArray(expected.destinations) && expected.destinations.length === 0;
  const autoSize = req.autoSize;
  const autoSizeV6 = req.autoSizeV6 && hasV6Destinations(expected) ? req.autoSizeV6 : undefined;
  if (nothingLeft || (mode === CapacityCheckMode.Off && autoSize === undefined && autoSizeV6 === undefined)) {
    return {
      ips: req.gateway.ips,
      ipsV6: req.gateway.ipsV6,
      tags: nothingLeft ? {} : tagsFor(expected, undefined),
      checked: expected,
    };
  }
  let ips = req.gateway.ips;
  // An IPv6 destination needs at least one IPv6 address to be assessed at all.
  let ipsV6 = autoSizeV6 ? Math.max(autoSizeV6.min, 1, req.gateway.ipsV6 ?? 0) : req.gateway.ipsV6;
  let report = assess(req.prefix, expected, { ...req.gateway, ips, ipsV6 });
  const sizedIps = autoSize ? Math.min(autoSize.max, Math.max(autoSize.min, report.ipsNeeded)) : ips;
  let sizedV6 = ipsV6;
  if (autoSizeV6 && report.ipsV6Needed !== undefined) {
    const needed = report.ipsV6Needed;
    if (
      needed > autoSizeV6.max &&
      report.ipsV6NeededReason !== "gateway-cap" &&
      mode === CapacityCheckMode.Error
    ) {
      throw v6LimitError(req, needed, autoSizeV6.max, report.ipsV6NeededReason ?? "fits");
    }
    sizedV6 = Math.min(autoSizeV6.max, Math.max(autoSizeV6.min, 1, needed));
  }
  if (sizedIps !== ips || sizedV6 !== ipsV6) {
    ips = sizedIps;
    ipsV6 = sizedV6;
    report = assess(req.prefix, expected, { ...req.gateway, ips, ipsV6 });
  }
  // Auto-sizing that still fails hit its maximum: suggesting it again would not help.
  const setting = autoSize ? { ...req.ipsSetting, autoSize: undefined } : req.ipsSetting;
  const summary = summarize(
    report,
    mode,
    autoSize !== undefined,
    excluded,
    setting,
    autoSizeV6 !== undefined,
  );
  const tags = tagsFor(expected, report);
  if (!report.ok && mode !== CapacityCheckMode.Off) {
    const message = capacityMessage(req.prefix, report, setting);
    if (mode === CapacityCheckMode.Error) throw new CapacityError(message);
    req.warn(message);
  }
  return { ips, ipsV6, summary, report, checked: expected, tags };
}

/** True when a (possibly malformed) expectation has an IPv6 destination address. */
function hasV6Destinations(expected: ExpectedTraffic): boolean {
  if (!Array.isArray(expected.destinations)) return false;
  return expected.destinations.some(
    (d) => typeof d?.address === "string" && addressFamily(d.address) === "ipv6",
  );
}

/** The limit error of IPv6 auto-sizing that needs more IPv6 addresses than one gateway holds. */
function v6LimitError(req: CapacityCheckRequest, needed: number, max: number, reason: string): LimitError {
  const v6 = req.ipsSetting.v6 ?? { name: "ipsV6" };
  const off = v6.notCounted ?? 0;
  const need =
    reason === "beyond-search"
      ? "far more IPv6 addresses (beyond any NAT gateway)"
      : `${fmt(needed)} IPv6 addresses`;
  const setting = req.ipsSetting.autoSize
    ? `${req.ipsSetting.autoSize} sizes ${v6.name}`
    : `sizing ${v6.name}`;
  return new LimitError(
    v6.name,
    needed - off,
    `${req.prefix}: ${v6.name}: ${setting} from expectedTraffic, and its IPv6 destinations need ${need}, ` +
      `more than the ${fmt(max)} IPv6 addresses one gateway holds${off > 0 ? ` (counting ${fmt(off)} from IPv6 prefixes and existing addresses)` : ""}: ` +
      "split the IPv6 destinations' traffic across gateways, or lower the expected connections",
  );
}
