import { describe, expect, it } from "vitest";
import { ValidationError } from "../../core/errors";
import { simulate } from "../../sim/engine/simulate";
import type { SimulationResult } from "../../sim/result/result";
import { aggregateTrace, type TraceAggregate } from "../../telemetry/sinks/aggregate";
import { buildWorkload } from "../../telemetry/sinks/workload-writer";
import {
  calibrate,
  readAzureMetrics,
  readCloudWatchMetrics,
  readResult,
} from "../../telemetry/sources/metrics/metrics";
import { MIX, synthetic } from "./synthetic";

/** What `aws cloudwatch get-metric-data` would print for the gateway that carried this trace. */
function cloudWatchJson(agg: TraceAggregate) {
  const minutes = new Map<number, { attempts: number; errors: number; active: number }>();
  for (const e of agg.endpoints) {
    for (const r of e.rows) {
      const m = minutes.get(r.intervalStart) ?? { attempts: 0, errors: 0, active: 0 };
      m.attempts += r.fin + r.rst + r.idle + r.open + r.failures;
      m.errors += r.failures;
      m.active += r.peakConcurrency; // sum of per-endpoint peaks: an upper bound of the gateway's
      minutes.set(r.intervalStart, m);
    }
  }
  const ts = [...minutes.keys()].sort((a, b) => a - b);
  const series = (
    id: string,
    label: string,
    pick: (m: { attempts: number; errors: number; active: number }) => number,
  ) => ({
    Id: id,
    Label: label,
    Timestamps: ts.map((t) => new Date(t * 1000).toISOString()).reverse(),
    Values: ts.map((t) => pick(minutes.get(t)!)).reverse(),
    StatusCode: "Complete",
  });
  return {
    MetricDataResults: [
      series("attempts", "ConnectionAttemptCount", (m) => m.attempts),
      series("active", "ActiveConnectionCount", (m) => m.active),
      series("errors", "ErrorPortAllocation", (m) => m.errors),
    ],
    Messages: [],
  };
}

describe("CloudWatch metrics cross-check", () => {
  it("a workload built from the same traffic reproduces the recorded attempts per minute", () => {
    const s = synthetic(MIX, 1800, 7);
    const agg = aggregateTrace(s.trace, 60);
    const recorded = readCloudWatchMetrics(cloudWatchJson(agg), "metrics.json");
    const observed = agg.endpoints.reduce((n, e) => n + e.connections + e.failures, 0);
    expect(recorded.attempts).toBe(observed);
    expect(recorded.periodSeconds).toBe(60);
    const c = calibrate(recorded, simulate(buildWorkload(agg).workload));
    const attempts = c.rows.find((r) => r.figure === "attempts per minute")!;
    expect(Math.abs(attempts.differencePercent!)).toBeLessThan(5);
    expect(c.lines[0]).toMatch(
      /^The model reproduces the recorded attempts per minute within \d+\.\d% .*; peak active within/,
    );
    expect(c.lines[0]).toMatch(/errors: recorded \d+, model 0/);
  });

  it("reports a recorded 0 as a count, not a percentage", () => {
    const result = {
      durationSeconds: 60,
      totals: { attempts: 60, portAllocationErrors: 3, idleTimeouts: 0, peakConnections: 5 },
    } as SimulationResult;
    const c = calibrate(
      {
        cloud: "aws",
        fromEpochSeconds: 0,
        toEpochSeconds: 60,
        periodSeconds: 60,
        attempts: 30,
        errors: 0,
        peakActive: 10,
        idleTimeouts: 0,
      },
      result,
    );
    expect(c.rows).toEqual([
      { figure: "attempts per minute", recorded: 30, model: 60, differencePercent: 100 },
      { figure: "peak active connections", recorded: 10, model: 5, differencePercent: -50 },
      { figure: "port-allocation errors", recorded: 0, model: 3, differencePercent: undefined },
      { figure: "idle timeouts", recorded: 0, model: 0, differencePercent: undefined },
    ]);
  });

  it("names the file and field of a wrong shape", () => {
    expect(() => readCloudWatchMetrics({ Datapoints: [] }, "m.json")).toThrow(ValidationError);
    expect(() => readCloudWatchMetrics({ Datapoints: [] }, "m.json")).toThrow(
      /m\.json: MetricDataResults: .*get-metric-data/,
    );
    expect(() =>
      readCloudWatchMetrics(
        { MetricDataResults: [{ Id: "a", Label: "ConnectionAttemptCount", Timestamps: ["x"], Values: [1] }] },
        "m.json",
      ),
    ).toThrow(/MetricDataResults\[0\]\.Timestamps\[0\].*not a date-time/);
    expect(() =>
      readCloudWatchMetrics(
        {
          MetricDataResults: [
            { Id: "a", Label: "ConnectionAttemptCount", Timestamps: ["2026-01-01T00:00:00Z"], Values: [-1] },
          ],
        },
        "m.json",
      ),
    ).toThrow(/Values\[0\].*0 or more/);
    expect(() =>
      readCloudWatchMetrics(
        { MetricDataResults: [{ Id: "cpu", Label: "CPUUtilization", Timestamps: [], Values: [] }] },
        "m.json",
      ),
    ).toThrow(/no data for ActiveConnectionCount/);
  });
});

describe("Azure Monitor metrics", () => {
  const az = {
    interval: "PT1M",
    value: [
      {
        name: { value: "SNATConnectionCount" },
        timeseries: [
          {
            metadatavalues: [{ name: { value: "connectionstate" }, value: "Attempted" }],
            data: [
              { timeStamp: "2026-11-20T10:00:00Z", total: 120 },
              { timeStamp: "2026-11-20T10:01:00Z", total: 180 },
            ],
          },
          {
            metadatavalues: [{ name: { value: "connectionstate" }, value: "Failed" }],
            data: [
              { timeStamp: "2026-11-20T10:00:00Z", total: 0 },
              { timeStamp: "2026-11-20T10:01:00Z", total: 4 },
            ],
          },
        ],
      },
      {
        name: { value: "TotalConnectionCount" },
        timeseries: [
          {
            metadatavalues: [],
            data: [
              { timeStamp: "2026-11-20T10:00:00Z", maximum: 900 },
              { timeStamp: "2026-11-20T10:01:00Z", maximum: 950 },
            ],
          },
        ],
      },
    ],
  };

  it("sums Attempted and Failed and takes the largest TotalConnectionCount", () => {
    expect(readAzureMetrics(az, "az.json")).toEqual({
      cloud: "azure",
      fromEpochSeconds: Date.parse("2026-11-20T10:00:00Z") / 1000,
      toEpochSeconds: Date.parse("2026-11-20T10:02:00Z") / 1000,
      periodSeconds: 60,
      attempts: 300,
      peakActive: 950,
      errors: 4,
    });
  });

  it("refuses SNATConnectionCount not split by ConnectionState, and a wrong shape", () => {
    const unsplit = {
      value: [
        {
          name: { value: "SNATConnectionCount" },
          timeseries: [{ data: [{ timeStamp: "2026-11-20T10:00:00Z", total: 1 }] }],
        },
      ],
    };
    expect(() => readAzureMetrics(unsplit, "az.json")).toThrow(/ConnectionState/);
    expect(() => readAzureMetrics([], "az.json")).toThrow(/az\.json: value: .*az monitor metrics list/);
    expect(() => readAzureMetrics({ value: [] }, "az.json")).toThrow(/no data points/);
  });

  it("reads a JSON result and refuses something else", () => {
    const r = {
      durationSeconds: 60,
      totals: { attempts: 1, portAllocationErrors: 0, idleTimeouts: 0, peakConnections: 1 },
    };
    expect(readResult([r], "r.json").totals.attempts).toBe(1);
    expect(() => readResult({ cloud: "aws" }, "r.json")).toThrow(/r\.json: \(result\)/);
  });
});
