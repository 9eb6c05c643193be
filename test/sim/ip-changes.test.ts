import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WorkloadError } from "../../core/errors";
import { renderHtml } from "../../render/html";
import { renderTable } from "../../render/report";
import { renderWhatIfTable } from "../../render/whatif-report";
import { analyzeWorkload } from "../../sim/analytic/analyze";
import { runSimulation, simulate } from "../../sim/engine/simulate";
import { ipTimeline } from "../../sim/gateway/ip-changes";
import { drainNeeded } from "../../sim/sizing/scalein";
import { planWhatIf } from "../../sim/sizing/whatif";
import { validateWorkload, type WorkloadInput } from "../../sim/workload/workload";

/**
 * One AWS destination at 30 connections/s, per-IP limit 1,000 ports, no hold-down: with a
 * constant hold of 50 s the load is 1,500 ports, which two IPs carry (750 each) and one does not.
 */
function gateway(
  ips: number,
  ipChanges: { atSeconds: number; ips: number }[],
  holdSeconds: WorkloadInput["traffic"] extends (infer T)[] | undefined
    ? T extends { holdSeconds?: infer H }
      ? H
      : never
    : never,
  extra: Partial<WorkloadInput["gateway"]> = {},
  cloud: "aws" | "azure" = "aws",
) {
  return validateWorkload({
    cloud,
    gateway: {
      ips,
      perIpDestinationLimit: 1000,
      portReuseSeconds: { fin: 0 },
      ipChanges,
      ...extra,
    },
    durationSeconds: 3600,
    destinations: [{ name: "a", address: "203.0.113.1", port: 443 }],
    traffic: [{ to: "a", connectionsPerSecond: 30, holdSeconds, close: "fin" }],
  });
}

/** The message of the WorkloadError `input` raises. */
function refusal(input: unknown): string {
  try {
    validateWorkload(input);
  } catch (e) {
    expect(e).toBeInstanceOf(WorkloadError);
    return (e as Error).message;
  }
  throw new Error("accepted");
}

const aws = (gw: object, durationSeconds = 3600) => ({
  cloud: "aws",
  gateway: { ips: 2, ...gw },
  durationSeconds,
  destinations: [{ name: "a", address: "203.0.113.1", port: 443 }],
});

describe("gateway.ipChanges and gateway.drainSeconds: validation", () => {
  it.each([
    [
      {
        ipChanges: [
          { atSeconds: 600, ips: 1 },
          { atSeconds: 300, ips: 2 },
        ],
      },
      "gateway.ipChanges[1].atSeconds",
      "300",
    ],
    [{ ipChanges: [{ atSeconds: 0, ips: 1 }] }, "gateway.ipChanges[0].atSeconds", "0"],
    [{ ipChanges: [{ atSeconds: 3600, ips: 1 }] }, "gateway.ipChanges[0].atSeconds", "end of the run"],
    [{ ipChanges: [{ atSeconds: 60, ips: 9 }] }, "gateway.ipChanges[0].ips", "8 IPs"],
    [{ ipChanges: [{ atSeconds: 60, ips: 2 }] }, "gateway.ipChanges[0].ips", "changes nothing"],
    [{ ipChanges: [{ atSeconds: 60, ips: 0 }] }, "gateway.ipChanges[0].ips", "whole number of IPs"],
    [{ ipChanges: [{ atSeconds: Number.NaN, ips: 1 }] }, "gateway.ipChanges[0].atSeconds", ""],
    [{ ipChanges: [{ atSeconds: 60, ips: 1, drain: 3 }] }, "gateway.ipChanges[0]", "drain"],
    [{ drainSeconds: 0 }, "gateway.drainSeconds", "4,000"],
    [
      {
        ipChanges: [
          { atSeconds: 600, ips: 1 },
          { atSeconds: 900, ips: 2 },
        ],
      },
      "gateway.ipChanges[1].atSeconds",
      "950 s or later",
    ],
    [{ drainSeconds: 4001 }, "gateway.drainSeconds", "MaxDrainDurationSeconds"],
    [{ drainSeconds: 1.5 }, "gateway.drainSeconds", "1.5"],
    [
      { ipChanges: Array.from({ length: 101 }, (_, i) => ({ atSeconds: i + 1, ips: (i % 2) + 1 })) },
      "gateway.ipChanges",
      "100",
    ],
  ])("refuses %j naming %s", (gw, field, words) => {
    const message = refusal(aws(gw));
    expect(message).toContain(field);
    expect(message).toContain(words);
  });

  it("refuses removals and a drain on Azure, saying the behaviour is not documented", () => {
    const removal = refusal({ ...aws({ ipChanges: [{ atSeconds: 60, ips: 1 }] }), cloud: "azure" });
    expect(removal).toContain("gateway.ipChanges[0].ips");
    expect(removal).toMatch(/not documented/);
    const drain = refusal({ ...aws({ drainSeconds: 100 }), cloud: "azure" });
    expect(drain).toContain("gateway.drainSeconds");
  });

  it("accepts additions on Azure and AWS drains from 1 to 4,000 s", () => {
    expect(() =>
      validateWorkload({ ...aws({ ipChanges: [{ atSeconds: 60, ips: 16 }] }), cloud: "azure" }),
    ).not.toThrow();
    for (const drainSeconds of [1, 350, 4000])
      expect(
        validateWorkload(aws({ drainSeconds, ipChanges: [{ atSeconds: 9, ips: 1 }] })).gateway.drainSeconds,
      ).toBe(drainSeconds);
  });
});

describe("the IP timeline", () => {
  it("gives each added IP a fresh slot, removes the newest first, and cuts at removal + drain", () => {
    const w = gateway(
      2,
      [
        { atSeconds: 100, ips: 3 },
        { atSeconds: 200, ips: 1 },
        { atSeconds: 300, ips: 2 },
      ],
      10,
      { drainSeconds: 50 },
    );
    const t = ipTimeline(w)!;
    expect(t.slots).toBe(4);
    expect(t.removedAt).toEqual([Number.POSITIVE_INFINITY, 200, 200, Number.POSITIVE_INFINITY]);
    expect(t.cutAt).toEqual([Number.POSITIVE_INFINITY, 250, 250, Number.POSITIVE_INFINITY]);
    expect(t.intervals.map((iv) => [iv.fromSeconds, iv.ips, iv.drainingIps])).toEqual([
      [0, 2, 0],
      [100, 3, 0],
      [200, 1, 2],
      [250, 1, 0],
      [300, 2, 0],
    ]);
    expect(ipTimeline(gateway(2, [], 10))).toBeUndefined();
  });

  it("uses AWS's default drain of 350 s", () => {
    expect(ipTimeline(gateway(2, [{ atSeconds: 600, ips: 1 }], 50))!.cutAt[1]).toBe(950);
  });
});

describe("closed forms through IP changes", () => {
  // One IP at 1,500 ports offered and 1,000 allowed: once full it accepts exactly what it frees,
  // 1,000 per 50 s hold, so 30 − 20 = 10 errors a second (the fluid limit; Erlang-B(1500, 1000) ≈ 1/3).
  it("removing one of two IPs under a load that fits two but not one: 10 errors a second from the removal on", () => {
    const w = gateway(2, [{ atSeconds: 600, ips: 1 }], 50);
    const a = analyzeWorkload(w).destinations[0];
    // Intervals: before the removal, the drain (600-950 s), after it.
    expect(a.portAllocationErrorsByInterval).toEqual([0, 3500, 26500]);
    expect(a.connectionsCutByDrain).toBe(0);
    const s = simulate(w).destinations[0];
    const [before, during, after] = s.portAllocationErrorsByInterval!;
    expect(before).toBe(0);
    expect(Math.abs(during - 3500)).toBeLessThan(0.05 * 3500);
    expect(Math.abs(after - 26500)).toBeLessThan(0.03 * 26500);
    expect(s.connectionsCutByDrain).toBe(0);
    expect(s.portAllocationErrors).toBe(before + during + after);
  });

  it("adding an IP under overload: errors stop once the new IP's ports take half the new flows", () => {
    const w = gateway(1, [{ atSeconds: 600, ips: 2 }], 50);
    const a = analyzeWorkload(w).destinations[0];
    expect(a.portAllocationErrorsByInterval![0]).toBe(6000);
    expect(a.portAllocationErrorsByInterval![1]).toBeLessThan(5);
    const { result, series } = runSimulation(w);
    const [before, after] = result.destinations[0].portAllocationErrorsByInterval!;
    expect(Math.abs(before - 6000)).toBeLessThan(0.05 * 6000);
    // Just after the change the old IP is still full; its ports free at 20/s while it gets 15/s.
    expect(after).toBeLessThan(100);
    const late = series.times.reduce((n, t, i) => n + (t > 650 ? series.destinations[0].errors[i] : 0), 0);
    expect(late).toBe(0);
    expect(result.destinations[0].peakPortsHeldPerIp).toHaveLength(2);
  });

  it("cuts at the end of the drain exactly the connections whose hold outlasts it", () => {
    // Hold 600 s, drain 350 s: the removed IP's connections from its last 250 s are still open,
    // 15/s × 250 s = 3,750; no errors (limit 20,000, 9,000 ports per IP).
    const w = gateway(2, [{ atSeconds: 1200, ips: 1 }], 600, { perIpDestinationLimit: 20_000 });
    const a = analyzeWorkload(w);
    expect(a.destinations[0].connectionsCutByDrain).toBe(3750);
    expect(a.totals.connectionsCutByDrain).toBe(3750);
    const s = simulate(w);
    expect(Math.abs(s.destinations[0].connectionsCutByDrain! - 3750)).toBeLessThan(5 * Math.sqrt(3750));
    expect(s.totals.connectionsCutByDrain).toBe(s.destinations[0].connectionsCutByDrain);
    expect(s.destinations[0].portAllocationErrors).toBe(0);
    // A drain as long as the hold cuts nothing.
    const long = gateway(2, [{ atSeconds: 1200, ips: 1 }], 600, {
      perIpDestinationLimit: 20_000,
      drainSeconds: 600,
    });
    expect(simulate(long).destinations[0].connectionsCutByDrain).toBe(0);
    expect(analyzeWorkload(long).destinations[0].connectionsCutByDrain).toBe(0);
  });

  it("adds no field to the result of a workload whose IPs never change", () => {
    const r = simulate(gateway(2, [], 50));
    expect(r.ipIntervals).toBeUndefined();
    expect(r.totals.connectionsCutByDrain).toBeUndefined();
    expect(r.destinations[0].connectionsCutByDrain).toBeUndefined();
    expect(analyzeWorkload(gateway(2, [], 50)).ipIntervals).toBeUndefined();
  });

  it("Azure: an added IP's ports join the pool from then on", () => {
    const w = gateway(1, [{ atSeconds: 600, ips: 2 }], 50, {}, "azure");
    const a = analyzeWorkload(w).destinations[0];
    const s = simulate(w).destinations[0];
    expect(a.portAllocationErrorsByInterval![0]).toBe(6000);
    expect(Math.abs(s.portAllocationErrorsByInterval![0] - 6000)).toBeLessThan(0.05 * 6000);
    expect(a.portAllocationErrorsByInterval![1]).toBeLessThan(5);
    expect(s.portAllocationErrorsByInterval![1]).toBeLessThan(100);
  });
});

describe("engine and analytic path agree through IP changes", () => {
  it("on random workloads with additions and removals", () => {
    const hold = fc.oneof(
      fc.integer({ min: 5, max: 60 }),
      fc.integer({ min: 5, max: 60 }).map((mean) => ({ distribution: "exponential" as const, mean })),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 4 })), {
          minLength: 1,
          maxLength: 3,
        }),
        hold,
        fc.double({ min: 0.3, max: 2, noNaN: true }),
        fc.integer({ min: 100, max: 600 }),
        fc.integer({ min: 20, max: 99 }),
        (ips, steps, holdSeconds, loadFactor, limit, drainSeconds) => {
          // Steps at distinct multiples of 100 s, each a real change of the count.
          const changes: { atSeconds: number; ips: number }[] = [];
          let last = ips;
          for (const [at, n] of [...new Map(steps).entries()].sort((x, y) => x[0] - y[0])) {
            if (n !== last) changes.push({ atSeconds: at * 100, ips: n });
            last = n === last ? last : n;
          }
          fc.pre(changes.length > 0);
          const mean = typeof holdSeconds === "number" ? holdSeconds : holdSeconds.mean;
          const rate = (loadFactor * limit * 2) / mean;
          const w = validateWorkload({
            cloud: "aws",
            gateway: {
              ips,
              perIpDestinationLimit: limit,
              portReuseSeconds: { fin: 0 },
              ipChanges: changes,
              drainSeconds,
            },
            durationSeconds: 1200,
            destinations: [{ name: "a", address: "203.0.113.1", port: 443 }],
            traffic: [{ to: "a", connectionsPerSecond: rate, holdSeconds, close: "fin" }],
          });
          const s = simulate(w).destinations[0];
          const a = analyzeWorkload(w).destinations[0];
          const errors = Math.max(s.portAllocationErrors, a.portAllocationErrors);
          expect(Math.abs(s.portAllocationErrors - a.portAllocationErrors)).toBeLessThanOrEqual(
            0.12 * errors + 0.01 * s.attempts + 30,
          );
          const cut = Math.max(s.connectionsCutByDrain!, a.connectionsCutByDrain!);
          expect(Math.abs(s.connectionsCutByDrain! - a.connectionsCutByDrain!)).toBeLessThanOrEqual(
            0.1 * cut + 5 * Math.sqrt(cut) + 5,
          );
        },
      ),
      { seed: 22, numRuns: 25 },
    );
  }, 120_000);
});

describe("what-if: scaling in", () => {
  const four = (traffic: object[]) =>
    validateWorkload({
      cloud: "aws",
      gateway: { ips: 4, perIpDestinationLimit: 1000, portReuseSeconds: { fin: 0 } },
      durationSeconds: 3600,
      destinations: [{ name: "a", address: "203.0.113.1", port: 443 }],
      traffic: traffic.map((t) => ({ to: "a", close: "fin", ...t })),
    });

  it("needs a drain of the hold itself for a constant hold, and 600 ln(2 λ_r 600) for an exponential one", () => {
    const constant = four([{ connectionsPerSecond: 30, holdSeconds: 50 }]);
    expect(drainNeeded(constant, 4, 3)).toEqual({ seconds: 50, capped: false, cut: 0 });
    // 1/s over 4 IPs, one removed: 0.25/s × 600 × e^(−x/600) < 0.5 from x = 600 ln 300 = 3,422.3 on.
    const exponential = four([
      { connectionsPerSecond: 1, holdSeconds: { distribution: "exponential", mean: 600 } },
    ]);
    expect(drainNeeded(exponential, 4, 3).seconds).toBe(Math.ceil(600 * Math.log(300)));
    // Three of four removed: 0.75/s; past 4,000 s about 0.75 × 600 × e^(−4000/600) ≈ 0.57 stay open.
    const capped = drainNeeded(exponential, 4, 1);
    expect(capped.capped).toBe(true);
    expect(capped.cut).toBeCloseTo(0.75 * 600 * Math.exp(-4000 / 600), 6);
  });

  it("names the smallest count that fits and its drain, in the plan and the table", () => {
    // 1,500 ports of load: 2 IPs carry it (750 each), 1 does not.
    const w = four([{ connectionsPerSecond: 30, holdSeconds: 50 }]);
    const plan = planWhatIf(w);
    expect(plan.scaleIn?.smallest).toBe(2);
    expect(plan.scaleIn?.smallestDrainSeconds).toBe(50);
    expect(plan.scaleIn?.rows.map((r) => r.ips)).toEqual([3, 2, 1]);
    expect(plan.scaleIn?.rows[2].fits).toBe(false);
    expect(renderWhatIfTable(plan)).toContain(
      "Smallest IP count to scale in to now: 2, with a drain of at least 50 s.",
    );
    // Azure: removals are not modelled, so no scale-in section.
    expect(planWhatIf({ ...w, cloud: "azure" } as typeof w).scaleIn).toBeUndefined();
  });
});

describe("reports through IP changes", () => {
  it("the table lists each interval with its IPs, draining IPs and errors, and the cut connections", () => {
    const r = analyzeWorkload(
      gateway(2, [{ atSeconds: 1200, ips: 1 }], 600, { perIpDestinationLimit: 20_000 }),
    );
    const text = renderTable(r);
    expect(text).toContain("1,200–1,550 s: 1 IP takes new flows, 1 draining; errors: a 0");
    expect(text).toContain("Connections cut at the end of a drain: a 3,750");
    expect(text).toContain("3,750 connections cut at the end of a drain");
  });
});

describe("the HTML report through IP changes", () => {
  it("has the IP-change section and a capacity line that follows the IPs taking new flows", () => {
    const w = gateway(2, [{ atSeconds: 1200, ips: 1 }], 600, { perIpDestinationLimit: 20_000 });
    const run = runSimulation(w, { samples: 36 });
    const html = renderHtml(run);
    expect(html).toContain("<h2>IP changes</h2>");
    expect(html).toMatch(/Connections cut: a: [\d,]+/);
    const data = JSON.parse(html.split('id="natcap-data">')[1].split("</script>")[0]);
    const capacity: number[] = data.destinations[0].capacityOverTime;
    expect(capacity[0]).toBe(40_000);
    expect(capacity[capacity.length - 1]).toBe(20_000);
    // One ports-held line per IP the run used.
    expect(data.destinations[0].portsHeldPerIp).toHaveLength(2);
    expect(renderHtml(runSimulation(gateway(2, [], 50), { samples: 10 }))).not.toContain("IP changes");
  });
});
