// UDP flows have no close: the gateway ends each by its idle timeout. A trace shorter than that
// timeout (AWS 350 s, Azure 240 s) ends with every UDP flow still open, yet their activity (first to
// last packet) is what a workload's UDP hold means. The sample set's DNS stream was generated with
// 1 s holds; its imported hold must be fitted from those flows, not left at 0.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { meanHoldSeconds } from "../../sim/gateway/load";
import { buildWorkload } from "../../telemetry/sinks/workload-writer";
import { aggregateFlowLogs } from "../../telemetry/sources/read";

const samples = resolve(__dirname, "../../examples/telemetry");
const DNS = "198.51.100.53:53/udp";

describe("imported UDP holds", () => {
  it.each([
    ["aws-custom", "aws"],
    ["aws-default", "aws"],
    ["azure", "azure"],
  ] as const)("%s: the DNS stream's hold comes from its flows (1 s generated)", async (folder, cloud) => {
    const agg = await aggregateFlowLogs([resolve(samples, folder)], { cloud });
    const dns = agg.endpoints.find((e) => e.endpoint === DNS)!;
    // The 300 s logs end before any DNS flow's idle timeout. On AWS those heard within the logs'
    // last aggregation interval are still open and the others went quiet (the gateway ends them
    // idle); an Azure flow without E is open. Either way their activity is a UDP hold.
    const open = dns.rows.reduce((s, r) => s + r.open, 0);
    expect(open).toBeGreaterThan(0);
    if (cloud === "aws") expect(open).toBeLessThan(dns.connections);
    else expect(open).toBe(dns.connections);
    expect(dns.durations.idle.count).toBe(dns.connections);
    const { workload } = buildWorkload(agg);
    const stream = workload.traffic.find((t) => t.to === DNS)!;
    expect(stream.close).toBe("idle");
    // 1 s timestamps: a 1 s flow is logged as 0–2 s, and a 0 counts as 0.5 s.
    const hold = meanHoldSeconds(stream.holdSeconds);
    expect(hold).toBeGreaterThanOrEqual(0.5);
    expect(hold).toBeLessThanOrEqual(2);
  });

  it("a TCP connection still open when the logs end stays out of the hold fit", async () => {
    const agg = await aggregateFlowLogs([resolve(samples, "aws-custom")], { cloud: "aws" });
    for (const e of agg.endpoints.filter((x) => x.protocol === "tcp")) {
      const open = e.rows.reduce((s, r) => s + r.open, 0);
      const fitted = e.durations.fin.count + e.durations.rst.count + e.durations.idle.count;
      expect(fitted).toBe(e.connections - open);
    }
  });
});
