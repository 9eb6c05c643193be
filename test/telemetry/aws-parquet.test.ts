import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { awsFlowLogLines, CUSTOM_FIELDS, generateTraffic } from "../../telemetry/generate/generate";
import { readAwsFlowLogs } from "../../telemetry/sources/aws/flow-logs";
import { countBy, tempDir } from "./helpers";

// Columns as S3's Parquet delivery names them: the text fields with `_` for `-`; integers typed.
const INTEGER_FIELDS = new Set([
  "version",
  "srcport",
  "dstport",
  "protocol",
  "packets",
  "bytes",
  "start",
  "end",
  "tcp-flags",
]);

async function writeParquet(file: string, lines: string[], rowGroupSize: number): Promise<void> {
  const { parquetWriteBuffer } = await import("hyparquet-writer");
  const names = lines[0].split(" ");
  const rows = lines.slice(1).map((l) => l.split(" "));
  const columnData = names.map((name, i) =>
    INTEGER_FIELDS.has(name)
      ? {
          name: name.replace(/-/g, "_"),
          data: Int32Array.from(rows.map((r) => Number(r[i]))),
          type: "INT32" as const,
        }
      : { name: name.replace(/-/g, "_"), data: rows.map((r) => r[i]), type: "STRING" as const },
  );
  writeFileSync(file, Buffer.from(parquetWriteBuffer({ columnData, rowGroupSize })));
}

describe("VPC Flow Logs in Parquet (S3 delivery)", () => {
  it("rebuilds the same connections as the text format, row group by row group", async () => {
    const truth = generateTraffic({
      durationSeconds: 900,
      ips: 1,
      perIpLimit: 150,
      streams: [
        { address: "203.0.113.10", port: 443, connectionsPerSecond: 3, holdSeconds: 30, close: "fin" },
        { address: "203.0.113.11", port: 636, connectionsPerSecond: 1, holdSeconds: 90, close: "rst" },
      ],
    });
    const dir = tempDir();
    const file = join(dir, "flow-logs.parquet");
    await writeParquet(file, [...awsFlowLogLines(truth, { fields: CUSTOM_FIELDS })], 1000);
    const trace = await readAwsFlowLogs([dir]);
    expect(trace.connections).toHaveLength(truth.length);
    const kinds = (xs: readonly { close: string; failed: boolean }[]) =>
      countBy(xs, (c) =>
        c.failed ? "failed" : c.close === "fin" || c.close === "rst" ? c.close : "idle|open",
      );
    expect(kinds(trace.connections)).toEqual(kinds(truth));
    expect(trace.skipped).toEqual([]);
  });

  it("skips a damaged Parquet file with a reason naming it", async () => {
    const dir = tempDir();
    const file = join(dir, "broken.parquet");
    writeFileSync(file, "PAR1 not really parquet PAR1");
    const err = await readAwsFlowLogs([file]).catch((e) => e);
    expect(err.message).toMatch(/unreadable Parquet file/);
    expect(err.message).toContain("broken.parquet");
  });
});
