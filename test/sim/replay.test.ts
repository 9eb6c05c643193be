import { describe, expect, it } from "vitest";
import { WorkloadError } from "../../core/errors";
import { simulate } from "../../sim/engine/simulate";
import { validateWorkload } from "../../sim/workload/workload";
import { awsFlowLogLines, CUSTOM_FIELDS, generateTraffic } from "../../telemetry/generate/generate";
import type { ConnectionTrace, ObservedConnection } from "../../telemetry/reconstruct/connections";
import { replayTrace } from "../../telemetry/replay/replay";
import { readAwsFlowLogs } from "../../telemetry/sources/aws/flow-logs";
import { tempDir, writeLines } from "../telemetry/helpers";

function trace(
  connections: ObservedConnection[],
  durationSeconds = 1000,
  cloud: "aws" | "azure" = "aws",
): ConnectionTrace {
  return {
    cloud,
    startEpochSeconds: 0,
    durationSeconds,
    connections,
    gatewayIps: [],
    files: ["test"],
    recordsRead: connections.length,
    recordsUsed: connections.length,
    skipped: [],
  };
}

const conn = (
  start: number,
  end: number,
  close: ObservedConnection["close"] = "fin",
  failed = false,
): ObservedConnection => ({
  address: "203.0.113.10",
  port: 443,
  protocol: "tcp",
  start,
  end,
  close,
  failed,
});

describe("replay", () => {
  it("reproduces the failures of logs generated from a 1-IP gateway whose per-IP limit overflowed", async () => {
    const truth = generateTraffic({
      durationSeconds: 1800,
      ips: 1,
      perIpLimit: 500,
      streams: [
        { address: "203.0.113.10", port: 443, connectionsPerSecond: 8, holdSeconds: 20, close: "fin" },
        { address: "203.0.113.11", port: 636, connectionsPerSecond: 3, holdSeconds: 60, close: "rst" },
      ],
    });
    const known = truth.filter((c) => c.failed).length;
    expect(known).toBeGreaterThan(1000);
    const t = await readAwsFlowLogs([
      writeLines(tempDir(), "r.log", awsFlowLogLines(truth, { fields: CUSTOM_FIELDS })),
    ]);
    const one = replayTrace(t, { ips: 1, perIpDestinationLimit: 500 });
    expect(one.observedFailures.reduce((a, b) => a + b, 0)).toBe(known);
    // Same rules, whole-second times: only the order within a second (shuffled) can differ.
    expect(Math.abs(one.result.totals.portAllocationErrors - known) / known).toBeLessThan(0.02);
    expect(one.result.totals.attempts).toBe(truth.length);
    expect(one.result.verdict).toBe("exhausted");
    const two = replayTrace(t, { ips: 2, perIpDestinationLimit: 500 });
    expect(two.result.totals.portAllocationErrors).toBe(0);
    expect(two.result.verdict).toBe("ok");
  });

  it("keeps the port of a connection still open at the end of the logs until the end", () => {
    const r = replayTrace(trace([conn(0, 10, "open"), conn(900, 901)]), { ips: 1, perIpDestinationLimit: 1 });
    expect(r.result.totals.portAllocationErrors).toBe(1);
    const closed = replayTrace(trace([conn(0, 10, "fin"), conn(900, 901)]), {
      ips: 1,
      perIpDestinationLimit: 1,
    });
    expect(closed.result.totals.portAllocationErrors).toBe(0);
  });

  it("holds a port for the reuse hold-down of its close kind and the idle timeout (AWS 60 s and 350 s by default)", () => {
    const at = (close: ObservedConnection["close"], next: number) =>
      replayTrace(trace([conn(0, 10, close), conn(next, next + 1)]), { ips: 1, perIpDestinationLimit: 1 })
        .result.totals.portAllocationErrors;
    expect(at("fin", 69)).toBe(1);
    expect(at("fin", 70)).toBe(0);
    expect(at("idle", 359)).toBe(1);
    expect(at("idle", 360)).toBe(0);
    const r = replayTrace(trace([conn(0, 10, "rst"), conn(20, 21)]), {
      ips: 1,
      perIpDestinationLimit: 1,
      portReuseSeconds: { rst: 5 },
    });
    expect(r.result.totals.portAllocationErrors).toBe(0);
  });

  it("counts a failed attempt of the logs as an attempt", () => {
    const r = replayTrace(trace([conn(0, 100), conn(5, 5, "rst", true), conn(6, 6, "rst", true)]), {
      ips: 1,
      perIpDestinationLimit: 1,
    });
    expect(r.result.totals.attempts).toBe(3);
    expect(r.result.totals.portAllocationErrors).toBe(2);
    expect(r.observedFailures).toEqual([2]);
  });

  it("does not order connections of the same second by their length: seeds give both orders", () => {
    // Limit 1: whichever of the two goes first gets the port; a third at t=100 fails only after the long one.
    const conns = [conn(0, 5), conn(0, 500), conn(100, 101)];
    const outcomes = new Set<number>();
    for (let seed = 1; seed <= 20; seed++) {
      outcomes.add(
        replayTrace(trace(conns), { ips: 1, perIpDestinationLimit: 1, seed }).result.totals
          .portAllocationErrors,
      );
    }
    expect(outcomes).toEqual(new Set([1, 2]));
  });

  it("returns the same keys as simulate's result contract", () => {
    const r = replayTrace(trace([conn(0, 10)]), { ips: 2 });
    const s = simulate(
      validateWorkload({
        cloud: "aws",
        gateway: { ips: 2 },
        destinations: [{ name: "a", address: "203.0.113.10", port: 443 }],
        traffic: [{ to: "a", connectionsPerSecond: 1, holdSeconds: 1 }],
      }),
    );
    expect(Object.keys(r.result).sort()).toEqual(Object.keys(s).sort());
    expect(Object.keys(r.result.destinations[0]).sort()).toEqual(Object.keys(s.destinations[0]).sort());
    expect(r.result.destinations[0].endpoint).toBe("203.0.113.10:443/tcp");
    expect(r.result.destinations[0].capacity).toBe(110_000);
  });

  it("uses Azure's defaults (pooled, 50,000 per IP) and rejects an IP count the cloud cannot hold", () => {
    const r = replayTrace(trace([conn(0, 10)], 100, "azure"), { ips: 3 });
    expect(r.result.ipSelection).toBe("pooled");
    expect(r.result.destinations[0].capacity).toBe(150_000);
    expect(() => replayTrace(trace([conn(0, 10)], 100, "azure"), { ips: 17 })).toThrow(WorkloadError);
  });
});
