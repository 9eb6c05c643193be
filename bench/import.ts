/**
 * Flow-log import benchmark: generates about 2 M VPC Flow Logs records (custom format, gzip) from
 * known traffic into a temporary file, then reads them in a child process (so peak RSS is the
 * reader's own) and times `zcat FILE | wc -l` on the same file. Prints records per second, the
 * ratio to zcat, and peak RSS. Target on a 2-core machine: at least 1 M records/s.
 * Run alone with `tsx bench/import.ts`; `benchImport()` returns the figures.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { readAwsFlowLogs } from "../telemetry/aws-flow-logs";
import { awsFlowLogLines, CUSTOM_FIELDS, generateTraffic } from "../telemetry/generate";

/** Figures of one import benchmark run. */
export interface ImportBenchResult {
  /** Records in the file. */
  records: number;
  /** Seconds the reader took (including gunzip). */
  seconds: number;
  /** Records per second read. */
  recordsPerSecond: number;
  /** Seconds `zcat FILE | wc -l` took. */
  zcatSeconds: number;
  /** Reader time / zcat time (1 = as fast as zcat | wc -l). */
  ratioToZcat: number;
  /** Peak RSS of the reader's process, MB. */
  peakRssMb: number;
  /** Connections rebuilt. */
  connections: number;
}

/** Writes about `records` gzip records to `file` and returns the count written. */
export function writeBenchLogs(file: string, records = 2_000_000): number {
  // 20 destinations × 7 connections/s, 20 s mean hold: about 3 legs × 1.3 windows per connection.
  const seconds = Math.ceil(records / (20 * 7 * 3 * 1.3));
  const truth = generateTraffic({
    durationSeconds: seconds,
    ips: 2,
    streams: Array.from({ length: 20 }, (_, i) => ({
      address: `203.0.113.${i + 1}`,
      port: 443,
      connectionsPerSecond: 7,
      holdSeconds: 20,
      close: i % 4 === 0 ? ("rst" as const) : ("fin" as const),
    })),
  });
  const fd = openSync(file, "w");
  let batch: string[] = [];
  let n = 0;
  try {
    for (const line of awsFlowLogLines(truth, { fields: CUSTOM_FIELDS })) {
      batch.push(line);
      n++;
      if (batch.length === 50_000) {
        writeSync(fd, gzipSync(`${batch.join("\n")}\n`));
        batch = [];
      }
    }
    if (batch.length > 0) writeSync(fd, gzipSync(`${batch.join("\n")}\n`));
  } finally {
    closeSync(fd);
  }
  return n - 1;
}

async function measure(file: string): Promise<void> {
  const start = process.hrtime.bigint();
  const trace = await readAwsFlowLogs([file]);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(
    `${JSON.stringify({
      records: trace.recordsRead,
      seconds,
      connections: trace.connectionCount ?? trace.connections.length,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    })}\n`,
  );
}

/** Runs the import benchmark on a fresh temporary file and removes it afterwards. */
export function benchImport(records = 2_000_000): ImportBenchResult {
  const dir = mkdtempSync(join(tmpdir(), "natcap-bench-import-"));
  const file = join(dir, "flow-logs.log.gz");
  try {
    writeBenchLogs(file, records);
    const out = execFileSync(process.execPath, ["--import", "tsx", __filename, "--measure", file], {
      encoding: "utf8",
    });
    const m = JSON.parse(out.trim().split("\n").at(-1)!);
    const zStart = process.hrtime.bigint();
    const z = spawnSync("sh", ["-c", `zcat "${file}" | wc -l`], { encoding: "utf8" });
    const zcatSeconds = Number(process.hrtime.bigint() - zStart) / 1e9;
    if (z.status !== 0) throw new Error(`zcat | wc -l failed: ${z.stderr}`);
    return {
      records: m.records,
      seconds: m.seconds,
      recordsPerSecond: m.records / m.seconds,
      zcatSeconds,
      ratioToZcat: m.seconds / zcatSeconds,
      peakRssMb: m.peakRssMb,
      connections: m.connections,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line for `npm run bench`. */
export function formatImportBench(r: ImportBenchResult): string {
  return (
    `    ${r.records.toLocaleString("en-US")} records in ${r.seconds.toFixed(2)} s: ${Math.round(r.recordsPerSecond).toLocaleString("en-US")} records/s; ` +
    `zcat | wc -l ${r.zcatSeconds.toFixed(2)} s (import takes ${r.ratioToZcat.toFixed(1)}× as long); peak RSS ${r.peakRssMb.toFixed(0)} MB; ` +
    `${r.connections.toLocaleString("en-US")} connections (target >= 1,000,000 records/s)`
  );
}

if (require.main === module) {
  if (process.argv[2] === "--measure") {
    void measure(process.argv[3]);
  } else {
    const r = benchImport(Number(process.argv[2] ?? 2_000_000));
    console.log("(import) VPC Flow Logs, custom format, gzip");
    console.log(formatImportBench(r));
  }
}
