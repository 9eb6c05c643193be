// One verdict on every surface: the checks both property tests of it (test/sim/verdict.test.ts and
// test/sim/ipv6.test.ts) make on each generated workload.
import { expect } from "vitest";
import { renderHtml } from "../../render/html";
import { renderMarkdown, renderTable, reportNotes } from "../../render/report";
import { runSimulation } from "../../sim/engine/simulate";
import type { SimulationResult } from "../../sim/result/result";
import { assessCapacity, type CapacityMethod } from "../../sim/verdict/capacity";
import { validateWorkload, type WorkloadInput } from "../../sim/workload/workload";
import { natcapInProcess, tempFile } from "../adversarial/cli-harness";

/**
 * Simulates `input` and expects the gateway verdict to be every destination's, and the table,
 * Markdown, HTML, `assessCapacity` (with `method`) and `natcap simulate --json` (its exit code and
 * its result) to agree with it. Returns the simulated result and what the CLI printed.
 */
export async function expectSurfacesAgree(
  input: WorkloadInput,
  method?: CapacityMethod,
): Promise<{ result: SimulationResult; printed: Record<string, unknown> }> {
  const w = validateWorkload(input);
  const run = runSimulation(w);
  const r = run.result;
  const ok = r.verdict === "ok";
  expect(ok).toBe(r.destinations.every((d) => d.verdict === "ok"));
  const notes = reportNotes(w, r);
  expect(renderTable(r, notes)).toMatch(ok ? /^Verdict: ok/m : /^Verdict: exhausted/m);
  expect(renderMarkdown(r, notes)).toMatch(ok ? /\*\*Verdict: ok/ : /\*\*Verdict: exhausted/);
  const html = renderHtml({ ...run, notes });
  expect(html).toContain(`<p class="verdict ${r.verdict}">`);
  const badRows = (html.match(/<tr class="bad">/g) ?? []).length;
  expect(badRows).toBe(r.destinations.filter((d) => d.verdict === "exhausted").length);
  const report = assessCapacity(
    {
      destinations: input.destinations,
      traffic: input.traffic,
      durationSeconds: input.durationSeconds,
      startsEmpty: input.startsEmpty,
      seed: input.seed,
    },
    { ...input.gateway, cloud: input.cloud, ...(method ? { method } : {}) },
  );
  expect(report.ok).toBe(ok);
  expect(report.ipsNeeded).toBe(r.ipsNeeded);
  expect(report.ipsV6Needed).toBe(r.ipsV6Needed);
  expect(report.destinations.map((d) => d.ok)).toEqual(r.destinations.map((d) => d.verdict === "ok"));
  const cli = await natcapInProcess("simulate", tempFile(JSON.stringify(input), "json"), "--json");
  expect(cli.code).toBe(ok ? 0 : 1);
  // The CLI prints the simulated result, with the analytic figures added beside it.
  const printed = JSON.parse(cli.stdout) as Record<string, unknown>;
  expect(printed).toMatchObject(r);
  expect(printed.verdict).toBe(r.verdict);
  return { result: r, printed };
}
