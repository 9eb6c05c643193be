import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { escapeHtml, renderHtml } from "../../render/html";
import { reportNotes } from "../../render/report";
import { runSimulation } from "../../sim/engine/simulate";
import { parseWorkload } from "../../sim/workload/workload";

const WORKLOAD = `
cloud: aws
gateway: { ips: 2 }
durationSeconds: 900
destinations:
  - { name: "ldap <primary>", address: 203.0.113.10, port: 636 }
  - { name: api, address: 198.51.100.7, port: 443, peakConnections: 30000 }
traffic:
  - to: "ldap <primary>"
    connectionsPerSecond: 1500
    holdSeconds: { distribution: exponential, mean: 20 }
    schedule: [ { atSeconds: 300, multiplier: 1.5 }, { atSeconds: 600, multiplier: 1 } ]
`;

function render(): { html: string; errors: number } {
  const w = parseWorkload(WORKLOAD);
  const run = runSimulation(w);
  return {
    html: renderHtml({ ...run, notes: reportNotes(w, run.result) }),
    errors: run.result.totals.portAllocationErrors,
  };
}

/** Debian's chromium; playwright-core drives it (no browser download). */
const CHROMIUM = process.env.NATCAP_CHROMIUM ?? "/usr/bin/chromium";
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.CI) {
  throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium before the tests`);
}

describe("HTML report", () => {
  it("is one self-contained file: no external scripts, styles or images", () => {
    const { html } = render();
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+stylesheet/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?https?:/i);
    expect(html).toContain("uPlot");
  });

  it("escapes destination names", () => {
    const { html } = render();
    expect(html).toContain(escapeHtml("ldap <primary>"));
    expect(html).not.toContain("<primary>");
  });

  it.skipIf(!haveBrowser)("renders its charts in a real browser with no console errors", async () => {
    const { html, errors } = render();
    expect(errors).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), "natcap-report-"));
    const file = join(dir, "report.html");
    writeFileSync(file, html);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
      const problems: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") problems.push(m.text());
      });
      page.on("pageerror", (e) => problems.push(e.message));
      await page.goto(`file://${file}`);
      await page.waitForSelector("body[data-charts-ready=true]", { timeout: 15_000 });
      // Two charts for the simulated destination, none for the peak-only one.
      expect(await page.locator("#ports-0 canvas").count()).toBe(1);
      expect(await page.locator("#errors-0 canvas").count()).toBe(1);
      expect(await page.locator("#ports-1 canvas").count()).toBe(0);
      expect(await page.locator("#ports-1").textContent()).toContain("Peak-only");
      // The ports chart has drawn something: count non-blank pixels on its canvas.
      // (A string, so the test needs no DOM typings.)
      const inked = await page.evaluate<number>(`(() => {
        const c = document.querySelector("#ports-0 canvas");
        const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
        return n;
      })()`);
      expect(inked).toBeGreaterThan(1000);
      expect(await page.locator(".verdict.exhausted").textContent()).toContain("ErrorPortAllocation");
      const shot = join(dir, "report.png");
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
