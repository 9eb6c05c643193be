import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FlowTable } from "../../telemetry/reconstruct/flow-table";

/** Operations on the table: set (hi, lo) to a value, or keep only the values above a threshold. */
const ops = (maxHi: number, maxLo: number) =>
  fc.oneof(
    fc.record({
      kind: fc.constant("set" as const),
      hi: fc.integer({ min: 0, max: maxHi }),
      lo: fc.integer({ min: 0, max: maxLo }),
      value: fc.integer({ min: 0, max: 1000 }),
    }),
    fc.record({ kind: fc.constant("retain" as const), above: fc.integer({ min: 0, max: 1000 }) }),
  );

/** Checks that `table` holds exactly `model` (keys in range), and stays at most half full. */
function expectSame(table: FlowTable, model: Map<string, number>, maxHi: number, maxLo: number) {
  expect(table.size).toBe(model.size);
  expect(table.capacity).toBeGreaterThanOrEqual(2 * table.size);
  for (let hi = 0; hi <= maxHi; hi++)
    for (let lo = 0; lo <= maxLo; lo++) expect(table.get(hi, lo)).toBe(model.get(`${hi},${lo}`) ?? -1);
  const seen: number[] = [];
  table.forEach((v) => {
    seen.push(v);
  });
  expect(seen.sort((a, b) => a - b)).toEqual([...model.values()].sort((a, b) => a - b));
}

/** Replays `list` on a table and on a Map and checks they agree on every key in range. */
function agrees(maxHi: number, maxLo: number, capacity: number) {
  return fc.property(
    fc.array(ops(maxHi, maxLo), { minLength: 200, maxLength: 3000, size: "max" }),
    (list) => {
      const table = new FlowTable(capacity);
      const model = new Map<string, number>();
      for (const o of list) {
        if (o.kind === "set") {
          table.set(o.hi, o.lo, o.value);
          model.set(`${o.hi},${o.lo}`, o.value);
        } else {
          const visited: number[] = [];
          table.retain((v) => {
            visited.push(v);
            return v > o.above;
          });
          expect(visited.length).toBe(model.size);
          for (const [k, v] of model) if (v <= o.above) model.delete(k);
        }
      }
      expectSame(table, model, maxHi, maxLo);
    },
  );
}

describe("FlowTable", () => {
  it("answers every lookup as a Map does, across sets and in-place retains", () => {
    fc.assert(agrees(40, 200, 16), { numRuns: 60 });
  });

  it("keeps probe runs that wrap past the last slot intact (small tables)", () => {
    fc.assert(agrees(3, 5, 16), { numRuns: 300 });
  });

  it("property: grows under inserts and shrinks after large removals, every entry still found", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 6000 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 2 ** 31 - 2 }),
        (n, keepEvery, big) => {
          const table = new FlowTable();
          const model = new Map<string, number>();
          // Keys as the readers make them: full 32-bit addresses and port × 65 536 + id above 2^31.
          const key = (k: number) => [(k * 2_654_435_761) % 2 ** 32, 65_535 * 65_536 + (k % 65_536)];
          for (let k = 0; k < n; k++) {
            const [hi, lo] = key(k);
            const value = k === 0 ? big : k;
            table.set(hi, lo, value);
            model.set(`${hi},${lo}`, value);
          }
          const grown = table.capacity;
          expect(grown).toBeGreaterThanOrEqual(2 * n);
          table.retain((v) => keepEvery > 0 && v % 41 < keepEvery % 3);
          for (let k = 0; k < n; k++) {
            const [hi, lo] = key(k);
            const v = model.get(`${hi},${lo}`)!;
            const kept = keepEvery > 0 && v % 41 < keepEvery % 3;
            expect(table.get(hi, lo)).toBe(kept ? v : -1);
            if (!kept) model.delete(`${hi},${lo}`);
          }
          expect(table.size).toBe(model.size);
          if (model.size * 16 < grown) expect(table.capacity).toBeLessThan(grown);
        },
      ),
      { numRuns: 30 },
    );
  });
});
