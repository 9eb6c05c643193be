import { describe, expect, it } from "vitest";
import { renderJson, renderMarkdown, renderTable, reportNotes, verdictLine } from "../../render/report";
import { runSimulation, simulate } from "../../sim/engine/simulate";
import { validateWorkload } from "../../sim/workload/workload";

const workload = (cloud: "aws" | "azure", limit: number) =>
  validateWorkload({
    cloud,
    gateway: { ips: 2, perIpDestinationLimit: limit },
    durationSeconds: 200,
    destinations: [
      { name: "a|b", address: "203.0.113.1", port: 443 },
      { name: "c", address: "203.0.113.2", port: 53, protocol: "udp" },
    ],
    traffic: [
      { to: "a|b", connectionsPerSecond: 50, holdSeconds: 2 },
      { to: "c", connectionsPerSecond: 20, holdSeconds: 0.1 },
    ],
  });

describe("report renderers", () => {
  it("the table has a row per destination, aligned columns and the verdict last", () => {
    const w = workload("aws", 100);
    const r = simulate(w);
    const text = renderTable(r, reportNotes(w, r));
    const lines = text.trimEnd().split("\n");
    expect(lines.at(-1)).toBe(verdictLine(r));
    const header = lines.find((l) => l.startsWith("destination"))!;
    const rule = lines[lines.indexOf(header) + 1];
    expect(rule).toMatch(/^-+( +-+)+$/);
    expect(lines.filter((l) => l.startsWith("a|b ") || l.startsWith("c ")).length).toBe(2);
    expect(r.verdict).toBe("exhausted");
    expect(verdictLine(r)).toMatch(
      /ErrorPortAllocation predicted with 2 IPs \(hash\);( [^;]*;)? a\|b needs \d+ IPs/,
    );
  });
  it("the totals say they count simulated traffic only when a destination is a peak-only expectation", () => {
    const peakOnly = validateWorkload({
      cloud: "aws",
      gateway: { ips: 2 },
      durationSeconds: 60,
      destinations: [
        { name: "ldap", address: "203.0.113.10", port: 636, peakConnections: 120_000 },
        { name: "api", address: "203.0.113.11", port: 443 },
      ],
      traffic: [{ to: "api", connectionsPerSecond: 10, holdSeconds: 1 }],
    });
    const r = simulate(peakOnly);
    const totals = renderTable(r)
      .split("\n")
      .find((l) => l.startsWith("Totals:"))!;
    expect(r.destinations[0].peakConnections).toBe(120_000);
    expect(r.totals.peakConnections).toBeLessThan(120_000);
    expect(totals).toContain("(simulated traffic only; expected peaks are in their rows)");
    const traffic = renderTable(simulate(workload("aws", 100)))
      .split("\n")
      .find((l) => l.startsWith("Totals:"))!;
    expect(traffic).not.toContain("simulated traffic only");
  });

  it("Markdown escapes pipes in cells and uses Azure's metric names", () => {
    const w = workload("azure", 50_000);
    const r = simulate(w);
    const md = renderMarkdown(r, reportNotes(w, r));
    expect(md).toMatch(/\| a\\\|b \|/);
    expect(md).toMatch(/SNATConnectionCount Failed/);
    expect(md).toMatch(/\*\*Verdict: ok/);
  });
  it("JSON is the result and nothing else", () => {
    const r = simulate(workload("aws", 100));
    expect(JSON.parse(renderJson(r))).toEqual(r);
  });
});

describe("progress", () => {
  it("reports rising shares of simulated time, ending at 1", () => {
    const seen: number[] = [];
    const w = validateWorkload({
      cloud: "aws",
      gateway: { ips: 1 },
      durationSeconds: 3000,
      destinations: [{ name: "a", address: "203.0.113.1", port: 443 }],
      traffic: [{ to: "a", connectionsPerSecond: 1000, holdSeconds: 1 }],
    });
    runSimulation(w, { onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
  });
});
