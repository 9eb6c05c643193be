/** Runs the printed Athena query with a real SQL engine (DuckDB) for the telemetry tests. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { athenaQuery, type QueryOptions } from "../../telemetry/queries/queries";
import { FLOW_COLUMNS } from "./synthetic";

/**
 * Runs the printed Athena query in DuckDB over the flow-log records of a synthetic trace. The one
 * translation: DuckDB has no scalar `bitwise_and(a, b)` (it writes `a & b`), so a macro defines it.
 */
export async function runAthenaInDuckDb(
  recordsCsv: string,
  options: QueryOptions = { interfaceId: "eni-nat", intervalSeconds: 60 },
): Promise<string> {
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
  const reader = await c.runAndReadAll(athenaQuery(options));
  const names = reader.columnNames();
  const rows = reader.getRows().map((r) => r.map((v) => (v === null ? "" : String(v))).join(","));
  c.closeSync();
  return `${names.join(",")}\n${rows.join("\n")}\n`;
}
