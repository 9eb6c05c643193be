/**
 * Renders a simulation result as a terminal table, Markdown (for pull-request comments) or JSON
 * (the contract, nothing else). Metric names follow each cloud's own (AWS CloudWatch
 * AWS/NATGateway; Azure Monitor NAT gateway metrics).
 *
 * @module
 */

import { fmt, plural } from "../core/format";
import { AWS, AZURE } from "../core/limits";
import { perIpLimit } from "../sim/gateway/load";
import type { DestinationResult, SimulationResult } from "../sim/result/result";
import { hashNotes, INSTANT_PEAK_NOTE } from "../sim/verdict/capacity";
import { v6Words } from "../sim/verdict/capacity-message";
import { STARTS_EMPTY_NOTE, steadyStateWords } from "../sim/verdict/steady-state";
import { ipsNeededCell, ipsNeededWords, reasonOfIps } from "../sim/verdict/verdict";
import type { Workload } from "../sim/workload/workload";
import { ipChangeLines } from "./ip-changes-report";

/** Output formats of `natcap simulate`. */
export type ReportFormat = "table" | "json" | "markdown";

/** The cloud's own metric names for the figures natcap reports. */
export function metricNames(cloud: "aws" | "azure"): { errors: string; connections: string; idle: string } {
  return cloud === "aws"
    ? { errors: "ErrorPortAllocation", connections: "ActiveConnectionCount", idle: "IdleTimeoutCount" }
    : { errors: "SNATConnectionCount Failed", connections: "TotalConnectionCount", idle: "idle timeouts" };
}

/**
 * The gateway's IPs in words: `2 IPs (pooled)`, or `2 IPv4 + 4 IPv6 addresses (pooled)` with IPv6
 * addresses (an explicit `ipsV6: 0`, e.g. on AWS, reads as plain IPs: there is no IPv6 to speak of).
 */
export function gatewayIpWords(r: SimulationResult): string {
  const ips =
    r.ipsV6 === undefined || r.ipsV6 === 0
      ? plural(r.ips, "IP")
      : `${fmt(r.ips)} IPv4 + ${fmt(r.ipsV6)} IPv6 address${r.ipsV6 === 1 ? "" : "es"}`;
  return `${ips} (${r.ipSelection})`;
}

/** What a destination needs in words, in addresses of its family (`3 IPs`, `3 IPv6 addresses`). */
function neededWords(d: DestinationResult): string {
  return d.addressFamily === "ipv6" && reasonOfIps(d.minIpsForZeroErrors, d.minIpsReason) === "fits"
    ? v6Words(d.minIpsForZeroErrors)
    : ipsNeededWords(d.minIpsForZeroErrors, d.minIpsReason);
}

/** Notes for a result: why IPs × limit is not reachable under hashing, and IPs beyond the maximum. */
export function reportNotes(w: Workload, r: SimulationResult): string[] {
  const maxIpv4 = w.cloud === "aws" ? AWS.maxIpsPerZonalGateway.value : AZURE.maxPublicIpAddresses.value;
  const notes: string[] = [];
  const peaks = w.destinations.filter((d) => d.peakConnections !== undefined);
  if (peaks.length > 0) {
    notes.push("peakConnections expectations are checked analytically beside the simulation.");
    if (peaks.some((d) => d.peakDurationSeconds === undefined)) notes.push(INSTANT_PEAK_NOTE);
    if (r.ipSelection === "hash") notes.push(...hashNotes(r.ips, perIpLimit(w), maxIpv4));
  }
  if (r.ipsV6 !== undefined && r.destinations.some((d) => d.addressFamily === "ipv6")) {
    notes.push(
      "IPv6 destinations take their SNAT ports from the gateway's IPv6 addresses (ipsV6), IPv4 destinations from its IPv4 addresses (ips); " +
        `both count toward the ${fmt(AZURE.totalConnections.value)} connections one gateway supports in total.`,
    );
  }
  for (const d of r.destinations) {
    if (d.verdict !== "exhausted") continue;
    const max = d.addressFamily === "ipv6" ? AZURE.maxPublicIpv6StandardV2.value : maxIpv4;
    if (d.minIpsReason === "gateway-cap") {
      notes.push(
        `${d.name}: the gateway-wide connection cap is what fails, so more IPs do not help: split the subnets across gateways.`,
      );
    } else if (d.minIpsForZeroErrors > max && r.moreIpsHelp) {
      notes.push(
        `${d.name} needs ${neededWords(d)}, more than the ${max} one ${w.cloud === "aws" ? "AWS" : "Azure"} NAT gateway can hold: split its traffic across gateways or source addresses.`,
      );
    }
  }
  if (r.method === "analytic") {
    notes.push(
      "Answered by the time-varying analytic path (no simulation): attempts and errors are expected values, " +
        "peaks are estimates; run with --method simulate for a simulation of the same model.",
    );
  } else if (r.analyticVerdict !== undefined && r.analyticVerdict !== r.verdict) {
    notes.push(
      `The analytic path predicts ${r.analyticVerdict} where the simulation gives ${r.verdict}; the simulation decides (it is exact for the model).`,
    );
  }
  for (const d of r.destinations) {
    if (d.steadyState)
      notes.push(
        `${d.name}: ${steadyStateWords(d.steadyState, d.steadyState.expectedErrors, r.durationSeconds)}.`,
      );
  }
  if (r.startsEmpty) notes.push(STARTS_EMPTY_NOTE);
  for (const warning of r.warnings ?? []) notes.push(`Warning: ${warning}`);
  return notes;
}

/** What an exhausted destination needs, for the verdict line: never "1,001 IPs". */
function needsText(d: DestinationResult): string {
  if (d.minIpsReason === "gateway-cap")
    return `${d.name}: more IPs do not help (gateway-wide connection cap)`;
  return `${d.name} needs ${neededWords(d)}`;
}

/** The one-line verdict. */
export function verdictLine(r: SimulationResult): string {
  const ipWord = gatewayIpWords(r);
  if (r.verdict === "ok") {
    const alone = r.startsEmpty ? " in a window that starts empty (judged alone)" : "";
    return `Verdict: ok: no port-allocation errors predicted with ${ipWord}${alone}.`;
  }
  const short = r.destinations.filter((d) => d.verdict === "exhausted").map(needsText);
  const errors = r.totals.portAllocationErrors;
  const what: string[] = [];
  if (errors > 0) what.push(`${fmt(errors)} ${metricNames(r.cloud).errors} predicted with ${ipWord}`);
  if (r.reasons.includes("peak-does-not-fit") || r.reasons.includes("sustained-peak-errors")) {
    what.push(`an expected peak does not fit ${ipWord}`);
  }
  if (r.reasons.includes("steady-state-errors")) {
    what.push(
      `the window ends before its ports fill, and once the traffic has run long enough (steady state) it expects port-allocation errors with ${ipWord}`,
    );
  }
  if (!r.moreIpsHelp) {
    const cap = AZURE.totalConnections.value;
    const reach =
      r.gatewayConnections > cap
        ? `peak at ${fmt(r.gatewayConnections)}, more than the gateway-wide cap of ${fmt(cap)}`
        : `reach the gateway-wide cap of ${fmt(cap)}`;
    what.push(
      `connections across all destinations ${reach}; more IPs do not help: split the subnets across gateways`,
    );
  }
  return `Verdict: exhausted: ${what.join("; ")}${short.length > 0 ? `; ${short.join(", ")}` : ""}.`;
}

const pct = (x: number) => `${(x * 100).toFixed(3)}%`;
/** Expected (fractional) errors: one decimal below 10, whole numbers above. */
const expectedCount = (x: number) => (x < 10 ? x.toFixed(1) : fmt(Math.round(x)));

/**
 * The per-destination table every renderer shows (terminal, Markdown, HTML): header cells, one row
 * of formatted cells per destination, and which columns are right-aligned.
 */
export function summaryRows(r: SimulationResult): { header: string[]; body: string[][]; right: boolean[] } {
  const m = metricNames(r.cloud);
  const header = [
    "destination",
    "endpoint",
    "attempts",
    m.errors,
    "blocking",
    "Erlang-B",
    `${m.connections} (peak)`,
    "ports held (peak)",
    "ports held (mean)",
    "capacity",
    "IPs needed",
    "verdict",
  ];
  const beside = r.method !== "analytic" && r.destinations.some((d) => d.analyticErrors !== undefined);
  if (r.method === "analytic") header[3] = `${m.errors} (expected)`;
  if (beside) header.splice(4, 0, "analytic errors");
  // With IPv6 destinations, which addresses serve each destination.
  const v6 = r.destinations.some((d) => d.addressFamily === "ipv6");
  if (v6) header.splice(2, 0, "IPs");
  const body = r.destinations.map((d) => {
    const row = [
      d.name,
      d.endpoint,
      fmt(d.attempts),
      fmt(d.portAllocationErrors),
      pct(d.blockingRatio),
      pct(d.erlangB),
      fmt(d.peakConnections),
      fmt(d.peakPortsHeld),
      fmt(d.meanPortsHeld),
      fmt(d.capacity),
      `${ipsNeededCell(d.minIpsForZeroErrors, d.minIpsReason)}${d.addressFamily === "ipv6" ? " IPv6" : ""}`,
      d.verdict,
    ];
    if (beside) row.splice(4, 0, d.analyticErrors === undefined ? "" : expectedCount(d.analyticErrors));
    if (v6)
      row.splice(
        2,
        0,
        d.addressFamily === "ipv6" ? `${fmt(d.ips ?? 0)} IPv6` : `${fmt(d.ips ?? r.ips)} IPv4`,
      );
    return row;
  });
  return { header, body, right: header.map((_, i) => i >= 2 && i < header.length - 1) };
}

function headline(r: SimulationResult): string {
  const how =
    r.method === "analytic" ? "analyzed (analytic path, no simulation)" : `simulated, seed ${r.seed}`;
  const alone = r.startsEmpty ? " (a window that starts empty, judged alone)" : "";
  return `natcap simulate: ${r.cloud}, ${gatewayIpWords(r)}, ${fmt(r.durationSeconds)} s ${how}${alone}`;
}

function totalsLine(r: SimulationResult): string {
  const m = metricNames(r.cloud);
  return (
    `Totals: ${fmt(r.totals.attempts)} attempts, ${fmt(r.totals.portAllocationErrors)} ${m.errors}, ` +
    `${fmt(r.totals.idleTimeouts)} ${m.idle}, ${m.connections} peak ${fmt(r.totals.peakConnections)}` +
    (r.totals.connectionsCutByDrain !== undefined
      ? `, ${fmt(r.totals.connectionsCutByDrain)} connections cut at the end of a drain`
      : "") +
    // The totals count simulated traffic; a peak-only expectation shows its peak in its own row.
    (r.destinations.some((d) => d.attempts === 0 && d.peakConnections > 0)
      ? " (simulated traffic only; expected peaks are in their rows)"
      : "")
  );
}

/** A plain-text table for terminals: a row per destination, totals, notes and the verdict. */
export function renderTable(r: SimulationResult, notes: readonly string[] = []): string {
  const { header, body, right } = summaryRows(r);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  const out = [headline(r), "", line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line), ""];
  out.push(totalsLine(r), ...ipChangeLines(r));
  for (const n of notes) out.push(`Note: ${n}`);
  out.push(verdictLine(r));
  return `${out.join("\n")}\n`;
}

/** Markdown for pull-request comments: a heading, a table, notes and the verdict. */
export function renderMarkdown(r: SimulationResult, notes: readonly string[] = []): string {
  const { header, body, right } = summaryRows(r);
  const esc = (c: string) => c.replace(/\|/g, "\\|");
  const out = [
    `### ${r.verdict === "ok" ? "✅" : "❌"} ${headline(r)}`,
    "",
    `| ${header.map(esc).join(" | ")} |`,
    `|${right.map((x) => (x ? " ---: " : " --- ")).join("|")}|`,
    ...body.map((row) => `| ${row.map(esc).join(" | ")} |`),
    "",
    totalsLine(r),
    "",
  ];
  const changes = ipChangeLines(r);
  if (changes.length > 0) out.push("```", ...changes, "```", "");
  for (const n of notes) out.push(`> ${n}`, "");
  out.push(`**${verdictLine(r)}**`);
  return `${out.join("\n")}\n`;
}

/** The JSON result contract, pretty-printed, with a final newline. */
export function renderJson(r: SimulationResult): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
