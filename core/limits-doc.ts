/**
 * Renders the limits table as Markdown for docs/limits.md ("Limits and their sources"). A test keeps
 * that page and the table in step; running this file with tsx rewrites the page's table from the
 * limits table.
 *
 * @module
 */

import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { withGeneratedSection } from "./generated-section";
import { allLimits } from "./limits";

/** Markdown table of every limit: cloud, key, value and unit, description (with note), source link. */
export function limitsMarkdown(): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const lines = ["| cloud | key | value | what it limits | source |", "| --- | --- | ---: | --- | --- |"];
  for (const { cloud, key, limit } of allLimits()) {
    const value = `${String(limit.value).replace(/\B(?=(\d{3})+(?!\d))/g, ",")} ${limit.unit}`;
    const quota = limit.quotaCode ? ` (quota ${limit.quotaCode})` : "";
    const note = limit.note ? ` _${limit.note}_` : "";
    const host = new URL(limit.source).hostname;
    lines.push(
      `| ${cloud === "aws" ? "AWS" : "Azure"} | \`${key}\` | ${esc(value)} | ${esc(limit.description + quota + note)} | [${host}](${limit.source}) |`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Markers around the generated table in docs/limits.md. */
export const LIMITS_START = "<!-- limits-table:start (generated: do not edit by hand) -->";
/** End marker of the generated table. */
export const LIMITS_END = "<!-- limits-table:end -->";

/** The page's text with the generated table between the markers replaced by {@link limitsMarkdown}. */
export function withLimitsTable(page: string): string {
  return withGeneratedSection(
    page,
    LIMITS_START,
    LIMITS_END,
    `\n\n${limitsMarkdown()}\n`,
    "docs/limits.md has no limits-table markers",
  );
}

if (require.main === module) {
  const file = resolve(__dirname, "..", "docs", "limits.md");
  writeFileSync(file, withLimitsTable(readFileSync(file, "utf8")));
}
