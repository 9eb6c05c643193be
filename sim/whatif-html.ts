/**
 * The what-if section of the HTML report: the table of sim/whatif-report.ts and the data of a chart
 * of expected errors and monthly cost against IPs (drawn by the report's page script with uPlot).
 *
 * @module
 */
import type { WhatIfPlan } from "./whatif";
import { headroomText, usd, whatIfRows } from "./whatif-report";

/** Escapes text for HTML. */
type Escape = (text: string) => string;

/** The what-if section's HTML: a heading, the table (cheapest fit highlighted), alternatives, the chart's element. */
export function whatIfSection(plan: WhatIfPlan, escapeHtml: Escape): string {
  const { header, body } = whatIfRows(plan);
  const rows = body
    .map(
      (cells, i) =>
        `<tr class="${plan.rows[i].cheapest ? "cheapest" : plan.rows[i].fits ? "ok" : "bad"}">${cells
          .map((c, j) => `<td${j > 0 && j < 5 ? ' class="num"' : ""}>${escapeHtml(c)}</td>`)
          .join("")}</tr>`,
    )
    .join("");
  const alternatives = plan.alternatives
    .map(
      (a) =>
        `<li${a.cheapest ? ' class="cheapest"' : ""}>${escapeHtml(`${a.description}: ${usd(a.cost.total)} a month, headroom ${headroomText(a.headroom)}`)}</li>`,
    )
    .join("");
  return `<section class="what-if">
<h2>What if: IPs, errors and monthly cost</h2>
<div class="table-wrap"><table class="summary whatif"><thead><tr>${header
    .map((h) => `<th>${escapeHtml(h)}</th>`)
    .join("")}</tr></thead><tbody>${rows}</tbody></table></div>
${alternatives ? `<p>Alternatives that also fit:</p><ul>${alternatives}</ul>` : ""}
<p>${escapeHtml(`Cost assumes ${plan.gbPerMonth} GB processed per month; as given (${plan.ipsAsGiven} IPs): ${usd(plan.costAsGiven.total)} a month.`)}</p>
<div class="chart whatif" id="whatif-chart"></div>
</section>`;
}

/** The chart's data: IPs, expected errors and monthly cost per row. */
export function whatIfChartData(plan: WhatIfPlan): { ips: number[]; errors: number[]; cost: number[] } {
  return {
    ips: plan.rows.map((r) => r.ips),
    errors: plan.rows.map((r) => r.expectedErrors),
    cost: plan.rows.map((r) => Math.round(r.cost.total * 100) / 100),
  };
}

/** Page script fragment drawing the what-if chart (errors on the left axis, cost on the right). */
export const WHATIF_SCRIPT = `
  if (data.whatIf) {
    var w = data.whatIf;
    new uPlot({ title: "Expected errors and monthly cost against IPs", width: width, height: 280,
      scales: { x: { time: false }, errors: {}, usd: {} },
      series: [{ label: "IPs" },
        { label: "expected errors", scale: "errors", stroke: "#d62728", width: 2 },
        { label: "monthly cost (USD)", scale: "usd", stroke: "#1f77b4", width: 2 }],
      axes: [{ label: "IPs" }, { scale: "errors", label: "expected errors", size: 80 },
        { scale: "usd", side: 1, label: "USD / month", size: 70, grid: { show: false } }] },
      [w.ips, w.errors, w.cost], document.getElementById("whatif-chart"));
  }
`;
