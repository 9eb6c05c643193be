import { describe, expect, it } from "vitest";
import { WorkloadError } from "../../core/errors";
import { AWS, AZURE } from "../../core/limits";
import { erlangB, littlesLaw } from "../../sim/analytic/closed-forms";
import { simulate } from "../../sim/engine/simulate";
import { afterHoldSeconds, destinationLoads } from "../../sim/gateway/load";
import { streamModels } from "../../sim/gateway/models";
import { assessCapacity } from "../../sim/verdict/capacity";
import { validateWorkload, type WorkloadInput } from "../../sim/workload/workload";

const dns = (
  cloud: "aws" | "azure",
  rate: number,
  durationSeconds: number,
  extra: object = {},
): WorkloadInput => ({
  cloud,
  gateway: { ips: 1 },
  durationSeconds,
  destinations: [{ name: "dns", address: "198.51.100.53", port: 53, protocol: "udp" }],
  traffic: [
    {
      to: "dns",
      connectionsPerSecond: rate,
      holdSeconds: { distribution: "exponential", mean: 0.05 },
      ...extra,
    },
  ],
});

describe("UDP flows end only at the gateway's idle timeout", () => {
  it.each([
    ["aws", AWS.idleTimeoutSeconds.value, AWS.portReuseSeconds.value],
    ["azure", AZURE.udpIdleTimeoutMinutes.value * 60, AZURE.portReuseUdpSeconds.value],
  ] as const)(
    "%s: mean ports held of a DNS-like stream = λ × (hold + idle + hold-down)",
    (cloud, idle, holdDown) => {
      const T = 20_000;
      const rate = 10;
      const w = validateWorkload(dns(cloud, rate, T));
      const r = simulate(w);
      const S = 0.05 + idle + holdDown;
      // Time-averaged over [0, T], the ramp-up of the first S seconds costs a share S / (2T).
      const expected = littlesLaw(rate, S) * (1 - S / (2 * T));
      expect(Math.abs(r.destinations[0].meanPortsHeld - expected) / expected).toBeLessThan(0.03);
      // Every flow that ended during the run ended by the idle timeout.
      expect(r.totals.idleTimeouts).toBeGreaterThan(0.95 * rate * (T - 0.05 - idle));
      expect(r.totals.idleTimeouts).toBeLessThanOrEqual(r.totals.attempts);
    },
  );
  it("close defaults to idle on UDP, fin on TCP; close: idle is accepted on UDP", () => {
    const w = validateWorkload({
      ...dns("aws", 1, 10),
      destinations: [
        { name: "dns", address: "198.51.100.53", port: 53, protocol: "udp" },
        { name: "web", address: "198.51.100.80", port: 443 },
      ],
      traffic: [
        { to: "dns", connectionsPerSecond: 1, holdSeconds: 1 },
        { to: "web", connectionsPerSecond: 1, holdSeconds: 1 },
        { to: "dns", connectionsPerSecond: 1, holdSeconds: 1, close: "idle" },
      ],
    });
    expect(w.traffic.map((t) => t.close)).toEqual(["idle", "fin", "idle"]);
  });
  it.each(["fin", "rst"] as const)(
    "close: %s on a UDP destination is refused naming the field, value and rule",
    (close) => {
      let error: unknown;
      try {
        validateWorkload(dns("azure", 1, 10, { close }));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(WorkloadError);
      const message = (error as Error).message;
      expect(message).toContain(`traffic[0].close: "${close}"`);
      expect(message).toContain(
        "UDP has no FIN or RST: a NAT gateway ends a UDP flow only at its idle timeout; remove close or set close: idle",
      );
    },
  );
  it("the engine, Little's law, Erlang-B and the planners use the same UDP lifetime", () => {
    const w = validateWorkload(dns("azure", 100, 600));
    const lifetime = 0.05 + 240 + 65;
    expect(afterHoldSeconds(w, w.traffic[0], "udp")).toBe(240 + 65);
    const [model] = streamModels(w);
    expect(model.idle).toBe(true);
    expect(model.after).toBe(65);
    const [load] = destinationLoads(w);
    expect(load.peakOffered).toBeCloseTo(100 * lifetime, 6);
    const r = simulate(w);
    expect(r.destinations[0].erlangB).toBeCloseTo(
      erlangB(100 * lifetime, w.gateway.perIpDestinationLimit),
      12,
    );
  });
  it("DNS at 200/s through one AWS IP is predicted exhausted (it was predicted safe when UDP closed by FIN)", () => {
    // 200/s × (0.05 + 350 + 60) s ≈ 82,000 ports held, over one IP's 55,000.
    const report = assessCapacity(
      {
        destinations: [{ name: "dns", address: "198.51.100.53", port: 53, protocol: "udp" }],
        traffic: [{ to: "dns", connectionsPerSecond: 200, holdSeconds: 0.05 }],
        durationSeconds: 900,
      },
      { cloud: "aws", ips: 1 },
    );
    expect(report.ok).toBe(false);
    expect(report.ipsNeeded).toBeGreaterThanOrEqual(2);
    expect(report.result?.totals.idleTimeouts).toBeGreaterThan(0);
  });
});
