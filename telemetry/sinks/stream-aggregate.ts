/**
 * The aggregation as a {@link ConnectionSink}: a flow-log reader hands it each connection once
 * final, in start order, and it goes straight into its endpoint's counts per interval, duration
 * statistics and histogram (aggregate.ts) — no connection is kept. A connection handed out while
 * still open counts as open until it is closed. Memory follows endpoints × intervals and the
 * connections open at one instant, never the number of connections; the result equals
 * {@link aggregateConnections} over the same connections.
 *
 * @module
 */

import { CLOSE_CODES, type ConnectionSink, type EndpointRef } from "../reconstruct/connections";
import { byBusiest, checkedInterval, type EndpointAggregate, EndpointState } from "./aggregate";

/** Aggregates connections handed in by a reader, per endpoint and interval. */
export class StreamAggregator implements ConnectionSink {
  private readonly states: EndpointState[] = [];
  /** Endpoint and start of each connection opened and not closed yet, by handle. */
  private openEndpoint = new Int32Array(256);
  private openStart = new Float64Array(256);
  private freeHandles: number[] = [];
  private handles = 0;
  private readonly interval: number;
  /** Connections and failed attempts handed in. */
  count = 0;

  /**
   * @param endpoints endpoints by index (may grow while connections come in)
   * @param epochOffset Unix seconds of the reader's time 0
   * @param intervalSeconds aggregation interval @default 60
   * @throws {ValidationError} when the interval is not a positive whole number of seconds
   */
  constructor(
    private readonly endpoints: readonly EndpointRef[],
    private readonly epochOffset: number,
    intervalSeconds?: number,
  ) {
    this.interval = checkedInterval(intervalSeconds);
  }

  private state(endpoint: number): EndpointState {
    let s = this.states[endpoint];
    if (s === undefined) {
      s = new EndpointState(this.endpoints[endpoint], this.interval);
      this.states[endpoint] = s;
    }
    return s;
  }

  /** {@inheritDoc ConnectionSink.add} */
  add(endpoint: number, start: number, end: number, close: number, failed: boolean): void {
    this.count++;
    const s = this.state(endpoint);
    const t = this.epochOffset + start;
    if (failed) s.failure(t);
    else
      s.tally(
        s.open(t, this.epochOffset + Math.max(end, start)),
        CLOSE_CODES[close],
        Math.max(0, end - start),
        t,
      );
  }

  /**
   * Counts bytes the gateway carried for an endpoint (a reader that sees byte counts calls it; the
   * workload's `gbPerMonth` is estimated from them).
   */
  carried(endpoint: number, bytes: number): void {
    this.state(endpoint).carried(bytes);
  }

  /** {@inheritDoc ConnectionSink.open} */
  open(endpoint: number, start: number): number {
    this.count++;
    this.state(endpoint).open(this.epochOffset + start, Number.NaN);
    let h = this.freeHandles.pop();
    if (h === undefined) {
      h = this.handles++;
      if (h === this.openStart.length) {
        const e = new Int32Array(h * 2);
        e.set(this.openEndpoint);
        this.openEndpoint = e;
        const s = new Float64Array(h * 2);
        s.set(this.openStart);
        this.openStart = s;
      }
    }
    this.openEndpoint[h] = endpoint;
    this.openStart[h] = start;
    return h;
  }

  /** {@inheritDoc ConnectionSink.close} */
  close(handle: number, end: number, close: number): void {
    const s = this.states[this.openEndpoint[handle]];
    const start = this.openStart[handle];
    const t = this.epochOffset + start;
    s.endOpen(this.epochOffset + Math.max(end, start));
    s.tally(s.rowAt(t), CLOSE_CODES[close], Math.max(0, end - start), t);
    this.freeHandles.push(handle);
  }

  /** The endpoints' aggregates, busiest first (call once, after every connection is closed). */
  result(): EndpointAggregate[] {
    return this.states
      .filter((s) => s !== undefined)
      .map((s) => s.finish())
      .sort(byBusiest);
  }
}
