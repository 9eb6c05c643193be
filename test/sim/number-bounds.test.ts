// Every number of the workload format has a bound (natcap's, or the field's meaning, or
// Number.MAX_SAFE_INTEGER where nothing tighter applies). A number past it gets exactly one issue,
// at that field, naming the bound: never "is not a whole number" for a whole number that is only
// too large, never a second issue about the same value.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { WorkloadError } from "../../core/errors";
import { fmt } from "../../core/format";
import { RawWorkloadSchema, validateWorkload } from "../../sim/workload/workload";

/** A valid workload with every bounded number present, each reachable by its path. */
// biome-ignore lint/suspicious/noExplicitAny: a plain JSON tree walked by path below
type Json = any;
function base(): Record<string, Json> {
  return {
    cloud: "azure",
    gateway: {
      ips: 1,
      ipsV6: 0,
      idleTimeoutMinutes: 4,
      portReuseSeconds: { fin: 65, rst: 16, udp: 65 },
      perIpDestinationLimit: 50_000,
    },
    durationSeconds: 600,
    seed: 1,
    destinations: [
      {
        name: "a",
        address: "203.0.113.10",
        port: 443,
        peakConnections: 10,
        peakDurationSeconds: 60,
        peakHoldSeconds: 5,
      },
    ],
    traffic: [
      { to: "a", connectionsPerSecond: 1, holdSeconds: 5, schedule: [{ atSeconds: 60, multiplier: 2 }] },
      { to: "a", connectionsPerSecond: 1, holdSeconds: { distribution: "constant", value: 5 } },
      { to: "a", connectionsPerSecond: 1, holdSeconds: { distribution: "exponential", mean: 5 } },
      { to: "a", connectionsPerSecond: 1, holdSeconds: { distribution: "uniform", min: 1, max: 5 } },
      { to: "a", connectionsPerSecond: 1, holdSeconds: { distribution: "lognormal", mean: 5, sigma: 1 } },
    ],
  };
}

/** Each bounded number: its path in {@link base}, and its bound (absent: Number.MAX_SAFE_INTEGER). */
const FIELDS: { path: (string | number)[]; max: number }[] = [
  { path: ["gateway", "ips"], max: Number.MAX_SAFE_INTEGER },
  { path: ["gateway", "ipsV6"], max: Number.MAX_SAFE_INTEGER },
  { path: ["gateway", "idleTimeoutMinutes"], max: 120 },
  { path: ["gateway", "portReuseSeconds", "fin"], max: 31_536_000 },
  { path: ["gateway", "portReuseSeconds", "rst"], max: 31_536_000 },
  { path: ["gateway", "portReuseSeconds", "udp"], max: 31_536_000 },
  { path: ["gateway", "perIpDestinationLimit"], max: Number.MAX_SAFE_INTEGER },
  { path: ["gateway", "drainSeconds"], max: 4_000 },
  { path: ["durationSeconds"], max: 31_536_000 },
  { path: ["seed"], max: 4_294_967_295 },
  { path: ["destinations", 0, "port"], max: 65_535 },
  { path: ["destinations", 0, "peakConnections"], max: 10_000_000 },
  { path: ["destinations", 0, "peakDurationSeconds"], max: 31_536_000 },
  { path: ["destinations", 0, "peakHoldSeconds"], max: 31_536_000 },
  { path: ["traffic", 0, "connectionsPerSecond"], max: 1_000_000_000 },
  { path: ["traffic", 0, "holdSeconds"], max: 31_536_000 },
  { path: ["traffic", 0, "schedule", 0, "atSeconds"], max: 31_536_000 },
  { path: ["traffic", 0, "schedule", 0, "multiplier"], max: 1_000_000 },
  { path: ["traffic", 1, "holdSeconds", "value"], max: 31_536_000 },
  { path: ["traffic", 2, "holdSeconds", "mean"], max: 31_536_000 },
  { path: ["traffic", 3, "holdSeconds", "max"], max: 31_536_000 },
  { path: ["traffic", 4, "holdSeconds", "mean"], max: 31_536_000 },
  { path: ["traffic", 4, "holdSeconds", "sigma"], max: 5 },
];

function withValue(path: (string | number)[], value: number): unknown {
  const w = base();
  let o = w;
  for (const k of path.slice(0, -1)) o = o[k];
  o[path[path.length - 1]] = value;
  return w;
}

function issuesOf(data: unknown): readonly { path: string; message: string }[] {
  try {
    validateWorkload(data);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(WorkloadError);
    return (e as WorkloadError).issues;
  }
}

/** Every numeric property of the format's JSON Schema that declares a maximum, by name. */
function boundedNames(): Set<string> {
  const names = new Set<string>();
  const walk = (s: unknown, name: string) => {
    if (!s || typeof s !== "object") return;
    const o = s as Record<string, unknown>;
    if ((o.type === "number" || o.type === "integer") && "maximum" in o) names.add(name);
    for (const [k, v] of Object.entries(o)) {
      if (k === "properties") for (const [p, ps] of Object.entries(v as object)) walk(ps, p);
      else walk(v, name);
    }
  };
  walk(z.toJSONSchema(RawWorkloadSchema, { io: "input", unrepresentable: "any" }), "");
  return names;
}

describe("a number past its bound", () => {
  it("the table covers every bounded number of the format", () => {
    const covered = new Set(FIELDS.map((f) => String(f.path[f.path.length - 1])));
    // `min` is bounded like `max` (uniform hold); checking one of the pair keeps the base valid.
    for (const name of boundedNames()) if (name !== "min") expect(covered, name).toContain(name);
  });

  it.each([1e15, 1e22])(
    "peakConnections %d: one issue naming natcap's bound, not 'not a whole number'",
    (n) => {
      const issues = issuesOf(withValue(["destinations", 0, "peakConnections"], n));
      expect(issues).toHaveLength(1);
      expect(issues[0].path).toBe("destinations[0].peakConnections");
      expect(issues[0].message).toMatch(/exceeds 10,000,000 \(natcap's bound/);
      expect(issues[0].message).not.toMatch(/whole/);
    },
  );

  it("yields exactly one issue at the field, naming the bound", () => {
    const past = (max: number) =>
      fc.oneof(
        fc.double({ min: max, max: 1e300, noNaN: true, noDefaultInfinity: true }).filter((n) => n > max),
        fc.integer({ min: 1, max: 1_000_000 }).map((k) => max + k),
        fc.constantFrom(1e15, 1e22, 1e300).filter((n) => n > max),
      );
    fc.assert(
      fc.property(
        fc.constantFrom(...FIELDS).chain((f) => fc.tuple(fc.constant(f), past(f.max))),
        ([f, n]) => {
          const issues = issuesOf(withValue(f.path, n));
          expect(issues, JSON.stringify(issues)).toHaveLength(1);
          const bound =
            f.max === Number.MAX_SAFE_INTEGER ? "Number.MAX_SAFE_INTEGER" : `exceeds ${fmt(f.max)} (`;
          expect(issues[0].message).toContain(bound);
          expect(issues[0].message).not.toMatch(/not a whole number|must be above|must be 0 or more/);
        },
      ),
      { numRuns: 300 },
    );
  });
});
