/**
 * Event queues of the engine. A connection's close or release time is its start plus a delay; when
 * the delay is constant, times enter in order and a ring buffer suffices (O(1)): a {@link DelayLine}
 * holds both the close and the release of constant-hold connections in one ring. Variable delays go
 * to the calendar queue (sim/engine/calendar.ts); the binary {@link Heap} remains as its overflow and as the
 * reference it is tested against. All grow with the events pending, never with the events processed.
 *
 * @module
 */

/** Timed events with an integer payload, popped in time order. */
export interface EventQueue {
  /** Events pending. */
  readonly size: number;
  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number;
  /** Payload of the earliest event (call only when not empty). */
  peekPayload(): number;
  /** Adds an event. */
  push(time: number, payload: number): void;
  /** Removes the earliest event. */
  pop(): void;
}

/** A growable ring buffer for events pushed in non-decreasing time order. */
export class Fifo implements EventQueue {
  private times: Float64Array;
  private payloads: Int32Array;
  private head = 0;
  private mask: number;
  /** Events pending. */
  size = 0;

  /** @param capacity initial capacity, rounded up to a power of two. @default 1024 */
  constructor(capacity = 1024) {
    let c = 16;
    while (c < capacity) c *= 2;
    this.times = new Float64Array(c);
    this.payloads = new Int32Array(c);
    this.mask = c - 1;
  }

  peekTime(): number {
    return this.size === 0 ? Number.POSITIVE_INFINITY : this.times[this.head];
  }

  peekPayload(): number {
    return this.payloads[this.head];
  }

  push(time: number, payload: number): void {
    if (this.size > this.mask) this.grow();
    const i = (this.head + this.size) & this.mask;
    this.times[i] = time;
    this.payloads[i] = payload;
    this.size++;
  }

  pop(): void {
    this.head = (this.head + 1) & this.mask;
    this.size--;
  }

  private grow(): void {
    const c = (this.mask + 1) * 2;
    const times = new Float64Array(c);
    const payloads = new Int32Array(c);
    for (let i = 0; i < this.size; i++) {
      const j = (this.head + i) & this.mask;
      times[i] = this.times[j];
      payloads[i] = this.payloads[j];
    }
    this.times = times;
    this.payloads = payloads;
    this.head = 0;
    this.mask = c - 1;
  }
}

/** A binary min-heap on time, in typed arrays. */
export class Heap implements EventQueue {
  private times: Float64Array;
  private payloads: Int32Array;
  /** Events pending. */
  size = 0;

  /** @param capacity events held before the arrays first double @default 1024 */
  constructor(capacity = 1024) {
    this.times = new Float64Array(Math.max(1, capacity));
    this.payloads = new Int32Array(Math.max(1, capacity));
  }

  peekTime(): number {
    return this.size === 0 ? Number.POSITIVE_INFINITY : this.times[0];
  }

  peekPayload(): number {
    return this.payloads[0];
  }

  push(time: number, payload: number): void {
    if (this.size === this.times.length) {
      const times = new Float64Array(this.size * 2);
      const payloads = new Int32Array(this.size * 2);
      times.set(this.times);
      payloads.set(this.payloads);
      this.times = times;
      this.payloads = payloads;
    }
    const t = this.times;
    const p = this.payloads;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (t[parent] <= time) break;
      t[i] = t[parent];
      p[i] = p[parent];
      i = parent;
    }
    t[i] = time;
    p[i] = payload;
  }

  pop(): void {
    const n = --this.size;
    if (n === 0) return;
    const t = this.times;
    const p = this.payloads;
    const time = t[n];
    const payload = p[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && t[c + 1] < t[c]) c++;
      if (t[c] >= time) break;
      t[i] = t[c];
      p[i] = p[c];
      i = c;
    }
    t[i] = time;
    p[i] = payload;
  }
}

/**
 * Connections with a constant open time and a constant hold-down: each is pushed once, with its
 * close time, into one ring; a close cursor passes it at the close time and a release cursor at close
 * time plus `after` (the port's release). Both cursors move in push order because times enter in
 * order and `after` is the same for every entry. Cursors are absolute counts (exact up to 2^53).
 */
export class DelayLine {
  /** Close times, indexed by count & mask. */
  times: Float64Array;
  /** Payloads, indexed like `times`. */
  payloads: Int32Array;
  /** Ring capacity − 1 (a power of two minus one). */
  mask: number;
  /** Entries pushed so far. */
  tail = 0;
  /** Entries whose close has been processed. */
  closeHead = 0;
  /** Entries whose release has been processed (never ahead of `closeHead`). */
  releaseHead = 0;

  /**
   * @param after seconds from close to release (the reuse hold-down)
   * @param capacity initial capacity, rounded up to a power of two. @default 1024
   */
  constructor(
    readonly after: number,
    capacity = 1024,
  ) {
    let c = 16;
    while (c < capacity) c *= 2;
    this.times = new Float64Array(c);
    this.payloads = new Int32Array(c);
    this.mask = c - 1;
  }

  /** Adds a connection closing at `closeTime` (not before the last one pushed). */
  push(closeTime: number, payload: number): void {
    if (this.tail - this.releaseHead > this.mask) this.grow();
    const i = this.tail & this.mask;
    this.times[i] = closeTime;
    this.payloads[i] = payload;
    this.tail++;
  }

  private grow(): void {
    const c = (this.mask + 1) * 2;
    const times = new Float64Array(c);
    const payloads = new Int32Array(c);
    const m = c - 1;
    for (let n = this.releaseHead; n < this.tail; n++) {
      times[n & m] = this.times[n & this.mask];
      payloads[n & m] = this.payloads[n & this.mask];
    }
    this.times = times;
    this.payloads = payloads;
    this.mask = m;
  }
}
