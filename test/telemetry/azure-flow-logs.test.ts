import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { AZURE_IDLE_SECONDS, azureFlowLogJson, generateTraffic } from "../../telemetry/generate/generate";
import { readAzureFlowLogs } from "../../telemetry/sources/azure/flow-logs";
import { FlowLogError } from "../../telemetry/sources/skips";
import { countBy, tempDir } from "./helpers";

const fixtures = resolve(__dirname, "../fixtures/telemetry");

describe("Azure VNet flow logs", () => {
  it("reads the documented sample: outbound B/E pairs become connections, denied inbound tuples are skipped", async () => {
    const trace = await readAzureFlowLogs([join(fixtures, "azure-documented-sample.json")]);
    expect(trace.cloud).toBe("azure");
    expect(trace.connections).toHaveLength(5);
    expect(trace.connections.every((c) => c.close === "fin" && c.protocol === "tcp" && c.port === 443)).toBe(
      true,
    );
    expect(trace.gatewayIps).toEqual([]);
    const last = trace.connections.find((c) => c.address === "198.51.100.84")!;
    expect(last.end - last.start).toBeCloseTo(5.45, 2);
    expect(trace.skipped.find((s) => s.reason.startsWith("denied flow"))?.count).toBe(4);
  });

  it("recovers the connections and close mix of known traffic (idle ones just stop; the end of the logs keeps them open)", async () => {
    const truth = generateTraffic({
      durationSeconds: 3600,
      idleSeconds: AZURE_IDLE_SECONDS,
      reuseSeconds: 65,
      streams: [
        { address: "203.0.113.10", port: 443, connectionsPerSecond: 1, holdSeconds: 700, close: "fin" },
        { address: "203.0.113.12", port: 80, connectionsPerSecond: 0.5, holdSeconds: 20, close: "idle" },
      ],
    });
    const dir = tempDir();
    writeFileSync(join(dir, "PT1H.json"), azureFlowLogJson(truth));
    const trace = await readAzureFlowLogs([dir]);
    expect(trace.connections).toHaveLength(truth.length);
    const closed = (xs: readonly { close: string }[]) =>
      countBy(xs, (c) => (c.close === "fin" ? "fin" : "idle|open"));
    expect(closed(trace.connections)).toEqual(closed(truth));
    // Durations: B to E (or to the last C) in milliseconds, so exact for whole-second traffic.
    const t0 = trace.startEpochSeconds;
    const key = (c: { address: string; start: number; end: number }) => `${c.address} ${c.start} ${c.end}`;
    expect(trace.connections.map(key).sort()).toEqual(
      truth.map((c) => key({ ...c, start: c.start - t0, end: c.end - t0 })).sort(),
    );
  });

  it("skips records of a newer flowLogVersion and fails naming the file when nothing is usable", async () => {
    const dir = tempDir();
    const file = join(dir, "PT1H.json");
    writeFileSync(file, JSON.stringify({ records: [{ flowLogVersion: 5, flowRecords: { flows: [] } }] }));
    const err = await readAzureFlowLogs([file]).catch((e) => e);
    expect(err).toBeInstanceOf(FlowLogError);
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/flowLogVersion 5/);
  });

  it("skips a truncated blob and an IPv6 tuple, keeping the rest", async () => {
    const dir = tempDir();
    const good = JSON.parse(
      azureFlowLogJson(
        generateTraffic({
          durationSeconds: 60,
          streams: [{ address: "192.0.2.9", port: 443, connectionsPerSecond: 1, holdSeconds: 5 }],
        }),
      ),
    );
    good.records[0].flowRecords.flows[0].flowGroups[0].flowTuples.push(
      "1767225600000,fd00::1,2001:db8::9,1000,443,6,O,B,NX,0,0,0,0",
    );
    writeFileSync(join(dir, "a.json"), JSON.stringify(good));
    writeFileSync(join(dir, "b.json"), JSON.stringify(good).slice(0, 100));
    const trace = await readAzureFlowLogs([dir]);
    expect(trace.connections.length).toBeGreaterThan(0);
    const reasons = trace.skipped.map((s) => `${s.reason} @ ${s.firstAt}`).join("\n");
    expect(reasons).toMatch(/malformed JSON .* @ .*b\.json/);
    expect(reasons).toMatch(/IPv6 address/);
  });
});

describe("Azure flow logs over several hours", () => {
  it("follows a flow from one NIC's hour blob into the next, whatever order the NICs' folders come in", async () => {
    const root = tempDir();
    const h0 = 1_767_225_600_000; // 00:00
    const blob = (nic: string, hour: string, tuples: string[]) => {
      const dir = join(root, `y=2026/m=01/d=01/h=${hour}/m=00/macAddress=${nic}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, "PT1H.json"),
        JSON.stringify({
          records: [
            {
              flowLogVersion: 4,
              flowRecords: { flows: [{ flowGroups: [{ rule: "r", flowTuples: tuples }] }] },
            },
          ],
        }),
      );
    };
    const t = (ms: number, src: string, state: string, c = "0,0,0,0") =>
      `${h0 + ms},${src},203.0.113.7,40000,443,6,O,${state},NX,${c}`;
    // Each NIC: a flow begun at 00:58, continued at 01:03, ended at 01:04 (in the next hour's blob).
    for (const [nic, src] of [
      ["000D3A000002", "10.0.0.6"],
      ["000D3A000001", "10.0.0.5"],
    ]) {
      blob(nic, "00", [t(3_480_000, src, "B")]);
      blob(nic, "01", [t(3_780_000, src, "C", "9,900,9,900"), t(3_840_000, src, "E", "1,60,1,60")]);
    }
    const trace = await readAzureFlowLogs([root]);
    expect(trace.connections.map((c) => [c.start, c.end, c.close, c.failed])).toEqual([
      [0, 360, "fin", false],
      [0, 360, "fin", false],
    ]);
  });
});
