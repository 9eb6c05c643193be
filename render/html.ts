/**
 * The HTML report: one self-contained file (no network, no external files) with, per destination,
 * ports held over time against the per-IP and total limits, port-allocation errors over time, the
 * verdict and the IPs needed. Charts are drawn by uPlot, inlined from the installed package.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { fmt } from "../core/format";
import type { DestinationResult, SimulationResult } from "../sim/result/result";
import type { SimulationSeries } from "../sim/result/series";
import type { WhatIfPlan } from "../sim/sizing/whatif";
import { ipsNeededWords } from "../sim/verdict/verdict";
import { capacityOverTime, ipChangeSection } from "./ip-changes-report";
import { gatewayIpWords, metricNames, summaryRows, verdictLine } from "./report";
import { WHATIF_SCRIPT, whatIfChartData, whatIfSection } from "./whatif-html";

/** Input of {@link renderHtml}. */
export interface HtmlReportInput {
  /** The simulation result (the JSON contract). */
  result: SimulationResult;
  /** Its time series; destinations without traffic have no samples and get no charts. */
  series: SimulationSeries;
  /** Notes printed under the summary (e.g. from `reportNotes`). @default [] */
  notes?: readonly string[];
  /** A what-if plan to show as a table and a chart of errors and cost against IPs. @default none */
  whatIf?: WhatIfPlan;
  /** Page title. @default "natcap report" */
  title?: string;
}

let uplotAssets: { js: string; css: string } | undefined;

function assets(): { js: string; css: string } {
  uplotAssets ??= {
    js: readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8"),
    css: readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8"),
  };
  return uplotAssets;
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** JSON safe to embed in a `<script>` element (no `</script>`, no HTML comment openers). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

/** The chart data handed to the page script: only what the charts draw. */
function chartData(input: HtmlReportInput) {
  const { result, series } = input;
  return {
    times: series.times,
    errorsLabel: metricNames(result.cloud).errors,
    destinations: series.destinations.map((s, i) => ({
      name: s.name,
      endpoint: s.endpoint,
      perIpLimit:
        (result.destinations[i]?.capacity ?? 0) / Math.max(1, ipsOf(result, result.destinations[i])),
      capacity: result.destinations[i]?.capacity ?? 0,
      // With IP changes: the capacity of the IPs taking new flows at each sample.
      capacityOverTime: capacityOverTime(result, i, series.times),
      portsHeld: s.portsHeld,
      portsHeldPerIp: s.portsHeldPerIp,
      errors: s.errors,
      hasSamples: s.portsHeld.some((v) => v > 0) || s.errors.some((v) => v > 0),
    })),
    whatIf: input.whatIf ? whatIfChartData(input.whatIf) : undefined,
  };
}

function summaryTable(result: SimulationResult): string {
  const { header, body, right } = summaryRows(result);
  // Header cells may break between the words of a metric name (ActiveConnection·Count).
  const cell = (tag: string, text: string, i: number) => {
    const html = escapeHtml(text);
    return `<${tag}${right[i] ? ' class="num"' : ""}>${tag === "th" ? html.replace(/([a-z])([A-Z])/g, "$1<wbr>$2") : html}</${tag}>`;
  };
  const rows = body.map((cells, d) => {
    const dest = result.destinations[d];
    const bad = dest.verdict === "exhausted";
    return `<tr class="${bad ? "bad" : "ok"}">${cells.map((c, i) => cell("td", c, i)).join("")}</tr>`;
  });
  return `<div class="table-wrap"><table class="summary"><thead><tr>${header.map((h, i) => cell("th", h, i)).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

function destinationSections(result: SimulationResult): string {
  return result.destinations
    .map(
      (d, i) => `<section class="destination" data-index="${i}">
<h2>${escapeHtml(d.name)} <small>${escapeHtml(d.endpoint)}</small></h2>
${d.attempts === 0 ? peakOnlyLine(result, d) : simulatedLine(result, d)}
<p class="destination-verdict ${d.verdict}">Verdict: ${d.verdict}</p>
<div class="chart ports" id="ports-${i}"></div>
<div class="chart errors" id="errors-${i}"></div>
</section>`,
    )
    .join("\n");
}

/** The IPs serving a destination: its own count (IPv6 addresses for an IPv6 destination), else the gateway's. */
function ipsOf(result: SimulationResult, d: DestinationResult | undefined): number {
  return d?.ips ?? result.ips;
}

/** IPs needed in words, in addresses of the destination's family. */
function neededText(d: DestinationResult): string {
  const words = ipsNeededWords(d.minIpsForZeroErrors, d.minIpsReason);
  return d.addressFamily === "ipv6" ? `${words} (IPv6 addresses)` : words;
}

function peakOnlyLine(result: SimulationResult, d: DestinationResult): string {
  return `<p>Expected peak ${escapeHtml(fmt(d.peakConnections))} connections against ${escapeHtml(fmt(d.capacity))}
(${escapeHtml(fmt(d.capacity / Math.max(1, ipsOf(result, d))))} per IP, ${escapeHtml(result.ipSelection)})${d.peakExpectedErrors === undefined ? ", checked as one instant" : `, held: about ${escapeHtml(d.peakExpectedErrors.toPrecision(3))} expected errors`}; IPs needed:
<strong>${escapeHtml(neededText(d))}</strong>.</p>`;
}

function simulatedLine(result: SimulationResult, d: DestinationResult): string {
  return `<p>Peak ports held ${escapeHtml(fmt(d.peakPortsHeld))} of ${escapeHtml(fmt(d.capacity))}
(${escapeHtml(fmt(d.capacity / Math.max(1, ipsOf(result, d))))} per IP); ${escapeHtml(fmt(d.portAllocationErrors))}
port-allocation errors; IPs needed: <strong>${escapeHtml(neededText(d))}</strong>.</p>`;
}

/** The page script: builds two uPlot charts per destination from the embedded data. */
const PAGE_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById("natcap-data").textContent);
  var palette = ["#1f77b4","#ff7f0e","#2ca02c","#9467bd","#8c564b","#e377c2","#7f7f7f","#bcbd22","#17becf"];
  var width = Math.min(960, document.body.clientWidth - 32);
  data.destinations.forEach(function (d, i) {
    var portsEl = document.getElementById("ports-" + i);
    var errorsEl = document.getElementById("errors-" + i);
    if (!d.hasSamples) {
      portsEl.textContent = "Peak-only expectation: checked analytically, no traffic to chart.";
      portsEl.className += " empty";
      errorsEl.remove();
      return;
    }
    var n = data.times.length;
    var flat = function (v) { var a = new Array(n); for (var j = 0; j < n; j++) a[j] = v; return a; };
    var series = [{ label: "time (s)" }, { label: "ports held (all IPs)", stroke: "#111", width: 2 }];
    var columns = [data.times, d.portsHeld];
    d.portsHeldPerIp.forEach(function (ip, k) {
      series.push({ label: "IP " + (k + 1), stroke: palette[k % palette.length], width: 1 });
      columns.push(ip);
    });
    series.push({ label: "limit per IP", stroke: "#d62728", dash: [6, 4], width: 1.5 });
    columns.push(flat(d.perIpLimit));
    series.push({ label: "capacity (all IPs)", stroke: "#d62728", dash: [2, 3], width: 1.5 });
    columns.push(d.capacityOverTime || flat(d.capacity));
    var x = { x: { time: false } };
    new uPlot({ title: d.name + ": ports held over time", width: width, height: 320, series: series, scales: x,
      axes: [{ label: "seconds" }, { label: "ports held", size: 70 }] }, columns, portsEl);
    new uPlot({ title: d.name + ": " + data.errorsLabel + " per interval", width: width, height: 200, scales: x,
      series: [{ label: "time (s)" }, { label: data.errorsLabel, stroke: "#d62728", fill: "rgba(214,39,40,0.2)" }],
      axes: [{ label: "seconds" }, { label: "errors", size: 70 }] }, [data.times, d.errors], errorsEl);
  });
${WHATIF_SCRIPT}
  document.body.setAttribute("data-charts-ready", "true");
})();
`;

/** Renders the self-contained HTML report. */
export function renderHtml(input: HtmlReportInput): string {
  const { result } = input;
  const { js, css } = assets();
  const title = input.title ?? "natcap report";
  const notes = (input.notes ?? []).map((n) => `<li>${escapeHtml(n)}</li>`).join("");
  const ipWord = gatewayIpWords(result);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 16px; color: #111; }
.verdict { padding: 8px 12px; border-radius: 4px; font-weight: 600; }
.verdict.ok { background: #e6f4ea; color: #1e6b34; } .verdict.exhausted { background: #fce8e6; color: #a50e0e; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table.summary { border-collapse: collapse; margin: 12px 0; font-size: 13px; }
table.summary th, table.summary td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; }
table.summary .num { text-align: right; }
tr.bad td { background: #fff4f2; } tr.cheapest td, li.cheapest { background: #e6f4ea; font-weight: 600; }
.chart { margin: 8px 0 16px; } .chart.empty { color: #555; font-style: italic; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(`${result.cloud.toUpperCase()} NAT gateway, ${ipWord}, ${fmt(result.durationSeconds)} s simulated, seed ${result.seed}`)}</p>
<p class="verdict ${result.verdict}">${escapeHtml(verdictLine(result))}</p>
${summaryTable(result)}
${notes ? `<ul class="notes">${notes}</ul>` : ""}
${ipChangeSection(result, escapeHtml)}
${input.whatIf ? whatIfSection(input.whatIf, escapeHtml) : ""}
${destinationSections(result)}
<script type="application/json" id="natcap-data">${scriptJson(chartData(input))}</script>
<script>${js}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
