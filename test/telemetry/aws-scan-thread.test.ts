// Large VPC Flow Logs files are scanned on a worker thread (text-scan-thread.ts). The reader must
// come out the same as when it scans on the calling thread: the same batches, the same connections,
// the same skips, a truncated file cut off at the same line.
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { awsFlowLogLines, CUSTOM_FIELDS, generateTraffic } from "../../telemetry/generate/generate";
import { type RecordBatch, RecordClassifier, ROW, SPARE_BATCHES } from "../../telemetry/sources/aws/classify";
import { readAwsFlowLogs } from "../../telemetry/sources/aws/flow-logs";
import { parseFormat } from "../../telemetry/sources/aws/format";
import { scanTextFile } from "../../telemetry/sources/aws/text-scan";
import {
  BATCHES_OUT,
  garbageCollector,
  TextScanThread,
  THREAD_FROM_BYTES,
} from "../../telemetry/sources/aws/text-scan-thread";
import { tempDir } from "./helpers";

const dir = tempDir();

/** About 1.6 MB of shuffled custom-format records (2 NAT IPs), with a few broken lines among them. */
function logLines(): { header: string; records: string[] } {
  const truth = generateTraffic({
    durationSeconds: 900,
    seed: 7,
    ips: 2,
    streams: [
      { address: "203.0.113.5", port: 443, connectionsPerSecond: 3, holdSeconds: 20 },
      { address: "203.0.113.6", port: 53, protocol: "udp", connectionsPerSecond: 2, holdSeconds: 2 },
    ],
  });
  const [header, ...records] = awsFlowLogLines(truth, { fields: CUSTOM_FIELDS, shuffleSeed: 7 });
  for (let i = 100; i < records.length; i += 997)
    records[i] = records[i].replace(" ACCEPT ", " ACCEPT extra ");
  return { header, records };
}

/** What a batch says, its rows as plain numbers (NaN kept as null by the comparison). */
function summary(b: RecordBatch) {
  return {
    rows: Array.from(b.rows.subarray(0, b.count * ROW)),
    read: b.read,
    withoutPkt: b.withoutPkt,
    skipped: [...b.skipped],
    interfaces: b.interfaces,
  };
}

describe("scanning on a worker thread", () => {
  const { header, records } = logLines();
  const big = join(dir, "big.log");
  writeFileSync(big, `${[header, ...records].join("\n")}\n`);
  // The same records in four files, each small enough to be scanned on the calling thread.
  const parts = join(dir, "parts");
  mkdirSync(parts);
  const quarter = Math.ceil(records.length / 4);
  for (let p = 0; p < 4; p++) {
    const slice = records.slice(p * quarter, (p + 1) * quarter);
    writeFileSync(join(parts, `part-${p}.log`), `${[header, ...slice].join("\n")}\n`);
  }

  it("keeps every batch the thread may have out for reuse (none is allocated afresh)", () => {
    expect(BATCHES_OUT).toBeLessThan(SPARE_BATCHES);
  });

  it("gets the thread a garbage collector that runs, and leaves no other context one", () => {
    const gc = garbageCollector();
    expect(typeof gc).toBe("function");
    const before = process.memoryUsage().arrayBuffers;
    (() => Buffer.alloc(32 << 20, 1))(); // dead at once
    expect(process.memoryUsage().arrayBuffers).toBeGreaterThanOrEqual(before + (32 << 20));
    gc!();
    // The 32 MiB buffer is gone at once: no collection of its own would have run yet.
    expect(process.memoryUsage().arrayBuffers).toBeLessThan(before + (16 << 20));
    expect(runInNewContext("typeof gc")).toBe("undefined");
  });

  it("the test files straddle the size that sends a file to the thread", () => {
    expect(statSync(big).size).toBeGreaterThanOrEqual(THREAD_FROM_BYTES);
    for (let p = 0; p < 4; p++)
      expect(statSync(join(parts, `part-${p}.log`)).size).toBeLessThan(THREAD_FROM_BYTES);
  });

  it("hands out the same batches, in the same order, as scanning on the calling thread", async () => {
    const fallback = parseFormat(CUSTOM_FIELDS);
    const inline: ReturnType<typeof summary>[] = [];
    await scanTextFile(big, false, fallback, new RecordClassifier(), (b) => {
      inline.push(summary(b));
      return true;
    });
    const thread = TextScanThread.start({ fields: CUSTOM_FIELDS });
    expect(thread, "the worker's code is found from the sources").toBeDefined();
    const threaded: ReturnType<typeof summary>[] = [];
    try {
      const scan = await thread!.scan(big, false, (b) => threaded.push(summary(b)));
      expect(scan.brokenOff).toBeUndefined();
    } finally {
      await thread!.close();
    }
    expect(threaded.length).toBeGreaterThan(1);
    expect(threaded).toEqual(inline);
  });

  it("rebuilds the same connections and counts the same skips from one large file as from small ones", async () => {
    const one = await readAwsFlowLogs([big]);
    const four = await readAwsFlowLogs([parts]);
    expect(one.connections.length).toBeGreaterThan(1000);
    expect(one.connections).toEqual(four.connections);
    expect(one.recordsRead).toBe(records.length);
    expect(one.recordsRead).toBe(four.recordsRead);
    const reasons = (t: typeof one) => t.skipped.map((s) => [s.reason, s.count]).sort();
    expect(reasons(one)).toEqual(reasons(four));
    expect(reasons(one).some(([r]) => String(r).startsWith("wrong number of fields"))).toBe(true);
  });

  it("reports a truncated large gzip at the line it broke off, keeping the records before", async () => {
    const gz = gzipSync(readFileSync(big));
    const cut = join(dir, "cut.log.gz");
    writeFileSync(cut, gz.subarray(0, Math.floor(gz.length * 0.9)));
    expect(statSync(cut).size).toBeGreaterThanOrEqual(THREAD_FROM_BYTES / 4);
    const whole = join(dir, "whole-then-cut");
    mkdirSync(whole);
    // A large file first, so that the thread is started and also reads the truncated one.
    writeFileSync(join(whole, "a.log"), readFileSync(big));
    writeFileSync(join(whole, "b.log.gz"), gz.subarray(0, Math.floor(gz.length * 0.9)));
    const trace = await readAwsFlowLogs([whole]);
    const truncated = trace.skipped.find((s) => s.reason.startsWith("truncated gzip"));
    expect(truncated?.firstAt).toContain("b.log.gz:");
    expect(trace.recordsRead).toBeGreaterThan(records.length);
    expect(trace.recordsRead).toBeLessThan(2 * records.length);
  });
});
