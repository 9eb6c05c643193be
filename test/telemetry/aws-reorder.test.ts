// The reorder buffer's edges: the flow log's aggregation interval told from its records (which
// decides whether a connection quiet at the end is still open), a record whose window reaches back
// before connections already rebuilt, and times years apart.
import { describe, expect, it } from "vitest";
import { readAwsFlowLogs } from "../../telemetry/sources/aws/flow-logs";
import { tempDir, writeLines } from "./helpers";

const dir = tempDir();
const HEADER =
  "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status tcp-flags pkt-srcaddr pkt-dstaddr flow-direction az-id";
const T0 = 1_795_305_000;

/** A gateway→destination record of SNAT port `port` towards 198.51.100.7:443. */
function egress(start: number, end: number, flags: number, port: number): string {
  return `5 123456789012 eni-0a1b2c3d4e5f60001 10.0.0.10 198.51.100.7 ${port} 443 6 5 1000 ${T0 + start} ${T0 + end} ACCEPT OK ${flags} 10.0.0.10 198.51.100.7 egress use1-az1`;
}

/** The records of one connection without FIN or RST from `from` to `to`, one per `window` seconds. */
function windows(from: number, to: number, window: number, port: number): string[] {
  const out: string[] = [];
  for (let s = from; s <= to; s += window)
    out.push(egress(s, Math.min(to, s + window - 1), s === from ? 2 : 0, port));
  return out;
}

describe("the flow log's aggregation interval, told from its records", () => {
  it("with 10-minute records a connection last heard 310 s before the end is still open; with 1-minute records it went idle", async () => {
    const closes: Record<string, string> = {};
    for (const window of [60, 600]) {
      // Port 1000 goes quiet at 590 s; port 2000 keeps the logs going to 900 s.
      const lines = [...windows(0, 590, window, 1000), ...windows(300, 900, window, 2000)];
      const trace = await readAwsFlowLogs([writeLines(dir, `w${window}.log`, [HEADER, ...lines])]);
      expect(trace.recordIntervalSeconds, `${window} s windows`).toBe(window);
      const quiet = trace.connections.find((c) => c.start === 0)!;
      closes[window] = quiet.close;
      expect(quiet.end).toBe(590);
      expect(trace.connections.find((c) => c.start === 300)!.close).toBe("open");
    }
    expect(closes).toEqual({ 60: "idle", 600: "open" });
  });
});

describe("records the reorder buffer cannot take", () => {
  it("counts a record whose window reaches back before connections already rebuilt, with file and line", async () => {
    // The record at 5,000 s lets everything before 3,456 s be rebuilt (lateness 900 s + a 600 s
    // window, in 64 s epochs); the third ends within the lateness but starts at 1,000 s.
    const file = writeLines(dir, "reaching-back.log", [
      HEADER,
      egress(0, 0, 2, 1000),
      egress(5000, 5000, 2, 2000),
      egress(1000, 4950, 0, 3000),
    ]);
    const trace = await readAwsFlowLogs([file]);
    const skip = trace.skipped.find((s) => s.reason.startsWith("record reaching back"));
    expect(skip).toEqual(expect.objectContaining({ count: 1, firstAt: `${file}:4` }));
    expect(trace.connections.map((c) => c.start)).toEqual([0, 5000]);
  });

  it("reads records years apart at once (no epoch between them is visited)", async () => {
    const years = 10 * 365 * 86_400;
    const file = writeLines(dir, "years.log", [
      HEADER,
      egress(0, 0, 2, 1000),
      egress(years, years + 5, 3, 2000),
    ]);
    const started = Date.now();
    const trace = await readAwsFlowLogs([file]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(trace.connections.map((c) => [c.start, c.close])).toEqual([
      [0, "idle"],
      [years, "fin"],
    ]);
  });

  it("skips a record a century from the first (times beyond what the reader keeps), naming its line", async () => {
    const century = 100 * 365 * 86_400;
    const file = writeLines(dir, "century.log", [
      HEADER,
      egress(0, 0, 2, 1000),
      egress(century, century, 2, 2000),
      egress(10, 12, 1, 1000),
    ]);
    const trace = await readAwsFlowLogs([file]);
    expect(trace.skipped).toEqual([
      expect.objectContaining({
        reason: expect.stringContaining("68 years"),
        count: 1,
        firstAt: `${file}:3`,
      }),
    ]);
    expect(trace.connections.map((c) => [c.start, c.end, c.close])).toEqual([[0, 12, "fin"]]);
  });
});
