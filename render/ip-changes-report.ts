/**
 * How the reports show IP changes (`gateway.ipChanges`): the stretches between changes with the IPs
 * taking new flows, those draining and each destination's errors there, and the connections cut at
 * the end of drains. Text lines for the table and Markdown, a section and the capacity over time
 * for the HTML report. Nothing is shown for a run whose IPs never change.
 *
 * @module
 */
import { fmt, plural, verb } from "../core/format";
import type { SimulationResult } from "../sim/result/result";

/** `600–950 s` */
function span(from: number, to: number): string {
  return `${fmt(from)}–${fmt(to)} s`;
}

/** Text lines for the table and Markdown reports: one per interval, then the cut connections. */
export function ipChangeLines(r: SimulationResult): string[] {
  const intervals = r.ipIntervals;
  if (intervals === undefined) return [];
  const lines = [
    `IP changes from ${plural(r.ips, "IP")} at the start (removed IPs drain ${fmt(r.drainSeconds ?? 0)} s, then their open connections are cut; "IPs needed" is for a fixed count):`,
  ];
  intervals.forEach((iv, i) => {
    const errors = r.destinations
      .map((d) => `${d.name} ${fmt(d.portAllocationErrorsByInterval?.[i] ?? 0)}`)
      .join(", ");
    const draining = iv.drainingIps > 0 ? `, ${fmt(iv.drainingIps)} draining` : "";
    lines.push(
      `  ${span(iv.fromSeconds, iv.toSeconds)}: ${plural(iv.ips, "IP")} ${verb(iv.ips, "takes", "take")} new flows${draining}; errors: ${errors}`,
    );
  });
  const cut = r.destinations.filter((d) => (d.connectionsCutByDrain ?? 0) > 0);
  lines.push(
    cut.length === 0
      ? "  Connections cut at the end of a drain: none."
      : `  Connections cut at the end of a drain: ${cut.map((d) => `${d.name} ${fmt(d.connectionsCutByDrain ?? 0)}`).join(", ")} (a longer drain, up to 4,000 s, lets more of them end).`,
  );
  return lines;
}

/** The HTML section of the IP changes: a table of the intervals and the cut connections. */
export function ipChangeSection(r: SimulationResult, esc: (text: string) => string): string {
  const intervals = r.ipIntervals;
  if (intervals === undefined) return "";
  const head = [
    "from (s)",
    "to (s)",
    "IPs taking new flows",
    "IPs draining",
    ...r.destinations.map((d) => `errors: ${d.name}`),
  ];
  const rows = intervals.map((iv, i) => {
    const cells = [
      fmt(iv.fromSeconds),
      fmt(iv.toSeconds),
      fmt(iv.ips),
      fmt(iv.drainingIps),
      ...r.destinations.map((d) => fmt(d.portAllocationErrorsByInterval?.[i] ?? 0)),
    ];
    const bad = r.destinations.some((d) => (d.portAllocationErrorsByInterval?.[i] ?? 0) > 0);
    return `<tr class="${bad ? "bad" : "ok"}">${cells.map((c) => `<td class="num">${esc(c)}</td>`).join("")}</tr>`;
  });
  const cut = r.destinations.map((d) => `${d.name}: ${fmt(d.connectionsCutByDrain ?? 0)}`).join(", ");
  return `<section class="ip-changes"><h2>IP changes</h2>
<p>${esc(`A removed IP takes no new flows and keeps its open connections for ${fmt(r.drainSeconds ?? 0)} s (AWS connection drain); those still open then are cut. Connections cut: ${cut}.`)}</p>
<div class="table-wrap"><table class="summary ip-intervals"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table></div></section>`;
}

/**
 * Ports available to destination `d` at each sample time (IPs taking new flows × the per-IP
 * limit), for the chart's capacity line; undefined when the IPs never change.
 */
export function capacityOverTime(
  r: SimulationResult,
  d: number,
  times: readonly number[],
): number[] | undefined {
  const intervals = r.ipIntervals;
  const dest = r.destinations[d];
  if (intervals === undefined || dest === undefined || dest.addressFamily === "ipv6") return undefined;
  const perIp = dest.capacity / Math.max(1, dest.ips ?? r.ips);
  let i = 0;
  return times.map((t) => {
    while (i + 1 < intervals.length && intervals[i + 1].fromSeconds < t) i++;
    return intervals[i].ips * perIp;
  });
}
