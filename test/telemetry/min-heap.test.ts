import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MinHeap } from "../../telemetry/min-heap";

describe("MinHeap", () => {
  it("property: any mix of pushes and pops gives back the smallest held each time, growing past its first block", () => {
    const op = fc.oneof(
      fc.double({ noNaN: true, min: -1e12, max: 1e12 }).map((x) => x + 0), // no -0: it ties with 0
      fc.integer({ min: 0, max: 50 }),
      fc.constant("pop" as const),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        const heap = new MinHeap();
        const model: number[] = [];
        for (const o of ops) {
          if (o === "pop") {
            model.sort((a, b) => a - b);
            const want = model.length > 0 ? model.shift()! : Number.NaN;
            expect(heap.peek()).toBe(want);
            expect(heap.pop()).toBe(want);
          } else {
            heap.push(o);
            model.push(o);
          }
          expect(heap.size).toBe(model.length);
        }
        const drained: number[] = [];
        while (heap.size > 0) drained.push(heap.pop());
        expect(drained).toEqual(model.sort((a, b) => a - b));
      }),
      { numRuns: 300 },
    );
  });
});
