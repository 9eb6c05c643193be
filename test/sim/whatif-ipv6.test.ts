import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HOURS_PER_MONTH, PRICES } from "../../core/prices";
import { renderHtml } from "../../render/html";
import { cheapestLine, renderWhatIfMarkdown, renderWhatIfTable } from "../../render/whatif-report";
import { analyzeWorkload } from "../../sim/analytic/analyze";
import { maxIpsV6For, monthlyCost, priceSheet } from "../../sim/sizing/cost";
import { expectedOutcome, familyWorkload, planWhatIf, scaledWorkload } from "../../sim/sizing/whatif";
import { validateWorkload, type Workload } from "../../sim/workload/workload";

const V4 = { name: "api", address: "198.51.100.7", port: 443 };
const V6 = { name: "api6", address: "2001:db8::7", port: 443 };
const exp = (mean: number) => ({ distribution: "exponential" as const, mean });

/** An Azure StandardV2 workload with one IPv4 and one IPv6 destination. */
function dualStack(
  v4: { cps: number; hold: number },
  v6: { cps: number; hold: number },
  extra = {},
): Workload {
  return validateWorkload({
    cloud: "azure",
    gateway: { ips: 2, sku: "StandardV2", ipsV6: 1 },
    durationSeconds: 600,
    destinations: [V4, V6],
    traffic: [
      { to: "api", connectionsPerSecond: v4.cps, holdSeconds: exp(v4.hold) },
      { to: "api6", connectionsPerSecond: v6.cps, holdSeconds: exp(v6.hold) },
    ],
    ...extra,
  });
}

/** The same gateway with the IPv4 destination alone. */
function v4Only(v4: { cps: number; hold: number }): Workload {
  return validateWorkload({
    cloud: "azure",
    gateway: { ips: 2, sku: "StandardV2", ipsV6: 1 },
    durationSeconds: 600,
    destinations: [V4],
    traffic: [{ to: "api", connectionsPerSecond: v4.cps, holdSeconds: exp(v4.hold) }],
  });
}

describe("IPv6 rows: errors against the IPv6 address count", () => {
  it("IPv6 errors never grow with more IPv6 addresses (any rate and hold)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 50, max: 3000 }),
        fc.double({ min: 1, max: 120, noNaN: true }),
        (cps, hold) => {
          const v6 = familyWorkload(dualStack({ cps: 10, hold: 1 }, { cps, hold }), "ipv6");
          let previous = Number.POSITIVE_INFINITY;
          for (let n = 1; n <= 5; n++) {
            const e = expectedOutcome(scaledWorkload(v6, 1, 1, n)).expectedErrors;
            if (e > previous + 1e-6 * Math.max(1, previous)) return false;
            previous = e;
          }
          return true;
        },
      ),
      { numRuns: 15 },
    );
  });

  it("IPv4 rows ignore IPv6 traffic: the same errors, fits and headroom with or without it", () => {
    const v4 = { cps: 1200, hold: 60 };
    const alone = planWhatIf(v4Only(v4));
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 3000 }),
        fc.double({ min: 1, max: 90, noNaN: true }),
        (cps, hold) => {
          const plan = planWhatIf(dualStack(v4, { cps, hold }));
          const figures = (p: typeof plan) =>
            p.rows.map((r) => [r.ips, r.expectedErrors, r.fits, r.headroom]);
          expect(figures(plan)).toEqual(figures(alone));
          // Only the IPv6 table changes with the IPv6 traffic.
          expect(plan.rowsV6).toHaveLength(maxIpsV6For("azure"));
        },
      ),
      { numRuns: 2 },
    );
  }, 60_000);
});

describe("planWhatIf with IPv6 destinations", () => {
  const w = dualStack({ cps: 1500, hold: 60 }, { cps: 2500, hold: 60 }, { gbPerMonth: 100 });
  const plan = planWhatIf(w);
  const rowsV6 = plan.rowsV6 ?? [];

  it("has one IPv6 row per IPv6 count from 1 to 16, errors never growing, IPv4 count priced with", () => {
    expect(rowsV6.map((r) => r.ipsV6)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    for (let i = 1; i < rowsV6.length; i++) {
      expect(rowsV6[i].expectedErrors).toBeLessThanOrEqual(rowsV6[i - 1].expectedErrors + 1e-6);
    }
    expect(plan.ipsV6AsGiven).toBe(1);
  });

  it("first fitting rows are the analytic planner's answers for each family", () => {
    const result = analyzeWorkload(w);
    expect(plan.rows.find((r) => r.fits)?.ips).toBe(result.ipsNeeded);
    expect(rowsV6.find((r) => r.fits)?.ipsV6).toBe(result.ipsV6Needed);
  });

  it("marks the cheapest design fitting both families, checked on the whole workload, and nothing cheaper fits", () => {
    const a = plan.rows.find((r) => r.fits)?.ips ?? 0;
    const b = rowsV6.find((r) => r.fits)?.ipsV6 ?? 0;
    expect(plan.cheapest).toEqual({
      cloud: "azure",
      kind: "single",
      gateways: 1,
      ipsPerGateway: a,
      ipsV6PerGateway: b,
    });
    expect(plan.cheapestText).toBe(`one gateway with ${a} IPv4 and ${b} IPv6 addresses`);
    expect(plan.familiesFitTogether).toBe(true);
    expect(analyzeWorkload(scaledWorkload(w, 1, a, b)).verdict).toBe("ok");
    // The marked row of each table is that design, at the same price.
    const marked4 = plan.rows.filter((r) => r.cheapest);
    const marked6 = rowsV6.filter((r) => r.cheapest);
    expect(marked4.map((r) => [r.ips, r.ipsV6])).toEqual([[a, b]]);
    expect(marked6.map((r) => [r.ips, r.ipsV6])).toEqual([[a, b]]);
    expect(marked4[0].cost.total).toBeCloseTo(marked6[0].cost.total, 9);
    // Any one-gateway design that costs less misses one family.
    const prices = priceSheet("azure");
    for (let x = 1; x <= 16; x++) {
      for (let y = 1; y <= 16; y++) {
        const d = {
          cloud: "azure" as const,
          kind: "single" as const,
          gateways: 1,
          ipsPerGateway: x,
          ipsV6PerGateway: y,
        };
        if (monthlyCost(d, prices, 100).total < marked4[0].cost.total - 1e-9) {
          expect(x < a || y < b, `${x}+${y}`).toBe(true);
        }
      }
    }
    for (const alt of plan.alternatives)
      expect(alt.cost.total).toBeGreaterThanOrEqual(marked4[0].cost.total - 1e-9);
  });

  it("prices IPv6 addresses at the IPv4 address price, in addresses and addressesV6", () => {
    const row = rowsV6[4];
    const ipHour = PRICES.azure.publicIpHour.usd * HOURS_PER_MONTH;
    expect(row.cost.addressesV6).toBeCloseTo(5 * ipHour, 9);
    expect(row.cost.addresses).toBeCloseTo((row.ips + 5) * ipHour, 9);
    expect(row.cost.total).toBeCloseTo(
      PRICES.azure.natGatewayHour.usd * HOURS_PER_MONTH +
        row.cost.addresses +
        100 * PRICES.azure.natGatewayPerGb.usd,
      9,
    );
    expect(plan.costAsGiven.addresses).toBeCloseTo(3 * ipHour, 9);
  });

  it("splits both families over gateways in the split alternative", () => {
    const split = plan.alternatives.find((x) => x.design.kind === "split");
    expect(split?.design.ipsV6PerGateway).toBeGreaterThan(0);
    const g = split?.design.gateways ?? 1;
    const each = scaledWorkload(w, 1 / g, split?.design.ipsPerGateway, split?.design.ipsV6PerGateway);
    expect(analyzeWorkload(each).verdict).toBe("ok");
  });

  it("every rendering names the same cheapest design", () => {
    const line = cheapestLine(plan);
    expect(line).toContain(plan.cheapestText);
    expect(renderWhatIfTable(plan)).toContain(line);
    expect(renderWhatIfTable(plan)).toMatch(/What if, IPv6/);
    expect(renderWhatIfMarkdown(plan)).toContain(line);
    const html = renderHtml({
      result: analyzeWorkload(w),
      series: { times: [], destinations: [] },
      whatIf: plan,
    });
    expect(html).toContain(line);
    expect(html).toContain("whatif-v6");
  });
});

describe("the shared connection cap", () => {
  it("families that fit apart but not together: no one-gateway design, the split fits", () => {
    // Peak-only: 1.4 M IPv4 connections and 0.7 M IPv6 ones fit their own addresses, not the 2 M cap.
    const w = validateWorkload({
      cloud: "azure",
      gateway: { ips: 16, sku: "StandardV2", ipsV6: 16 },
      destinations: [
        { name: "a", address: "198.51.100.1", port: 443, peakConnections: 700_000 },
        { name: "b", address: "198.51.100.2", port: 443, peakConnections: 700_000 },
        { name: "c", address: "2001:db8::3", port: 443, peakConnections: 700_000 },
      ],
      traffic: [],
    });
    expect(expectedOutcome(w).fits).toBe(false);
    const plan = planWhatIf(w);
    expect(plan.rows.some((r) => r.fits)).toBe(true);
    expect(plan.rowsV6?.some((r) => r.fits)).toBe(true);
    expect(plan.familiesFitTogether).toBe(false);
    expect([...plan.rows, ...(plan.rowsV6 ?? [])].some((r) => r.cheapest)).toBe(false);
    expect(plan.cheapest?.kind).toBe("split");
    expect(renderWhatIfTable(plan)).toMatch(/together they break the gateway-wide connection cap/);
  });

  it("a workload without IPv6 destinations has no IPv6 table", () => {
    const plan = planWhatIf(v4Only({ cps: 100, hold: 5 }));
    expect(plan.rowsV6).toBeUndefined();
    expect(plan.familiesFitTogether).toBeUndefined();
    // Its IPv6 addresses as given are still priced.
    expect(plan.ipsV6AsGiven).toBe(1);
    expect(plan.rows[0].ipsV6).toBe(1);
  });
});
