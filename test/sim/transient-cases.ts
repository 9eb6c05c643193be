/** Time-varying validation cases shared by the analytic-vs-simulated tests. */
import type { WorkloadInput } from "../../sim/workload/workload";

const a = { name: "a", address: "203.0.113.1", port: 443 };
const small = (fin: number, limit: number, ips: number) => ({
  ips,
  perIpDestinationLimit: limit,
  portReuseSeconds: { fin },
});
/** 24 "hours" of 60 s each following a sine around the base rate (peak 1.9×, trough 0.1×). */
const diurnal = Array.from({ length: 24 }, (_, h) => ({
  atSeconds: h * 60,
  multiplier: Number((1 + 0.9 * Math.sin(((h - 6) / 24) * 2 * Math.PI)).toFixed(3)),
}));
/** 100 steps of 5 s, from 1× up to 10.9×. */
const ramp = Array.from({ length: 100 }, (_, i) => ({ atSeconds: 5 + i * 5, multiplier: 1 + i * 0.1 }));

export const CASES: [string, WorkloadInput][] = [
  [
    "burst shorter than the lifetime, exponential holds, hash",
    {
      cloud: "aws",
      gateway: small(20, 500, 2),
      durationSeconds: 400,
      destinations: [a],
      traffic: [
        {
          to: "a",
          connectionsPerSecond: 20,
          holdSeconds: { distribution: "exponential", mean: 10 },
          schedule: [
            { atSeconds: 100, multiplier: 5 },
            { atSeconds: 115, multiplier: 1 },
          ],
        },
      ],
    },
  ],
  [
    "burst longer than the lifetime, lognormal holds, hash",
    {
      cloud: "aws",
      gateway: small(20, 500, 2),
      durationSeconds: 600,
      destinations: [a],
      traffic: [
        {
          to: "a",
          connectionsPerSecond: 20,
          holdSeconds: { distribution: "lognormal", mean: 10, sigma: 1 },
          schedule: [
            { atSeconds: 100, multiplier: 2 },
            { atSeconds: 400, multiplier: 1 },
          ],
        },
      ],
    },
  ],
  [
    "steps up and down, constant holds, pooled",
    {
      cloud: "azure",
      gateway: small(10, 300, 2),
      durationSeconds: 500,
      destinations: [a],
      traffic: [
        {
          to: "a",
          connectionsPerSecond: 30,
          holdSeconds: 10,
          schedule: [
            { atSeconds: 100, multiplier: 1.3 },
            { atSeconds: 300, multiplier: 0.5 },
          ],
        },
      ],
    },
  ],
  [
    "ramp of 100 steps, uniform holds, hash over 4 IPs",
    {
      cloud: "aws",
      gateway: small(5, 300, 4),
      durationSeconds: 800,
      destinations: [a],
      traffic: [
        {
          to: "a",
          connectionsPerSecond: 10,
          holdSeconds: { distribution: "uniform", min: 5, max: 25 },
          schedule: ramp,
        },
      ],
    },
  ],
  [
    "a diurnal day scaled down, lognormal holds, hash",
    {
      cloud: "aws",
      gateway: small(10, 400, 2),
      durationSeconds: 1440,
      destinations: [a],
      traffic: [
        {
          to: "a",
          connectionsPerSecond: 20,
          holdSeconds: { distribution: "lognormal", mean: 20, sigma: 1 },
          schedule: diurnal,
        },
      ],
    },
  ],
  [
    "a diurnal day scaled down, exponential holds, pooled",
    {
      cloud: "azure",
      gateway: small(10, 400, 2),
      durationSeconds: 1440,
      destinations: [a],
      traffic: [
        {
          to: "a",
          connectionsPerSecond: 20,
          holdSeconds: { distribution: "exponential", mean: 20 },
          schedule: diurnal,
        },
      ],
    },
  ],
  [
    "a diurnal day that fits, lognormal holds, hash over 4 IPs",
    {
      cloud: "aws",
      gateway: small(10, 400, 4),
      durationSeconds: 1440,
      destinations: [a],
      traffic: [
        {
          to: "a",
          connectionsPerSecond: 20,
          holdSeconds: { distribution: "lognormal", mean: 20, sigma: 1 },
          schedule: diurnal,
        },
      ],
    },
  ],
  [
    "a burst that stays under the limit, two streams, pooled",
    {
      cloud: "azure",
      gateway: small(10, 400, 2),
      durationSeconds: 300,
      destinations: [a],
      traffic: [
        { to: "a", connectionsPerSecond: 5, holdSeconds: 10, schedule: [{ atSeconds: 100, multiplier: 4 }] },
        { to: "a", connectionsPerSecond: 3, holdSeconds: { distribution: "exponential", mean: 5 } },
      ],
    },
  ],
  [
    "the Azure 2,000,000 connection cap, constant holds, 4 destinations",
    {
      cloud: "azure",
      gateway: { ips: 16, portReuseSeconds: { fin: 1 } },
      durationSeconds: 200,
      destinations: [0, 1, 2, 3].map((i) => ({ name: `d${i}`, address: `203.0.113.${i + 1}`, port: 443 })),
      traffic: [0, 1, 2, 3].map((i) => ({ to: `d${i}`, connectionsPerSecond: 6000, holdSeconds: 100 })),
    },
  ],
];
