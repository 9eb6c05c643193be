/**
 * Aggregates → a workload file (the `natcap simulate` format) with a provenance header comment.
 *
 * Rules (docs/telemetry.md explains each):
 * - One destination per endpoint, named by its endpoint (`address:port/protocol`); the busiest `top`
 *   endpoints by peak concurrency are kept, the long tail is summed up in one header note (a workload
 *   destination needs one address, so the tail is not merged into an "other" destination).
 * - TCP: one stream per close kind (fin, rst, idle); connections still open when the logs end have
 *   an unknown close and a right-censored duration (at least to their last packet plus the logs'
 *   record interval, capped at the trace's end: censoredAt): they are shared among the streams in proportion
 *   to the endpoint's completed connections by close kind over the trace (all idle when none
 *   completed), and so are their censored durations, which join each stream's hold fit with that
 *   weight (fit.ts, censored-fit.ts). UDP: one `close: idle` stream (a UDP flow has no FIN or RST).
 * - Observed failed attempts are attempts: each interval's failures are shared among the streams in
 *   proportion to their connections in that interval (over the whole trace when it had none).
 * - Rate: the stream's mean rate over the trace is `connectionsPerSecond`; a `schedule` of multipliers
 *   per interval (3 significant digits, runs of equal multipliers merged) follows the observed rate.
 *   When there are more intervals than `maxScheduleSteps`, intervals are merged in equal blocks of
 *   ⌈intervals / maxScheduleSteps⌉, each block at its mean rate (so attempts are kept; a peak
 *   shorter than a block is smoothed — the header says so).
 * - `gbPerMonth`: the bytes the gateway carried in the window (every endpoint, the long tail too, both
 *   directions), scaled to a month of 730 hours at the window's mean rate, in GB of 10^9 bytes. When
 *   the logs count no bytes, none is written and the header says why.
 *
 * @module
 */
import { Document } from "yaml";
import { ValidationError } from "../../core/errors";
import { plural } from "../../core/format";
import { AWS, AZURE } from "../../core/limits";
import { HOURS_PER_MONTH } from "../../core/prices";
import { validateWorkload, type Workload, type WorkloadInput } from "../../sim/workload/workload";
import type { EndpointAggregate, FittedKind, TraceAggregate } from "./aggregate";
import {
  type CensoredDurations,
  censoredAt,
  type DurationStats,
  emptyCensored,
  emptyStats,
  mergeCensored,
  mergeStats,
  recordIntervalOf,
} from "./duration-stats";
import { describeFit, fitHold, type HoldFit } from "./fit";

/** Default number of busiest endpoints kept. */
export const DEFAULT_TOP = 20;
/** Default cap on schedule steps per stream (a day of 5-minute blocks). */
export const DEFAULT_MAX_SCHEDULE_STEPS = 288;

/** Options of {@link buildWorkload}. */
export interface WriterOptions {
  /** Busiest endpoints kept (0 keeps all). @default 20 */
  top?: number;
  /** Most schedule steps per stream. @default 288 */
  maxScheduleSteps?: number;
  /** `gateway.ips` to write instead of the number of gateway IPs seen. @default the IPs seen, at least 1 */
  ips?: number;
  /** The command that built it, for the header. @default "natcap import" */
  command?: string;
}

/** A built workload: the YAML text, the validated workload and the header lines. */
export interface BuiltWorkload {
  /** YAML text with the provenance header comment. */
  yaml: string;
  /** The workload as written, validated. */
  workload: Workload;
  /** The header comment's lines. */
  header: string[];
}

type StreamKind = FittedKind;

/** One stream's counts per interval (fractional once failures are shared) and its durations. */
interface StreamPlan {
  kind: StreamKind;
  counts: Float64Array;
  durations: DurationStats;
  histogram?: Map<number, number>;
  /** This stream's share of the endpoint's censored durations. */
  censored: CensoredDurations;
}

/** Bytes in a GB, as the clouds' price lists count data processed. */
const BYTES_PER_GB = 1e9;

/**
 * GB a month the gateway processes at the rate the window shows: the bytes carried to and from
 * every endpoint, scaled from the window to a month; undefined when the logs count no bytes.
 */
export function estimateGbPerMonth(agg: TraceAggregate): number | undefined {
  const counted = agg.endpoints.filter((e) => e.bytes !== undefined);
  if (counted.length === 0) return undefined;
  const bytes = counted.reduce((s, e) => s + e.bytes!, 0);
  const gb = (bytes / BYTES_PER_GB) * ((HOURS_PER_MONTH * 3600) / Math.max(1, agg.durationSeconds));
  return Number(gb.toPrecision(4));
}

/** What the input was, for an error's path. */
function p0(agg: TraceAggregate): string {
  return agg.provenance.source === "local" ? "(flow logs)" : "(aggregated CSV)";
}

function iso(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(".000Z", "Z");
}

/** Streams of one endpoint with counts on the interval grid. */
function streamPlans(
  e: EndpointAggregate,
  grid0: number,
  interval: number,
  n: number,
  censored: CensoredDurations | undefined,
): StreamPlan[] {
  const kinds: StreamKind[] = e.protocol === "udp" ? ["idle"] : ["fin", "rst", "idle"];
  const plans = kinds.map((kind): StreamPlan => {
    const durations = emptyStats();
    const histogram = e.histogram ? new Map<number, number>() : undefined;
    // UDP: every observed close is the idle timeout; TCP idle: only idle closes have durations.
    const from: FittedKind[] = e.protocol === "udp" ? ["fin", "rst", "idle"] : [kind];
    for (const k of from) {
      mergeStats(durations, e.durations[k]);
      for (const [v, c] of e.histogram?.[k] ?? []) histogram!.set(v, (histogram!.get(v) ?? 0) + c);
    }
    return { kind, counts: new Float64Array(n), durations, histogram, censored: emptyCensored() };
  });
  const udp = e.protocol === "udp";
  const countOf = (r: EndpointAggregate["rows"][number], kind: StreamKind): number =>
    udp ? r.fin + r.rst + r.idle + r.open : r[kind];
  const totals = plans.map((p) => e.rows.reduce((s, r) => s + countOf(r, p.kind), 0));
  const all = totals.reduce((a, b) => a + b, 0);
  // Which close a still-open connection will have is unknown: its censored duration goes with its
  // arrival, to every stream in proportion to the completed connections of its kind.
  if (!udp && censored && all > 0) {
    for (const [j, p] of plans.entries()) mergeCensored(p.censored, censored, totals[j] / all);
  }
  for (const r of e.rows) {
    const k = Math.min(n - 1, Math.max(0, Math.floor((r.intervalStart - grid0) / interval)));
    const counts = plans.map((p) => countOf(r, p.kind));
    const sum = counts.reduce((a, b) => a + b, 0);
    plans.forEach((p, j) => {
      const share = sum > 0 ? counts[j] / sum : all > 0 ? totals[j] / all : 1 / plans.length;
      // A TCP connection still open at the end closes as the endpoint's completed ones did.
      const openShare = udp ? 0 : all > 0 ? totals[j] / all : p.kind === "idle" ? 1 : 0;
      p.counts[k] += counts[j] + r.failures * share + r.open * openShare;
    });
  }
  return plans.filter((p) => p.counts.some((c) => c > 0));
}

/** Schedule steps (workload seconds, multiplier) for counts on the grid, capped and compressed. */
function schedule(
  counts: Float64Array,
  lengths: number[],
  offsets: number[],
  base: number,
  maxSteps: number,
): { atSeconds: number; multiplier: number }[] {
  const block = Math.max(1, Math.ceil(counts.length / maxSteps));
  const steps: { atSeconds: number; multiplier: number }[] = [];
  let previous = 1;
  for (let i = 0; i < counts.length; i += block) {
    let c = 0;
    let len = 0;
    for (let j = i; j < Math.min(counts.length, i + block); j++) {
      c += counts[j];
      len += lengths[j];
    }
    const m = Number((c / len / base).toPrecision(3));
    if (m !== previous) steps.push({ atSeconds: offsets[i], multiplier: m });
    previous = m;
  }
  return steps;
}

/**
 * Builds a workload from aggregates, validates it, and renders it as YAML with a provenance header.
 *
 * @throws {ValidationError} when no endpoint had any connection or failure (nothing usable).
 */
export function buildWorkload(agg: TraceAggregate, options: WriterOptions = {}): BuiltWorkload {
  const top = options.top ?? DEFAULT_TOP;
  const maxSteps = Math.max(1, options.maxScheduleSteps ?? DEFAULT_MAX_SCHEDULE_STEPS);
  const I = agg.intervalSeconds;
  const D = Math.max(1, agg.durationSeconds);
  const grid0 = Math.floor(agg.startEpochSeconds / I) * I;
  const n = Math.max(1, Math.ceil((agg.startEpochSeconds + D - grid0) / I));
  const offsets: number[] = [];
  const lengths: number[] = [];
  for (let k = 0; k < n; k++) {
    const from = Math.max(0, grid0 + k * I - agg.startEpochSeconds);
    const to = Math.min(D, grid0 + (k + 1) * I - agg.startEpochSeconds);
    offsets.push(from);
    lengths.push(Math.max(1, to - from));
  }
  const usable = agg.endpoints.filter((e) => e.connections + e.failures > 0);
  const kept = top > 0 ? usable.slice(0, top) : usable;
  const tail = usable.slice(kept.length);
  const maxIps = agg.cloud === "aws" ? AWS.maxIpsPerZonalGateway.value : AZURE.maxPublicIpAddresses.value;
  const ips = options.ips ?? Math.min(maxIps, Math.max(1, agg.gatewayIpCount));

  const destinations: WorkloadInput["destinations"] = [];
  const traffic: WorkloadInput["traffic"] = [];
  const perDestination: string[] = [];
  for (const e of kept) {
    destinations.push({ name: e.endpoint, address: e.address, port: e.port, protocol: e.protocol });
    perDestination.push(
      `  ${e.endpoint}: observed peak concurrency ${e.peakConcurrency.toLocaleString("en-US")}, ` +
        `${plural(e.connections, "connection")}, observed failures ${e.failures.toLocaleString("en-US")}`,
    );
    const merged = emptyStats();
    for (const k of ["fin", "rst", "idle"] as const) mergeStats(merged, e.durations[k]);
    const censored =
      e.protocol === "udp" || !e.openSpans
        ? undefined
        : censoredAt(e.openSpans, agg.startEpochSeconds + agg.durationSeconds, recordIntervalOf(agg));
    for (const p of streamPlans(e, grid0, I, n, censored)) {
      const total = p.counts.reduce((a, b) => a + b, 0);
      const base = total / D;
      let fit: HoldFit | undefined = fitHold(p.durations, p.histogram, p.censored);
      let fitNote = "";
      if (!fit) {
        fit = fitHold(merged, undefined, censored);
        fitNote = " (no completed connection of this kind: fitted to all of the destination's)";
      }
      const hold = fit?.hold ?? { distribution: "constant" as const, value: 0 };
      const steps = schedule(p.counts, lengths, offsets, base, maxSteps);
      traffic.push({
        to: e.endpoint,
        connectionsPerSecond: Number(base.toPrecision(4)),
        holdSeconds: hold,
        close: p.kind,
        ...(steps.length > 0 ? { schedule: steps } : {}),
      });
      perDestination.push(
        `    ${e.protocol === "udp" ? "udp (idle)" : p.kind}: ${base.toPrecision(4)}/s mean, hold ` +
          (fit
            ? describeFit(fit) + fitNote
            : "constant 0 s: the input has no durations to fit (set holdSeconds before simulating)"),
      );
    }
  }
  if (destinations.length === 0) {
    throw new ValidationError(
      [
        {
          path: p0(agg),
          value: agg.provenance.files.join(", "),
          message:
            "no connection or failed attempt towards any destination: nothing to build a workload from",
        },
      ],
      options.command ?? "natcap import",
    );
  }
  const gbPerMonth = estimateGbPerMonth(agg);
  const input: WorkloadInput = {
    cloud: agg.cloud,
    gateway: { ips },
    durationSeconds: D,
    seed: 1,
    destinations,
    traffic,
    ...(gbPerMonth !== undefined ? { gbPerMonth } : {}),
  };
  const workload = validateWorkload(input, "generated workload");
  const header = headerLines(agg, options, { kept, tail, ips, n, maxSteps, perDestination });
  const doc = new Document(input);
  doc.commentBefore = header.map((l) => ` ${l}`).join("\n");
  return { yaml: doc.toString({ lineWidth: 0 }), workload, header };
}

function headerLines(
  agg: TraceAggregate,
  options: WriterOptions,
  x: {
    kept: EndpointAggregate[];
    tail: EndpointAggregate[];
    ips: number;
    n: number;
    maxSteps: number;
    perDestination: string[];
  },
): string[] {
  const p = agg.provenance;
  const lines: string[] = [];
  lines.push(`Workload built by ${options.command ?? "natcap import"} from observed traffic.`);
  const shown = p.files.slice(0, 5).join(", ");
  lines.push(
    `files (${p.files.length}): ${shown}${p.files.length > 5 ? `, … ${p.files.length - 5} more` : ""}`,
  );
  lines.push(
    `time range: ${iso(agg.startEpochSeconds)} to ${iso(agg.startEpochSeconds + agg.durationSeconds)} ` +
      `(${agg.durationSeconds} s), interval ${agg.intervalSeconds} s, aggregated ${p.source === "local" ? "locally" : "by a query where the logs live"}`,
  );
  const skippedTotal = p.skipped.reduce((s, r) => s + r.count, 0);
  lines.push(
    `${p.source === "local" ? "records" : "CSV rows"}: read ${p.recordsRead.toLocaleString("en-US")}, used ${p.recordsUsed.toLocaleString("en-US")}, skipped ${skippedTotal.toLocaleString("en-US")}`,
  );
  for (const s of p.skipped)
    lines.push(`  skipped ${s.count.toLocaleString("en-US")}: ${s.reason} (first at ${s.firstAt})`);
  const failures = agg.endpoints.reduce((s, e) => s + e.failures, 0);
  lines.push(
    `connections ${p.source === "local" ? "reconstructed" : "counted by the query"}: ${p.connections.toLocaleString("en-US")} (observed failures ${failures.toLocaleString("en-US")})`,
  );
  lines.push(
    options.ips !== undefined
      ? `gateway.ips ${x.ips}: given on the command line`
      : `gateway.ips ${x.ips}: ${agg.gatewayIpCount > 0 ? `${agg.gatewayIpCount} gateway IP(s) seen in the logs` : "the logs show no gateway IP; 1 assumed, set it to your gateway's"}`,
  );
  const gb = estimateGbPerMonth(agg);
  const bytes = agg.endpoints.reduce((s, e) => s + (e.bytes ?? 0), 0);
  lines.push(
    gb !== undefined
      ? `gbPerMonth ${gb}: ${bytes.toLocaleString("en-US")} bytes carried in ${agg.durationSeconds} s (both directions, every endpoint), scaled to ${HOURS_PER_MONTH} hours at that rate (GB = 10^9 bytes)`
      : `gbPerMonth not written: ${agg.provenance.source === "local" ? "the logs count no bytes of the connections" : "the aggregated CSV has no bytes column"}; the what-if cost leaves data processing at 0 unless --gb-per-month is given`,
  );
  lines.push(
    `destinations: ${x.kept.length} kept of ${x.kept.length + x.tail.length} endpoints, busiest by peak concurrency`,
  );
  if (x.tail.length > 0) {
    const conns = x.tail.reduce((s, e) => s + e.connections, 0);
    const fails = x.tail.reduce((s, e) => s + e.failures, 0);
    const peak = x.tail.reduce((m, e) => Math.max(m, e.peakConcurrency), 0);
    lines.push(
      `long tail left out: ${plural(x.tail.length, "endpoint")}, ${plural(conns, "connection")}, ` +
        `observed failures ${fails}, peak concurrency at most ${peak} each (raise --top to keep them)`,
    );
  }
  if (x.n > x.maxSteps) {
    const block = Math.ceil(x.n / x.maxSteps);
    lines.push(
      `schedule: ${x.n} intervals merged in blocks of ${block} (${block * agg.intervalSeconds} s) at their mean rate; shorter peaks are smoothed`,
    );
  }
  lines.push("per destination (observed):");
  lines.push(...x.perDestination);
  return lines;
}
