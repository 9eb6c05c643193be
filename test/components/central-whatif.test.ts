/**
 * The what-if of a centralised egress design: its cost with the Transit Gateway's prices, and its
 * per-zone rows agreeing with the component's per-zone verdict on the same spokes.
 */
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  AwsCentralEgress,
  type AwsCentralEgressArgs,
  CapacityCheckMode,
  planCentralEgress,
} from "../../components/aws";
import { toExpectedTraffic } from "../../components/common";
import { HOURS_PER_MONTH, PRICES } from "../../core/prices";
import { renderCentralHtml, renderCentralWhatIfTable } from "../../render/whatif-central";
import { centralCost, planCentralWhatIf } from "../../sim/sizing/central";
import { priceSheet } from "../../sim/sizing/cost";
import { useMocks } from "./aws-mocks";

const spoke = (key: string, peak: number, shareA = 0.5) => ({
  key,
  vpcId: `vpc-${key}`,
  cidrBlock: "10.1.0.0/16",
  zones: [
    { availabilityZone: "a", subnetId: "s-a", trafficShare: shareA },
    { availabilityZone: "b", subnetId: "s-b", trafficShare: 1 - shareA },
  ],
  expectedTraffic: {
    destinations: [{ name: "api", address: "203.0.113.10", port: 443, peakConnections: peak }],
  },
});

const args = (peaks: number[], ips: number, shareA = 0.5): AwsCentralEgressArgs => ({
  vpcId: "vpc-egress",
  ipCount: ips,
  eipQuota: 8,
  capacityCheck: CapacityCheckMode.Warn,
  zones: ["a", "b"].map((z) => ({
    availabilityZone: z,
    publicSubnetId: `p-${z}`,
    publicRouteTableId: `r-${z}`,
    attachmentSubnetId: `t-${z}`,
    attachmentRouteTableId: `u-${z}`,
  })),
  spokes: peaks.map((p, i) => spoke(`s${i}`, p, shareA)),
});

beforeAll(async () => {
  vi.spyOn(pulumi.log, "warn").mockImplementation(async () => {});
  await useMocks();
});

describe("centralCost", () => {
  it("charges a NAT gateway per zone, every IP, an attachment per spoke plus the egress VPC's, and both processings", () => {
    const p = priceSheet("aws");
    const c = centralCost([2, 3], 4, p, 1000);
    expect(c.attachments).toBeCloseTo(5 * PRICES.aws.transitGatewayAttachmentHour.usd * HOURS_PER_MONTH, 9);
    expect(c.transitGatewayProcessing).toBeCloseTo(1000 * PRICES.aws.transitGatewayPerGb.usd, 9);
    expect(c.natProcessing).toBeCloseTo(1000 * PRICES.aws.natGatewayPerGb.usd, 9);
    expect(c.addresses).toBeCloseTo(5 * PRICES.aws.publicIpv4Hour.usd * HOURS_PER_MONTH, 9);
    expect(c.natGateways).toBeCloseTo(2 * PRICES.aws.natGatewayHour.usd * HOURS_PER_MONTH, 9);
  });

  it("never falls when a spoke, an IP or a GB is added", () => {
    const p = priceSheet("aws");
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 10_000 }),
        (ips, spokes, gb) => {
          const base = centralCost(ips, spokes, p, gb).total;
          expect(centralCost(ips, spokes + 1, p, gb).total).toBeGreaterThan(base);
          expect(centralCost([...ips.slice(1), ips[0] + 1], spokes, p, gb).total).toBeGreaterThan(base);
          expect(centralCost(ips, spokes, p, gb + 1).total).toBeGreaterThan(base);
        },
      ),
    );
  });
});

describe("planCentralWhatIf", () => {
  it("agrees with the component's per-zone verdict at the IPs as given (one verdict on both surfaces)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1_000, max: 80_000 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(0.5, 0.7, 0.9),
        (peaks, ips, shareA) => {
          const plan = planCentralEgress("hub", args(peaks, ips, shareA));
          const whatIf = planCentralWhatIf({
            spokes: peaks.length,
            zones: plan.gateways.map((g, i) => ({
              availabilityZone: g.availabilityZone,
              ips: g.plan.totalIps,
              expected: toExpectedTraffic(plan.zoneTraffic[i].expectedTraffic!),
            })),
          });
          whatIf.zones.forEach((z, i) => {
            const row = z.plan?.rows.find((r) => r.ips === ips);
            expect(row?.fits).toBe(plan.gateways[i].plan.capacity.summary?.ok);
          });
        },
      ),
      { numRuns: 30 },
    );
  });

  it("renders each zone's check with its endpoints and spokes, and the Transit Gateway's cost", () => {
    const hub = new AwsCentralEgress("render", args([60_000, 60_000, 60_000], 2, 0.7));
    const plan = hub.whatIf(2000);
    const text = renderCentralWhatIfTable(plan);
    expect(text).toContain("Zone a (2 IPs as given):");
    expect(text).toContain("203.0.113.10:443/tcp (api) from s0, s1, s2");
    expect(text).toContain("Transit Gateway attachments (4)");
    expect(plan.zones[0].plan?.rows.find((r) => r.ips === 2)?.fits).toBe(false);
    expect(plan.zones[1].plan?.rows.find((r) => r.ips === 2)?.fits).toBe(true);
    expect(plan.costAtCheapest?.total).toBeGreaterThan(0);
    const html = renderCentralHtml(plan);
    expect(html).toContain("Zone a: 2 IPs as given");
    expect(html).toContain('id="whatif-chart-b"');
    expect(html.match(/<section class="zone">/g)).toHaveLength(2);
  });
});
