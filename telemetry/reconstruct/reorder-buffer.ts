/**
 * The reorder buffer between the flow-log reader and the connection rebuilding: records are kept,
 * in the order they arrive, in epochs of {@link EPOCH_SECONDS} by their start, and an epoch is
 * handed out, its records counted into start order, once no record still to come can start inside
 * it (the reader knows when: its lateness bound). Records live in one arena of fixed-size blocks
 * that epochs take and give back, so holding a record costs a sequential write, nothing is copied
 * when an epoch grows, and memory follows the records within the lateness, never the number read.
 *
 * @module
 */

/** Seconds of record start one epoch covers. */
export const EPOCH_SECONDS = 64;

/** Int32 words per record, at these offsets. */
export const RECORD_WORDS = 12;
/** Whole seconds from the reader's time 0. */
export const R_START = 0;
export const R_END = 1;
/** tcp-flags, -1 when not logged (or UDP). */
export const R_FLAGS = 2;
/** Direction within the flow (`FORWARD` or `BACKWARD`) + 2 × the flow kind the reader gave. */
export const R_DIR_KIND = 3;
/** Bytes as a 32-bit float (NaN when not logged): read through the arena's `floats` view. */
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

/** Records per block of the arena. */
const BLOCK_RECORDS = 1024;
const BLOCK_WORDS = BLOCK_RECORDS * RECORD_WORDS;
/** Blocks the arena holds once an input outgrows the first 16. */
const LARGE_BLOCKS = 4096;

/** The records of one epoch: the arena blocks it holds, filled in order. */
export class Epoch {
  /** Epoch number: starts from `number × EPOCH_SECONDS`. */
  number = 0;
  /** Records held. */
  length = 0;
  /** Arena blocks (their first word), in the order filled. */
  blocks: number[] = [];
}

/** Records by epoch of their start, handed out epoch by epoch in start order. */
export class ReorderBuffer {
  /**
   * The records of every epoch held: {@link RECORD_WORDS} words each, bytes through `floats`. Grown
   * fourfold when full (a large input is copied a few times, not at every doubling); blocks are
   * used in order and the system commits a page only when first written, so the part not reached
   * costs address space, not memory.
   */
  words = new Int32Array(BLOCK_WORDS * 16);
  floats = new Float32Array(this.words.buffer);
  private freeBlocks: number[] = [];
  private blocksMade = 0;
  private readonly epochs = new Map<number, Epoch>();
  private lastEpoch: Epoch | undefined;
  private order = new Int32Array(1024);

  /**
   * Makes room for a record starting at `start` and returns its word offset in {@link words}; the
   * caller fills in all {@link RECORD_WORDS} words, {@link R_START} included.
   */
  add(start: number): number {
    const n = Math.floor(start / EPOCH_SECONDS);
    let e = this.lastEpoch;
    if (e === undefined || e.number !== n) {
      e = this.epochs.get(n);
      if (e === undefined) {
        e = new Epoch();
        e.number = n;
        this.epochs.set(n, e);
      }
      this.lastEpoch = e;
    }
    const within = e.length % BLOCK_RECORDS;
    if (within === 0) e.blocks.push(this.block());
    e.length++;
    return e.blocks[e.blocks.length - 1] + within * RECORD_WORDS;
  }

  /** A free block (its first word), the arena grown when none is left. */
  private block(): number {
    const free = this.freeBlocks.pop();
    if (free !== undefined) return free;
    if ((this.blocksMade + 1) * BLOCK_WORDS > this.words.length) {
      // One jump from the small start to room for four million records (192 MB of address space,
      // committed page by page as blocks are first used): growing step by step would copy the
      // records held into fresh pages at every step, and first writes to fresh pages are what
      // holding records costs most.
      const more = new Int32Array(Math.max(this.words.length * 2, BLOCK_WORDS * LARGE_BLOCKS));
      more.set(this.words);
      this.words = more;
      this.floats = new Float32Array(more.buffer);
    }
    return this.blocksMade++ * BLOCK_WORDS;
  }

  /**
   * Hands `visit` each epoch lying wholly before `before`, in time order, with its records' word
   * offsets sorted by start (stable: records of one second stay in arrival order); the epoch's
   * blocks are given back afterwards. `Infinity` hands out everything.
   */
  release(before: number, visit: (epoch: Epoch, order: Int32Array, count: number) => void): void {
    const due: Epoch[] = [];
    for (const e of this.epochs.values()) if ((e.number + 1) * EPOCH_SECONDS <= before) due.push(e);
    due.sort((a, b) => a.number - b.number);
    for (const e of due) {
      visit(e, this.sorted(e), e.length);
      this.epochs.delete(e.number);
      for (const b of e.blocks) this.freeBlocks.push(b);
      if (this.lastEpoch === e) this.lastEpoch = undefined;
    }
  }

  /** Word offsets of the epoch's records counted into start order. */
  private sorted(e: Epoch): Int32Array {
    if (this.order.length < e.length) this.order = new Int32Array(e.length * 2);
    const order = this.order;
    const w = this.words;
    const base = e.number * EPOCH_SECONDS;
    const at = new Int32Array(EPOCH_SECONDS + 1);
    const offset = (k: number) =>
      e.blocks[Math.floor(k / BLOCK_RECORDS)] + (k % BLOCK_RECORDS) * RECORD_WORDS;
    for (let k = 0; k < e.length; k++) at[w[offset(k) + R_START] - base + 1]++;
    for (let s = 1; s <= EPOCH_SECONDS; s++) at[s] += at[s - 1];
    for (let k = 0; k < e.length; k++) {
      const o = offset(k);
      order[at[w[o + R_START] - base]++] = o;
    }
    return order;
  }
}
