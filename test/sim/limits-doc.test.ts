import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { allLimits } from "../../core/limits";
import { limitsMarkdown, withLimitsTable } from "../../core/limits-doc";

const readme = readFileSync(resolve(__dirname, "../../README.md"), "utf8");

describe("README limits table", () => {
  it("matches sim/limits (regenerate with `npx tsx sim/limits-doc.ts`)", () => {
    expect(withLimitsTable(readme)).toBe(readme);
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
