/**
 * Capacity planner used by the components (at construction) and the policy pack (at preview): given
 * expected traffic and a gateway, does every destination fit, and how many IPs would it need?
 * Peak expectations are analytic (one instant: binomial tail of per-flow hashing; a sustained peak:
 * Erlang-B over its duration). Rate-based traffic is answered by the method chosen
 * ({@link CapacityMethod}): the time-varying analytic path (sim/analytic/analyze.ts), the simulator, or
 * `auto` — the analytic path where its verdict is validated (sim/verdict/method.ts `analyticTrust`), a
 * simulation near the verdict's threshold (within {@link AUTO_SIMULATE_MAX_ATTEMPTS}). Either way
 * the verdicts come from ./verdict, so this report never disagrees with `natcap simulate --method`
 * on the same input. Input and digest: ./capacity-input; each destination's words:
 * ./capacity-destination; the types: ./capacity-types.
 *
 * @module
 */

import { show, WorkloadError } from "../../core/errors";
import { fmt } from "../../core/format";
import { AZURE } from "../../core/limits";
import { type AnalyticRun, analyzeWorkloadDetailed } from "../analytic/analyze";
import { estimatedAttempts, simulate } from "../engine/simulate";
import { endpointOf, ipsV6Of, perIpLimit } from "../gateway/load";
import type { SimulationResult } from "../result/result";
import { addressFamily } from "../workload/address";
import type { ExpectedTraffic, Workload } from "../workload/workload";
import { destinationCapacity, hashNotes, INSTANT_PEAK_NOTE } from "./capacity-destination";
import { checkedWorkload, digestOf } from "./capacity-input";
import { capacityFix, v6Words } from "./capacity-message";
import {
  type AssessOptions,
  AUTO_SIMULATE_MAX_ATTEMPTS,
  CAPACITY_METHODS,
  type CapacityMethod,
  type CapacityReport,
  type GatewayModel,
} from "./capacity-types";
import { analyticTrust } from "./method";
import type { GatewayVerdict } from "./verdict";

export { hashNotes, INSTANT_PEAK_NOTE } from "./capacity-destination";
export { CAPACITY_MODEL_VERSION, capacityDigest } from "./capacity-input";
export * from "./capacity-types";

/** The result that answers, which method produced it, and why. */
interface Answer {
  readonly result: SimulationResult;
  readonly method: "analytic" | "simulate";
  readonly reason: string;
  readonly analytic?: AnalyticRun;
}

/**
 * Answers rate-based traffic by `method`. `auto`: the analytic path, standing where it is validated;
 * elsewhere a simulation when it needs at most `maxAttempts` attempts (only the result, not the
 * charts' time series).
 */
function answer(w: Workload, method: CapacityMethod, maxAttempts: number): Answer {
  if (method === "simulate")
    return { result: simulate(w, { samples: 1 }), method, reason: "the simulation was asked for" };
  const analytic = analyzeWorkloadDetailed(w);
  if (method === "analytic")
    return { result: analytic.result, method, reason: "the analytic path was asked for", analytic };
  const trust = analyticTrust(analytic);
  if (trust.trusted) return { result: analytic.result, method: "analytic", reason: trust.reason, analytic };
  if (estimatedAttempts(w) > maxAttempts)
    return {
      result: analytic.result,
      method: "analytic",
      reason: `${trust.reason}; a simulation would take more than ${fmt(maxAttempts)} attempts`,
      analytic,
    };
  return { result: simulate(w, { samples: 1 }), method: "simulate", reason: trust.reason, analytic };
}

/**
 * Checks expected traffic against a gateway: per destination the predicted peak, the usable
 * capacity with the gateway's IPs, and the IPs needed. Peak expectations (`peakConnections`, with
 * `peakDurationSeconds` and `peakHoldSeconds` for a sustained peak) are analytic and fast;
 * rate-based traffic is checked by `gateway.method ?? expected.method ?? "auto"`
 * ({@link CapacityMethod}); `report.method` says which produced the verdict. `ok`, `ipsNeeded` and
 * every destination's `ok` come from the same verdict function as `natcap simulate`.
 *
 * @throws {WorkloadError} on invalid input; paths of expected-traffic fields start with `expectedTraffic.`
 * @throws {WorkBudgetError} with method `simulate`, when the traffic would take more than the default budget of simulated attempts
 */
export function assessCapacity(
  expected: ExpectedTraffic,
  gateway: GatewayModel,
  options: AssessOptions = {},
): CapacityReport {
  const method = gateway.method ?? expected?.method ?? "auto";
  if (!CAPACITY_METHODS.includes(method)) {
    const path = gateway.method !== undefined ? "method" : "expectedTraffic.method";
    throw new WorkloadError([
      { path, value: method, message: `${show(method)} is not a method: use analytic, simulate or auto` },
    ]);
  }
  const checked = checkedWorkload(expected, gateway);
  const notes = checked.excluded.map(
    (d) =>
      `${d.name} (${endpointOf(d)}) goes through the VPC's ${d.service} gateway endpoint, not the NAT gateway; left out.`,
  );
  const w = checked.workload;
  const digest = digestOf(checked);
  const k = w.gateway.ips;
  const limit = perIpLimit(w);
  const { maxIps, maxIpsV6 } = checked;
  const hasV6 = w.destinations.some((d) => addressFamily(d.address) === "ipv6");
  const v6Fields =
    hasV6 || gateway.ipsV6 !== undefined ? { ipsV6: ipsV6Of(w), maxIpsV6 } : ({} as Record<string, never>);
  if (w.destinations.length === 0) {
    return {
      ok: true,
      ips: k,
      ipsNeeded: 1,
      maxIps,
      ...v6Fields,
      destinations: [],
      method: method === "analytic" ? "analytic" : "simulate",
      methodReason: "no destination goes through the gateway",
      digest,
      notes,
      reasons: [],
      moreIpsHelp: true,
      fix: "",
    };
  }
  const a = answer(w, method, options.autoSimulateMaxAttempts ?? AUTO_SIMULATE_MAX_ATTEMPTS);
  const result = a.result;
  const destinations = w.destinations.map((d, i) =>
    destinationCapacity(
      w,
      d,
      result.destinations[i],
      w.traffic.some((t) => t.to === d.name),
      addressFamily(d.address) === "ipv6" ? maxIpsV6 : maxIps,
      a.method,
    ),
  );
  const peaks = w.destinations.filter((d) => d.peakConnections !== undefined);
  if (peaks.some((d) => d.peakDurationSeconds === undefined)) notes.push(INSTANT_PEAK_NOTE);
  if (w.gateway.ipSelection === "hash" && peaks.length > 0) notes.push(...hashNotes(k, limit, maxIps));
  if (hasV6) {
    notes.push(
      `IPv6 destinations take their SNAT ports from the gateway's ${v6Words(ipsV6Of(w))} (${fmt(limit)} per address per destination), ` +
        `IPv4 destinations from its ${`${fmt(k)} IPv4 address${k === 1 ? "" : "es"}`}; both count toward the ${fmt(AZURE.totalConnections.value)} connections one gateway supports in total.`,
    );
  }
  const gv: GatewayVerdict = {
    ok: result.verdict === "ok",
    reasons: result.reasons,
    ipsNeeded: result.ipsNeeded,
    ipsNeededReason: result.ipsNeededReason ?? "fits",
    ...(result.ipsV6Needed !== undefined
      ? { ipsV6Needed: result.ipsV6Needed, ipsV6NeededReason: result.ipsV6NeededReason ?? "fits" }
      : {}),
    moreIpsHelp: result.moreIpsHelp,
    totalConnections: result.gatewayConnections,
    totalConnectionsCap: AZURE.totalConnections.value,
  };
  if (!result.moreIpsHelp) {
    const reach =
      result.gatewayConnections > AZURE.totalConnections.value
        ? `peak at ${fmt(result.gatewayConnections)}, more than the ${fmt(AZURE.totalConnections.value)}`
        : `reach the ${fmt(AZURE.totalConnections.value)}`;
    notes.push(
      `Connections across all destinations ${reach} one Azure NAT gateway supports in total; more IPs do not help: split the subnets across gateways.`,
    );
  }
  const fix = capacityFix(
    { ...gv, ips: k, maxIps, ...(hasV6 ? { ipsV6: ipsV6Of(w), maxIpsV6 } : {}) },
    { name: "ips", v6: { name: gateway.settingNames?.ipsV6 ?? "ipsV6" } },
  );
  return {
    ok: gv.ok,
    ips: k,
    ipsNeeded: result.ipsNeeded,
    maxIps,
    ...v6Fields,
    ...(gv.ipsV6Needed !== undefined
      ? { ipsV6Needed: gv.ipsV6Needed, ipsV6NeededReason: gv.ipsV6NeededReason }
      : {}),
    destinations,
    ...(w.traffic.length > 0 ? { result } : {}),
    method: a.method,
    methodReason: a.reason,
    digest,
    ...(a.analytic && w.traffic.length > 0 ? { analytic: a.analytic.result } : {}),
    notes,
    reasons: [...result.reasons],
    moreIpsHelp: result.moreIpsHelp,
    fix,
  };
}
