/**
 * A hash table from two 32-bit integer keys to a non-negative integer (open addressing, linear
 * probing): the flow tables of the flow-log reader look up a record's flow without building a
 * string or a boxed number per record. Key and value share one cell of an Int32Array, so a lookup
 * touches one cache line, not one per array. Entries leave only through {@link FlowTable.retain},
 * which closes the gaps in place.
 *
 * @module
 */

/** Int32 words per cell: hi, lo, value + 1 (0: empty), unused (cells stay 16-byte aligned). */
const CELL = 4;

/** Value word of a cell removed by a retain and not yet emptied. */
const REMOVED = -1;

/** Slots a table grows to at once when it outgrows {@link SHRINK_FROM}. */
const LARGE_SLOTS = 1 << 16;

/** Tables larger than this shrink when a retain leaves them nearly empty (never below it). */
const SHRINK_FROM = 1024;

/** A map from (hi, lo) 32-bit integer pairs to integers from 0 to 2^31 - 2. */
export class FlowTable {
  private cells: Int32Array;
  /** Slots - 1 (slots are a power of two). */
  private mask: number;
  /** Entries held. */
  size = 0;

  /** @param capacity initial slots, rounded up to a power of two @default 1024 */
  constructor(capacity = 1024) {
    let c = 16;
    while (c < capacity) c *= 2;
    this.cells = new Int32Array(c * CELL);
    this.mask = c - 1;
  }

  /** Slots (held or free). */
  get capacity(): number {
    return this.mask + 1;
  }

  /** The cell (index of its first word) holding (hi, lo), or the empty cell where it would go. */
  private find(hi: number, lo: number): number {
    let h = Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    const cells = this.cells;
    const mask = this.mask;
    const hi32 = hi | 0;
    const lo32 = lo | 0;
    let i = h & mask;
    for (;;) {
      const c = i * CELL;
      if (cells[c + 2] === 0 || (cells[c] === hi32 && cells[c + 1] === lo32)) return c;
      i = (i + 1) & mask;
    }
  }

  /** The value of (hi, lo), or -1. */
  get(hi: number, lo: number): number {
    return this.cells[this.find(hi, lo) + 2] - 1;
  }

  /** Sets the value of (hi, lo) (0 ≤ value < 2^31 - 1). */
  set(hi: number, lo: number, value: number): void {
    let c = this.find(hi, lo);
    if (this.cells[c + 2] === 0) {
      if ((this.size + 1) * 2 > this.mask + 1) {
        // Past the first growth, straight to a size large readers need: each doubling rehashes everything.
        this.resize(Math.max((this.mask + 1) * 2, this.mask + 1 >= SHRINK_FROM ? LARGE_SLOTS : 0));
        c = this.find(hi, lo);
      }
      this.cells[c] = hi;
      this.cells[c + 1] = lo;
      this.size++;
    }
    this.cells[c + 2] = value + 1;
  }

  /** Keeps the entries for which `keep` is true; calls it once per entry. */
  retain(keep: (value: number) => boolean): void {
    const cells = this.cells;
    const capacity = this.mask + 1;
    const held = this.size;
    let kept = 0;
    for (let c = 2; c < capacity * CELL; c += CELL) {
      const v = cells[c];
      if (v === 0) continue;
      if (keep(v - 1)) kept++;
      else cells[c] = REMOVED;
    }
    this.size = kept;
    if (capacity > SHRINK_FROM && kept * 16 < capacity) {
      let c = 16;
      while (c < kept * 4) c *= 2;
      this.resize(Math.max(c, SHRINK_FROM));
    } else if (kept < held) this.closeGaps(); // nothing removed, no gap
  }

  /**
   * Empties the cells {@link FlowTable.retain} removed and restores the probing invariant in place
   * (fresh arrays at every settling would pile up until a full garbage collection). Walking circularly
   * from a cell that was empty before, each entry that follows a removed cell in its run moves back
   * towards its home cell, so no probe path crosses an empty cell afterwards. Moves only go back to
   * cells already walked (an entry's home is in its own run), and an entry with no removed cell
   * before it in its run cannot move, so it is not rehashed.
   */
  private closeGaps(): void {
    const cells = this.cells;
    const mask = this.mask;
    let first = 0;
    while (cells[first * CELL + 2] !== 0) first++;
    let moved = false; // a removed cell since the start of the current run
    for (let k = 1; k <= mask + 1; k++) {
      const c = ((first + k) & mask) * CELL;
      const v = cells[c + 2];
      if (v === 0) moved = false;
      else if (v === REMOVED) {
        cells[c + 2] = 0;
        moved = true;
      } else if (moved) {
        const hi = cells[c];
        const lo = cells[c + 1];
        cells[c + 2] = 0;
        const to = this.find(hi, lo);
        cells[to] = hi;
        cells[to + 1] = lo;
        cells[to + 2] = v;
      }
    }
  }

  /** Calls `f` for every value. */
  forEach(f: (value: number) => void): void {
    const cells = this.cells;
    for (let c = 2; c < cells.length; c += CELL) if (cells[c] !== 0) f(cells[c] - 1);
  }

  /** Moves every entry into a fresh table of `capacity` slots. */
  private resize(capacity: number): void {
    const old = this.cells;
    this.cells = new Int32Array(capacity * CELL);
    this.mask = capacity - 1;
    for (let c = 0; c < old.length; c += CELL) {
      if (old[c + 2] <= 0) continue; // empty or removed
      const to = this.find(old[c], old[c + 1]);
      this.cells[to] = old[c];
      this.cells[to + 1] = old[c + 1];
      this.cells[to + 2] = old[c + 2];
    }
  }
}
