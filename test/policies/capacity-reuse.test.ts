/**
 * The capacity rule reuses a natcap component's assessment only when the digest it recomputes from
 * what it sees (the component's expectedTraffic output, the gateway's IP count, the stack's gateway
 * endpoints) equals the registered one — and then the verdict and the finding's words are the ones
 * the rule would have produced itself. Pure: the component is planned, its outputs go through JSON as
 * the engine passes them, and the rule's helper is called directly.
 */

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CapacityCheckMode, HoldDistribution, planAwsNatGateway } from "../../components/aws";
import { reusableAssessment } from "../../policies/lib/capacityReuse";
import type { Res } from "../../policies/lib/stack";
import { assessCapacity, CAPACITY_MODEL_VERSION, type GatewayModel } from "../../sim/verdict/capacity";
import { capacityFailure } from "../../sim/verdict/capacity-message";
import type { ExpectedTraffic } from "../../sim/workload/workload";

const expectation = (rate: number, hold = 20) => ({
  durationSeconds: 1800,
  destinations: [
    { name: "api", address: "198.51.100.4", port: 443 },
    { name: "s3", address: "52.216.0.1", port: 443, service: "s3" as const },
  ],
  traffic: [
    {
      to: "api",
      connectionsPerSecond: rate,
      hold: { distribution: HoldDistribution.Lognormal, mean: hold, sigma: 1 },
    },
    { to: "s3", connectionsPerSecond: 10, hold: { distribution: HoldDistribution.Exponential, mean: 5 } },
  ],
});

/** The component as the rule sees it in the stack, and the expectation it reads from its output. */
function component(rate: number, ipCount: number, hold?: number) {
  const plan = planAwsNatGateway("egress", {
    subnetId: "subnet-1",
    ipCount,
    excludedServices: ["s3" as never],
    capacityCheck: CapacityCheckMode.Warn,
    expectedTraffic: expectation(rate, hold),
  });
  const outputs = JSON.parse(
    JSON.stringify({ capacity: plan.capacity.summary, expectedTraffic: plan.expectedTraffic }),
  );
  const res = { type: "natcap:index:AwsNatGateway", name: "egress", props: outputs } as unknown as Res;
  return { res, expected: outputs.expectedTraffic as ExpectedTraffic };
}

/** The rule's gateway model of a zonal public gateway with `ips` IPs in a stack with an S3 endpoint. */
const model = (ips: number): GatewayModel => ({ cloud: "aws", gatewayEndpoints: ["s3"], ips });
const setting = { name: "the number of secondaryAllocationIds", notCounted: 1 };

describe("the capacity rule reuses a component's assessment", () => {
  it("when the inputs are the same: the verdict and the finding are the rule's own", () => {
    for (const [rate, ips] of [
      [300, 2],
      [4_000, 1],
    ]) {
      const { res, expected } = component(rate, ips);
      const kept = reusableAssessment(res, expected, model(ips));
      const own = assessCapacity(expected, model(ips));
      expect(kept).toBeDefined();
      expect(kept?.ok).toBe(own.ok);
      if (kept && !own.ok)
        expect(capacityFailure(kept, setting, "x")).toEqual(capacityFailure(own, setting, "x"));
    }
  });

  it("never when what the rule sees differs: other traffic, another IP count, another method, no digest", () => {
    const { res, expected } = component(300, 2);
    const tampered = { ...expected, traffic: [{ ...expected.traffic![0], connectionsPerSecond: 301 }] };
    expect(reusableAssessment(res, tampered, model(2))).toBeUndefined();
    expect(reusableAssessment(res, expected, model(3))).toBeUndefined();
    expect(reusableAssessment(res, expected, { ...model(2), method: "simulate" })).toBeUndefined();
    const noDigest = {
      ...res,
      props: { ...res.props, capacity: { ...(res.props.capacity as object), digest: undefined } },
    };
    expect(reusableAssessment(noDigest as Res, expected, model(2))).toBeUndefined();
    expect(reusableAssessment(undefined, expected, model(2))).toBeUndefined();
    // An expectation that does not validate is the rule's to report, not a match.
    expect(reusableAssessment(res, { destinations: [{ name: "x" }] } as never, model(2))).toBeUndefined();
  });

  it("property: whenever the digest matches, the kept verdict is the one the rule would compute", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 50, max: 3_000 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2, max: 60 }),
        (rate, ips, hold) => {
          const { res, expected } = component(rate, ips, hold);
          const kept = reusableAssessment(res, expected, model(ips));
          expect(kept).toBeDefined();
          expect(kept?.ok).toBe(assessCapacity(expected, model(ips)).ok);
        },
      ),
      { numRuns: 15, seed: 20 },
    );
  });
});

describe("the digest's model version", () => {
  it("names natcap's version, so a digest of another release never matches", () => {
    const { version } = JSON.parse(readFileSync(resolve(__dirname, "../../package.json"), "utf8"));
    expect(CAPACITY_MODEL_VERSION).toContain(`natcap ${version},`);
  });
});
