import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FlowTable } from "../../telemetry/flow-table";

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

/** Replays `list` on a table and on a Map and checks they agree on every key in range. */
function agrees(maxHi: number, maxLo: number) {
  return fc.property(
    fc.array(ops(maxHi, maxLo), { minLength: 200, maxLength: 3000, size: "max" }),
    (list) => {
      const table = new FlowTable<{ v: number }>(16);
      const model = new Map<string, number>();
      for (const o of list) {
        if (o.kind === "set") {
          table.set(o.hi, o.lo, { v: o.value });
          model.set(`${o.hi},${o.lo}`, o.value);
        } else {
          table.retain((x) => x.v > o.above);
          for (const [k, v] of model) if (v <= o.above) model.delete(k);
        }
      }
      expect(table.size).toBe(model.size);
      for (let hi = 0; hi <= maxHi; hi++)
        for (let lo = 0; lo <= maxLo; lo++) expect(table.get(hi, lo)?.v).toBe(model.get(`${hi},${lo}`));
      let seen = 0;
      table.forEach(() => {
        seen++;
      });
      expect(seen).toBe(model.size);
    },
  );
}

describe("FlowTable", () => {
  it("answers every lookup as a Map does, across sets and in-place retains", () => {
    fc.assert(agrees(40, 200), { numRuns: 60 });
  });

  it("keeps probe runs that wrap past the last slot intact (small tables)", () => {
    fc.assert(agrees(3, 5), { numRuns: 200 });
  });
});
