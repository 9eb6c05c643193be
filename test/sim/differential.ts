/**
 * Random workloads for the differential test of the analytic path against the simulator: both
 * clouds, 1–4 IPs, one or two destinations (TCP or UDP) with one or two streams each, every hold
 * distribution and close kind, schedules of up to three steps, and each destination's peak load
 * drawn from 0.3× to 1.6× its capacity (IPs × per-IP limit). Per-IP limits are small (2,000 to
 * 10,000) so each simulation takes well under a second; the model is the same at any limit.
 */
import fc from "fast-check";
import { transientModel, upperBound } from "../../sim/analytic/transient";
import { validateWorkload, type WorkloadInput } from "../../sim/workload/workload";

const holdArb = fc.oneof(
  fc.double({ min: 1, max: 60, noNaN: true }).map((v) => ({ distribution: "constant" as const, value: v })),
  fc.double({ min: 1, max: 60, noNaN: true }).map((mean) => ({ distribution: "exponential" as const, mean })),
  fc
    .tuple(fc.double({ min: 0.5, max: 20, noNaN: true }), fc.double({ min: 1, max: 60, noNaN: true }))
    .map(([min, span]) => ({ distribution: "uniform" as const, min, max: min + span })),
  fc
    .tuple(fc.double({ min: 1, max: 60, noNaN: true }), fc.double({ min: 0.2, max: 1.5, noNaN: true }))
    .map(([mean, sigma]) => ({ distribution: "lognormal" as const, mean, sigma })),
);

const scheduleArb = (duration: number) =>
  fc.oneof(
    fc.constant(undefined),
    fc
      .array(
        fc.record({
          at: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
          multiplier: fc.double({ min: 0.3, max: 1.5, noNaN: true }),
        }),
        { minLength: 1, maxLength: 3 },
      )
      .map((steps) =>
        [...new Map(steps.map((s) => [Math.round(s.at * duration), s.multiplier])).entries()]
          .sort(([a], [b]) => a - b)
          .map(([atSeconds, multiplier]) => ({ atSeconds, multiplier: Number(multiplier.toFixed(3)) })),
      ),
  );

/** The shape of a drawn workload before its rates are scaled to the drawn loads. */
const shapeArb = fc
  .record({
    cloud: fc.constantFrom("aws" as const, "azure" as const),
    ips: fc.integer({ min: 1, max: 4 }),
    limit: fc.constantFrom(2_000, 5_000, 10_000),
    durationSeconds: fc.integer({ min: 600, max: 1800 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    destinations: fc.array(
      fc.record({
        protocol: fc.constantFrom("tcp" as const, "tcp" as const, "udp" as const),
        load: fc.double({ min: 0.3, max: 1.6, noNaN: true }),
        streams: fc.array(
          fc.record({
            hold: holdArb,
            close: fc.constantFrom("fin" as const, "rst" as const, "idle" as const),
            share: fc.double({ min: 0.2, max: 1, noNaN: true }),
          }),
          { minLength: 1, maxLength: 2 },
        ),
      }),
      { minLength: 1, maxLength: 2 },
    ),
  })
  .chain((s) =>
    fc
      .array(scheduleArb(s.durationSeconds), {
        minLength: s.destinations.length * 2,
        maxLength: s.destinations.length * 2,
      })
      .map((schedules) => ({ ...s, schedules })),
  );

/** A drawn workload and the peak load of each destination, as a share of its capacity. */
export interface DrawnWorkload {
  readonly input: WorkloadInput;
  readonly loads: readonly number[];
}

/**
 * Random workloads: each destination's rates are scaled so that its largest infinite-server mean
 * of ports held (over the schedule) is the drawn load times IPs × per-IP limit.
 */
export const workloadArb: fc.Arbitrary<DrawnWorkload> = shapeArb.map((s) => {
  const destinations = s.destinations.map((d, i) => ({
    name: `d${i}`,
    address: `198.51.100.${i + 1}`,
    port: 443,
    protocol: d.protocol,
  }));
  const unscaled = s.destinations.flatMap((d, i) =>
    d.streams.map((t, j) => ({
      to: `d${i}`,
      connectionsPerSecond: t.share,
      holdSeconds: t.hold,
      ...(d.protocol === "tcp" ? { close: t.close } : {}),
      ...(s.schedules[i * 2 + j] ? { schedule: s.schedules[i * 2 + j] } : {}),
    })),
  );
  const gateway = { ips: s.ips, perIpDestinationLimit: s.limit };
  const base = { cloud: s.cloud, gateway, durationSeconds: s.durationSeconds, seed: s.seed, destinations };
  const model = transientModel(validateWorkload({ ...base, traffic: unscaled }));
  const scale = s.destinations.map((d, i) => (d.load * s.ips * s.limit) / upperBound(model, i));
  const traffic = unscaled.map((t) => {
    const i = Number(t.to.slice(1));
    return { ...t, connectionsPerSecond: Number((t.connectionsPerSecond * scale[i]).toPrecision(6)) };
  });
  return { input: { ...base, traffic }, loads: s.destinations.map((d) => d.load) };
});
