import { describe, expect, it } from "vitest";
import { GATEWAY_ENDPOINT_SERVICES } from "../../sim/workload/gatewayEndpoints";
import { type ExpectedTraffic, ExpectedTrafficSchema } from "../../sim/workload/workload";

const dest = { name: "ldap", address: "203.0.113.10", port: 636 };

describe("ExpectedTrafficSchema", () => {
  it("accepts the flat hold object the components pass, and the expectation type takes it", () => {
    const expected: ExpectedTraffic = {
      destinations: [dest],
      traffic: [{ to: "ldap", connectionsPerSecond: 10, hold: { distribution: "uniform", min: 1, max: 5 } }],
    };
    const parsed = ExpectedTrafficSchema.parse(expected);
    expect(parsed.traffic?.[0].holdSeconds).toEqual({ distribution: "uniform", min: 1, max: 5 });
  });

  it("still validates the flat hold: parameters of another distribution are refused", () => {
    const r = ExpectedTrafficSchema.safeParse({
      destinations: [dest],
      traffic: [{ to: "ldap", connectionsPerSecond: 10, hold: { distribution: "uniform", mean: 5 } }],
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join("."))).toContain("traffic.0.hold");
  });

  it("a destination's service is one of the gateway-endpoint services", () => {
    for (const service of GATEWAY_ENDPOINT_SERVICES)
      expect(ExpectedTrafficSchema.safeParse({ destinations: [{ ...dest, service }] }).success).toBe(true);
    const r = ExpectedTrafficSchema.safeParse({ destinations: [{ ...dest, service: "sqs" }] });
    expect(r.error?.issues[0].message).toBe('"sqs" is not one of s3, dynamodb');
  });

  it("refuses an empty destination list and a seed that is not a whole number", () => {
    expect(ExpectedTrafficSchema.safeParse({ destinations: [] }).error?.issues[0].message).toBe(
      "needs at least one destination",
    );
    expect(ExpectedTrafficSchema.safeParse({ destinations: [dest], seed: 1.5 }).success).toBe(false);
  });
});
