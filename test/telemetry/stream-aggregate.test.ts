import { resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { awsFlowLogLines, CUSTOM_FIELDS, generateTraffic } from "../../telemetry/generate/generate";
import {
  CLOSE_CODES,
  type ConnectionTrace,
  type EndpointRef,
  type ObservedConnection,
} from "../../telemetry/reconstruct/connections";
import { replayTrace } from "../../telemetry/replay/replay";
import {
  aggregateConnections,
  aggregateTrace,
  type EndpointAggregate,
} from "../../telemetry/sinks/aggregate";
import { addDuration, emptyStats, histogramKey } from "../../telemetry/sinks/duration-stats";
import { fitHold, holdCdf } from "../../telemetry/sinks/fit";
import { StreamAggregator } from "../../telemetry/sinks/stream-aggregate";
import { aggregateAwsFlowLogs, readAwsFlowLogs } from "../../telemetry/sources/aws/flow-logs";
import { tempDir, writeLines } from "./helpers";

/**
 * An aggregate with its floating-point sums rounded to 12 significant digits and histograms as
 * sorted pairs: connections closed later are summed in another order, which moves the last bits.
 */
function normalized(endpoints: EndpointAggregate[]): unknown {
  return JSON.parse(
    JSON.stringify(endpoints, (_, v) =>
      v instanceof Map
        ? [...v].sort((a, b) => a[0] - b[0])
        : typeof v === "number" && !Number.isInteger(v)
          ? Number(v.toPrecision(12))
          : v,
    ),
  );
}

const ENDPOINTS: EndpointRef[] = [
  { address: "203.0.113.10", port: 443, protocol: "tcp" },
  { address: "203.0.113.11", port: 636, protocol: "tcp" },
  { address: "198.51.100.5", port: 53, protocol: "udp" },
];

/** Random connections sorted by start; `late` marks those handed to the sink while still open. */
const connections = fc
  .array(
    fc.record({
      start: fc.integer({ min: 0, max: 900 }),
      length: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 2000 })),
      endpoint: fc.integer({ min: 0, max: 2 }),
      close: fc.constantFrom(...CLOSE_CODES),
      failed: fc.boolean(),
      late: fc.boolean(),
    }),
    { maxLength: 120 },
  )
  .map((xs) => xs.sort((a, b) => a.start - b.start));

describe("StreamAggregator", () => {
  it("property: aggregates connections handed in start order, some opened before their end is known, as aggregateConnections does", () => {
    fc.assert(
      fc.property(connections, fc.constantFrom(1, 60, 300), (xs, interval) => {
        const epoch = 1_767_225_600;
        const objects: ObservedConnection[] = xs.map((x) => ({
          ...ENDPOINTS[x.endpoint],
          start: x.start,
          end: x.failed ? x.start : x.start + x.length,
          close: x.close,
          failed: x.failed,
        }));
        const sink = new StreamAggregator(ENDPOINTS, epoch, interval);
        // Connections opened while going on: closed before any later start passes their end.
        let open: { handle: number; end: number; close: number }[] = [];
        const closeBefore = (t: number) => {
          const [now, later] = [open.filter((o) => o.end < t), open.filter((o) => o.end >= t)];
          for (const o of now.reverse()) sink.close(o.handle, o.end, o.close);
          open = later;
        };
        xs.forEach((x, i) => {
          const c = objects[i];
          closeBefore(c.start);
          const code = CLOSE_CODES.indexOf(c.close);
          if (x.late && !c.failed)
            open.push({ handle: sink.open(x.endpoint, c.start), end: c.end, close: code });
          else sink.add(x.endpoint, c.start, c.end, code, c.failed);
        });
        closeBefore(Number.POSITIVE_INFINITY);
        expect(sink.count).toBe(xs.length);
        expect(normalized(sink.result())).toEqual(
          normalized(aggregateConnections(objects, { intervalSeconds: interval, startEpochSeconds: epoch })),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe("flow logs aggregated while read", () => {
  // Two hours with connections far longer than the reader's sweep lag (they are handed out open),
  // failures (a 1-IP gateway whose per-IP limit overflows) and UDP.
  const truth = generateTraffic({
    durationSeconds: 7200,
    ips: 1,
    perIpLimit: 120,
    streams: [
      { address: "203.0.113.10", port: 443, connectionsPerSecond: 8, holdSeconds: 20, close: "fin" },
      { address: "203.0.113.11", port: 636, connectionsPerSecond: 0.05, holdSeconds: 4000, close: "rst" },
      { address: "203.0.113.12", port: 80, connectionsPerSecond: 0.05, holdSeconds: 3000, close: "idle" },
      { address: "198.51.100.5", port: 53, protocol: "udp", connectionsPerSecond: 1, holdSeconds: 2 },
    ],
  });
  const file = writeLines(tempDir(), "long.log.gz", awsFlowLogLines(truth, { fields: CUSTOM_FIELDS }));

  it("gives the aggregation of the connections read whole, and rebuilds every connection and failure", async () => {
    const trace = await readAwsFlowLogs([file]);
    expect(trace.recordsRead).toBeGreaterThan(2 * 65_536); // the reader swept twice or more
    expect(trace.connections).toHaveLength(truth.length);
    expect(trace.connections.filter((c) => c.failed)).toHaveLength(truth.filter((c) => c.failed).length);
    // Some connections outlived the sweep lag and a flow-log window: they were handed out open.
    expect(trace.connections.some((c) => !c.failed && c.end - c.start > 2750)).toBe(true);
    const streamed = await aggregateAwsFlowLogs([file], {}, 60);
    const whole = aggregateTrace(trace, 60);
    expect({ ...streamed, endpoints: normalized(streamed.endpoints) }).toEqual({
      ...whole,
      endpoints: normalized(whole.endpoints),
    });
  });

  it("fits holds from the streamed duration histogram as from every duration (KS within 1e-12 at whole-second durations)", async () => {
    const trace = await readAwsFlowLogs([file]);
    const streamed = await aggregateAwsFlowLogs([file], {}, 60);
    const e = streamed.endpoints.find((x) => x.endpoint === "203.0.113.10:443/tcp")!;
    const durations = trace.connections
      .filter((c) => !c.failed && c.close === "fin" && c.address === "203.0.113.10")
      .map((c) => c.end - c.start);
    const stats = emptyStats();
    for (const d of durations) addDuration(stats, d);
    // Connections handed out open are tallied when they close: the sums of logarithms are added in
    // another order, equal to rounding.
    const { sumLog, sumLogSq, ...exact } = e.durations.fin;
    expect(exact).toEqual({ count: stats.count, sum: stats.sum, sumSq: stats.sumSq });
    expect(sumLog).toBeCloseTo(stats.sumLog, 8);
    expect(sumLogSq).toBeCloseTo(stats.sumLogSq, 8);
    const fit = fitHold(e.durations.fin, e.histogram!.fin)!;
    // KS over every duration, without a histogram: the empirical CDF just below and at each one.
    const sorted = durations.map((d) => histogramKey(d)).sort((a, b) => a - b);
    let ks = 0;
    for (let i = 0; i < sorted.length; i++) {
      if (i + 1 < sorted.length && sorted[i + 1] === sorted[i]) continue;
      const first = sorted.indexOf(sorted[i]);
      const f = holdCdf(fit.hold, sorted[i]);
      const below = holdCdf(fit.hold, sorted[i] - 1e-9);
      ks = Math.max(ks, Math.abs(below - first / sorted.length), Math.abs((i + 1) / sorted.length - f));
    }
    expect(Math.abs(fit.ks! - ks)).toBeLessThan(1e-12);
    expect(e.histogram!.fin.size).toBeLessThan(durations.length / 10); // bounded: one bin per whole second
  });
});

describe("replay from the columnar store", () => {
  const samples = resolve(__dirname, "../../examples/telemetry");
  for (const dir of ["aws-custom", "aws-default"]) {
    it(`gives the same result as replay from connection objects on the sample set (${dir})`, async () => {
      const trace = await readAwsFlowLogs([resolve(samples, dir)]);
      expect(trace.store?.length).toBe(trace.connections.length);
      const objects: ConnectionTrace = {
        cloud: trace.cloud,
        startEpochSeconds: trace.startEpochSeconds,
        durationSeconds: trace.durationSeconds,
        connections: trace.connections.map((c) => ({ ...c })),
        gatewayIps: trace.gatewayIps,
        files: trace.files,
        recordsRead: trace.recordsRead,
        recordsUsed: trace.recordsUsed,
        skipped: trace.skipped,
      };
      for (const ips of [1, 2]) {
        const options = { ips, perIpDestinationLimit: 120, series: true };
        expect(JSON.stringify(replayTrace(trace, options))).toBe(
          JSON.stringify(replayTrace(objects, options)),
        );
      }
    });
  }
});
