/**
 * Renders a what-if plan (sim/whatif.ts) as a terminal table or Markdown: IPs → expected errors,
 * headroom and monthly cost, the cheapest design that fits marked with `*`, then the alternatives.
 *
 * @module
 */
import { fmt } from "../core/format";
import { MAX_HEADROOM, type WhatIfPlan } from "./whatif";

/** `$1,234.56`: US dollars with cents and thousands separators. */
export function usd(amount: number): string {
  const cents = Math.round(amount * 100);
  return `$${fmt(Math.floor(cents / 100))}.${String(cents % 100).padStart(2, "0")}`;
}

/** `×1.8`, `<×0.01`, `≥×1000`: a headroom multiplier as the tables print it. */
export function headroomText(h: number): string {
  if (h >= MAX_HEADROOM) return `>=x${MAX_HEADROOM}`;
  if (h <= 0) return "none";
  return `x${h >= 10 ? h.toFixed(0) : h.toFixed(2)}`;
}

/** Expected errors as the tables print them: whole numbers, or `<1` for a fraction above 0. */
function errorsText(e: number): string {
  return e > 0 && e < 0.5 ? "<1" : fmt(e);
}

/** Header and rows of the what-if table, as strings. */
export function whatIfRows(plan: WhatIfPlan): { header: string[]; body: string[][] } {
  const header = ["IPs", "expected errors", "fits", "headroom", "monthly cost", ""];
  const body = plan.rows.map((r) => [
    String(r.ips),
    errorsText(r.expectedErrors),
    r.fits ? "yes" : "no",
    headroomText(r.headroom),
    usd(r.cost.total),
    [r.cheapest ? "* cheapest fit" : "", r.ips === plan.ipsAsGiven ? "(as given)" : ""]
      .filter(Boolean)
      .join(" "),
  ]);
  return { header, body };
}

function summaryLines(plan: WhatIfPlan): string[] {
  const lines = [
    `Cost assumes ${fmt(plan.gbPerMonth)} GB processed per month; prices in USD: ${Object.entries(plan.prices)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")} (core/prices.ts PRICES, overridable with gateway.prices).`,
    `As given (${plan.ipsAsGiven} IP${plan.ipsAsGiven === 1 ? "" : "s"}): ${usd(plan.costAsGiven.total)} a month.`,
  ];
  if (!plan.cheapest)
    lines.push("No design compared fits: split the traffic across more gateways or sources.");
  return lines;
}

/** The what-if table for a terminal. */
export function renderWhatIfTable(plan: WhatIfPlan): string {
  const { header, body } = whatIfRows(plan);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  const out = ["What if (one gateway, IPs from 1 to its maximum):", line(header), ...body.map(line)];
  if (plan.alternatives.length > 0) {
    out.push("Alternatives that also fit:");
    for (const a of plan.alternatives) {
      out.push(
        `  ${a.cheapest ? "* " : "- "}${a.description}: ${usd(a.cost.total)} a month, headroom ${headroomText(a.headroom)}`,
      );
    }
  }
  out.push(...summaryLines(plan));
  return `${out.join("\n")}\n`;
}

/** The what-if table as Markdown. */
export function renderWhatIfMarkdown(plan: WhatIfPlan): string {
  const { header, body } = whatIfRows(plan);
  const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const out = [
    "### What if",
    "",
    row(header.map((h) => h || "note")),
    row(header.map((_, i) => (i > 0 && i < 5 ? "---:" : "---"))),
    ...body.map(row),
    "",
  ];
  for (const a of plan.alternatives) {
    out.push(`- ${a.cheapest ? "**cheapest fit:** " : ""}${a.description}: ${usd(a.cost.total)} a month`);
  }
  if (plan.alternatives.length > 0) out.push("");
  out.push(...summaryLines(plan).map((l) => `${l}  `));
  return `${out.join("\n")}\n`;
}
