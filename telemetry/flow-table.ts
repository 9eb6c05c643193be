/**
 * A hash table keyed by two 32-bit integers (open addressing, linear probing, keys in an
 * Int32Array): the flow tables of the flow-log reader look up a record's flow without building a
 * string or a boxed number per record. Entries leave only through {@link FlowTable.retain}, which
 * rebuilds the table from the entries kept.
 *
 * @module
 */

/** A map from (hi, lo) 32-bit integer pairs to values. */
export class FlowTable<V> {
  private keys: Int32Array;
  private values: (V | undefined)[];
  private mask: number;
  /** Entries held. */
  size = 0;

  /** @param capacity initial slots, rounded up to a power of two @default 1024 */
  constructor(capacity = 1024) {
    let c = 16;
    while (c < capacity) c *= 2;
    this.keys = new Int32Array(c * 2);
    this.values = new Array(c);
    this.mask = c - 1;
  }

  private slot(hi: number, lo: number): number {
    let h = Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    let i = h & this.mask;
    const keys = this.keys;
    const values = this.values;
    while (values[i] !== undefined && (keys[2 * i] !== (hi | 0) || keys[2 * i + 1] !== (lo | 0))) {
      i = (i + 1) & this.mask;
    }
    return i;
  }

  /** The value of (hi, lo), or undefined. */
  get(hi: number, lo: number): V | undefined {
    return this.values[this.slot(hi, lo)];
  }

  /** Sets the value of (hi, lo) (never undefined). */
  set(hi: number, lo: number, value: V): void {
    let i = this.slot(hi, lo);
    if (this.values[i] === undefined) {
      if ((this.size + 1) * 2 > this.mask + 1) {
        this.rebuild((this.mask + 1) * 2, () => true);
        i = this.slot(hi, lo);
      }
      this.keys[2 * i] = hi;
      this.keys[2 * i + 1] = lo;
      this.size++;
    }
    this.values[i] = value;
  }

  /** Keeps the entries for which `keep` is true; calls it once per entry. */
  retain(keep: (value: V) => boolean): void {
    const values = this.values;
    const keys = this.keys;
    const capacity = this.mask + 1;
    let kept = 0;
    for (let i = 0; i < capacity; i++) {
      const v = values[i];
      if (v === undefined) continue;
      if (keep(v)) kept++;
      else values[i] = undefined;
    }
    this.size = kept;
    if (capacity > 1024 && kept * 16 < capacity) {
      let c = 16;
      while (c < kept * 4) c *= 2;
      this.rebuild(Math.max(c, 1024), () => true);
      return;
    }
    // Rehash in place (fresh arrays at every sweep would pile up until a full garbage
    // collection): starting from an empty slot, each entry in circular order moves back towards its
    // home slot, so no probe path crosses an empty slot afterwards.
    let first = 0;
    while (values[first] !== undefined) first++;
    for (let k = 1; k <= capacity; k++) {
      const i = (first + k) & this.mask;
      const v = values[i];
      if (v === undefined) continue;
      const hi = keys[2 * i];
      const lo = keys[2 * i + 1];
      values[i] = undefined;
      const j = this.slot(hi, lo);
      keys[2 * j] = hi;
      keys[2 * j + 1] = lo;
      values[j] = v;
    }
  }

  /** Calls `f` for every value. */
  forEach(f: (value: V) => void): void {
    for (const v of this.values) if (v !== undefined) f(v);
  }

  private rebuild(capacity: number, keep: (value: V) => boolean): void {
    const keys = this.keys;
    const values = this.values;
    this.keys = new Int32Array(capacity * 2);
    this.values = new Array(capacity);
    this.mask = capacity - 1;
    this.size = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== undefined && keep(v)) this.set(keys[2 * i], keys[2 * i + 1], v);
    }
  }
}
