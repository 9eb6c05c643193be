/**
 * Holds of the attempts that failed in the logs but that a replayed gateway admits (e.g. replayed
 * with more IPs): such an attempt holds its port as one of its endpoint's completed connections did,
 * drawn at random (seeded) from them — their empirical distribution of hold and close kind, not their
 * mean, so a replay with enough IPs holds what the same traffic would have held had it succeeded.
 *
 * Completed: not failed, and closed within the logs (a TCP connection still open when the logs end
 * is censored and left out; a UDP flow still open has shown its activity and counts, as in the
 * aggregation). Memory: one 32-bit index per completed connection, built only when the trace has a
 * failed attempt.
 *
 * @module
 */
import type { Rng } from "../../sim/engine/random";
import type { ConnectionStoreView } from "../reconstruct/connections";

/** Close code of `open` (index in CLOSE_CODES). */
const OPEN = 3;

/** True when connection `i` counts as completed for the draw. */
function isCompleted(store: ConnectionStoreView, i: number): boolean {
  if (store.isFailed(i)) return false;
  return store.closeCode(i) !== OPEN || store.endpoints[store.endpoint(i)].protocol === "udp";
}

/** The completed connections of each destination, to draw an admitted failure's hold from. */
export class CompletedHolds {
  private constructor(
    /** Connection indices grouped by destination. */
    private readonly indices: Int32Array,
    /** Where each destination's group starts in `indices` (one more entry than destinations). */
    private readonly offsets: Int32Array,
  ) {}

  /**
   * Groups the completed connections of a store by destination.
   *
   * @param destOf destination index of each endpoint index
   * @param destinations number of destinations
   */
  static of(store: ConnectionStoreView, destOf: Int32Array, destinations: number): CompletedHolds {
    const offsets = new Int32Array(destinations + 1);
    for (let i = 0; i < store.length; i++)
      if (isCompleted(store, i)) offsets[destOf[store.endpoint(i)] + 1]++;
    for (let d = 0; d < destinations; d++) offsets[d + 1] += offsets[d];
    const indices = new Int32Array(offsets[destinations]);
    const fill = offsets.slice(0, destinations);
    for (let i = 0; i < store.length; i++)
      if (isCompleted(store, i)) indices[fill[destOf[store.endpoint(i)]]++] = i;
    return new CompletedHolds(indices, offsets);
  }

  /** Completed connections of destination `d`. */
  count(d: number): number {
    return this.offsets[d + 1] - this.offsets[d];
  }

  /** A completed connection of destination `d` drawn uniformly, or -1 when it has none. */
  draw(d: number, rng: Rng): number {
    const n = this.count(d);
    return n === 0 ? -1 : this.indices[this.offsets[d] + rng.below(n)];
  }
}
