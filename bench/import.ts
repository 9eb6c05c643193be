/**
 * Flow-log import benchmark: generates VPC Flow Logs records (custom format, gzip; 2 NAT IPs,
 * records shuffled within 5-minute delivery files) from known traffic into a temporary file, then
 * imports them in a child process (so peak RSS is the import's own) with the compiled package
 * (built first), as `natcap import aws-flow-logs` does — records read and aggregated while read, the
 * workload built — and times `zcat FILE | wc -l` on the same file. Prints records per second, the
 * ratio to zcat, peak RSS, and whether the targets hold: on a 2-core machine, at least 1 M records/s
 * and at most 300 MB peak RSS at 20 M records. The default is those 20 M records (about 5 minutes,
 * most of it writing the 340 MB file, removed afterwards); `--records 2000000` is a quick run.
 * Run alone with `tsx bench/import.ts [RECORDS]`; `benchImport()` returns the figures.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { awsFlowLogLines, CUSTOM_FIELDS, generateTraffic } from "../telemetry/generate/generate";

/** Figures of one import benchmark run. */
export interface ImportBenchResult {
  /** Records in the file. */
  records: number;
  /** Seconds the import took (gunzip, reading, aggregation, the workload). */
  seconds: number;
  /** Records per second read. */
  recordsPerSecond: number;
  /** Seconds `zcat FILE | wc -l` took. */
  zcatSeconds: number;
  /** Reader time / zcat time (1 = as fast as zcat | wc -l). */
  ratioToZcat: number;
  /** Peak RSS of the importing process, MB. */
  peakRssMb: number;
  /** Connections rebuilt. */
  connections: number;
}

/** Records the targets are stated for, and the default run. */
export const TARGET_RECORDS = 20_000_000;
/** At least this many records a second (2-core machine). */
export const TARGET_RECORDS_PER_SECOND = 1_000_000;
/** At most this peak RSS, MB, at {@link TARGET_RECORDS}. */
export const TARGET_PEAK_RSS_MB = 300;

/** Records in one block of generated traffic: larger files are written block after block. */
const BLOCK_RECORDS = 2_000_000;

/**
 * Writes about `records` gzip records to `file` and returns the count written. Traffic is generated
 * in blocks of about 2 M records (each its own seed, one after the other in time), so that writing
 * a large file holds one block's connections at a time.
 */
export function writeBenchLogs(file: string, records = 2_000_000): number {
  // 20 destinations × 7 connections/s, 20 s mean hold: about 4 legs × 1.3 windows per connection.
  const perSecond = 20 * 7 * 4 * 1.3;
  const seconds = Math.ceil(records / perSecond);
  const blockSeconds = Math.ceil(BLOCK_RECORDS / perSecond);
  const t0 = 1_767_225_600;
  const fd = openSync(file, "w");
  let batch: string[] = [];
  let n = 0;
  try {
    for (let from = 0, block = 0; from < seconds; from += blockSeconds, block++) {
      const truth = generateTraffic({
        durationSeconds: Math.min(blockSeconds, seconds - from),
        startEpochSeconds: t0 + from,
        seed: block + 1,
        ips: 2,
        streams: Array.from({ length: 20 }, (_, i) => ({
          address: `203.0.113.${i + 1}`,
          port: 443,
          connectionsPerSecond: 7,
          holdSeconds: 20,
          close: i % 4 === 0 ? ("rst" as const) : ("fin" as const),
        })),
      });
      let header = block > 0; // one header line, at the top
      // Delivered as S3 does: 5-minute files, records delayed and in no order within a file.
      for (const line of awsFlowLogLines(truth, { fields: CUSTOM_FIELDS, shuffleSeed: block + 1 })) {
        if (header) {
          header = false;
          continue;
        }
        batch.push(line);
        n++;
        if (batch.length === 50_000) {
          writeSync(fd, gzipSync(`${batch.join("\n")}\n`));
          batch = [];
        }
      }
    }
    if (batch.length > 0) writeSync(fd, gzipSync(`${batch.join("\n")}\n`));
  } finally {
    closeSync(fd);
  }
  return n - 1;
}

/**
 * The child process's program: imports `FILE` with the compiled package (`dist/`, what the `natcap`
 * command runs) and prints the figures as JSON.
 */
const MEASURE = `
const { aggregateAwsFlowLogs } = require(process.argv[1] + "/dist/telemetry/sources/aws/flow-logs.js");
const { buildWorkload } = require(process.argv[1] + "/dist/telemetry/sinks/workload-writer.js");
(async () => {
  const start = process.hrtime.bigint();
  const agg = await aggregateAwsFlowLogs([process.argv[2]]);
  buildWorkload(agg);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({
    records: agg.provenance.recordsRead,
    seconds,
    connections: agg.provenance.connections,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }));
})();
`;

/** Runs the import benchmark on a fresh temporary file and removes it afterwards. */
export function benchImport(records = TARGET_RECORDS): ImportBenchResult {
  const dir = mkdtempSync(join(tmpdir(), "natcap-bench-import-"));
  const file = join(dir, "flow-logs.log.gz");
  try {
    writeBenchLogs(file, records);
    const root = resolve(__dirname, "..");
    // The compiled package, as `natcap import` runs it (built afresh so that it is the code at hand).
    execFileSync(process.execPath, [
      require.resolve("typescript/bin/tsc"),
      "-p",
      join(root, "tsconfig.build.json"),
    ]);
    const out = execFileSync(process.execPath, ["-e", MEASURE, root, file], { encoding: "utf8" });
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

/** Lines for `npm run bench`: the figures, then the targets and whether this run meets them. */
export function formatImportBench(r: ImportBenchResult): string {
  const figures =
    `    ${r.records.toLocaleString("en-US")} records in ${r.seconds.toFixed(2)} s: ${Math.round(r.recordsPerSecond).toLocaleString("en-US")} records/s; ` +
    `zcat | wc -l ${r.zcatSeconds.toFixed(2)} s (import takes ${r.ratioToZcat.toFixed(1)}× as long); peak RSS ${r.peakRssMb.toFixed(0)} MB; ` +
    `${r.connections.toLocaleString("en-US")} connections`;
  const targets = `>= ${TARGET_RECORDS_PER_SECOND.toLocaleString("en-US")} records/s and <= ${TARGET_PEAK_RSS_MB} MB at ${TARGET_RECORDS / 1e6} M records`;
  // The generated file falls a little short of or beyond the count asked for.
  if (r.records < TARGET_RECORDS * 0.99)
    return `${figures}\n    targets: ${targets} (not judged on ${r.records.toLocaleString("en-US")} records)`;
  const speed = r.recordsPerSecond >= TARGET_RECORDS_PER_SECOND ? "met" : "MISSED";
  const memory = r.peakRssMb <= TARGET_PEAK_RSS_MB ? "met" : "MISSED";
  return `${figures}\n    targets: ${targets}: speed ${speed}, memory ${memory}`;
}

if (require.main === module) {
  const r = benchImport(Number(process.argv[2] ?? TARGET_RECORDS));
  console.log("(import) VPC Flow Logs, custom format, gzip (natcap import aws-flow-logs)");
  console.log(formatImportBench(r));
}
