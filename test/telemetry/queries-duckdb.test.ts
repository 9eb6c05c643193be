import { describe, expect, it } from "vitest";
import { aggregateTrace, type TraceAggregate } from "../../telemetry/sinks/aggregate";
import { AGGREGATED_COLUMNS, readAggregatedCsv } from "../../telemetry/sources/aggregated/csv";
import { aggregateAwsFlowLogs } from "../../telemetry/sources/aws/flow-logs";
import { runAthenaInDuckDb } from "./duckdb";
import { tempDir, writeLines } from "./helpers";
import { MIX, recordsLog, synthetic } from "./synthetic";

function rowsOf(agg: TraceAggregate): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of agg.endpoints) {
    for (const r of e.rows) {
      out.set(
        `${e.endpoint}@${r.intervalStart}`,
        `fin ${r.fin} rst ${r.rst} idle ${r.idle} open ${r.open} failures ${r.failures} peak ${r.peakConcurrency}`,
      );
    }
  }
  return out;
}

describe("the printed Athena query, run by DuckDB over flow-log records (2 NAT IPs sharing SNAT ports, shuffled 5-minute files, windows delivered twice)", () => {
  let openRows = 0;
  for (const [seed, interval] of [
    [1, 60],
    [2, 60],
    [3, 600],
  ]) {
    it(`agrees with the local aggregation per endpoint and interval (seed ${seed}, ${interval} s)`, async () => {
      const s = synthetic(MIX, 1200, seed);
      const local = aggregateTrace(s.trace, interval);
      const csv = await runAthenaInDuckDb(s.recordsCsv, {
        interfaceId: "eni-nat",
        intervalSeconds: interval,
      });
      expect(csv.split("\n")[0]).toBe(AGGREGATED_COLUMNS.join(","));
      const query = readAggregatedCsv(csv, "athena.csv", { intervalSeconds: interval });
      expect(query.provenance.skipped).toEqual([]);
      const a = rowsOf(local);
      const b = rowsOf(query);
      expect(a.size).toBeGreaterThan(interval === 60 ? 50 : 8);
      expect(local.endpoints.some((e) => e.failures > 0)).toBe(true);
      openRows += local.endpoints.reduce((n, e) => n + e.rows.filter((r) => r.open > 0).length, 0);
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [k, v] of a) expect(`${k} ${b.get(k)}`).toBe(`${k} ${v}`);
      expect(query.endpoints.map((e) => e.endpoint)).toEqual(local.endpoints.map((e) => e.endpoint));
      for (const e of local.endpoints) {
        const q = query.endpoints.find((x) => x.endpoint === e.endpoint)!;
        expect(q.failures).toBe(e.failures);
        expect(q.peakConcurrency).toBe(e.peakConcurrency);
        for (const k of ["fin", "rst", "idle"] as const) {
          expect(q.durations[k].count).toBe(e.durations[k].count);
          expect(q.durations[k].sum).toBeCloseTo(e.durations[k].sum, 6);
          expect(q.durations[k].sumLog).toBeCloseTo(e.durations[k].sumLog, 6);
          expect(q.durations[k].sumLogSq).toBeCloseTo(e.durations[k].sumLogSq, 6);
        }
      }
      expect(query.gatewayIpCount).toBe(2);
      // The local import of the same records agrees row for row.
      const file = writeLines(tempDir(), "records.log", recordsLog(s.recordsCsv));
      const imported = await aggregateAwsFlowLogs([file], { interfaceId: "eni-nat" }, interval);
      expect(imported.provenance.skipped.some((x) => x.reason.startsWith("duplicate record"))).toBe(true);
      const c = rowsOf(imported);
      expect([...c.keys()].sort()).toEqual([...b.keys()].sort());
      for (const [k, v] of b) expect(`${k} ${c.get(k)}`).toBe(`${k} ${v}`);
      expect(imported.gatewayIpCount).toBe(2);
    }, 60_000);
  }
  it("compared connections still open at the end too (in some of the cases above)", () => {
    expect(openRows).toBeGreaterThan(0);
  });
});
