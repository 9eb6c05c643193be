/**
 * A calendar queue (a bucketed timing wheel keyed on event time) for the close events of
 * connections with random holds. Push and pop cost O(1) on average whatever the number of events
 * pending, where the binary heap costs O(log n) with a cache miss at most levels.
 *
 * Layout. Time is cut into buckets of `width` seconds; bucket b holds the times in
 * [b·width, (b+1)·width) (computed once as `Math.floor(time * inverseWidth)`, which never decreases
 * when the time increases, so bucket order is time order). The wheel has `nb` slots (a power of two)
 * covering the buckets cur+1 … cur+nb−1. A bucket holds about a thousand events, appended to a chain
 * of 128-event chunks from a shared pool in typed arrays, so a push writes next to the previous push
 * into the same bucket and the few thousand chunk ends in use stay in cache. Events further ahead
 * wait in an overflow heap and move into the wheel as it turns.
 *
 * Exact order. When the wheel reaches bucket `cur`, the bucket's events are sorted into the `run` (a
 * counting sort on sub-buckets, then an insertion sort that only moves events within a sub-bucket),
 * which pops in time order; an event pushed into a bucket the wheel has already reached (b ≤ cur)
 * goes to a small `near` heap, and each pop takes the earlier of the run's and the near heap's
 * heads. So every pop returns the earliest pending event, exactly as the heap does: the engine
 * chains a port release (close time + hold-down) into a FIFO per hold-down at each pop, and that
 * FIFO relies on closes arriving in time order. Events at +Infinity wait in their own heap.
 *
 * Adaptation. The width aims at about PER_BUCKET events per bucket: it starts from a hint (the
 * expected event rate) and is re-fitted from the events pending (their density near the front) when
 * they double, or when buckets turn out far fuller or emptier than aimed at, or too many events wait
 * in the overflow. Each rebuild re-inserts every event, at most once per as many pops (or pushes) as
 * events pending, so the amortised cost stays O(1). Memory follows the events pending: the chunk
 * pool (at most twice the events plus one partly filled chunk per bucket), the run (one bucket) and
 * the wheel (at most one slot per 32 pending events, at least 256).
 *
 * @module
 */
import { type EventQueue, Heap } from "./queues";

/** Events per bucket the width aims at. */
const PER_BUCKET = 1024;
/** Events per chunk (a power of two). */
const CHUNK = 128;
const CHUNK_BITS = 7;
const MIN_SLOTS = 256;

/** A calendar queue of timed events with an integer payload, popped in time order. */
export class CalendarQueue implements EventQueue {
  private poolTime = new Float64Array(64 * CHUNK);
  private poolPayload = new Int32Array(64 * CHUNK);
  private chunkNext = new Int32Array(64);
  private freeChunk = -1;
  private chunksUsed = 0;

  private slotHead: Int32Array;
  private slotTail: Int32Array;
  private slotFill: Int32Array;
  private slotMask: number;
  private width: number;
  private inverseWidth: number;
  /** The bucket whose events are in the run (or were, and have all been popped). */
  private cur = Number.NEGATIVE_INFINITY;
  private inWheel = 0;
  private overflow = new Heap();
  private near = new Heap();
  /** Events at time +Infinity (a hold can overflow); they come after every other event. */
  private infinite = new Heap();

  private runTime = new Float64Array(1024);
  private runPayload = new Int32Array(1024);
  private runHead = 0;
  private runEnd = 0;
  private subCount = new Int32Array(1025);

  private popsSinceRebuild = 0;
  private bucketsSinceRebuild = 0;
  private sizeAtRebuild = 0;

  /** Events pending. */
  size = 0;

  /**
   * @param expectedRate events per second the queue is expected to pop (sets the first bucket
   *   width; the width then adapts to the events pending). @default 1
   */
  constructor(expectedRate = 1) {
    this.width = expectedRate > 0 && Number.isFinite(expectedRate) ? PER_BUCKET / expectedRate : 1;
    this.inverseWidth = 1 / this.width;
    this.slotHead = new Int32Array(MIN_SLOTS).fill(-1);
    this.slotTail = new Int32Array(MIN_SLOTS).fill(-1);
    this.slotFill = new Int32Array(MIN_SLOTS);
    this.slotMask = MIN_SLOTS - 1;
  }

  peekTime(): number {
    if (this.runHead === this.runEnd && this.near.size === 0) {
      if (this.size === this.infinite.size) return Number.POSITIVE_INFINITY;
      this.advance();
    }
    const near = this.near.peekTime();
    if (this.runHead === this.runEnd) return near;
    const run = this.runTime[this.runHead];
    return run <= near ? run : near;
  }

  peekPayload(): number {
    if (this.fromRun()) return this.runPayload[this.runHead];
    return this.near.size > 0 ? this.near.peekPayload() : this.infinite.peekPayload();
  }

  push(time: number, payload: number): void {
    this.size++;
    this.place(time, payload);
    const finite = this.size - this.infinite.size;
    if (finite > 2 * this.sizeAtRebuild && finite >= MIN_SLOTS) this.rebuild();
  }

  pop(): void {
    if (this.fromRun()) this.runHead++;
    else if (this.near.size > 0) this.near.pop();
    else this.infinite.pop();
    this.popsSinceRebuild++;
    this.size--;
  }

  /** True when the earliest event is the run's head (after a peek). */
  private fromRun(): boolean {
    return (
      this.runHead < this.runEnd &&
      (this.near.size === 0 || this.runTime[this.runHead] <= this.near.peekTime())
    );
  }

  /** Puts an event where it belongs: the near heap, a wheel slot or the overflow heap. */
  private place(time: number, payload: number): void {
    const b = Math.floor(time * this.inverseWidth);
    if (time === Number.POSITIVE_INFINITY) this.infinite.push(time, payload);
    else if (b <= this.cur) this.near.push(time, payload);
    else if (b - this.cur <= this.slotMask) {
      const slot = b & this.slotMask;
      let c = this.slotTail[slot];
      let fill = this.slotFill[slot];
      if (c < 0 || fill === CHUNK) {
        const fresh = this.allocChunk();
        if (c < 0) this.slotHead[slot] = fresh;
        else this.chunkNext[c] = fresh;
        this.slotTail[slot] = fresh;
        c = fresh;
        fill = 0;
      }
      const i = (c << CHUNK_BITS) + fill;
      this.poolTime[i] = time;
      this.poolPayload[i] = payload;
      this.slotFill[slot] = fill + 1;
      this.inWheel++;
    } else this.overflow.push(time, payload);
  }

  private allocChunk(): number {
    let c = this.freeChunk;
    if (c >= 0) this.freeChunk = this.chunkNext[c];
    else {
      if (this.chunksUsed === this.chunkNext.length) this.growPool();
      c = this.chunksUsed++;
    }
    this.chunkNext[c] = -1;
    return c;
  }

  /** Turns the wheel to the next bucket with events and sorts it into the run (all empty, size > 0). */
  private advance(): void {
    this.runHead = 0;
    this.runEnd = 0;
    if (this.popsSinceRebuild >= Math.max(4 * PER_BUCKET, this.size)) {
      // Re-fit when buckets hold far more or far fewer events than aimed at, or too many wait in
      // the overflow heap.
      const perBucket = this.popsSinceRebuild / Math.max(1, this.bucketsSinceRebuild);
      if (perBucket > 4 * PER_BUCKET || perBucket < PER_BUCKET / 4 || this.overflow.size > this.size / 4)
        this.rebuild();
      else {
        this.popsSinceRebuild = 0;
        this.bucketsSinceRebuild = 0;
      }
    }
    const mask = this.slotMask;
    for (;;) {
      if (this.inWheel === 0) this.cur = Math.floor(this.overflow.peekTime() * this.inverseWidth) - 1; // nothing near: jump
      const cur = ++this.cur;
      this.bucketsSinceRebuild++;
      while (this.overflow.size > 0) {
        const time = this.overflow.peekTime();
        if (Math.floor(time * this.inverseWidth) - cur > mask) break;
        const payload = this.overflow.peekPayload();
        this.overflow.pop();
        this.place(time, payload);
      }
      const slot = cur & mask;
      if (this.slotHead[slot] >= 0) {
        this.takeBucket(slot, cur);
        return;
      }
      if (this.near.size > 0) return; // a migrated event landed in the near heap
    }
  }

  /** Moves one bucket's events into the run, sorted by time, and frees its chunks. */
  private takeBucket(slot: number, bucket: number): void {
    let count = 0;
    for (let c = this.slotHead[slot]; c >= 0; c = this.chunkNext[c])
      count += c === this.slotTail[slot] ? this.slotFill[slot] : CHUNK;
    while (this.runTime.length < count) this.growRun();
    let subs = 1;
    while (subs < count) subs *= 2;
    if (this.subCount.length < subs + 1) this.subCount = new Int32Array(subs + 1);
    const sub = this.subCount;
    sub.fill(0, 0, subs + 1);
    const start = bucket * this.width;
    const scale = subs * this.inverseWidth;
    const pt = this.poolTime;
    const pp = this.poolPayload;
    // Counting sort on sub-buckets.
    for (let c = this.slotHead[slot]; c >= 0; c = this.chunkNext[c]) {
      const n = c === this.slotTail[slot] ? this.slotFill[slot] : CHUNK;
      for (let i = c << CHUNK_BITS, end = i + n; i < end; i++) {
        const k = Math.min(subs - 1, Math.max(0, Math.floor((pt[i] - start) * scale)));
        sub[k + 1]++;
      }
    }
    for (let k = 1; k <= subs; k++) sub[k] += sub[k - 1];
    const rt = this.runTime;
    const rp = this.runPayload;
    let c = this.slotHead[slot];
    while (c >= 0) {
      const n = c === this.slotTail[slot] ? this.slotFill[slot] : CHUNK;
      for (let i = c << CHUNK_BITS, end = i + n; i < end; i++) {
        const k = Math.min(subs - 1, Math.max(0, Math.floor((pt[i] - start) * scale)));
        const at = sub[k]++;
        rt[at] = pt[i];
        rp[at] = pp[i];
      }
      const next = this.chunkNext[c];
      this.chunkNext[c] = this.freeChunk;
      this.freeChunk = c;
      c = next;
    }
    // Insertion sort: events only move within their sub-bucket, so this is about linear.
    for (let i = 1; i < count; i++) {
      const time = rt[i];
      if (rt[i - 1] <= time) continue;
      const payload = rp[i];
      let j = i;
      while (j > 0 && rt[j - 1] > time) {
        rt[j] = rt[j - 1];
        rp[j] = rp[j - 1];
        j--;
      }
      rt[j] = time;
      rp[j] = payload;
    }
    this.slotHead[slot] = -1;
    this.slotTail[slot] = -1;
    this.slotFill[slot] = 0;
    this.inWheel -= count;
    this.runEnd = count;
  }

  /**
   * Re-inserts every pending event with a width fitted to the events near the front (about
   * PER_BUCKET per bucket) and a wheel long enough for most of them.
   */
  private rebuild(): void {
    const n = this.size - this.infinite.size;
    const times = new Float64Array(n);
    const payloads = new Int32Array(n);
    let j = 0;
    for (let i = this.runHead; i < this.runEnd; i++) {
      times[j] = this.runTime[i];
      payloads[j++] = this.runPayload[i];
    }
    for (const heap of [this.near, this.overflow])
      while (heap.size > 0) {
        times[j] = heap.peekTime();
        payloads[j++] = heap.peekPayload();
        heap.pop();
      }
    for (let s = 0; s <= this.slotMask; s++)
      for (let c = this.slotHead[s]; c >= 0; c = this.chunkNext[c]) {
        const fill = c === this.slotTail[s] ? this.slotFill[s] : CHUNK;
        for (let i = c << CHUNK_BITS, end = i + fill; i < end; i++) {
          times[j] = this.poolTime[i];
          payloads[j++] = this.poolPayload[i];
        }
      }
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) if (times[i] < min) min = times[i];
    // A sample of residual times: the 1/16 quantile gives the density at the front, the 15/16
    // quantile the span the wheel should cover.
    const m = Math.min(n, 1024);
    const sample = new Float64Array(m);
    for (let i = 0; i < m; i++) sample[i] = times[Math.floor((i * n) / m)] - min;
    sample.sort();
    const q = Math.floor(m / 16);
    const front = sample[q];
    const fitted = (PER_BUCKET * front * m) / (n * q);
    if (q > 0 && fitted > 0 && Number.isFinite(fitted)) this.width = fitted;
    this.inverseWidth = 1 / this.width;
    const span = sample[Math.floor((m * 15) / 16)];
    let slots = MIN_SLOTS;
    while (slots * 32 < n && slots * this.width < span) slots *= 2;
    this.slotHead = new Int32Array(slots).fill(-1);
    this.slotTail = new Int32Array(slots).fill(-1);
    this.slotFill = new Int32Array(slots);
    this.slotMask = slots - 1;
    this.freeChunk = -1;
    this.chunksUsed = 0;
    this.inWheel = 0;
    this.runHead = 0;
    this.runEnd = 0;
    this.popsSinceRebuild = 0;
    this.bucketsSinceRebuild = 0;
    this.sizeAtRebuild = n;
    // Everything goes to the wheel or the overflow: the run restarts at the earliest bucket.
    this.cur = n > 0 ? Math.floor(min * this.inverseWidth) - 1 : Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) this.place(times[i], payloads[i]);
  }

  private growPool(): void {
    const c = this.chunkNext.length * 2;
    const time = new Float64Array(c * CHUNK);
    const payload = new Int32Array(c * CHUNK);
    const next = new Int32Array(c);
    time.set(this.poolTime);
    payload.set(this.poolPayload);
    next.set(this.chunkNext);
    this.poolTime = time;
    this.poolPayload = payload;
    this.chunkNext = next;
  }

  private growRun(): void {
    const c = this.runTime.length * 2;
    this.runTime = new Float64Array(c);
    this.runPayload = new Int32Array(c);
  }
}
