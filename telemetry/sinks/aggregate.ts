/**
 * Connections → per-endpoint, per-interval aggregates: the one intermediate form that both the local
 * importer (flow logs read here) and the query-side importer (`natcap import aggregated`, the CSV a
 * printed Athena / Logs Insights / KQL query returns) produce, and that the workload writer consumes.
 *
 * Streaming: {@link aggregateConnections} takes any iterable of connections sorted by start; memory
 * follows endpoints × intervals plus the connections open at one instant (for the concurrency sweep),
 * never the number of connections.
 *
 * Definitions (the printed queries compute exactly these; docs/telemetry.md explains them):
 * - Intervals are aligned to multiples of the interval length in Unix time (as the queries' `floor`).
 * - A connection is open from its `start` through its `end` inclusive; at one instant openings count
 *   before closings, so a connection with `start = end` counts. Failed attempts hold nothing.
 * - `peakConcurrency` of an interval: most connections open at once during it, counting those carried
 *   in from earlier intervals. Rows exist only for intervals with an opening, a closing or a failure.
 * - Durations are `end − start`, with a continuity correction: a duration under 0.5 s (a 0 in 1 s
 *   timestamps) counts as 0.5 s, half the timestamps' resolution, so logarithms stay finite.
 *
 * @module
 */
import { ValidationError } from "../../core/errors";
import { Heap } from "../../sim/engine/queues";
import type {
  ConnectionStoreView,
  ConnectionTrace,
  EndpointRef,
  ObservedConnection,
  SkippedRecords,
} from "../reconstruct/connections";
import { addDuration, type DurationStats, emptyStats, histogramKey } from "./duration-stats";

/** Close kinds a workload stream can have, plus `open` (no close seen before the logs end). */
export const CLOSE_KINDS = ["fin", "rst", "idle", "open"] as const;
/** Close kinds whose durations are fitted (an `open` connection's duration is censored). */
export const FITTED_KINDS = ["fin", "rst", "idle"] as const;
/** A close kind whose durations are fitted. */
export type FittedKind = (typeof FITTED_KINDS)[number];

/** Default aggregation interval in seconds (VPC Flow Logs' shortest aggregation window). */
export const DEFAULT_INTERVAL_SECONDS = 60;

/** Activity of one endpoint in one interval. */
export interface IntervalRow {
  /** Unix seconds at which the interval starts (a multiple of the interval length). */
  intervalStart: number;
  /** New connections that started in the interval and ended with a FIN. */
  fin: number;
  /** New connections that started in the interval and ended with an RST. */
  rst: number;
  /** New connections that started in the interval and ended by the idle timeout (no close seen). */
  idle: number;
  /** New connections that started in the interval and were still open when the logs end. */
  open: number;
  /** Observed failed attempts (port-allocation failures) in the interval. */
  failures: number;
  /** Most connections open at once during the interval. */
  peakConcurrency: number;
  /** Durations of the connections that started in the interval, by close kind. */
  durations: Record<FittedKind, DurationStats>;
}

/** Everything aggregated about one endpoint (address, port, protocol). */
export interface EndpointAggregate {
  /** Destination address. */
  address: string;
  /** Destination port. */
  port: number;
  /** Transport protocol. */
  protocol: "tcp" | "udp";
  /** `address:port/protocol`. */
  endpoint: string;
  /** Rows in time order, only for intervals with activity. */
  rows: IntervalRow[];
  /** Durations over the whole trace, by close kind. */
  durations: Record<FittedKind, DurationStats>;
  /**
   * Durations as a histogram (corrected duration rounded to whole seconds, 0.5 below 1 s → count),
   * by close kind, when the connections themselves were seen (not from an aggregated CSV). Used for
   * the KS distance of a fit.
   */
  histogram?: Record<FittedKind, Map<number, number>>;
  /**
   * The TCP connections still open when the logs end, as start (Unix seconds, rounded) → seconds
   * from it to the last packet seen (rounded) → count: each is a right-censored duration whatever
   * its close kind will be (see {@link censoredAt}). Entries are bounded by the connections open at
   * the end; absent when the input cannot show them (an aggregated CSV).
   */
  openSpans?: Map<number, Map<number, number>>;
  /** Connections (not failures) over the trace. */
  connections: number;
  /** Observed failures over the trace. */
  failures: number;
  /** Most connections open at once over the trace. */
  peakConcurrency: number;
  /** Bytes the gateway carried to and from the endpoint, both directions, when the logs count them. */
  bytes?: number;
}

/** Where the aggregates came from, for the workload's header comment. */
export interface AggregateProvenance {
  /** Files read. */
  files: readonly string[];
  /** Records read in all. */
  recordsRead: number;
  /** Records used. */
  recordsUsed: number;
  /** Records (or CSV rows) skipped, by reason. */
  skipped: readonly SkippedRecords[];
  /** Connections reconstructed (failed attempts included). */
  connections: number;
  /** Where the aggregation ran: `local` (flow logs read here) or `query` (an aggregated CSV). */
  source: "local" | "query";
  /** What the logs could not show, in words (e.g. several NAT IPs not told apart without pkt-srcaddr). */
  warnings?: readonly string[];
}

/** Per-endpoint, per-interval aggregates of a whole trace. */
export interface TraceAggregate {
  /** The cloud the logs come from. */
  cloud: "aws" | "azure";
  /** Interval length in seconds. */
  intervalSeconds: number;
  /** Unix seconds of the trace start. */
  startEpochSeconds: number;
  /** Trace span in seconds. */
  durationSeconds: number;
  /** Distinct gateway IPs seen (0 when the logs cannot show them). */
  gatewayIpCount: number;
  /**
   * Longest a connection still going on can go without a record of its packets before the logs end
   * (see recordIntervalOf in duration-stats.ts). @default the cloud's: AWS's shorter aggregation interval, Azure's C interval
   */
  recordIntervalSeconds?: number;
  /** Endpoints, busiest (by peak concurrency) first. */
  endpoints: EndpointAggregate[];
  /** Where it came from. */
  provenance: AggregateProvenance;
}

/** Options of {@link aggregateConnections}. */
export interface AggregateOptions {
  /** Interval length in seconds. @default 60 */
  intervalSeconds?: number;
  /** Unix seconds of time 0 of the connections. @default 0 */
  startEpochSeconds?: number;
}

/** An interval's row before any connection is counted, with the connections already open at its start. */
export function emptyIntervalRow(intervalStart: number, openAtStart: number): IntervalRow {
  return {
    intervalStart,
    fin: 0,
    rst: 0,
    idle: 0,
    open: 0,
    failures: 0,
    peakConcurrency: openAtStart,
    durations: emptyKindStats(),
  };
}

/** Empty statistics for every fitted close kind. */
export function emptyKindStats(): Record<FittedKind, DurationStats> {
  return { fin: emptyStats(), rst: emptyStats(), idle: emptyStats() };
}

/**
 * Running state of one endpoint while connections stream in, in start order. A connection whose
 * end is not known yet when its start comes ({@link EndpointState.open} with NaN) counts as open
 * until {@link EndpointState.endOpen}, which must come before any later start passes its end.
 */
export class EndpointState {
  readonly agg: EndpointAggregate;
  /** End times (epoch seconds) of the open connections whose end is known. */
  private readonly ends = new Heap(64); // small: one heap per endpoint
  /** Open connections whose end is not known yet. */
  private endless = 0;
  private readonly byInterval = new Map<number, IntervalRow>();

  constructor(
    e: EndpointRef,
    private readonly interval: number,
  ) {
    this.agg = {
      address: e.address,
      port: e.port,
      protocol: e.protocol,
      endpoint: endpointKeyOf(e),
      rows: [],
      durations: emptyKindStats(),
      histogram: { fin: new Map(), rst: new Map(), idle: new Map() },
      openSpans: new Map(),
      connections: 0,
      failures: 0,
      peakConcurrency: 0,
    };
  }

  private get openCount(): number {
    return this.ends.size + this.endless;
  }

  /** The row of the interval holding epoch time `t`; a new row starts at the concurrency carried in. */
  private row(t: number): IntervalRow {
    const start = Math.floor(t / this.interval) * this.interval;
    let r = this.byInterval.get(start);
    if (!r) {
      r = emptyIntervalRow(start, this.openCount);
      this.byInterval.set(start, r);
    }
    return r;
  }

  /** Closes every connection whose end is before `t` (each closing is activity in its interval). */
  private closeBefore(t: number): void {
    while (this.ends.size > 0 && this.ends.peekTime() < t) {
      const end = this.ends.peekTime();
      this.row(end); // a closing is activity: the row records the concurrency carried into it
      this.ends.pop();
    }
  }

  /** A failed attempt at epoch time `t`. */
  failure(t: number): void {
    this.closeBefore(t);
    this.row(t).failures += 1;
    this.agg.failures += 1;
  }

  /** Opens a connection at epoch time `t` that ends at `end` (NaN: not known yet); returns its row. */
  open(t: number, end: number): IntervalRow {
    this.closeBefore(t);
    const r = this.row(t);
    if (Number.isNaN(end)) this.endless++;
    else this.ends.push(Math.max(end, t), 0);
    const open = this.openCount;
    if (open > r.peakConcurrency) r.peakConcurrency = open;
    if (open > this.agg.peakConcurrency) this.agg.peakConcurrency = open;
    return r;
  }

  /** Gives a connection opened with an unknown end its end (epoch seconds). */
  endOpen(end: number): void {
    this.endless--;
    this.ends.push(end, 0);
  }

  /** The row of epoch time `t`, which must exist (a connection was opened there). */
  rowAt(t: number): IntervalRow {
    return this.byInterval.get(Math.floor(t / this.interval) * this.interval)!;
  }

  /** Counts a connection's close kind and duration (seconds) in `r`, the row of its start `t` (epoch seconds). */
  tally(r: IntervalRow, close: ObservedConnection["close"], duration: number, t: number): void {
    r[close] += 1;
    this.agg.connections += 1;
    // A UDP flow's hold is its activity (first to last packet); the idle timeout after it is the
    // gateway's. One still open when the logs end has shown its activity so far, so its duration
    // counts among the idle ones; a TCP connection still open is a right-censored duration.
    const fitted = close === "open" ? (this.agg.protocol === "udp" ? "idle" : undefined) : close;
    if (fitted === undefined) {
      const k = Math.round(t);
      const seen = this.agg.openSpans!.get(k) ?? new Map<number, number>();
      this.agg.openSpans!.set(k, seen);
      const d = Math.round(duration);
      seen.set(d, (seen.get(d) ?? 0) + 1);
    } else {
      addDuration(r.durations[fitted], duration);
      addDuration(this.agg.durations[fitted], duration);
      const h = this.agg.histogram![fitted];
      const k = histogramKey(duration);
      h.set(k, (h.get(k) ?? 0) + 1);
    }
  }

  /** Counts bytes the gateway carried for the endpoint. */
  carried(bytes: number): void {
    this.agg.bytes = (this.agg.bytes ?? 0) + bytes;
  }

  /** Adds a connection given as an object, its times from `epochStart`. */
  add(c: ObservedConnection, epochStart: number): void {
    if (c.bytes !== undefined) this.carried(c.bytes);
    const t = epochStart + c.start;
    if (c.failed) this.failure(t);
    else
      this.tally(
        this.open(t, epochStart + Math.max(c.end, c.start)),
        c.close,
        Math.max(0, c.end - c.start),
        t,
      );
  }

  /** The aggregate, rows in time order (every connection must have been given its end). */
  finish(): EndpointAggregate {
    this.closeBefore(Number.POSITIVE_INFINITY);
    this.agg.rows = [...this.byInterval.values()].sort((a, b) => a.intervalStart - b.intervalStart);
    return this.agg;
  }
}

/** A stable order of endpoints: busiest (peak concurrency) first, then by connections, then by name. */
export function byBusiest(a: EndpointAggregate, b: EndpointAggregate): number {
  return (
    b.peakConcurrency - a.peakConcurrency ||
    b.connections + b.failures - (a.connections + a.failures) ||
    (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0)
  );
}

/**
 * The aggregation interval, checked.
 *
 * @param intervalSeconds @default 60
 * @throws {ValidationError} when it is not a positive whole number of seconds
 */
export function checkedInterval(intervalSeconds = DEFAULT_INTERVAL_SECONDS): number {
  if (!Number.isInteger(intervalSeconds) || intervalSeconds < 1) {
    throw new ValidationError([
      {
        path: "--interval",
        value: intervalSeconds,
        message: "must be a whole number of seconds, 1 or more (e.g. 60)",
      },
    ]);
  }
  return intervalSeconds;
}

/**
 * Aggregates connections (sorted by `start`) per endpoint and interval.
 *
 * @throws {ValidationError} when the connections are not sorted by start or the interval is not a
 *   positive whole number of seconds.
 */
export function aggregateConnections(
  connections: Iterable<ObservedConnection>,
  options: AggregateOptions = {},
): EndpointAggregate[] {
  const interval = checkedInterval(options.intervalSeconds);
  const epoch = options.startEpochSeconds ?? 0;
  const states = new Map<string, EndpointState>();
  let last = Number.NEGATIVE_INFINITY;
  let index = 0;
  for (const c of connections) {
    if (c.start < last) {
      throw new ValidationError([
        {
          path: `connections[${index}].start`,
          value: c.start,
          message: `connections must be sorted by start (the previous one starts at ${last})`,
        },
      ]);
    }
    last = c.start;
    index += 1;
    const key = `${c.address}:${c.port}/${c.protocol}`;
    let s = states.get(key);
    if (!s) {
      s = new EndpointState(c, interval);
      states.set(key, s);
    }
    s.add(c, epoch);
  }
  return [...states.values()].map((s) => s.finish()).sort(byBusiest);
}

/**
 * Aggregates a whole reconstructed trace, keeping its provenance.
 *
 * @param intervalSeconds interval length @default 60
 */
export function aggregateTrace(
  trace: ConnectionTrace,
  intervalSeconds = DEFAULT_INTERVAL_SECONDS,
): TraceAggregate {
  const endpoints = aggregateConnections(trace.eachConnection?.() ?? trace.connections, {
    intervalSeconds,
    startEpochSeconds: trace.startEpochSeconds,
  });
  addStoreBytes(endpoints, trace.store);
  return {
    cloud: trace.cloud,
    intervalSeconds,
    startEpochSeconds: trace.startEpochSeconds,
    durationSeconds: trace.durationSeconds,
    gatewayIpCount: trace.gatewayIps.length,
    endpoints,
    ...(trace.recordIntervalSeconds !== undefined
      ? { recordIntervalSeconds: trace.recordIntervalSeconds }
      : {}),
    provenance: {
      ...(trace.warnings && trace.warnings.length > 0 ? { warnings: trace.warnings } : {}),
      files: trace.files,
      recordsRead: trace.recordsRead,
      recordsUsed: trace.recordsUsed,
      skipped: trace.skipped,
      connections: trace.connectionCount ?? trace.connections.length,
      source: "local",
    },
  };
}

/**
 * Bytes a reader counted per endpoint in the trace's store (AWS: per record, not per connection),
 * added to the endpoints that have none from their connections, so the streamed and the whole
 * aggregation agree.
 */
function addStoreBytes(endpoints: EndpointAggregate[], store: ConnectionStoreView | undefined): void {
  if (!store?.bytesCarried) return;
  const byKey = new Map(endpoints.map((e) => [e.endpoint, e]));
  store.endpoints.forEach((ref, i) => {
    const bytes = store.bytesCarried?.(i);
    const e = byKey.get(endpointKeyOf(ref));
    if (bytes !== undefined && e && e.bytes === undefined) e.bytes = bytes;
  });
}

/** `address:port/protocol` of an endpoint. */
function endpointKeyOf(e: EndpointRef): string {
  return `${e.address}:${e.port}/${e.protocol}`;
}

/** Total new connections of a row (every close kind). */
export function rowConnections(r: IntervalRow): number {
  return r.fin + r.rst + r.idle + r.open;
}
