import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assessCapacity } from "../../sim/verdict/capacity";
import { capacityFailure, capacityFix, type FixFacts } from "../../sim/verdict/capacity-message";

const facts = (f: Partial<FixFacts>): FixFacts => ({
  ok: false,
  moreIpsHelp: true,
  ipsNeeded: 3,
  ips: 2,
  maxIps: 8,
  ...f,
});

describe("capacityFix", () => {
  it("is empty when the gateway fits", () => {
    expect(capacityFix(facts({ ok: true }), { name: "ipCount" })).toBe("");
  });

  it("names the setting with the value that gives the IPs needed, minus what it does not count", () => {
    expect(capacityFix(facts({}), { name: "ipCount" })).toBe(
      "set ipCount to 3 (it is 2), or lower the expected connections",
    );
    expect(
      capacityFix(facts({}), {
        name: "secondaryPrivateIpAddressCount",
        notCounted: 1,
        autoSize: "autoSizeIps",
      }),
    ).toBe(
      "set secondaryPrivateIpAddressCount to 2 (3 IPs in all; it is 1) or autoSizeIps: true, or lower the expected connections",
    );
    expect(capacityFix(facts({ ipsNeeded: 2, ips: 1 }), { name: "n", notCounted: 1 })).toMatch(
      /^set n to 1 \(2 IPs in all; it is 0\)/,
    );
    expect(capacityFix(facts({ ipsNeeded: 1_200, ips: 2, maxIps: 2_000 }), { name: "n" })).toMatch(
      /^set n to 1,200/,
    );
  });

  it("says the current value as the caller knows it when the count is not exact", () => {
    expect(capacityFix(facts({ ips: 8, ipsNeeded: 8 }), { name: "n", current: "at least 2" })).toMatch(
      /^set n to 8 \(it is at least 2\)/,
    );
  });

  it("past one gateway's maximum: how to split, no setting; right grammar for a one-IP maximum", () => {
    const fix = capacityFix(facts({ ipsNeeded: 12 }), { name: "ipCount", autoSize: "autoSizeIps" });
    expect(fix).toMatch(/^the traffic needs 12 IPs, more than the 8 one gateway can hold: split/);
    expect(fix).not.toMatch(/ipCount|autoSizeIps/);
    expect(capacityFix(facts({ ipsNeeded: 2, ips: 1, maxIps: 1 }), { name: "n" })).toMatch(
      /^the traffic needs 2 IPs, more than the 1 IP one gateway can hold/,
    );
  });

  it("a gateway-wide cap: more IPs do not help, with the totals when known", () => {
    const cap = facts({ moreIpsHelp: false, ipsNeeded: 1, ips: 1 });
    expect(capacityFix(cap, { name: "publicIpCount" })).toBe(
      "connections across all destinations exceed the 2,000,000 one NAT gateway supports in total; more IPs do not help: " +
        "split the subnets across gateways or lower the expected connections",
    );
    expect(
      capacityFix({ ...cap, totalConnections: 2_050_000, totalConnectionsCap: 2_000_000 }, { name: "n" }),
    ).toMatch(/^connections across all destinations peak at 2,050,000, more than the 2,000,000 /);
  });

  it("property: never names a count when more IPs cannot help; a named count is above the current and within the maximum", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 16 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        (ips, needed, maxIps, moreIpsHelp, notCounted) => {
          fc.pre(ips >= notCounted);
          const ipsNeeded = Math.max(needed, moreIpsHelp ? ips + 1 : 1);
          const fix = capacityFix(
            { ok: false, moreIpsHelp, ipsNeeded, ips, maxIps },
            { name: "n", notCounted },
          );
          const set = /set n to ([\d,]+) \((?:([\d,]+) IPs? in all; )?it is ([\d,]+)\)/.exec(fix);
          if (!moreIpsHelp) {
            expect(fix).toContain("more IPs do not help");
            expect(fix.startsWith("set ")).toBe(false);
          }
          if (set) {
            expect(Number(set[1]) + notCounted).toBe(ipsNeeded);
            expect(Number(set[3])).toBe(ips - notCounted);
            expect(ipsNeeded).toBeLessThanOrEqual(maxIps);
          } else if (moreIpsHelp) {
            expect(fix).toMatch(/more than the .* one gateway can hold/);
          }
        },
      ),
    );
  });
});

describe("capacityFailure", () => {
  it("words a report: 1 IP grammar, failing destinations, the notes, the fix", () => {
    const report = assessCapacity(
      { destinations: [{ name: "ldap", address: "203.0.113.10", port: 636, peakConnections: 60_000 }] },
      { cloud: "aws", ips: 1 },
    );
    const f = capacityFailure(report, { name: "ipCount" }, "expectedTraffic");
    expect(f.message).toMatch(/^expectedTraffic predicts port-allocation errors with 1 IP:\n {2}- ldap /);
    expect(f.message).toContain("1 IP holds 55,000 ports");
    expect(f.fix).toBe(capacityFix(report, { name: "ipCount" }));
    expect(f.fix).toMatch(/^set ipCount to 2 \(it is 1\)/);
  });

  it("the gateway-wide cap alone: the lines are the explanations, none says a count", () => {
    const report = assessCapacity(
      {
        destinations: Array.from({ length: 41 }, (_, i) => ({
          name: `d${i}`,
          address: `198.51.100.${i + 1}`,
          port: 443,
          peakConnections: 49_000,
        })),
      },
      { cloud: "azure", ips: 1 },
    );
    expect(report.moreIpsHelp).toBe(false);
    const f = capacityFailure(report, { name: "publicIpCount" }, "expectedTraffic");
    expect(f.message).toContain("more than the 2,000,000");
    expect(f.fix).toMatch(/more IPs do not help/);
    expect(f.fix).not.toMatch(/set publicIpCount/);
  });
});
