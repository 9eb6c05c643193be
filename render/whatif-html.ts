/**
 * The what-if section of the HTML report: the table of render/whatif-report.ts and the data of a chart
 * of expected errors and monthly cost against IPs (drawn by the report's page script with uPlot).
 *
 * @module
 */
import type { WhatIfPlan } from "../sim/sizing/whatif";
import { cheapestLine, headroomText, usd, type WhatIfFamily, whatIfRows, whatIfTitle } from "./whatif-report";

/** Escapes text for HTML. */
type Escape = (text: string) => string;

/** One what-if table as HTML rows (cheapest fit highlighted). */
function tableHtml(plan: WhatIfPlan, family: WhatIfFamily, escapeHtml: Escape): string {
  const { header, body } = whatIfRows(plan, family);
  const source = (family === "ipv6" ? plan.rowsV6 : plan.rows) ?? [];
  const rows = body
    .map(
      (cells, i) =>
        `<tr class="${source[i].cheapest ? "cheapest" : source[i].fits ? "ok" : "bad"}">${cells
          .map((c, j) => `<td${j > 0 && j < 5 ? ' class="num"' : ""}>${escapeHtml(c)}</td>`)
          .join("")}</tr>`,
    )
    .join("");
  const title = plan.rowsV6 ? `<p>${escapeHtml(whatIfTitle(plan, family))}</p>\n` : "";
  return `${title}<div class="table-wrap"><table class="summary whatif${family === "ipv6" ? " whatif-v6" : ""}"><thead><tr>${header
    .map((h) => `<th>${escapeHtml(h)}</th>`)
    .join("")}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

/**
 * The what-if section's HTML: a heading, the table (and the IPv6 table with IPv6 destinations),
 * the alternatives, the cheapest design that fits, the chart's element.
 */
export function whatIfSection(plan: WhatIfPlan, escapeHtml: Escape): string {
  const alternatives = plan.alternatives
    .map(
      (a) =>
        `<li${a.cheapest ? ' class="cheapest"' : ""}>${escapeHtml(`${a.description}: ${usd(a.cost.total)} a month, headroom ${headroomText(a.headroom)}`)}</li>`,
    )
    .join("");
  const given =
    plan.ipsV6AsGiven === undefined
      ? `${plan.ipsAsGiven} IPs`
      : `${plan.ipsAsGiven} IPv4 and ${plan.ipsV6AsGiven} IPv6 addresses`;
  return `<section class="what-if">
<h2>What if: IPs, errors and monthly cost</h2>
${tableHtml(plan, "ipv4", escapeHtml)}
${plan.rowsV6 ? tableHtml(plan, "ipv6", escapeHtml) : ""}
${alternatives ? `<p>Alternatives that also fit:</p><ul>${alternatives}</ul>` : ""}
<p class="cheapest-line">${escapeHtml(cheapestLine(plan))}</p>
<p>${escapeHtml(`Cost assumes ${plan.gbPerMonth} GB processed per month; as given (${given}): ${usd(plan.costAsGiven.total)} a month.`)}</p>
<div class="chart whatif" id="whatif-chart"></div>
</section>`;
}

/** The chart's data: IPs, expected errors and monthly cost per row. */
export function whatIfChartData(plan: WhatIfPlan): {
  ips: number[];
  errors: number[];
  cost: number[];
  errorsV6?: (number | null)[];
} {
  const ips = plan.rows.map((r) => r.ips);
  const v6 = new Map(plan.rowsV6?.map((r) => [r.ipsV6, r.expectedErrors]));
  return {
    ips,
    errors: plan.rows.map((r) => r.expectedErrors),
    cost: plan.rows.map((r) => Math.round(r.cost.total * 100) / 100),
    // The IPv6 destinations' errors against the same count of IPv6 addresses.
    ...(plan.rowsV6 ? { errorsV6: ips.map((n) => v6.get(n) ?? null) } : {}),
  };
}

/** Page script fragment drawing the what-if chart (errors on the left axis, cost on the right). */
export const WHATIF_SCRIPT = `
  if (data.whatIf) {
    var w = data.whatIf;
    new uPlot({ title: "Expected errors and monthly cost against IPs", width: width, height: 280,
      scales: { x: { time: false }, errors: {}, usd: {} },
      series: [{ label: "IPs" },
        { label: w.errorsV6 ? "expected errors (IPv4)" : "expected errors", scale: "errors", stroke: "#d62728", width: 2 },
        { label: "monthly cost (USD)", scale: "usd", stroke: "#1f77b4", width: 2 }]
        .concat(w.errorsV6 ? [{ label: "expected errors (IPv6, against IPv6 addresses)", scale: "errors", stroke: "#ff7f0e", width: 2, dash: [6, 4] }] : []),
      axes: [{ label: "IPs" }, { scale: "errors", label: "expected errors", size: 80 },
        { scale: "usd", side: 1, label: "USD / month", size: 70, grid: { show: false } }] },
      [w.ips, w.errors, w.cost].concat(w.errorsV6 ? [w.errorsV6] : []), document.getElementById("whatif-chart"));
  }
`;
