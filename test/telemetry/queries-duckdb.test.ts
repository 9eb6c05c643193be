import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { aggregateTrace, type TraceAggregate } from "../../telemetry/aggregate";
import { AGGREGATED_COLUMNS, readAggregatedCsv } from "../../telemetry/aggregated-csv";
import { athenaQuery } from "../../telemetry/queries";
import { FLOW_COLUMNS, MIX, synthetic } from "./synthetic";

/**
 * Runs the printed Athena query in DuckDB over the flow-log records of a synthetic trace. The one
 * translation: DuckDB has no scalar `bitwise_and(a, b)` (it writes `a & b`), so a macro defines it.
 */
async function runAthenaInDuckDb(recordsCsv: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "natcap-duck-"));
  const file = join(dir, "records.csv");
  writeFileSync(file, recordsCsv);
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  const types: Record<string, string> = {
    version: "INTEGER",
    account_id: "VARCHAR",
    interface_id: "VARCHAR",
    srcaddr: "VARCHAR",
    dstaddr: "VARCHAR",
    srcport: "INTEGER",
    dstport: "INTEGER",
    protocol: "BIGINT",
    packets: "BIGINT",
    bytes: "BIGINT",
    start: "BIGINT",
    end: "BIGINT",
    action: "VARCHAR",
    log_status: "VARCHAR",
    tcp_flags: "INTEGER",
    pkt_srcaddr: "VARCHAR",
    pkt_dstaddr: "VARCHAR",
  };
  const columns = FLOW_COLUMNS.map((k) => `'${k}': '${types[k]}'`).join(", ");
  await c.run(
    `CREATE TABLE vpc_flow_logs AS SELECT * FROM read_csv('${file}', header = true, columns = {${columns}}, nullstr = '')`,
  );
  await c.run("CREATE MACRO bitwise_and(a, b) AS (a & b)");
  const reader = await c.runAndReadAll(athenaQuery({ interfaceId: "eni-nat", intervalSeconds: 60 }));
  const names = reader.columnNames();
  const rows = reader.getRows().map((r) => r.map((v) => (v === null ? "" : String(v))).join(","));
  c.closeSync();
  return `${names.join(",")}\n${rows.join("\n")}\n`;
}

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

describe("the printed Athena query, run by DuckDB over flow-log records", () => {
  for (const seed of [1, 2]) {
    it(`agrees with the local aggregation per endpoint and interval (seed ${seed})`, async () => {
      const s = synthetic(MIX, 1200, seed);
      const local = aggregateTrace(s.trace, 60);
      const csv = await runAthenaInDuckDb(s.recordsCsv);
      expect(csv.split("\n")[0]).toBe(AGGREGATED_COLUMNS.join(","));
      const query = readAggregatedCsv(csv, "athena.csv", { intervalSeconds: 60 });
      expect(query.provenance.skipped).toEqual([]);
      const a = rowsOf(local);
      const b = rowsOf(query);
      expect(a.size).toBeGreaterThan(50);
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
    }, 60_000);
  }
});
