/**
 * The capacity check's words about one destination: its verdict as a {@link DestinationCapacity}
 * with its one-sentence message, and the notes on per-flow hashing and instant peaks.
 *
 * @module
 */

import { fmt, plural, verb } from "../../core/format";
import { HASH_OVERFLOW_TARGET, hashUsableCapacity } from "../analytic/closed-forms";
import { destinationIps, perIpLimit } from "../gateway/load";
import type { DestinationResult } from "../result/result";
import { addressFamily } from "../workload/address";
import type { Destination, Workload } from "../workload/workload";
import { v6Words } from "./capacity-message";
import type { DestinationCapacity } from "./capacity-types";
import { steadyStateWords } from "./steady-state";
import { ipsNeededWords, reasonOfIps } from "./verdict";

/**
 * Explains why `IPs × limit` is not reachable under per-flow hashing, with the concurrent flows the
 * given IPs (and the cloud maximum) carry at under 1% risk that one IP exceeds its limit.
 */
export function hashNotes(ips: number, limit: number, maxIps: number): string[] {
  const n = Math.max(ips, 2);
  const notes = [
    `Under per-flow hashing a flow's IP is chosen by hash with no fallback, so the busiest IP fills first: ` +
      `${n} × ${fmt(limit)} = ${fmt(n * limit)} is not reachable; ${n} IPs carry about ${fmt(hashUsableCapacity(n, limit))} ` +
      `concurrent connections to one destination with under ${HASH_OVERFLOW_TARGET * 100}% risk that one IP exceeds ${fmt(limit)}.`,
  ];
  if (maxIps !== n) {
    notes.push(
      `At the maximum of ${maxIps} IPs: ${maxIps} × ${fmt(limit)} = ${fmt(maxIps * limit)} is not reachable; ` +
        `about ${fmt(hashUsableCapacity(maxIps, limit))} is.`,
    );
  }
  return notes;
}

/** The note that says a peak expectation without duration is checked as one instant. */
export const INSTANT_PEAK_NOTE =
  "A peakConnections expectation without peakDurationSeconds is checked as one instant; give peakDurationSeconds and " +
  "peakHoldSeconds to check a sustained peak (an instant allows under 1% risk that one IP overflows at that moment; a " +
  "sustained peak re-draws the hash continuously and overflows more often).";

/** The peak expectation of a destination in words, when it has one. */
function peakWords(d: Destination, r: DestinationResult): string | undefined {
  if (d.peakConnections === undefined) return undefined;
  const base = `expected peak ${plural(d.peakConnections, "connection")}`;
  if (d.peakDurationSeconds === undefined || d.peakHoldSeconds === undefined)
    return `${base} (checked as one instant)`;
  return (
    `${base} held for ${fmt(d.peakDurationSeconds)} s with connections living ${fmt(d.peakHoldSeconds)} s ` +
    `(about ${(r.peakExpectedErrors ?? 0).toPrecision(3)} expected port-allocation errors)`
  );
}

/**
 * One destination's verdict in the report: predicted peak, usable capacity with its family's IPs,
 * IPs needed and the message, from the result that answered (`method` names it in the message).
 */
export function destinationCapacity(
  w: Workload,
  d: Destination,
  r: DestinationResult,
  hasTraffic: boolean,
  maxIps: number,
  method: "analytic" | "simulate",
): DestinationCapacity {
  const family = addressFamily(d.address);
  const k = destinationIps(w, d);
  const limit = perIpLimit(w);
  const sel = w.gateway.ipSelection;
  const parts: string[] = [];
  const peak = peakWords(d, r);
  if (peak) parts.push(peak);
  if (hasTraffic) {
    parts.push(
      `${method === "simulate" ? "simulated" : "analytic"} peak ${plural(r.peakPortsHeld, "port")} held (open plus reuse hold-down), ` +
        `${plural(r.portAllocationErrors, `${method === "simulate" ? "" : "expected "}port-allocation error`)}`,
    );
  }
  if (r.steadyState)
    parts.push(steadyStateWords(r.steadyState, r.steadyState.expectedErrors, w.durationSeconds));
  const capacity = hasTraffic || sel === "pooled" ? r.capacity : hashUsableCapacity(k, limit);
  const ipWord = family === "ipv6" ? v6Words(k) : `${plural(k, "IP")}`;
  const cap =
    capacity === k * limit
      ? `${ipWord} ${verb(k, "holds", "hold")} ${fmt(capacity)} ports for it (${fmt(limit)} per IP, ${sel})`
      : `${ipWord} ${verb(k, "carries", "carry")} ${fmt(capacity)} under per-flow hashing (${fmt(limit)} per IP)`;
  const ok = r.verdict === "ok";
  const what = parts.length > 0 ? parts.join("; ") : "no expected traffic";
  const need = r.minIpsForZeroErrors;
  const reason = r.minIpsReason;
  const needWords =
    family === "ipv6" && reasonOfIps(need, reason) === "fits" ? v6Words(need) : ipsNeededWords(need, reason);
  const beyond =
    reason === "gateway-cap"
      ? ": the gateway-wide connection cap is what fails, so split the subnets across gateways"
      : need > maxIps
        ? `, more than the ${maxIps} one gateway can hold: split the traffic across gateways`
        : "";
  const message = ok
    ? `${d.name} (${r.endpoint}) fits: ${what}; ${cap}; needs ${family === "ipv6" ? v6Words(need) : plural(need, "IP")}`
    : `${d.name} (${r.endpoint}) does not fit: ${what}; ${cap}; needs ${needWords}${beyond}`;
  return {
    name: d.name,
    endpoint: r.endpoint,
    addressFamily: family,
    ips: k,
    predictedPeak: Math.max(d.peakConnections ?? 0, hasTraffic ? r.peakPortsHeld : 0),
    capacity,
    ipsNeeded: need,
    portAllocationErrors: r.portAllocationErrors,
    reasons: [...r.reasons],
    ok,
    message,
  };
}
