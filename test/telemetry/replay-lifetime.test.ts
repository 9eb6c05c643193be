// Replay applies exactly the gateway rules `natcap simulate` applies: one definition of a port's
// lifetime after its hold (sim/gateway/load.ts portLifetime) by protocol and close kind. The same traffic —
// connections drawn from a workload's stream, replayed, and the workload simulated — holds the same
// ports. Replay once freed a UDP port at the idle timeout, without the UDP hold-down that simulate
// applies, and held about a fifth fewer UDP ports than simulate for the same traffic.
import { describe, expect, it } from "vitest";
import { simulate } from "../../sim/engine/simulate";
import { portLifetime } from "../../sim/gateway/load";
import { validateWorkload } from "../../sim/workload/workload";
import type { ConnectionTrace, ObservedConnection } from "../../telemetry/reconstruct/connections";
import { replayTrace } from "../../telemetry/replay/replay";

const T = 4000;
const RATE = 2;
const HOLD = 10;

function trace(
  cloud: "aws" | "azure",
  connections: ObservedConnection[],
  durationSeconds = T,
): ConnectionTrace {
  return {
    cloud,
    startEpochSeconds: 1_767_225_600,
    durationSeconds,
    connections,
    gatewayIps: [],
    files: [],
    recordsRead: connections.length,
    recordsUsed: connections.length,
    skipped: [],
  };
}

describe("replay and simulate share one port lifetime", () => {
  it.each([
    ["aws", "udp", "idle"],
    ["azure", "udp", "idle"],
    ["aws", "tcp", "fin"],
    ["azure", "tcp", "fin"],
    ["azure", "tcp", "rst"],
    ["azure", "tcp", "idle"],
  ] as const)("%s %s close %s: the same ports held by replay and by simulate", (cloud, protocol, close) => {
    const address = "198.51.100.53";
    const port = protocol === "udp" ? 53 : 443;
    const w = validateWorkload({
      cloud,
      gateway: { ips: 1 },
      durationSeconds: T,
      destinations: [{ name: "d", address, port, protocol }],
      traffic: [{ to: "d", connectionsPerSecond: RATE, holdSeconds: HOLD, close }],
    });
    // Constant holds at a constant spacing: the replay's mean ports held is exact.
    const connections: ObservedConnection[] = [];
    for (let i = 0; i < RATE * T; i++) {
      const start = i / RATE;
      connections.push({ address, port, protocol, start, end: start + HOLD, close, failed: false });
    }
    const replayed = replayTrace(trace(cloud, connections), { ips: 1 }).result.destinations[0];
    const simulated = simulate(w).destinations[0];
    const life = portLifetime(w, protocol, close);
    const S = HOLD + life.openAfterHold + life.heldAfterClose;
    const exact = RATE * S * (1 - S / (2 * T));
    expect(Math.abs(replayed.meanPortsHeld - exact) / exact).toBeLessThan(0.005);
    // Simulate draws Poisson arrivals: within its noise (a few %) of the replay.
    expect(Math.abs(simulated.meanPortsHeld - replayed.meanPortsHeld) / replayed.meanPortsHeld).toBeLessThan(
      0.05,
    );
    expect(replayed.peakPortsHeld).toBe(Math.ceil(RATE * S));
  });

  it("counts an idle timeout for every flow that ends by it, as simulate does", () => {
    const address = "198.51.100.53";
    const connections: ObservedConnection[] = [0, 100, 200].map((start) => ({
      address,
      port: 53,
      protocol: "udp",
      start,
      end: start + 1,
      close: "idle",
      failed: false,
    }));
    // Azure UDP: open 1 + 240 s, so the flows at 0 and 100 close before 400, the one at 200 after.
    const r = replayTrace(trace("azure", connections, 400), { ips: 1 }).result;
    expect(r.totals.idleTimeouts).toBe(2);
  });
});

describe("a logged failure the replayed gateway admits", () => {
  const address = "203.0.113.7";
  const base = { address, port: 443, protocol: "tcp" as const };
  const connections: ObservedConnection[] = [
    { ...base, start: 0, end: 0, close: "fin", failed: false },
    { ...base, start: 0, end: 500, close: "fin", failed: false },
    { ...base, start: 1000, end: 1000, close: "fin", failed: true },
  ];
  const heldBy = (seed: number) => {
    const r = replayTrace(trace("azure", connections, 3000), { ips: 1, seed }).result.destinations[0];
    // Port-seconds of the two completed connections: 0 + 65 and 500 + 65 (Azure FIN hold-down).
    return Math.round(r.meanPortsHeld * 3000 - 65 - 565);
  };

  it("holds its port as one drawn completed connection of its endpoint did, never their mean", () => {
    const holds = new Set(Array.from({ length: 40 }, (_, s) => heldBy(s + 1)));
    expect([...holds].sort((a, b) => a - b)).toEqual([65, 565]);
  });

  it("draws the same hold for the same seed", () => {
    for (let s = 1; s <= 5; s++) expect(heldBy(s)).toBe(heldBy(s));
  });

  it("is an attempt, and an error when the gateway has no port for it", () => {
    const run = replayTrace(trace("azure", connections, 3000), { ips: 1, perIpDestinationLimit: 1 });
    const d = run.result.destinations[0];
    expect(d.attempts).toBe(3);
    expect(run.observedFailures[0]).toBe(1);
    // The second connection at 0 already finds the only port taken; at 1000 it is free again.
    expect(d.portAllocationErrors).toBe(1);
  });
});
