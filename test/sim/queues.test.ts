import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CalendarQueue } from "../../sim/engine/calendar";
import { DelayLine, type EventQueue, Heap } from "../../sim/engine/queues";
import { Rng } from "../../sim/engine/random";

/** The simplest correct queue: an array scanned for its earliest event. */
class ArrayQueue implements EventQueue {
  private times: number[] = [];
  private payloads: number[] = [];
  get size() {
    return this.times.length;
  }
  private argmin(): number {
    let best = 0;
    for (let i = 1; i < this.times.length; i++) if (this.times[i] < this.times[best]) best = i;
    return best;
  }
  peekTime() {
    return this.times.length === 0 ? Number.POSITIVE_INFINITY : this.times[this.argmin()];
  }
  peekPayload() {
    return this.payloads[this.argmin()];
  }
  push(time: number, payload: number) {
    this.times.push(time);
    this.payloads.push(payload);
  }
  pop() {
    const i = this.argmin();
    this.times.splice(i, 1);
    this.payloads.splice(i, 1);
  }
}

/**
 * Drives a queue as the engine does: the clock moves forward, every event due by then is popped in
 * order, and new events are pushed at or after the clock. Returns the (time, payload) pops in order.
 */
function drive(q: EventQueue, steps: { advance: number; delays: number[] }[]): [number, number][] {
  const popped: [number, number][] = [];
  let now = 0;
  let id = 0;
  for (const step of steps) {
    now += step.advance;
    while (q.peekTime() <= now) {
      popped.push([q.peekTime(), q.peekPayload()]);
      q.pop();
    }
    for (const d of step.delays) q.push(now + d, id++);
  }
  while (q.size > 0) {
    popped.push([q.peekTime(), q.peekPayload()]);
    q.pop();
  }
  return popped;
}

/** Pops must come in time order and pop each pushed event once, at its own time. */
function checkPops(popped: [number, number][], reference: [number, number][]): void {
  expect(popped.length).toBe(reference.length);
  const timeOf = new Map(reference.map(([t, p]) => [p, t]));
  let wrong = 0;
  for (const [i, [t, p]] of popped.entries()) if (t !== reference[i][0] || timeOf.get(p) !== t) wrong++;
  expect(wrong).toBe(0);
  expect(new Set(popped.map(([, p]) => p)).size).toBe(popped.length);
}

const delay = fc.oneof(
  fc.constant(0),
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.double({ min: 0, max: 1000, noNaN: true }),
  fc.integer({ min: 0, max: 5 }).map((x) => x / 4), // ties
);
const steps = fc.array(
  fc.record({
    advance: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 50, noNaN: true })),
    delays: fc.array(delay, { maxLength: 40 }),
  }),
  { maxLength: 80 },
);

describe("calendar queue", () => {
  it("pops the same events in the same time order as a plain array (random event sequences)", () => {
    fc.assert(
      fc.property(steps, fc.double({ min: 0.001, max: 1e4, noNaN: true }), (s, expectedRate) => {
        checkPops(drive(new CalendarQueue(expectedRate), s), drive(new ArrayQueue(), s));
      }),
      { numRuns: 300 },
    );
  });
  it("matches the heap through growth, re-fits, the overflow and long gaps (200,000 events)", () => {
    const rng = new Rng(5);
    const s: { advance: number; delays: number[] }[] = [];
    for (let i = 0; i < 20_000; i++) {
      // Bursts, quiet spells and a heavy-tailed mix of delays.
      const advance = i % 5000 < 100 ? 0 : rng.exponential(i % 7 === 0 ? 5 : 0.01);
      const delays = Array.from({ length: rng.below(20) }, () =>
        rng.float() < 0.1 ? rng.exponential(3000) : Math.exp(2 * rng.normal()),
      );
      s.push({ advance, delays });
    }
    const popped = drive(new CalendarQueue(100), s);
    const reference = drive(new Heap(), s);
    expect(popped.length).toBeGreaterThan(100_000);
    checkPops(popped, reference);
  });
  it("keeps events at infinity last, with finite events still in order", () => {
    const withInfinity = steps.map((s) =>
      s.map((step, i) => ({
        ...step,
        delays: i % 3 === 0 ? [...step.delays, Number.POSITIVE_INFINITY] : step.delays,
      })),
    );
    fc.assert(
      fc.property(withInfinity, (s) => {
        checkPops(drive(new CalendarQueue(10), s), drive(new ArrayQueue(), s));
      }),
      { numRuns: 100 },
    );
  });
  it("reports Infinity when empty and after every event is popped", () => {
    const q = new CalendarQueue();
    expect(q.peekTime()).toBe(Number.POSITIVE_INFINITY);
    q.push(3, 1);
    expect(q.peekTime()).toBe(3);
    q.pop();
    expect(q.size).toBe(0);
    expect(q.peekTime()).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("delay line", () => {
  it("passes each entry at its close time and at close time plus the hold-down, in push order", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { maxLength: 3000 }),
        (after, gaps) => {
          const line = new DelayLine(after, 2);
          let t = 0;
          const closes: number[] = [];
          for (const [i, g] of gaps.entries()) {
            t += g;
            closes.push(t);
            line.push(t, i);
          }
          expect(line.tail).toBe(gaps.length);
          for (let n = 0; n < line.tail; n++) {
            expect(line.times[n & line.mask]).toBe(closes[n]);
            expect(line.payloads[n & line.mask]).toBe(n);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
  it("keeps unreleased entries in place when it grows", () => {
    const line = new DelayLine(5, 16);
    for (let i = 0; i < 10; i++) line.push(i, i);
    line.closeHead = 8;
    line.releaseHead = 6;
    for (let i = 10; i < 40; i++) line.push(i, i);
    for (let n = line.releaseHead; n < line.tail; n++) expect(line.payloads[n & line.mask]).toBe(n);
  });
});
