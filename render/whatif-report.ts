/**
 * Renders a what-if plan (sim/sizing/whatif.ts) as a terminal table or Markdown: IPs → expected errors,
 * headroom and monthly cost, the cheapest design that fits marked with `*`, then the alternatives;
 * with IPv6 destinations, a second table over the IPv6 address count. Every surface names the
 * cheapest design with the same {@link cheapestLine}.
 *
 * @module
 */
import { fmt } from "../core/format";
import { scaleInLines } from "../sim/sizing/scalein";
import { MAX_HEADROOM, type WhatIfPlan } from "../sim/sizing/whatif";

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

/** Which table: the IPv4 rows (`rows`) or the IPv6 rows (`rowsV6`). */
export type WhatIfFamily = "ipv4" | "ipv6";

/** Header and rows of a what-if table (the IPv4 one by default), as strings. */
export function whatIfRows(
  plan: WhatIfPlan,
  family: WhatIfFamily = "ipv4",
): { header: string[]; body: string[][] } {
  const v6 = family === "ipv6";
  const rows = (v6 ? plan.rowsV6 : plan.rows) ?? [];
  const header = [v6 ? "IPv6 IPs" : "IPs", "expected errors", "fits", "headroom", "monthly cost", ""];
  const body = rows.map((r) => {
    const count = v6 ? (r.ipsV6 ?? 0) : r.ips;
    const given = v6 ? plan.ipsV6AsGiven : plan.ipsAsGiven;
    return [
      String(count),
      errorsText(r.expectedErrors),
      r.fits ? "yes" : "no",
      headroomText(r.headroom),
      usd(r.cost.total),
      [r.cheapest ? "* cheapest fit" : "", count === given ? "(as given)" : ""].filter(Boolean).join(" "),
    ];
  });
  return { header, body };
}

/** The title of a what-if table: what varies and what the rows are priced with. */
export function whatIfTitle(plan: WhatIfPlan, family: WhatIfFamily = "ipv4"): string {
  if (!plan.rowsV6) return "What if (one gateway, IPs from 1 to its maximum):";
  const other = (n: number | undefined, what: string) =>
    `${fmt(n ?? 0)} ${what} address${n === 1 ? "" : "es"}`;
  const v4 = plan.rowsV6[0]?.ips;
  const v6 = plan.rows[0]?.ipsV6;
  return family === "ipv4"
    ? `What if, IPv4 (one gateway, IPv4 addresses from 1 to its maximum; errors and headroom of the IPv4 destinations; priced with ${other(v6, "IPv6")}):`
    : `What if, IPv6 (one gateway, IPv6 addresses from 1 to its maximum; errors and headroom of the IPv6 destinations; priced with ${other(v4, "IPv4")}):`;
}

/** The line naming the cheapest design that fits, or saying none does. */
export function cheapestLine(plan: WhatIfPlan): string {
  if (!plan.cheapest) return "No design compared fits: split the traffic across more gateways or sources.";
  const total = [...plan.rows, ...(plan.rowsV6 ?? []), ...plan.alternatives].find((r) => r.cheapest)?.cost
    .total;
  return `Cheapest design that fits: ${plan.cheapestText}${total === undefined ? "" : `, ${usd(total)} a month`}.`;
}

function summaryLines(plan: WhatIfPlan): string[] {
  const v6 = plan.ipsV6AsGiven;
  const given =
    v6 === undefined
      ? `${plan.ipsAsGiven} IP${plan.ipsAsGiven === 1 ? "" : "s"}`
      : `${plan.ipsAsGiven} IPv4 and ${v6} IPv6 address${v6 === 1 ? "" : "es"}`;
  const lines = [
    `Cost assumes ${fmt(plan.gbPerMonth)} GB processed per month; prices in USD: ${Object.entries(plan.prices)
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ", ",
      )} (core/prices.ts PRICES, overridable with gateway.prices${v6 === undefined ? "" : "; an IPv6 address is priced as an IPv4 one"}).`,
    `As given (${given}): ${usd(plan.costAsGiven.total)} a month.`,
  ];
  if (plan.familiesFitTogether === false) {
    lines.push(
      "IPv4 and IPv6 destinations each fit on their own addresses, but together they break the gateway-wide connection cap: more addresses do not help, split the traffic across gateways.",
    );
  }
  lines.push(cheapestLine(plan));
  return lines;
}

/** The what-if table for a terminal. */
export function renderWhatIfTable(plan: WhatIfPlan): string {
  const table = (family: WhatIfFamily) => {
    const { header, body } = whatIfRows(plan, family);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
        .join("  ")
        .trimEnd();
    return [whatIfTitle(plan, family), line(header), ...body.map(line)];
  };
  const out = [...table("ipv4"), ...(plan.rowsV6 ? table("ipv6") : [])];
  if (plan.alternatives.length > 0) {
    out.push("Alternatives that also fit:");
    for (const a of plan.alternatives) {
      out.push(
        `  ${a.cheapest ? "* " : "- "}${a.description}: ${usd(a.cost.total)} a month, headroom ${headroomText(a.headroom)}`,
      );
    }
  }
  out.push(...summaryLines(plan), ...scaleInLines(plan.scaleIn));
  return `${out.join("\n")}\n`;
}

/** The what-if table as Markdown. */
export function renderWhatIfMarkdown(plan: WhatIfPlan): string {
  const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const table = (family: WhatIfFamily) => {
    const { header, body } = whatIfRows(plan, family);
    return [
      row(header.map((h) => h || "note")),
      row(header.map((_, i) => (i > 0 && i < 5 ? "---:" : "---"))),
      ...body.map(row),
      "",
    ];
  };
  const out = ["### What if", ""];
  if (plan.rowsV6) out.push(whatIfTitle(plan, "ipv4"), "", ...table("ipv4"), whatIfTitle(plan, "ipv6"), "");
  out.push(...(plan.rowsV6 ? table("ipv6") : table("ipv4")));
  for (const a of plan.alternatives) {
    out.push(`- ${a.cheapest ? "**cheapest fit:** " : ""}${a.description}: ${usd(a.cost.total)} a month`);
  }
  if (plan.alternatives.length > 0) out.push("");
  out.push(...summaryLines(plan).map((l) => `${l}  `));
  const scaleIn = scaleInLines(plan.scaleIn);
  if (scaleIn.length > 0) out.push("", ...scaleIn.map((l) => `${l}  `));
  return `${out.join("\n")}\n`;
}
