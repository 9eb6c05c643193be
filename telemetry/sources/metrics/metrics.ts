/**
 * Gateway metrics as a cross-check of a model: what `aws cloudwatch get-metric-data` prints for a NAT
 * gateway (AWS/NATGateway ActiveConnectionCount, ConnectionAttemptCount, ErrorPortAllocation,
 * IdleTimeoutCount) or `az monitor metrics list` prints for an Azure NAT gateway (SNATConnectionCount
 * by ConnectionState Attempted/Failed, TotalConnectionCount), summed up over the window and compared
 * with a simulation or replay result of the same window.
 *
 * Figures compared (docs/telemetry.md): attempts per minute (mean over the window), peak active
 * connections (the largest recorded value — a per-period maximum, so it cannot see shorter peaks),
 * port-allocation errors (a count; a percentage of 0 means nothing), idle timeouts (AWS only).
 *
 * @module
 */
import { show, ValidationError } from "../../../core/errors";
import type { SimulationResult } from "../../../sim/result/result";

/** Metrics summed up over their window. */
export interface RecordedMetrics {
  /** Which cloud's metrics. */
  cloud: "aws" | "azure";
  /** Unix seconds of the first data point. */
  fromEpochSeconds: number;
  /** Unix seconds just after the last period. */
  toEpochSeconds: number;
  /** Data-point period in seconds (the smallest gap between points; 60 when there is one point). */
  periodSeconds: number;
  /** New connections attempted over the window (undefined when the file has no such metric). */
  attempts?: number;
  /** Largest active-connection value recorded. */
  peakActive?: number;
  /** Port-allocation errors over the window. */
  errors?: number;
  /** Idle timeouts over the window (AWS). */
  idleTimeouts?: number;
}

/** One compared figure. */
export interface CalibrationRow {
  /** What is compared. */
  figure: "attempts per minute" | "peak active connections" | "port-allocation errors" | "idle timeouts";
  /** From the metrics. */
  recorded: number;
  /** From the model's result. */
  model: number;
  /** (model − recorded) / recorded × 100; undefined when recorded is 0. */
  differencePercent?: number;
}

/** The cross-check. */
export interface Calibration {
  /** The metrics' window and figures. */
  recorded: RecordedMetrics;
  /** One row per figure both sides have. */
  rows: CalibrationRow[];
  /** A one-sentence summary and any caveats, one per line. */
  lines: string[];
}

function fail(file: string, path: string, value: unknown, message: string): never {
  throw new ValidationError([{ path: `${file}: ${path}`, value, message }], "natcap import");
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function epoch(file: string, path: string, t: unknown): number {
  const ms = typeof t === "string" ? Date.parse(t) : Number.NaN;
  if (!Number.isFinite(ms)) fail(file, path, t, "is not a date-time (ISO 8601, e.g. 2026-11-20T10:00:00Z)");
  return ms / 1000;
}

/** Smallest positive gap between sorted times, or 60. */
function periodOf(times: number[]): number {
  const sorted = [...new Set(times)].sort((a, b) => a - b);
  let p = Number.POSITIVE_INFINITY;
  for (let i = 1; i < sorted.length; i++) p = Math.min(p, sorted[i] - sorted[i - 1]);
  return Number.isFinite(p) ? p : 60;
}

const AWS_METRICS = {
  activeconnectioncount: "active",
  connectionattemptcount: "attempts",
  errorportallocation: "errors",
  idletimeoutcount: "idle",
} as const;

/**
 * Reads `aws cloudwatch get-metric-data` output. A result is recognised by its Label (the metric name
 * by default) or Id containing the metric's name, case and punctuation ignored.
 *
 * @throws {ValidationError} naming the file and field when the JSON has the wrong shape or none of the
 *   four metrics.
 */
export function readCloudWatchMetrics(data: unknown, file: string): RecordedMetrics {
  if (!isObject(data) || !Array.isArray(data.MetricDataResults)) {
    fail(
      file,
      "MetricDataResults",
      isObject(data) ? data.MetricDataResults : data,
      "expected the output of `aws cloudwatch get-metric-data` (an object with a MetricDataResults array)",
    );
  }
  const times: number[] = [];
  const found: Partial<Record<(typeof AWS_METRICS)[keyof typeof AWS_METRICS], number[]>> = {};
  data.MetricDataResults.forEach((r: unknown, i: number) => {
    const at = `MetricDataResults[${i}]`;
    if (!isObject(r)) fail(file, at, r, "expected an object with Id, Label, Timestamps, Values");
    const name = `${String(r.Label ?? "")} ${String(r.Id ?? "")}`.toLowerCase().replace(/[^a-z]/g, "");
    const key = Object.entries(AWS_METRICS).find(([m]) => name.includes(m))?.[1];
    if (!key) return;
    if (!Array.isArray(r.Timestamps) || !Array.isArray(r.Values) || r.Timestamps.length !== r.Values.length) {
      fail(file, `${at}.Values`, r.Values, "expected Timestamps and Values arrays of the same length");
    }
    const values = r.Values.map((v: unknown, j: number) => {
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
        fail(file, `${at}.Values[${j}]`, v, "is not a number of 0 or more");
      return v;
    });
    r.Timestamps.forEach((t: unknown, j: number) => {
      times.push(epoch(file, `${at}.Timestamps[${j}]`, t));
    });
    found[key] = [...(found[key] ?? []), ...values];
  });
  if (Object.keys(found).length === 0 || times.length === 0) {
    fail(
      file,
      "MetricDataResults",
      data.MetricDataResults.map((r: Record<string, unknown>) => r?.Label ?? r?.Id),
      "has no data for ActiveConnectionCount, ConnectionAttemptCount, ErrorPortAllocation or IdleTimeoutCount (Label or Id must name the metric)",
    );
  }
  const period = periodOf(times);
  const sum = (v?: number[]) => (v ? v.reduce((a, b) => a + b, 0) : undefined);
  return {
    cloud: "aws",
    fromEpochSeconds: Math.min(...times),
    toEpochSeconds: Math.max(...times) + period,
    periodSeconds: period,
    attempts: sum(found.attempts),
    peakActive: found.active ? Math.max(...found.active) : undefined,
    errors: sum(found.errors),
    idleTimeouts: sum(found.idle),
  };
}

/**
 * Reads `az monitor metrics list` output (value[].name.value, timeseries[].metadatavalues,
 * timeseries[].data[].timeStamp/total/maximum) for SNATConnectionCount (split by ConnectionState
 * Attempted / Failed) and TotalConnectionCount.
 *
 * @throws {ValidationError} naming the file and field when the JSON has the wrong shape or neither metric.
 */
export function readAzureMetrics(data: unknown, file: string): RecordedMetrics {
  if (!isObject(data) || !Array.isArray(data.value)) {
    fail(
      file,
      "value",
      isObject(data) ? data.value : data,
      "expected the output of `az monitor metrics list` (an object with a value array)",
    );
  }
  const times: number[] = [];
  let attempts: number | undefined;
  let errors: number | undefined;
  let peak: number | undefined;
  data.value.forEach((m: unknown, i: number) => {
    const at = `value[${i}]`;
    if (!isObject(m) || !isObject(m.name) || !Array.isArray(m.timeseries)) {
      fail(file, at, m, "expected an object with name.value and a timeseries array");
    }
    const metric = String(m.name.value).toLowerCase();
    if (metric !== "snatconnectioncount" && metric !== "totalconnectioncount") return;
    m.timeseries.forEach((ts: unknown, j: number) => {
      const tat = `${at}.timeseries[${j}]`;
      if (!isObject(ts) || !Array.isArray(ts.data))
        fail(file, tat, ts, "expected an object with a data array");
      const state = (Array.isArray(ts.metadatavalues) ? ts.metadatavalues : [])
        .filter(
          (d: unknown) =>
            isObject(d) && isObject(d.name) && String(d.name.value).toLowerCase() === "connectionstate",
        )
        .map((d: Record<string, unknown>) => String(d.value).toLowerCase())[0];
      ts.data.forEach((p: unknown, k: number) => {
        const pat = `${tat}.data[${k}]`;
        if (!isObject(p)) fail(file, pat, p, "expected an object with timeStamp and total or maximum");
        times.push(epoch(file, `${pat}.timeStamp`, p.timeStamp));
        const num = (x: unknown, field: string): number | undefined => {
          if (x === undefined || x === null) return undefined;
          if (typeof x !== "number" || !Number.isFinite(x) || x < 0)
            fail(file, `${pat}.${field}`, x, "is not a number of 0 or more");
          return x;
        };
        const total = num(p.total, "total");
        const maximum = num(p.maximum, "maximum");
        if (metric === "totalconnectioncount") {
          const v = maximum ?? num(p.average, "average") ?? total;
          if (v !== undefined) peak = Math.max(peak ?? 0, v);
        } else if (state === "attempted") {
          attempts = (attempts ?? 0) + (total ?? 0);
        } else if (state === "failed") {
          errors = (errors ?? 0) + (total ?? 0);
        } else if (state === undefined) {
          fail(
            file,
            `${tat}.metadatavalues`,
            ts.metadatavalues,
            "SNATConnectionCount must be split by ConnectionState (az monitor metrics list --filter \"ConnectionState eq '*'\")",
          );
        }
      });
    });
  });
  if (times.length === 0) {
    fail(
      file,
      "value",
      data.value.map((m: Record<string, unknown>) => (isObject(m?.name) ? m.name.value : m)),
      "has no data points for SNATConnectionCount or TotalConnectionCount",
    );
  }
  const period = periodOf(times);
  return {
    cloud: "azure",
    fromEpochSeconds: Math.min(...times),
    toEpochSeconds: Math.max(...times) + period,
    periodSeconds: period,
    attempts,
    peakActive: peak,
    errors,
  };
}

function pct(model: number, recorded: number): number | undefined {
  return recorded === 0 ? undefined : ((model - recorded) / recorded) * 100;
}

function within(row: CalibrationRow): string {
  return row.differencePercent === undefined
    ? `recorded 0, model ${row.model.toLocaleString("en-US")}`
    : `within ${Math.abs(row.differencePercent).toFixed(1)}% (${row.differencePercent >= 0 ? "model higher" : "model lower"}: recorded ${round(row.recorded)}, model ${round(row.model)})`;
}

function round(x: number): string {
  return Number(x.toPrecision(4)).toLocaleString("en-US");
}

/** Compares recorded metrics with a model's result over the same window. */
export function calibrate(recorded: RecordedMetrics, result: SimulationResult): Calibration {
  const rows: CalibrationRow[] = [];
  const windowMinutes = (recorded.toEpochSeconds - recorded.fromEpochSeconds) / 60;
  const add = (figure: CalibrationRow["figure"], rec: number | undefined, model: number) => {
    if (rec !== undefined) rows.push({ figure, recorded: rec, model, differencePercent: pct(model, rec) });
  };
  add(
    "attempts per minute",
    recorded.attempts === undefined ? undefined : recorded.attempts / windowMinutes,
    result.totals.attempts / (result.durationSeconds / 60),
  );
  add("peak active connections", recorded.peakActive, result.totals.peakConnections);
  add("port-allocation errors", recorded.errors, result.totals.portAllocationErrors);
  if (recorded.cloud === "aws") add("idle timeouts", recorded.idleTimeouts, result.totals.idleTimeouts);
  const lines: string[] = [];
  const get = (f: CalibrationRow["figure"]) => rows.find((r) => r.figure === f);
  const parts: string[] = [];
  const a = get("attempts per minute");
  const p = get("peak active connections");
  const e = get("port-allocation errors");
  if (a) parts.push(`the recorded attempts per minute ${within(a)}`);
  if (p) parts.push(`peak active ${within(p)}`);
  if (e)
    parts.push(
      `errors: recorded ${e.recorded.toLocaleString("en-US")}, model ${e.model.toLocaleString("en-US")}`,
    );
  lines.push(
    `The model reproduces ${parts.join("; ") || "none of the recorded figures (the metrics file has none of them)"}.`,
  );
  const span = recorded.toEpochSeconds - recorded.fromEpochSeconds;
  if (Math.abs(span - result.durationSeconds) > recorded.periodSeconds) {
    lines.push(
      `Note: the metrics cover ${Math.round(span)} s but the model ran ${result.durationSeconds} s; rates are compared per minute, counts as they are.`,
    );
  }
  lines.push(
    `Window ${new Date(recorded.fromEpochSeconds * 1000).toISOString()} to ${new Date(recorded.toEpochSeconds * 1000).toISOString()}, period ${recorded.periodSeconds} s; peak active is a per-period maximum.`,
  );
  return { recorded, rows, lines };
}

/** Validates a JSON result (`natcap simulate --json` / `natcap replay --json`) enough to calibrate against it. */
export function readResult(data: unknown, file: string): SimulationResult {
  const r = Array.isArray(data) ? data[0] : data;
  if (!isObject(r) || !isObject(r.totals) || typeof r.durationSeconds !== "number") {
    fail(
      file,
      "(result)",
      r,
      `expected a natcap JSON result (natcap simulate --json) with totals and durationSeconds, got ${show(r)}`,
    );
  }
  for (const k of ["attempts", "portAllocationErrors", "idleTimeouts", "peakConnections"]) {
    if (typeof r.totals[k] !== "number") fail(file, `totals.${k}`, r.totals[k], "is not a number");
  }
  return r as unknown as SimulationResult;
}
