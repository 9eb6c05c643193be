import { describe, expect, it } from "vitest";
import { WorkloadError } from "../../core/errors";
import { assessCapacity, type GatewayModel } from "../../sim/verdict/capacity";
import type { ExpectedTraffic } from "../../sim/workload/workload";

const x = { name: "x", address: "203.0.113.1", port: 443 };
const steps = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ atSeconds: i * 0.01, multiplier: i % 2 ? 1 : 0.5 }));

/** Expectations at natcap's bounds: each must be answered, and quickly. */
const AT_THE_BOUNDS: [string, ExpectedTraffic, GatewayModel][] = [
  [
    "a 10,000,000 peak on 8 hashed IPs",
    { destinations: [{ ...x, peakConnections: 10_000_000 }] },
    { cloud: "aws", ips: 8 },
  ],
  [
    "a 10,000,000 peak on 16 pooled IPs",
    { destinations: [{ ...x, peakConnections: 10_000_000 }] },
    { cloud: "azure", ips: 16 },
  ],
  [
    "a 10,000,000 peak held a year with microsecond connections (pooled)",
    {
      destinations: [
        { ...x, peakConnections: 10_000_000, peakDurationSeconds: 31_536_000, peakHoldSeconds: 1e-6 },
      ],
    },
    { cloud: "azure", ips: 16 },
  ],
  [
    "the same under hashing",
    {
      destinations: [
        { ...x, peakConnections: 10_000_000, peakDurationSeconds: 31_536_000, peakHoldSeconds: 1e-6 },
      ],
    },
    { cloud: "aws", ips: 8 },
  ],
  [
    "9,000,000 ports offered, pooled",
    {
      destinations: [x],
      traffic: [{ to: "x", connectionsPerSecond: 1000, holdSeconds: 9000 }],
      durationSeconds: 10,
    },
    { cloud: "azure", ips: 16 },
  ],
  [
    "1,000 schedule steps at 9,000,000 ports, pooled",
    {
      destinations: [x],
      traffic: [{ to: "x", connectionsPerSecond: 1000, holdSeconds: 9000, schedule: steps(1000) }],
      durationSeconds: 10,
    },
    { cloud: "azure", ips: 16 },
  ],
  [
    "1,000 streams with a step each",
    {
      destinations: [x],
      traffic: Array.from({ length: 1000 }, (_, k) => ({
        to: "x",
        connectionsPerSecond: 9,
        holdSeconds: 1000,
        schedule: [{ atSeconds: k * 0.01 + 0.001, multiplier: k % 2 ? 1 : 0.5 }],
      })),
      durationSeconds: 10,
    },
    { cloud: "azure", ips: 16 },
  ],
  [
    "1,000 IPs (the most a check takes)",
    { destinations: [{ ...x, peakConnections: 10_000_000 }] },
    { cloud: "aws", ips: 1000, maxIps: 1000 },
  ],
];

describe("assessCapacity at natcap's bounds ends within seconds", () => {
  it.each(AT_THE_BOUNDS)("%s", (_name, expected, gateway) => {
    const started = Date.now();
    const report = assessCapacity(expected, gateway);
    expect(report.ipsNeeded).toBeGreaterThanOrEqual(1);
    expect(report.ok).toBe(report.ipsNeeded <= report.ips && report.moreIpsHelp);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe("assessCapacity refuses what it cannot answer, naming the field", () => {
  it.each([
    [{ cloud: "aws", ips: 1001 }, /^ips: 1001 exceeds 1,000 \(natcap's bound/],
    [{ cloud: "aws", ips: 1e15 }, /^ips: 1000000000000000 exceeds 1,000 \(natcap's bound/],
    [{ cloud: "aws", ips: Number.POSITIVE_INFINITY }, /^ips: Infinity is not a whole number/],
    [{ cloud: "aws", ips: 0 }, /^ips: 0 is not a whole number/],
    [
      { cloud: "aws", ips: 2, perIpDestinationLimit: 1e9 },
      /^perIpDestinationLimit: 1,000,000,000 exceeds the 64,512 ports/,
    ],
    [{ cloud: "gcp", ips: 2 }, /^cloud: "gcp" is not one of aws, azure/],
  ] as [GatewayModel, RegExp][])("%j", (gateway, message) => {
    expect(() => assessCapacity({ destinations: [x] }, gateway)).toThrow(WorkloadError);
    expect(() => assessCapacity({ destinations: [x] }, gateway)).toThrow(message);
  });
  it.each([
    [
      { destinations: [{ ...x, address: "2001:db8::1" }] },
      /^expectedTraffic\.destinations\[0\]\.address: "2001:db8::1" is an IPv6 address/,
    ],
    [
      {
        destinations: [{ ...x, protocol: "udp" }],
        traffic: [{ to: "x", connectionsPerSecond: 1, holdSeconds: 1, close: "fin" }],
      },
      /^expectedTraffic\.traffic\[0\]\.close: "fin" does not apply to UDP/,
    ],
    [
      { destinations: [{ ...x, peakConnections: 5, peakHoldSeconds: 3 }] },
      /^expectedTraffic\.destinations\[0\]\.peakDurationSeconds: is required/,
    ],
    [
      { destinations: [x], durationSeconds: Number.NaN },
      /^expectedTraffic\.durationSeconds: expected .* got NaN/,
    ],
  ] as [ExpectedTraffic, RegExp][])("%j", (expected, message) => {
    expect(() => assessCapacity(expected, { cloud: "aws", ips: 2 })).toThrow(message);
  });
});
