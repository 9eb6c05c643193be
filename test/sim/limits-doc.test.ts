import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { allLimits } from "../../core/limits";
import { LIMITS_START, limitsMarkdown, withLimitsTable } from "../../core/limits-doc";

const page = readFileSync(resolve(__dirname, "../../docs/limits.md"), "utf8");

describe("docs/limits.md limits table", () => {
  it("matches the limits table (regenerate with `npx tsx core/limits-doc.ts`)", () => {
    expect(withLimitsTable(page)).toBe(page);
  });
  it("is the only copy: the README links to it instead of holding a table of its own", () => {
    const readme = readFileSync(resolve(__dirname, "../../README.md"), "utf8");
    expect(readme).not.toContain(LIMITS_START);
    expect(readme).toContain("docs/limits.md");
  });
  it("has a row with value and source for every limit", () => {
    const table = limitsMarkdown();
    for (const { cloud, key, limit } of allLimits()) {
      const prefix = `| ${cloud === "aws" ? "AWS" : "Azure"} | \`${key}\` |`;
      const row = table.split("\n").find((l) => l.startsWith(prefix));
      expect(row, key).toBeDefined();
      expect(row).toContain(limit.source);
      expect(row).toContain(limit.unit);
    }
  });
});
