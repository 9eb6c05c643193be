/**
 * The reorder buffer between the flow-log reader and the connection rebuilding: records are kept,
 * in the order they arrive, in epochs of {@link EPOCH_SECONDS} by their start, and an epoch is
 * handed out, its records counted into start order, once no record still to come can start inside
 * it (the reader knows when: its lateness bound). Records are appended to one array per epoch, so
 * holding them costs a sequential write each and memory follows the records within the lateness,
 * never the number read.
 *
 * @module
 */
import { grown } from "./flow-records";

/** Seconds of record start one epoch covers. */
export const EPOCH_SECONDS = 64;

/** Int32 words per record, at these offsets. */
export const RECORD_WORDS = 12;
/** Whole seconds from the reader's first record. */
export const R_START = 0;
export const R_END = 1;
/** tcp-flags, -1 when not logged (or UDP). */
export const R_FLAGS = 2;
/** Direction within the flow (`FORWARD` or `BACKWARD`) + 2 × the flow kind the reader gave. */
export const R_DIR_KIND = 3;
/** Bytes as a 32-bit float (NaN when not logged): read through the epoch's `floats` view. */
export const R_BYTES = 4;
/** The flow's key (two 32-bit integers) and one more word the reader attaches. */
export const R_KEY_HI = 5;
export const R_KEY_LO = 6;
export const R_AUX = 7;
/** Index of the file the record was read from, and its line (for reports). */
export const R_FILE = 8;
export const R_LINE = 9;
/** Free for the consumer (e.g. chaining the records of one flow). */
export const R_NEXT = 10;

/** The records of one epoch: `words` in {@link RECORD_WORDS}-word records, bytes in `floats`. */
export class Epoch {
  words = new Int32Array(RECORD_WORDS * 256);
  floats = new Float32Array(this.words.buffer);
  /** Records held. */
  length = 0;
  /** Epoch number: starts from `number × EPOCH_SECONDS`. */
  number = 0;
  /** Word offset of the record added last. */
  at = 0;

  /** Makes room for a record at the end; its word offset is then {@link Epoch.at}. */
  append(): void {
    const at = this.length * RECORD_WORDS;
    if (at === this.words.length) {
      this.words = grown(this.words, at * 2);
      this.floats = new Float32Array(this.words.buffer);
    }
    this.length++;
    this.at = at;
  }
}

/** Records by epoch of their start, handed out epoch by epoch in start order. */
export class ReorderBuffer {
  private readonly epochs = new Map<number, Epoch>();
  private readonly spare: Epoch[] = [];
  private lastEpoch: Epoch | undefined;
  /** Records held. */
  size = 0;
  /** Peak of {@link ReorderBuffer.size}. */
  peak = 0;
  private order = new Int32Array(1024);

  /**
   * Makes room for a record starting at `start` and returns its epoch: the caller fills in all
   * {@link RECORD_WORDS} words at {@link Epoch.at}, {@link R_START} included.
   */
  add(start: number): Epoch {
    const n = Math.floor(start / EPOCH_SECONDS);
    let e = this.lastEpoch;
    if (e === undefined || e.number !== n) {
      e = this.epochs.get(n);
      if (e === undefined) {
        e = this.spare.pop() ?? new Epoch();
        e.number = n;
        e.length = 0;
        this.epochs.set(n, e);
      }
      this.lastEpoch = e;
    }
    e.append();
    if (++this.size > this.peak) this.peak = this.size;
    return e;
  }

  /**
   * Hands `visit` each epoch lying wholly before `before`, in time order, with its records' word
   * offsets sorted by start (stable: records of one second stay in arrival order); the epoch is
   * emptied afterwards. `Infinity` hands out everything.
   */
  release(before: number, visit: (epoch: Epoch, order: Int32Array, count: number) => void): void {
    const due: Epoch[] = [];
    for (const e of this.epochs.values()) if ((e.number + 1) * EPOCH_SECONDS <= before) due.push(e);
    due.sort((a, b) => a.number - b.number);
    for (const e of due) {
      visit(e, this.sorted(e), e.length);
      this.epochs.delete(e.number);
      this.size -= e.length;
      e.length = 0;
      if (this.lastEpoch === e) this.lastEpoch = undefined;
      this.spare.push(e);
    }
    if (this.spare.length > 4) this.spare.length = 4; // a burst's epochs are not kept for ever
  }

  /** Word offsets of the epoch's records counted into start order. */
  private sorted(e: Epoch): Int32Array {
    if (this.order.length < e.length) this.order = new Int32Array(e.length * 2);
    const order = this.order;
    const w = e.words;
    const base = e.number * EPOCH_SECONDS;
    const at = new Int32Array(EPOCH_SECONDS + 1);
    for (let k = 0; k < e.length; k++) at[w[k * RECORD_WORDS + R_START] - base + 1]++;
    for (let s = 1; s <= EPOCH_SECONDS; s++) at[s] += at[s - 1];
    for (let k = 0; k < e.length; k++) order[at[w[k * RECORD_WORDS + R_START] - base]++] = k * RECORD_WORDS;
    return order;
  }
}
