import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WorkloadError } from "../../core/errors";
import { HOURS_PER_MONTH, PRICES } from "../../core/prices";
import { withPricesTable } from "../../core/prices-doc";
import { renderHtml } from "../../render/html";
import { renderWhatIfMarkdown, renderWhatIfTable, usd } from "../../render/whatif-report";
import { analyzeWorkload } from "../../sim/analytic/analyze";
import { maxIpsFor, monthlyCost, priceSheet } from "../../sim/sizing/cost";
import { expectedOutcome, headroom, MAX_HEADROOM, planWhatIf, scaledWorkload } from "../../sim/sizing/whatif";
import { validateWorkload, type Workload } from "../../sim/workload/workload";

/** An AWS workload with one destination at `cps` new connections per second held `hold` seconds. */
function oneDestination(cloud: "aws" | "azure", cps: number, hold: number, extra: object = {}): Workload {
  return validateWorkload({
    cloud,
    gateway: { ips: 2 },
    durationSeconds: 1800,
    destinations: [{ name: "api", address: "198.51.100.7", port: 443 }],
    traffic: [
      { to: "api", connectionsPerSecond: cps, holdSeconds: { distribution: "exponential", mean: hold } },
    ],
    ...extra,
  });
}

describe("price table", () => {
  it("carries a source URL and a date for every price", () => {
    for (const cloud of ["aws", "azure"] as const) {
      for (const [key, price] of Object.entries(PRICES[cloud])) {
        expect(price.source, key).toMatch(/^https:\/\//);
        expect(price.asOf, key).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(price.usd, key).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it("is the table docs/sizing.md shows (npx tsx core/prices-doc.ts rewrites it)", () => {
    const page = readFileSync(resolve(__dirname, "../../docs/sizing.md"), "utf8");
    expect(withPricesTable(page)).toBe(page);
  });

  it("applies overrides key by key and keeps the list price elsewhere", () => {
    const sheet = priceSheet("aws", { natGatewayHour: 0.1 });
    expect(sheet.natGatewayHour).toBe(0.1);
    expect(sheet.publicIpv4Hour).toBe(PRICES.aws.publicIpv4Hour.usd);
  });
});

describe("monthly cost", () => {
  const aws = priceSheet("aws");
  const azure = priceSheet("azure");

  it("zonal AWS: gateway-hours + IP-hours per IP + GB processed, from the table", () => {
    const c = monthlyCost({ cloud: "aws", kind: "single", gateways: 1, ipsPerGateway: 3 }, aws, 500);
    expect(c.gateway).toBeCloseTo(PRICES.aws.natGatewayHour.usd * HOURS_PER_MONTH, 9);
    expect(c.addresses).toBeCloseTo(3 * PRICES.aws.publicIpv4Hour.usd * HOURS_PER_MONTH, 9);
    expect(c.processing).toBeCloseTo(500 * PRICES.aws.natGatewayPerGb.usd, 9);
    expect(c.total).toBeCloseTo(c.gateway + c.addresses + c.processing, 9);
  });

  it("regional AWS is billed per zone-hour; split designs pay per gateway", () => {
    const regional = monthlyCost({ cloud: "aws", kind: "regional", gateways: 2, ipsPerGateway: 20 }, aws);
    expect(regional.gateway).toBeCloseTo(2 * PRICES.aws.regionalNatZoneHour.usd * HOURS_PER_MONTH, 9);
    expect(regional.addresses).toBeCloseTo(40 * PRICES.aws.publicIpv4Hour.usd * HOURS_PER_MONTH, 9);
    const split = monthlyCost({ cloud: "azure", kind: "split", gateways: 3, ipsPerGateway: 2 }, azure, 10);
    expect(split.gateway).toBeCloseTo(3 * PRICES.azure.natGatewayHour.usd * HOURS_PER_MONTH, 9);
    expect(split.addresses).toBeCloseTo(6 * PRICES.azure.publicIpHour.usd * HOURS_PER_MONTH, 9);
    // GB are the traffic's, whatever the number of gateways.
    expect(split.processing).toBeCloseTo(10 * PRICES.azure.natGatewayPerGb.usd, 9);
  });

  it("grows strictly with IPs for any non-zero IP price", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("aws" as const, "azure" as const),
        fc.integer({ min: 1, max: 31 }),
        fc.double({ min: 0.0001, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (cloud, ips, ipPrice, gb) => {
          const sheet = priceSheet(cloud, { publicIpv4Hour: ipPrice, publicIpHour: ipPrice });
          const at = (n: number) =>
            monthlyCost({ cloud, kind: "single", gateways: 1, ipsPerGateway: n }, sheet, gb).total;
          return at(ips + 1) > at(ips);
        },
      ),
    );
  });
});

describe("expected errors and headroom", () => {
  it("expected errors never grow with more IPs (any rate and hold)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("aws" as const, "azure" as const),
        fc.integer({ min: 50, max: 3000 }),
        fc.double({ min: 1, max: 120, noNaN: true }),
        (cloud, cps, hold) => {
          const w = oneDestination(cloud, cps, hold);
          let previous = Number.POSITIVE_INFINITY;
          for (let ips = 1; ips <= 4; ips++) {
            const e = expectedOutcome(scaledWorkload(w, 1, ips)).expectedErrors;
            if (e > previous + 1e-6 * Math.max(1, previous)) return false;
            previous = e;
          }
          return true;
        },
      ),
      { numRuns: 15 },
    );
  });

  it("headroom is the growth at which the first errors appear", () => {
    const w = oneDestination("aws", 1000, 30);
    const h = headroom(w, 2);
    expect(h).toBeGreaterThan(0);
    expect(h).toBeLessThan(MAX_HEADROOM);
    expect(analyzeWorkload(scaledWorkload(w, h, 2)).verdict).toBe("ok");
    expect(analyzeWorkload(scaledWorkload(w, h * 1.03, 2)).verdict).toBe("exhausted");
  });

  it("headroom grows with IPs", () => {
    const w = oneDestination("aws", 1000, 30);
    expect(headroom(w, 3)).toBeGreaterThan(headroom(w, 2));
  });
});

describe("planWhatIf", () => {
  const w = oneDestination("aws", 1500, 20, { gbPerMonth: 200 });
  const plan = planWhatIf(w);

  it("has one row per IP count up to the gateway's maximum, priced from the table", () => {
    expect(plan.rows.map((r) => r.ips)).toEqual(
      Array.from({ length: maxIpsFor("aws", "single") }, (_, i) => i + 1),
    );
    for (const r of plan.rows) {
      expect(r.cost.total).toBeCloseTo(
        (PRICES.aws.natGatewayHour.usd + r.ips * PRICES.aws.publicIpv4Hour.usd) * HOURS_PER_MONTH +
          200 * PRICES.aws.natGatewayPerGb.usd,
        9,
      );
    }
  });

  it("marks the cheapest design that fits, and nothing cheaper fits", () => {
    expect(plan.cheapest).toBeDefined();
    const marked = [...plan.rows.filter((r) => r.cheapest), ...plan.alternatives.filter((a) => a.cheapest)];
    expect(marked).toHaveLength(1);
    const cheapestCost = marked[0].cost.total;
    for (const r of plan.rows) if (r.fits) expect(r.cost.total).toBeGreaterThanOrEqual(cheapestCost - 1e-9);
    for (const a of plan.alternatives) expect(a.cost.total).toBeGreaterThanOrEqual(cheapestCost - 1e-9);
    // The first fitting row is the analytic planner's own answer for one gateway.
    const first = plan.rows.find((r) => r.fits);
    expect(first?.ips).toBe(
      analyzeWorkload(w).ipsNeeded ?? analyzeWorkload(w).destinations[0].minIpsForZeroErrors,
    );
  });

  it("offers a regional gateway on AWS when one zonal gateway cannot fit", () => {
    const big = oneDestination("aws", 1500, 300);
    const p = planWhatIf(big);
    expect(p.rows.every((r) => !r.fits)).toBe(true);
    const regional = p.alternatives.find((a) => a.design.kind === "regional");
    expect(regional).toBeDefined();
    expect(regional?.design.ipsPerGateway).toBeGreaterThan(maxIpsFor("aws", "single"));
    expect(regional?.design.ipsPerGateway).toBeLessThanOrEqual(maxIpsFor("aws", "regional"));
    expect(expectedOutcome(scaledWorkload(big, 1, regional?.design.ipsPerGateway)).fits).toBe(true);
    expect(p.cheapest).toBeDefined();
  });

  it("uses the workload's price overrides", () => {
    const priced = oneDestination("azure", 100, 5, { gateway: { ips: 1, prices: { natGatewayHour: 1 } } });
    const p = planWhatIf(priced);
    expect(p.prices.natGatewayHour).toBe(1);
    expect(p.costAsGiven.gateway).toBeCloseTo(HOURS_PER_MONTH, 9);
  });

  it("renders the table, Markdown and the HTML section", () => {
    const text = renderWhatIfTable(plan);
    expect(text).toContain("* cheapest fit");
    expect(text).toContain(usd(plan.rows[0].cost.total));
    expect(renderWhatIfMarkdown(plan)).toContain("| IPs | expected errors |");
    const result = analyzeWorkload(w);
    const html = renderHtml({ result, series: { times: [], destinations: [] }, whatIf: plan });
    expect(html).toContain('id="whatif-chart"');
    expect(html).toContain("cheapest fit");
  });
});

describe("workload cost fields", () => {
  it("refuses a price key of the other cloud, naming the field", () => {
    expect(() =>
      oneDestination("azure", 10, 1, { gateway: { ips: 1, prices: { regionalNatZoneHour: 1 } } }),
    ).toThrow(WorkloadError);
    expect(() =>
      oneDestination("azure", 10, 1, { gateway: { ips: 1, prices: { regionalNatZoneHour: 1 } } }),
    ).toThrow(/gateway\.prices\.regionalNatZoneHour/);
  });

  it("refuses a negative gbPerMonth", () => {
    expect(() => oneDestination("aws", 10, 1, { gbPerMonth: -1 })).toThrow(/gbPerMonth/);
  });
});
