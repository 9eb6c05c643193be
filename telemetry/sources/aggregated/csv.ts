/**
 * The aggregated CSV: what the printed queries return, read back into the same aggregates the local
 * importer builds (telemetry/sinks/aggregate.ts), so `natcap import aggregated` writes its workload through the same
 * writer.
 *
 * Columns (header line required; any order; quoted or not; names case-insensitive):
 *
 * | column | meaning |
 * |---|---|
 * | `interval_start` | interval start: Unix seconds, or an ISO / `YYYY-MM-DD hh:mm:ss` UTC time |
 * | `address`, `port`, `protocol` | the endpoint (`protocol` tcp, udp, 6 or 17) |
 * | `fin`, `rst`, `idle`, `open` | connections that started in the interval, by how they ended |
 * | `opened` | instead of `idle`/`open` (Logs Insights, KQL): all openings; idle = opened − fin − rst |
 * | `failures` | observed failed attempts (optional, 0 when absent) |
 * | `peak_concurrency` | most connections open at once in the interval (optional) |
 * | `{fin,rst,idle}_duration_sum`, `…_duration_sq_sum`, `…_log_duration_sum`, `…_log_duration_sq_sum` | duration statistics (optional; all four per kind or none) |
 * | `gateway_ips` | distinct gateway IPs seen in the row (optional; the most in any row is used) |
 *
 * Rows that break a rule are skipped and counted by reason, each reason naming the file and line where
 * it first occurred; a missing required column or no usable row is a ValidationError.
 *
 * @module
 */
import { ValidationError } from "../../../core/errors";
import type { SkippedRecords } from "../../reconstruct/connections";
import {
  byBusiest,
  type EndpointAggregate,
  emptyIntervalRow,
  emptyKindStats,
  FITTED_KINDS,
  type IntervalRow,
  type TraceAggregate,
} from "../../sinks/aggregate";
import { type DurationStats, mergeStats } from "../../sinks/duration-stats";
import { isUnroutableIpv4, UNROUTABLE_DESTINATION } from "../skips";

/** Columns every aggregated CSV needs. */
export const REQUIRED_COLUMNS = ["interval_start", "address", "port", "protocol", "fin", "rst"] as const;
/** Every column the reader understands, in the order the Athena query writes them. */
export const AGGREGATED_COLUMNS = [
  "interval_start",
  "address",
  "port",
  "protocol",
  "fin",
  "rst",
  "idle",
  "open",
  "failures",
  "peak_concurrency",
  ...FITTED_KINDS.flatMap((k) => [
    `${k}_duration_sum`,
    `${k}_duration_sq_sum`,
    `${k}_log_duration_sum`,
    `${k}_log_duration_sq_sum`,
  ]),
  "gateway_ips",
] as const;

/** Splits CSV text into records of fields (RFC 4180: quotes, doubled quotes, CRLF), with line numbers. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let startLine = 1;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      quoted = true;
      any = true;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
      any = true;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      if (any || field !== "") {
        fields.push(field);
        out.push({ line: startLine, fields });
      }
      fields = [];
      field = "";
      any = false;
      line++;
      startLine = line;
    } else {
      field += ch;
      any = true;
    }
  }
  if (any || field !== "") {
    fields.push(field);
    out.push({ line: startLine, fields });
  }
  return out;
}

/** Parses an interval start: Unix seconds or a UTC date-time; undefined when it is neither. */
function parseTime(s: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const iso = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s)
    ? Date.parse(s.replace(" ", "T") + (/(Z|[+-]\d{2}:?\d{2})$/.test(s) ? "" : "Z"))
    : Number.NaN;
  return Number.isFinite(iso) ? Math.floor(iso / 1000) : undefined;
}

/** Options of {@link readAggregatedCsv}. */
export interface AggregatedCsvOptions {
  /** The cloud of the logs. @default "aws" */
  cloud?: "aws" | "azure";
  /** Interval length of the query, seconds. @default 60 */
  intervalSeconds?: number;
}

class Skips {
  readonly byReason = new Map<string, SkippedRecords>();
  add(reason: string, at: string): void {
    const s = this.byReason.get(reason);
    this.byReason.set(reason, { reason, count: (s?.count ?? 0) + 1, firstAt: s?.firstAt ?? at });
  }
}

/**
 * Reads an aggregated CSV (the printed queries' result) into aggregates.
 *
 * @param file the file name, for messages and provenance
 * @throws {ValidationError} naming the file, line and column when a required column is missing,
 *   and when no row is usable.
 */
export function readAggregatedCsv(
  text: string,
  file: string,
  options: AggregatedCsvOptions = {},
): TraceAggregate {
  const I = options.intervalSeconds ?? 60;
  const records = parseCsv(text.replace(/^\uFEFF/, ""));
  if (records.length === 0) {
    throw new ValidationError(
      [
        {
          path: `${file}:1`,
          message: `is empty: expected a header line (${REQUIRED_COLUMNS.join(",")},...)`,
        },
      ],
      "natcap import aggregated",
    );
  }
  const header = records[0].fields.map((h) => h.trim().toLowerCase());
  const col = new Map(header.map((h, i) => [h, i]));
  const missing = REQUIRED_COLUMNS.filter((c) => !col.has(c));
  if (!col.has("idle") && !col.has("opened")) missing.push("idle" as never);
  if (missing.length > 0) {
    throw new ValidationError(
      [
        {
          path: `${file}:${records[0].line}`,
          value: records[0].fields.join(","),
          message:
            `missing column(s) ${missing.join(", ")}: the header must name ${REQUIRED_COLUMNS.join(", ")} and idle ` +
            `(or opened); see the aggregated CSV columns in docs/telemetry.md`,
        },
      ],
      "natcap import aggregated",
    );
  }
  const skips = new Skips();
  const endpoints = new Map<string, EndpointAggregate>();
  const rowsByKey = new Map<string, IntervalRow>();
  let used = 0;
  let gatewayIps = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const hasStats = FITTED_KINDS.map((k) => col.has(`${k}_duration_sum`));
  for (const rec of records.slice(1)) {
    const at = `${file}:${rec.line}`;
    const get = (name: string): string | undefined => {
      const i = col.get(name);
      return i === undefined ? undefined : (rec.fields[i] ?? "").trim();
    };
    if (rec.fields.length !== header.length) {
      skips.add(`${rec.fields.length} fields where the header has ${header.length}`, at);
      continue;
    }
    const start = parseTime(get("interval_start")!);
    if (start === undefined) {
      skips.add("interval_start is not Unix seconds or a UTC date-time", at);
      continue;
    }
    if (start % I !== 0) {
      skips.add(`interval_start is not a multiple of the ${I} s interval (give --interval)`, at);
      continue;
    }
    const address = get("address")!;
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) {
      skips.add("address is not an IPv4 address", at);
      continue;
    }
    if (isUnroutableIpv4(address)) {
      skips.add(UNROUTABLE_DESTINATION, at);
      continue;
    }
    const port = Number(get("port"));
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      skips.add("port is not a whole number from 1 to 65535", at);
      continue;
    }
    const p = get("protocol")!.toLowerCase();
    const protocol = p === "tcp" || p === "6" ? "tcp" : p === "udp" || p === "17" ? "udp" : undefined;
    if (!protocol) {
      skips.add("protocol is not tcp, udp, 6 or 17", at);
      continue;
    }
    const num = (name: string): number | undefined => {
      const v = get(name);
      if (v === undefined || v === "") return 0;
      const n = Number(v);
      return Number.isFinite(n) && n >= 0 ? n : undefined;
    };
    const names = ["fin", "rst", "idle", "open", "opened", "failures", "peak_concurrency", "gateway_ips"];
    const values = names.map(num);
    const bad = names.find((_, i) => values[i] === undefined);
    if (bad) {
      skips.add(`${bad} is not a number of 0 or more`, at);
      continue;
    }
    const [fin, rst, idleCol, open, opened, failures, peak, gw] = values as number[];
    const idle = col.has("idle") ? idleCol : Math.max(0, opened - fin - rst);
    const key = `${address}:${port}/${protocol}`;
    let e = endpoints.get(key);
    if (!e) {
      e = {
        address,
        port,
        protocol,
        endpoint: key,
        rows: [],
        durations: emptyKindStats(),
        connections: 0,
        failures: 0,
        peakConcurrency: 0,
      };
      endpoints.set(key, e);
    }
    let row = rowsByKey.get(`${key}@${start}`);
    if (!row) {
      row = emptyIntervalRow(start, 0);
      rowsByKey.set(`${key}@${start}`, row);
      e.rows.push(row);
    }
    row.fin += fin;
    row.rst += rst;
    row.idle += idle;
    row.open += open;
    row.failures += failures;
    row.peakConcurrency = Math.max(row.peakConcurrency, peak);
    FITTED_KINDS.forEach((k, j) => {
      if (!hasStats[j]) return;
      const s: DurationStats = {
        // A UDP flow still open when the logs end is fitted among the idle ones (telemetry/sinks/aggregate.ts).
        count: k === "fin" ? fin : k === "rst" ? rst : idle + (protocol === "udp" ? open : 0),
        sum: num(`${k}_duration_sum`) ?? 0,
        sumSq: num(`${k}_duration_sq_sum`) ?? 0,
        sumLog: Number(get(`${k}_log_duration_sum`) || 0) || 0,
        sumLogSq: num(`${k}_log_duration_sq_sum`) ?? 0,
      };
      mergeStats(row!.durations[k], s);
      mergeStats(e!.durations[k], s);
    });
    e.connections += fin + rst + idle + open;
    e.failures += failures;
    e.peakConcurrency = Math.max(e.peakConcurrency, peak);
    gatewayIps = Math.max(gatewayIps, gw);
    first = Math.min(first, start);
    last = Math.max(last, start);
    used++;
  }
  const skipped = [...skips.byReason.values()];
  if (used === 0) {
    const why = skipped.map((s) => `${s.reason}: ${s.count} (first at ${s.firstAt})`).join("; ");
    throw new ValidationError(
      [{ path: file, message: `no usable row${why ? ` (${why})` : " (only a header)"}` }],
      "natcap import aggregated",
    );
  }
  const list = [...endpoints.values()];
  for (const e of list) e.rows.sort((a, b) => a.intervalStart - b.intervalStart);
  // Without a peak_concurrency column, rank by connections (peaks are all 0).
  list.sort(byBusiest);
  return {
    cloud: options.cloud ?? "aws",
    intervalSeconds: I,
    startEpochSeconds: first,
    durationSeconds: last + I - first,
    gatewayIpCount: gatewayIps,
    endpoints: list,
    provenance: {
      files: [file],
      recordsRead: records.length - 1,
      recordsUsed: used,
      skipped,
      connections: list.reduce((s, e) => s + e.connections + e.failures, 0),
      source: "query",
    },
  };
}
