import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../core/errors";
import { simulate } from "../../sim/engine/simulate";
import { parseWorkload } from "../../sim/workload/workload";
import type { ObservedConnection } from "../../telemetry/reconstruct/connections";
import {
  aggregateConnections,
  aggregateTrace,
  emptyKindStats,
  type TraceAggregate,
} from "../../telemetry/sinks/aggregate";
import { buildWorkload } from "../../telemetry/sinks/workload-writer";
import { MIX, synthetic } from "./synthetic";

function traceAgg(
  connections: ObservedConnection[],
  duration: number,
  extra: Partial<TraceAggregate> = {},
): TraceAggregate {
  return {
    cloud: "aws",
    intervalSeconds: 60,
    startEpochSeconds: 0,
    durationSeconds: duration,
    gatewayIpCount: 0,
    endpoints: aggregateConnections(connections, { intervalSeconds: 60 }),
    provenance: {
      files: ["f.log"],
      recordsRead: 10,
      recordsUsed: 9,
      skipped: [],
      connections: connections.length,
      source: "local",
    },
    ...extra,
  };
}

describe("buildWorkload", () => {
  it("writes a workload that parses back, one destination per endpoint, one stream per close kind", () => {
    const s = synthetic(MIX, 1800, 4);
    const built = buildWorkload(aggregateTrace(s.trace, 60), { command: "natcap import aws-flow-logs" });
    const back = parseWorkload(built.yaml, "written.yaml");
    expect(back).toEqual(built.workload);
    expect(back.destinations.map((d) => d.name).sort()).toEqual(
      MIX.map((e) => `${e.address}:${e.port}/${e.protocol}`).sort(),
    );
    expect(back.gateway.ips).toBe(2);
    const tcp = back.traffic.filter((t) => t.to === "198.51.100.7:5432/tcp").map((t) => t.close);
    expect(tcp.sort()).toEqual(["fin", "idle", "rst"]);
    const udp = back.traffic.filter((t) => t.to === "192.0.2.53:53/udp");
    expect(udp.map((t) => t.close)).toEqual(["idle"]);
    expect(built.yaml.startsWith("# Workload built by natcap import aws-flow-logs")).toBe(true);
    expect(built.yaml).toMatch(/# time range: 2025-11-22T08:26:30Z to /);
    expect(built.yaml).toMatch(/# records: read [\d,]+, used [\d,]+, skipped 1/);
    expect(built.yaml).toMatch(/# {3}skipped 1: NODATA record \(first at synthetic.log:2\)/);
    expect(built.yaml).toMatch(
      /# {3}203\.0\.113\.10:443\/tcp: observed peak concurrency \d+, [\d,]+ connections, observed failures \d+/,
    );
    expect(built.yaml).toMatch(/hold lognormal mean [\d.]+ s sigma [\d.]+, KS 0\.\d+/);
  });

  it("keeps attempts: the written rates times time give the observed connections plus failures", () => {
    const s = synthetic(MIX, 1800, 5);
    const agg = aggregateTrace(s.trace, 60);
    const w = buildWorkload(agg).workload;
    for (const e of agg.endpoints) {
      const streams = w.traffic.filter((t) => t.to === e.endpoint);
      let attempts = 0;
      for (const t of streams) {
        const steps = t.schedule ?? [];
        const cuts = [0, ...steps.map((x) => x.atSeconds), w.durationSeconds];
        let m = 1;
        for (let i = 0; i + 1 < cuts.length; i++) {
          if (i > 0) m = steps[i - 1].multiplier;
          attempts += t.connectionsPerSecond * m * (cuts[i + 1] - cuts[i]);
        }
      }
      const observed = e.connections + e.failures;
      expect(Math.abs(attempts - observed) / observed).toBeLessThan(0.02);
    }
  });

  it("a simulation of the written workload sees about the observed attempts and peak", () => {
    const s = synthetic(MIX, 1800, 6);
    const agg = aggregateTrace(s.trace, 60);
    const r = simulate(buildWorkload(agg).workload);
    for (const e of agg.endpoints) {
      const d = r.destinations.find((x) => x.endpoint === e.endpoint)!;
      const observed = e.connections + e.failures;
      // Poisson counts: within 5 standard deviations of the observed total.
      expect(Math.abs(d.attempts - observed)).toBeLessThan(5 * Math.sqrt(observed) + 5);
    }
  });

  it("keeps the busiest endpoints and sums up the tail in one header note", () => {
    const cs: ObservedConnection[] = [];
    for (let i = 0; i < 30; i++) {
      for (let j = 0; j <= i; j++) {
        cs.push({
          address: `192.0.2.${i + 1}`,
          port: 443,
          protocol: "tcp",
          start: 0,
          end: 100,
          close: "fin",
          failed: false,
        });
      }
    }
    const built = buildWorkload(traceAgg(cs, 120), { top: 5 });
    expect(built.workload.destinations.map((d) => d.address)).toEqual([
      "192.0.2.30",
      "192.0.2.29",
      "192.0.2.28",
      "192.0.2.27",
      "192.0.2.26",
    ]);
    expect(built.yaml).toMatch(
      /# long tail left out: 25 endpoints, 325 connections, observed failures 0, peak concurrency at most 25 each/,
    );
    expect(buildWorkload(traceAgg(cs, 120), { top: 0 }).workload.destinations).toHaveLength(30);
  });

  it("compresses runs of equal multipliers and caps the schedule steps", () => {
    const cs: ObservedConnection[] = [];
    // 1 connection a second for 10 minutes, 5 a second for the next 10, then 1 again.
    for (let t = 0; t < 1800; t++) {
      const n = t >= 600 && t < 1200 ? 5 : 1;
      for (let k = 0; k < n; k++)
        cs.push({
          address: "192.0.2.1",
          port: 443,
          protocol: "tcp",
          start: t,
          end: t + 2,
          close: "fin",
          failed: false,
        });
    }
    const w = buildWorkload(traceAgg(cs, 1800)).workload;
    expect(w.traffic).toHaveLength(1);
    expect(w.traffic[0].connectionsPerSecond).toBeCloseTo(7 / 3, 3);
    expect(w.traffic[0].schedule).toEqual([
      { atSeconds: 0, multiplier: 0.429 },
      { atSeconds: 600, multiplier: 2.14 },
      { atSeconds: 1200, multiplier: 0.429 },
    ]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), (maxSteps) => {
        const built = buildWorkload(traceAgg(cs, 1800), { maxScheduleSteps: maxSteps });
        expect((built.workload.traffic[0].schedule ?? []).length).toBeLessThanOrEqual(maxSteps);
      }),
      { numRuns: 15 },
    );
  });

  it("shares failures among the streams of their interval", () => {
    const cs: ObservedConnection[] = [
      { address: "192.0.2.1", port: 443, protocol: "tcp", start: 0, end: 1, close: "fin", failed: false },
      { address: "192.0.2.1", port: 443, protocol: "tcp", start: 0, end: 0, close: "rst", failed: true },
      { address: "192.0.2.1", port: 443, protocol: "tcp", start: 1, end: 1, close: "rst", failed: true },
    ];
    const w = buildWorkload(traceAgg(cs, 60)).workload;
    expect(w.traffic.map((t) => [t.close, t.connectionsPerSecond])).toEqual([["fin", 0.05]]);
  });

  it("writes 1 gateway IP for logs that show none (Azure) and says so", () => {
    const cs: ObservedConnection[] = [
      { address: "192.0.2.1", port: 443, protocol: "tcp", start: 0, end: 3, close: "fin", failed: false },
    ];
    const built = buildWorkload(traceAgg(cs, 60, { cloud: "azure" }));
    expect(built.workload.cloud).toBe("azure");
    expect(built.workload.gateway.ips).toBe(1);
    expect(built.yaml).toMatch(/# gateway\.ips 1: the logs show no gateway IP; 1 assumed/);
    expect(buildWorkload(traceAgg(cs, 60), { ips: 6 }).yaml).toMatch(
      /# gateway\.ips 6: given on the command line/,
    );
  });

  it("says when there are no durations to fit (a Logs Insights or KQL result)", () => {
    const agg = traceAgg([], 120);
    agg.endpoints = [
      {
        address: "192.0.2.1",
        port: 443,
        protocol: "tcp",
        endpoint: "192.0.2.1:443/tcp",
        rows: [
          {
            intervalStart: 0,
            fin: 10,
            rst: 0,
            idle: 5,
            open: 0,
            failures: 0,
            peakConcurrency: 0,
            durations: emptyKindStats(),
          },
        ],
        durations: emptyKindStats(),
        connections: 15,
        failures: 0,
        peakConcurrency: 0,
      },
    ];
    const built = buildWorkload(agg);
    expect(built.workload.traffic.map((t) => [t.close, t.holdSeconds])).toEqual([
      ["fin", { distribution: "constant", value: 0 }],
      ["idle", { distribution: "constant", value: 0 }],
    ]);
    expect(built.yaml).toMatch(/hold constant 0 s: the input has no durations to fit/);
  });

  it("refuses aggregates with no connection at all", () => {
    expect(() => buildWorkload(traceAgg([], 60))).toThrow(ValidationError);
    expect(() => buildWorkload(traceAgg([], 60))).toThrow(/nothing to build a workload from/);
  });

  it("writes a valid workload for any small trace", () => {
    const arb = fc.array(
      fc.record({
        start: fc.integer({ min: 0, max: 900 }),
        d: fc.integer({ min: 0, max: 400 }),
        close: fc.constantFrom("fin", "rst", "idle", "open" as const),
        failed: fc.boolean(),
        udp: fc.boolean(),
        host: fc.integer({ min: 1, max: 4 }),
      }),
      { minLength: 1, maxLength: 40 },
    );
    fc.assert(
      fc.property(arb, (raw) => {
        const cs = raw
          .map(
            (r): ObservedConnection => ({
              address: `198.51.100.${r.host}`,
              port: 53,
              protocol: r.udp ? "udp" : "tcp",
              start: r.start,
              end: r.failed ? r.start : r.start + r.d,
              close: r.udp ? "idle" : r.close,
              failed: r.failed,
            }),
          )
          .sort((a, b) => a.start - b.start);
        const built = buildWorkload(traceAgg(cs, 1000), { maxScheduleSteps: 5 });
        expect(parseWorkload(built.yaml)).toEqual(built.workload);
      }),
      { numRuns: 60 },
    );
  });
});
