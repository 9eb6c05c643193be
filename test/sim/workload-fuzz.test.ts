import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WorkloadError } from "../../core/errors";
import { parseWorkload, validateWorkload } from "../../sim/workload/workload";

/** Either a valid workload or a WorkloadError whose issues all name a path and a message. */
function expectWellFormed(run: () => unknown): void {
  try {
    const w = run() as { destinations: unknown[] };
    expect(w.destinations.length).toBeGreaterThan(0);
  } catch (e) {
    expect(e).toBeInstanceOf(WorkloadError);
    const err = e as WorkloadError;
    expect(err.issues.length).toBeGreaterThan(0);
    for (const i of err.issues) {
      expect(typeof i.path).toBe("string");
      expect(i.message.length).toBeGreaterThan(0);
    }
  }
}

const nearlyValid = fc.record(
  {
    cloud: fc.oneof(fc.constantFrom("aws", "azure"), fc.anything()),
    gateway: fc.oneof(
      fc.record(
        {
          ips: fc.oneof(fc.integer({ min: -2, max: 20 }), fc.anything()),
          ipSelection: fc.oneof(fc.constantFrom("hash", "pooled"), fc.string()),
          idleTimeoutMinutes: fc.integer({ min: 0, max: 200 }),
          perIpDestinationLimit: fc.oneof(fc.integer(), fc.double()),
        },
        { requiredKeys: [] },
      ),
      fc.anything(),
    ),
    destinations: fc.oneof(
      fc.array(
        fc.record(
          {
            name: fc.oneof(fc.constantFrom("a", "b"), fc.anything()),
            address: fc.string(),
            port: fc.oneof(fc.integer({ min: -1, max: 70_000 }), fc.anything()),
            protocol: fc.oneof(fc.constantFrom("tcp", "udp"), fc.string()),
            peakConnections: fc.oneof(fc.integer(), fc.double()),
          },
          { requiredKeys: ["name"] },
        ),
      ),
      fc.anything(),
    ),
    traffic: fc.array(
      fc.record(
        {
          to: fc.oneof(fc.constantFrom("a", "b", "c"), fc.anything()),
          connectionsPerSecond: fc.oneof(fc.double(), fc.integer()),
          holdSeconds: fc.oneof(
            fc.double(),
            fc.record({
              distribution: fc.constantFrom("constant", "exponential", "uniform", "lognormal", "x"),
            }),
            fc.anything(),
          ),
          close: fc.constantFrom("fin", "rst", "idle", "x"),
          schedule: fc.array(fc.record({ atSeconds: fc.double(), multiplier: fc.double() })),
        },
        { requiredKeys: [] },
      ),
    ),
    seed: fc.anything(),
    durationSeconds: fc.oneof(fc.double(), fc.anything()),
  },
  { requiredKeys: [] },
);

describe("workload parser fuzzing", () => {
  it("arbitrary text never crashes the parser", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) =>
        expectWellFormed(() => parseWorkload(text, "f.yaml")),
      ),
    );
  });
  it("arbitrary values never crash validation", () => {
    fc.assert(
      fc.property(fc.anything(), (v) => expectWellFormed(() => validateWorkload(v))),
      { numRuns: 300 },
    );
  });
  it("nearly valid workloads give a workload or named field errors", () => {
    fc.assert(
      fc.property(nearlyValid, (v) => {
        expectWellFormed(() => validateWorkload(v));
        expectWellFormed(() => parseWorkload(JSON.stringify(v) ?? "null"));
      }),
      { numRuns: 300 },
    );
  });
});
