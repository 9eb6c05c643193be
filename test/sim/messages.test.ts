import { describe, expect, it } from "vitest";
import { WorkBudgetError, WorkloadError } from "../../core/errors";
import { plural, verb } from "../../core/format";
import { renderTable, reportNotes, verdictLine } from "../../render/report";
import { checkWorkBudget, simulate } from "../../sim/engine/simulate";
import { assessCapacity } from "../../sim/verdict/capacity";
import { workloadWarnings } from "../../sim/workload/rules";
import { validateWorkload, type WorkloadInput } from "../../sim/workload/workload";

const api = { name: "api", address: "198.51.100.7", port: 443 };
const small = (patch: Partial<WorkloadInput> = {}): WorkloadInput => ({
  cloud: "aws",
  gateway: { ips: 2 },
  durationSeconds: 60,
  destinations: [api],
  traffic: [{ to: "api", connectionsPerSecond: 10, holdSeconds: 1 }],
  ...patch,
});

function workloadError(input: unknown): WorkloadError {
  try {
    validateWorkload(input);
  } catch (e) {
    if (e instanceof WorkloadError) return e;
    throw e;
  }
  throw new Error("expected a WorkloadError");
}

describe("the fix in each message works when applied", () => {
  it("too many IPs: the count it names is accepted", () => {
    const e = workloadError(small({ gateway: { ips: 9 } }));
    const n = Number(/set gateway\.ips to (\d+) or fewer/.exec(e.message)?.[1]);
    expect(n).toBe(8);
    expect(() => validateWorkload(small({ gateway: { ips: n } }))).not.toThrow();
  });
  it("a per-IP limit past the port range: the value it names is accepted", () => {
    const e = workloadError(small({ cloud: "azure", gateway: { ips: 1, perIpDestinationLimit: 65_535 } }));
    expect(e.message).toMatch(/65,535 exceeds the 64,512 ports/);
    const n = Number(/set it to ([\d,]+) or less/.exec(e.message)?.[1].replace(/,/g, ""));
    expect(() =>
      validateWorkload(small({ cloud: "azure", gateway: { ips: 1, perIpDestinationLimit: n } })),
    ).not.toThrow();
  });
  it("UDP with close: fin: both ways out it names are accepted", () => {
    const udp = { ...api, port: 53, protocol: "udp" as const };
    const e = workloadError(
      small({
        destinations: [udp],
        traffic: [{ to: "api", connectionsPerSecond: 1, holdSeconds: 1, close: "fin" }],
      }),
    );
    expect(e.message).toMatch(/remove close or set close: idle/);
    for (const t of [
      { to: "api", connectionsPerSecond: 1, holdSeconds: 1 },
      { to: "api", connectionsPerSecond: 1, holdSeconds: 1, close: "idle" as const },
    ]) {
      expect(validateWorkload(small({ destinations: [udp], traffic: [t] })).traffic[0].close).toBe("idle");
    }
  });
  it("two names for one endpoint: one destination with several streams is accepted", () => {
    const e = workloadError(
      small({
        destinations: [api, { ...api, name: "api2" }],
        traffic: [
          { to: "api", connectionsPerSecond: 1, holdSeconds: 1 },
          { to: "api2", connectionsPerSecond: 1, holdSeconds: 1 },
        ],
      }),
    );
    expect(e.message).toMatch(
      /make them one destination and point several traffic streams at it \(traffic\[\]\.to: "api"\)/,
    );
    const fixed = validateWorkload(
      small({
        traffic: [
          { to: "api", connectionsPerSecond: 1, holdSeconds: 1 },
          { to: "api", connectionsPerSecond: 1, holdSeconds: 1 },
        ],
      }),
    );
    expect(fixed.traffic).toHaveLength(2);
  });
  it("a sustained peak missing a field names the missing one", () => {
    expect(
      workloadError(small({ destinations: [{ ...api, peakConnections: 5, peakHoldSeconds: 5 }] })).message,
    ).toMatch(
      /destinations\[0\]\.peakDurationSeconds: is required with peakHoldSeconds: give both \(a sustained peak\) or neither/,
    );
  });
  it("the work budget: the duration it names fits, and so does the --max-attempts value", () => {
    const w = validateWorkload(small({ durationSeconds: 600 }));
    let error: WorkBudgetError | undefined;
    try {
      checkWorkBudget(w, 1000);
    } catch (e) {
      error = e as WorkBudgetError;
    }
    expect(error).toBeInstanceOf(WorkBudgetError);
    expect(error?.estimate).toBe(6000);
    expect(error?.message).toMatch(
      /needs about 6,000 simulated connection attempts, more than the budget of 1,000 \(--max-attempts\)/,
    );
    const seconds = Number(
      /shorten durationSeconds to ([\d,]+) or less/.exec(error?.message ?? "")?.[1].replace(/,/g, ""),
    );
    expect(seconds).toBe(100);
    expect(() => checkWorkBudget(validateWorkload(small({ durationSeconds: seconds })), 1000)).not.toThrow();
    const budget = Number(/--max-attempts (\d+) \(/.exec(error?.message ?? "")?.[1]);
    expect(() => checkWorkBudget(w, budget)).not.toThrow();
  });
  it("a load past natcap's bound says what to lower", () => {
    expect(
      workloadError(small({ traffic: [{ to: "api", connectionsPerSecond: 10_000_000, holdSeconds: 600 }] }))
        .message,
    ).toMatch(
      /would hold about 600,000,000 ports .* lower connectionsPerSecond, the schedule multipliers or the hold/,
    );
  });
  it("a schedule step after the end is a warning with its fix", () => {
    const w = validateWorkload(
      small({
        traffic: [
          {
            to: "api",
            connectionsPerSecond: 1,
            holdSeconds: 1,
            schedule: [{ atSeconds: 60, multiplier: 2 }],
          },
        ],
      }),
    );
    expect(workloadWarnings(w)).toEqual([
      "traffic[0].schedule[0].atSeconds: 60 is at or after the end of the run (durationSeconds 60), so the step never applies; lower atSeconds or raise durationSeconds",
    ]);
  });
});

describe("capacity fixes never contradict the sentence before them", () => {
  it("more IPs help: the count it names makes the check pass", () => {
    const expected = { destinations: [{ ...api, peakConnections: 150_000 }] };
    const report = assessCapacity(expected, { cloud: "aws", ips: 2 });
    expect(report.ok).toBe(false);
    const n = Number(/^set ips to (\d+) \(it is 2\)/.exec(report.fix)?.[1]);
    expect(n).toBe(report.ipsNeeded);
    expect(assessCapacity(expected, { cloud: "aws", ips: n }).ok).toBe(true);
    expect(assessCapacity(expected, { cloud: "aws", ips: n - 1 }).ok).toBe(false);
  });
  it("past the gateway's maximum: says split, gives no IP setting", () => {
    const report = assessCapacity(
      { destinations: [{ ...api, peakConnections: 500_000 }] },
      { cloud: "aws", ips: 8 },
    );
    expect(report.fix).toMatch(
      /^the traffic needs 10 IPs, more than the 8 one gateway can hold: split the traffic/,
    );
    expect(report.fix).not.toMatch(/set ips/);
  });
  it("the Azure gateway-wide cap: says more IPs do not help and names no IP count", () => {
    const destinations = Array.from({ length: 41 }, (_, i) => ({
      name: `h${i}`,
      address: `198.51.100.${i + 1}`,
      port: 443,
      peakConnections: 50_000,
    }));
    const report = assessCapacity({ destinations }, { cloud: "azure", ips: 16 });
    expect(report.ok).toBe(false);
    expect(report.moreIpsHelp).toBe(false);
    expect(report.reasons).toEqual(["gateway-connection-cap"]);
    expect(report.fix).toMatch(
      /peak at 2,050,000, more than the 2,000,000 one NAT gateway supports in total; more IPs do not help/,
    );
    expect(report.fix).not.toMatch(/set ips|\d+ IPs/);
    const w = validateWorkload({ cloud: "azure", gateway: { ips: 16 }, destinations });
    const r = simulate(w);
    expect(r.verdict).toBe("exhausted");
    expect(verdictLine(r)).toMatch(/more IPs do not help: split the subnets across gateways\.$/);
    expect(reportNotes(w, r).join("\n")).not.toMatch(/needs \d+ IPs/);
    expect(renderTable(r)).toMatch(/^Verdict: exhausted/m);
  });
  it("counts have thousands separators and agree in number", () => {
    expect(plural(1, "IP")).toBe("1 IP");
    expect(plural(2, "IP")).toBe("2 IPs");
    expect(plural(1_234_567, "connection")).toBe("1,234,567 connections");
    expect(`${plural(1, "IP")} ${verb(1, "holds", "hold")}`).toBe("1 IP holds");
    const one = assessCapacity(
      { destinations: [{ ...api, peakConnections: 10 }] },
      { cloud: "azure", ips: 1 },
    );
    expect(one.destinations[0].message).toMatch(
      /; 1 IP holds 50,000 ports for it \(50,000 per IP, pooled\); needs 1 IP$/,
    );
    const two = assessCapacity(
      { destinations: [{ ...api, peakConnections: 60_000 }] },
      { cloud: "azure", ips: 2 },
    );
    expect(two.destinations[0].message).toMatch(
      /expected peak 60,000 connections .*; 2 IPs hold 100,000 ports/,
    );
    expect(simulate(validateWorkload(small({ gateway: { ips: 1 } }))).verdict).toBe("ok");
    expect(verdictLine(simulate(validateWorkload(small({ gateway: { ips: 1 } }))))).toMatch(
      /with 1 IP \(hash\)\.$/,
    );
  });
});
