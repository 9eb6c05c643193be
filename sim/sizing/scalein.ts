/**
 * The what-if planner's scale-in answer (AWS): for each IPv4 count below the one given, the errors
 * with that many IPs and the connection drain a removal needs so that no connection is cut. A
 * removed IP keeps its open connections until they end or the drain (MaxDrainDurationSeconds,
 * 1–4,000 s) runs out; at the busiest point of the schedule the removed IPs carry their share of
 * each stream's new flows, so the connections still open x seconds after the removal are expected
 * to number Σ rate × share × E[(S − x)⁺] (S a connection's open time). The drain needed is the
 * smallest whole x that brings this below half a connection: a survival quantile of the open time,
 * e.g. the hold itself for a constant hold, capped at 4,000 s (then the expected cut is given).
 *
 * Azure is left out: what an Azure NAT gateway does with the connections of a public IP taken off
 * it is not documented.
 *
 * @module
 */

import { fmt, plural } from "../../core/format";
import { AWS } from "../../core/limits";
import { ZERO_ERRORS_THRESHOLD } from "../analytic/closed-forms";
import { lifetimeExcess } from "../analytic/survival";
import { streamLifetimes } from "../analytic/transient";
import { followsIpChanges } from "../gateway/ip-changes";
import type { Workload } from "../workload/workload";

/** One smaller IP count a gateway could scale in to. */
export interface ScaleInRow {
  /** IPv4 addresses after the removal. */
  readonly ips: number;
  /** Expected port-allocation errors over the run with this many IPs (the what-if row's figure). */
  readonly expectedErrors: number;
  /** True when the IPv4 destinations' verdict is ok with this many IPs. */
  readonly fits: boolean;
  /** Whole seconds of drain after which fewer than half a connection is expected open (at most 4,000). */
  readonly drainSeconds: number;
  /** True when even the longest drain (4,000 s) leaves connections to cut. */
  readonly drainCapped: boolean;
  /** Connections expected to be cut at the end of `drainSeconds` (below 0.5 unless capped). */
  readonly expectedCut: number;
}

/** The scale-in section of a what-if plan. */
export interface ScaleInPlan {
  /** The IPv4 count given. */
  readonly fromIps: number;
  /** One row per smaller count, from `fromIps − 1` down to 1. */
  readonly rows: readonly ScaleInRow[];
  /** The smallest count whose verdict is ok, when one is. */
  readonly smallest?: number;
  /** The drain a removal down to `smallest` needs. */
  readonly smallestDrainSeconds?: number;
}

/**
 * Connections on removed IPs still open `x` seconds after scaling in from `from` to `to` IPs, at
 * the busiest rate of each stream.
 */
export function openAfterRemoval(w: Workload, from: number, to: number, x: number): number {
  const share = (from - to) / from;
  let open = 0;
  w.traffic.forEach((t) => {
    const d = w.destinations.findIndex((dest) => dest.name === t.to);
    if (d < 0 || !followsIpChanges(w, d)) return;
    const peak = Math.max(1, ...(t.schedule ?? []).map((s) => s.multiplier));
    const life = streamLifetimes(w, t, w.destinations[d].protocol).open;
    open += t.connectionsPerSecond * peak * share * lifetimeExcess(life, x);
  });
  return open;
}

/** The drain (whole seconds, 1 to 4,000) after which fewer than half a connection stays open. */
export function drainNeeded(
  w: Workload,
  from: number,
  to: number,
): { seconds: number; capped: boolean; cut: number } {
  const max: number = AWS.maxDrainSeconds.value;
  const min: number = AWS.minDrainSeconds.value;
  const open = (x: number) => openAfterRemoval(w, from, to, x);
  if (open(max) >= ZERO_ERRORS_THRESHOLD) return { seconds: max, capped: true, cut: open(max) };
  if (open(min) < ZERO_ERRORS_THRESHOLD) return { seconds: min, capped: false, cut: open(min) };
  let lo = min;
  let hi = max;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (open(mid) < ZERO_ERRORS_THRESHOLD) hi = mid;
    else lo = mid;
  }
  return { seconds: hi, capped: false, cut: open(hi) };
}

/**
 * The scale-in rows of an AWS workload from the what-if rows (errors and fit per IPv4 count);
 * undefined on Azure or with a single IP.
 */
export function planScaleIn(
  w: Workload,
  rows: readonly { ips: number; expectedErrors: number; fits: boolean }[],
): ScaleInPlan | undefined {
  const from = w.gateway.ips;
  if (w.cloud !== "aws" || from <= 1) return undefined;
  const out: ScaleInRow[] = [];
  for (let ips = from - 1; ips >= 1; ips--) {
    const row = rows.find((r) => r.ips === ips);
    if (row === undefined) continue;
    const drain = drainNeeded(w, from, ips);
    out.push({
      ips,
      expectedErrors: row.expectedErrors,
      fits: row.fits,
      drainSeconds: drain.seconds,
      drainCapped: drain.capped,
      expectedCut: drain.cut,
    });
  }
  const fitting = out.filter((r) => r.fits);
  const smallest = fitting.length > 0 ? fitting[fitting.length - 1] : undefined;
  return {
    fromIps: from,
    rows: out,
    ...(smallest ? { smallest: smallest.ips, smallestDrainSeconds: smallest.drainSeconds } : {}),
  };
}

/** Text lines of the scale-in section (table, Markdown). */
export function scaleInLines(plan: ScaleInPlan | undefined): string[] {
  if (plan === undefined || plan.rows.length === 0) return [];
  const lines = [`Scale in from ${plan.fromIps} IPs (AWS connection drain; default 350 s, at most 4,000 s):`];
  for (const r of plan.rows) {
    const errors =
      r.expectedErrors < ZERO_ERRORS_THRESHOLD ? "no errors" : `${fmt(r.expectedErrors)} expected errors`;
    const drain = r.drainCapped
      ? `even a ${fmt(r.drainSeconds)} s drain cuts about ${plural(Math.max(1, r.expectedCut), "connection")}`
      : `a drain of ${fmt(r.drainSeconds)} s cuts no connection`;
    lines.push(`  - to ${plural(r.ips, "IP")}: ${errors}${r.fits ? "" : " (does not fit)"}; ${drain}`);
  }
  lines.push(
    plan.smallest !== undefined
      ? `Smallest IP count to scale in to now: ${plan.smallest}, with a drain of at least ${fmt(plan.smallestDrainSeconds ?? 0)} s.`
      : `No smaller IP count fits: keep ${plan.fromIps} IPs.`,
  );
  return lines;
}
