import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../core/errors";
import type { ObservedClose, ObservedConnection } from "../../telemetry/reconstruct/connections";
import { aggregateConnections, aggregateTrace, rowConnections } from "../../telemetry/sinks/aggregate";
import { MIX, synthetic } from "./synthetic";

const conn = (
  start: number,
  end: number,
  close: ObservedClose = "fin",
  failed = false,
): ObservedConnection => ({
  address: "203.0.113.10",
  port: 443,
  protocol: "tcp",
  start,
  end,
  close,
  failed,
});

/** Most connections open at once during [from, to): brute force over every second. */
function brutePeak(cs: ObservedConnection[], from: number, to: number): number {
  let peak = 0;
  for (let t = from; t < to; t++) {
    peak = Math.max(peak, cs.filter((c) => !c.failed && c.start <= t && t <= c.end).length);
  }
  return peak;
}

describe("aggregateConnections", () => {
  it("counts new connections by close kind and failures in the interval they start", () => {
    const [e] = aggregateConnections(
      [
        conn(0, 5),
        conn(10, 70, "rst"),
        conn(30, 30, "idle", true),
        conn(61, 100, "idle"),
        conn(62, 62, "open"),
      ],
      { intervalSeconds: 60 },
    );
    expect(e.rows.map((r) => [r.intervalStart, r.fin, r.rst, r.idle, r.open, r.failures])).toEqual([
      [0, 1, 1, 0, 0, 1],
      [60, 0, 0, 1, 1, 0],
    ]);
    expect(e.connections).toBe(4);
    expect(e.failures).toBe(1);
    expect(e.peakConcurrency).toBe(3);
    expect(e.durations.fin.count).toBe(1);
    expect(e.durations.rst.sum).toBe(60);
  });

  it("gives a 0 s duration the 0.5 s continuity correction", () => {
    const [e] = aggregateConnections([conn(0, 0)]);
    expect(e.durations.fin.sum).toBe(0.5);
    expect(e.durations.fin.sumLog).toBeCloseTo(Math.log(0.5), 12);
  });

  it("aligns intervals to Unix time", () => {
    const [e] = aggregateConnections([conn(0, 1), conn(45, 46)], {
      intervalSeconds: 60,
      startEpochSeconds: 1000,
    });
    expect(e.rows.map((r) => r.intervalStart)).toEqual([960, 1020]);
  });

  it("refuses connections out of start order, naming the index", () => {
    expect(() => aggregateConnections([conn(5, 6), conn(4, 6)])).toThrow(ValidationError);
    expect(() => aggregateConnections([conn(5, 6), conn(4, 6)])).toThrow(/connections\[1\]\.start/);
  });

  it("keeps the peak concurrency per interval equal to a brute-force count, carried-in connections included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 200 }), fc.boolean()), {
          maxLength: 60,
        }),
        (raw) => {
          const cs = raw
            .map(([s, d, failed]) => conn(s, failed ? s : s + d, "fin", failed && d % 3 === 0))
            .sort((a, b) => a.start - b.start);
          const eps = aggregateConnections(cs, { intervalSeconds: 60 });
          if (cs.length === 0) {
            expect(eps).toEqual([]);
            return;
          }
          const [e] = eps;
          expect(e.peakConcurrency).toBe(brutePeak(cs, 0, 600));
          for (const r of e.rows)
            expect(r.peakConcurrency).toBe(brutePeak(cs, r.intervalStart, r.intervalStart + 60));
          expect(e.rows.reduce((s, r) => s + rowConnections(r), 0)).toBe(cs.filter((c) => !c.failed).length);
        },
      ),
    );
  });

  it("puts the busiest endpoint (by peak concurrency) first and keeps the trace's provenance", () => {
    const s = synthetic(MIX, 600, 3);
    const agg = aggregateTrace(s.trace, 60);
    expect(agg.endpoints.map((e) => e.endpoint)[0]).toBe("198.51.100.7:5432/tcp");
    for (let i = 1; i < agg.endpoints.length; i++) {
      expect(agg.endpoints[i - 1].peakConcurrency).toBeGreaterThanOrEqual(agg.endpoints[i].peakConcurrency);
    }
    expect(agg.provenance.connections).toBe(s.trace.connections.length);
    expect(agg.gatewayIpCount).toBe(2);
  });
});
