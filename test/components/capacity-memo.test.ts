/**
 * Each distinct (expectation, gateway model) is assessed once per program: AwsEgressNat plans every
 * zone's gateway before it registers and each AwsNatGateway child plans again, and zones often share
 * one expectation; a rate-based expectation is a simulation, so repeating it would multiply preview
 * time by twice the zone count.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AwsEgressNat, type AwsEgressNatArgs, CapacityMethod, planAwsNatGateway } from "../../components/aws";
import { HoldDistribution } from "../../components/common";
import { ValidationError } from "../../core/errors";
import * as capacity from "../../sim/verdict/capacity";
import { urnsOf, useMocks } from "./aws-mocks";

beforeEach(async () => {
  vi.spyOn(pulumi.log, "warn").mockImplementation(async () => {});
  await useMocks();
});
afterEach(() => vi.restoreAllMocks());

/** A rate-based expectation; `seed` makes it distinct from any other test's (the reports are kept). */
const traffic = (seed: number, rate = 50) => ({
  durationSeconds: 120,
  seed,
  destinations: [{ name: "api", address: "203.0.113.5", port: 443 }],
  traffic: [
    { to: "api", connectionsPerSecond: rate, hold: { distribution: HoldDistribution.Exponential, mean: 5 } },
  ],
});

const egressArgs = (extra: Partial<AwsEgressNatArgs>): AwsEgressNatArgs => ({
  vpcId: "vpc-1",
  zones: ["a", "b", "c"].map((z) => ({
    availabilityZone: `us-east-1${z}`,
    publicSubnetId: `subnet-pub-${z}`,
    privateRouteTables: [{ key: "private", routeTableId: `rtb-${z}` }],
  })),
  ...extra,
});

describe("capacity assessments per program", () => {
  it("a 3-AZ egress with one shared expectation assesses it once", async () => {
    const spy = vi.spyOn(capacity, "assessCapacity");
    const egress = new AwsEgressNat("memo", egressArgs({ expectedTraffic: traffic(9_001) }));
    await urnsOf(Object.values(egress.gateways()));
    expect(spy).toHaveBeenCalledTimes(1);
    expect(Object.keys(egress.capacity)).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect(Object.values(egress.capacity).every((s) => s.ok)).toBe(true);
  });

  it("auto-sizing assesses once per distinct IP count, not once per zone and pass", async () => {
    const spy = vi.spyOn(capacity, "assessCapacity");
    // 2,000/s held 30 s plus the hold-down: one IP is not enough, auto-sizing picks more.
    const expectedTraffic = {
      ...traffic(9_002),
      traffic: [
        {
          to: "api",
          connectionsPerSecond: 2_000,
          hold: { distribution: HoldDistribution.Exponential, mean: 30 },
        },
      ],
    };
    const egress = new AwsEgressNat("memo-auto", egressArgs({ expectedTraffic, autoSizeIps: true }));
    await urnsOf(Object.values(egress.gateways()));
    const ipCounts = new Set(spy.mock.calls.map(([, gw]) => gw.ips));
    expect(ipCounts.size).toBe(2);
    expect(spy).toHaveBeenCalledTimes(2);
    expect(egress.capacity["us-east-1a"].autoSized).toBe(true);
  });

  it("different expectations or methods are assessed separately", () => {
    const spy = vi.spyOn(capacity, "assessCapacity");
    const zone = { subnetId: "subnet-1", expectedTraffic: traffic(9_003) };
    planAwsNatGateway("one", zone);
    planAwsNatGateway("two", zone);
    expect(spy).toHaveBeenCalledTimes(1);
    planAwsNatGateway("three", { ...zone, expectedTraffic: traffic(9_003, 60) });
    expect(spy).toHaveBeenCalledTimes(2);
    planAwsNatGateway("four", { ...zone, capacityMethod: CapacityMethod.Simulate });
    expect(spy).toHaveBeenCalledTimes(3);
    expect(spy.mock.calls[2][1]).toMatchObject({ method: "simulate" });
  });

  it("capacityMethod defaults to auto and is passed to the gateway model; an unknown value is refused", () => {
    const spy = vi.spyOn(capacity, "assessCapacity");
    planAwsNatGateway("five", { subnetId: "subnet-1", expectedTraffic: traffic(9_004) });
    expect(spy.mock.calls[0][1]).toMatchObject({ method: "auto" });
    expect(() =>
      planAwsNatGateway("six", {
        subnetId: "subnet-1",
        capacityMethod: "exact" as CapacityMethod,
        expectedTraffic: traffic(9_004),
      }),
    ).toThrow(ValidationError);
    expect(
      () => new AwsEgressNat("seven", egressArgs({ capacityMethod: "exact" as CapacityMethod })),
    ).toThrow(/capacityMethod/);
  });
});
