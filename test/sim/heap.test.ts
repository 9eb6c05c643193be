import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Heap } from "../../sim/engine/queues";

// The binary heap of the simulator's random holds, also the aggregation's heap of open connections'
// end times (telemetry/sinks/aggregate.ts).
describe("Heap", () => {
  it("property: any mix of pushes and pops gives back the earliest time and its payload, growing past its first block", () => {
    const op = fc.oneof(
      fc.double({ noNaN: true, min: -1e12, max: 1e12 }).map((x) => x + 0), // no -0: it ties with 0
      fc.integer({ min: 0, max: 50 }),
      fc.constant("pop" as const),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 2500 }), (ops) => {
        const heap = new Heap(64);
        const model: number[] = [];
        for (const o of ops) {
          if (o === "pop") {
            model.sort((a, b) => a - b);
            const want = model.length > 0 ? model.shift()! : Number.POSITIVE_INFINITY;
            expect(heap.peekTime()).toBe(want);
            if (heap.size > 0) heap.pop();
          } else {
            heap.push(o, 0);
            model.push(o);
          }
          expect(heap.size).toBe(model.length);
        }
        const drained: number[] = [];
        while (heap.size > 0) {
          drained.push(heap.peekTime());
          heap.pop();
        }
        expect(drained).toEqual(model.sort((a, b) => a - b));
      }),
      { numRuns: 100 },
    );
  });
});
