/**
 * A binary min-heap of numbers (the end times of open connections in the aggregation's sweep), in a
 * Float64Array that doubles when full: pushing and popping allocate nothing (no boxed number, no
 * swap pair), and items move by holes rather than swaps.
 *
 * @module
 */

/** A binary min-heap of numbers (end times of open connections). */
export class MinHeap {
  private items = new Float64Array(64);
  private count = 0;

  /** Numbers held. */
  get size(): number {
    return this.count;
  }

  /** The smallest number held (NaN when empty). */
  peek(): number {
    return this.count > 0 ? this.items[0] : Number.NaN;
  }

  /** Adds `x`. */
  push(x: number): void {
    if (this.count === this.items.length) {
      const grown = new Float64Array(this.count * 2);
      grown.set(this.items);
      this.items = grown;
    }
    const a = this.items;
    let i = this.count++;
    // Move parents down into the hole until x fits.
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p] <= x) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = x;
  }

  /** Removes and returns the smallest number (NaN when empty). */
  pop(): number {
    if (this.count === 0) return Number.NaN;
    const a = this.items;
    const top = a[0];
    const n = --this.count;
    if (n > 0) {
      const x = a[n];
      let i = 0;
      // Move the smaller child up into the hole until x fits.
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const m = r < n && a[r] < a[l] ? r : l;
        if (!(a[m] < x)) break;
        a[i] = a[m];
        i = m;
      }
      a[i] = x;
    }
    return top;
  }
}
