/**
 * A binary min-heap of numbers (the end times of open connections in the aggregation's sweep).
 *
 * @module
 */

/** A binary min-heap of numbers (end times of open connections). */
export class MinHeap {
  private readonly items: number[] = [];
  /** Numbers held. */
  get size(): number {
    return this.items.length;
  }
  /** The smallest number held. */
  peek(): number {
    return this.items[0];
  }
  /** Adds `x`. */
  push(x: number): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p] <= a[i]) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  /** Removes and returns the smallest number. */
  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l] < a[m]) m = l;
        if (r < a.length && a[r] < a[m]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}
