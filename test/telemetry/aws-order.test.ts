import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  awsFlowLogLines,
  CUSTOM_FIELDS,
  generateTraffic,
  type TrafficSpec,
} from "../../telemetry/generate/generate";
import { replayTrace } from "../../telemetry/replay/replay";
import { aggregateTrace } from "../../telemetry/sinks/aggregate";
import { buildWorkload } from "../../telemetry/sinks/workload-writer";
import { readAwsFlowLogs } from "../../telemetry/sources/aws/flow-logs";
import { CONTRADICTING_PKT } from "../../telemetry/sources/aws/records";
import { INBOUND_CONNECTION } from "../../telemetry/sources/aws/tracker";
import { FlowLogError } from "../../telemetry/sources/skips";
import { tempDir, writeLines } from "./helpers";

const dir = tempDir();
const HEADER =
  "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status tcp-flags pkt-srcaddr pkt-dstaddr flow-direction az-id";
const ENI = "eni-0a1b2c3d4e5f60001";

/** A gateway→destination record of 10.0.0.10:8525 → 198.51.100.7:443 (the NAT IP in pkt-srcaddr). */
function egress(
  start: number,
  end: number,
  flags: number,
  bytes = 1000,
  natIp = "10.0.0.10",
  port = 8525,
): string {
  return `5 123456789012 ${ENI} 10.0.0.10 198.51.100.7 ${port} 443 6 5 ${bytes} ${1795305000 + start} ${1795305000 + end} ACCEPT OK ${flags} ${natIp} 198.51.100.7 egress use1-az1`;
}

// The records of one SNAT port in the order the delivered files held them: 5 connections (SYN at
// 890, FIN at 905; SYN 6037 … FIN 6152; SYN 6378, FIN 6389; SYN 6624 … FIN 7186; SYN 7359 …).
const ONE_PORT = [
  egress(890, 890, 2, 1106),
  egress(903, 905, 1, 1098),
  egress(1082, 1135, 0, 2872),
  egress(1037, 1075, 2, 2266),
  egress(1142, 1152, 1, 822),
  egress(1387, 1389, 1, 889),
  egress(1378, 1378, 2, 897),
  egress(1740, 1794, 0, 5872),
  egress(1624, 1678, 2, 5984),
  egress(1686, 1732, 0, 5138),
  egress(2040, 2094, 0, 5872),
  egress(1801, 1855, 0, 5872),
  egress(1924, 1978, 0, 5872),
  egress(1986, 2032, 0, 5138),
  egress(1863, 1917, 0, 5872),
  egress(2163, 2186, 1, 2306),
  egress(2102, 2155, 0, 5872),
  egress(2359, 2398, 2, 4182),
];

describe("reading VPC Flow Logs whatever order the records come in", () => {
  it("rebuilds the 5 connections of one SNAT port from its 18 records in the files' order, or any other within the lateness", async () => {
    const expected = [
      [0, 15, "fin"],
      [147, 262, "fin"],
      [488, 499, "fin"],
      [734, 1296, "fin"],
      [1469, 1508, "open"],
    ];
    for (const [name, order] of [
      ["as-delivered", ONE_PORT],
      ["by text", [...ONE_PORT].sort()],
      ["reversed", [...ONE_PORT].reverse()],
    ] as const) {
      // The records span 1,508 s: any order of them is within a lateness of 1,800 s.
      const lateness = name === "as-delivered" ? undefined : 1800;
      const file = writeLines(dir, `${name}.log`, [HEADER, ...order]);
      const trace = await readAwsFlowLogs([file], { maxLatenessSeconds: lateness });
      expect(
        trace.connections.map((c) => [c.start, c.end, c.close]),
        name,
      ).toEqual(expected);
      expect(trace.skipped).toEqual([]);
    }
  });

  it("keys connections by the translated address: two NAT IPs on one port towards one destination at once are two", async () => {
    const lines = [
      HEADER,
      egress(0, 30, 2, 900, "10.0.0.10", 1024),
      egress(5, 40, 2, 900, "10.0.0.11", 1024),
      egress(60, 70, 1, 500, "10.0.0.11", 1024),
      egress(60, 80, 1, 500, "10.0.0.10", 1024),
    ];
    const trace = await readAwsFlowLogs([writeLines(dir, "two-ips.log", lines)]);
    expect(trace.connections.map((c) => [c.start, c.end, c.gatewayIp])).toEqual([
      [0, 80, "10.0.0.10"],
      [5, 70, "10.0.0.11"],
    ]);
    expect(trace.gatewayIps).toEqual(["10.0.0.10", "10.0.0.11"]);
  });

  it("counts a window delivered twice, records beyond the lateness and pkt-* contradicting the record, with file and line", async () => {
    const lines = [
      HEADER,
      ...ONE_PORT.slice(0, 5),
      ONE_PORT[3], // the same window again
      egress(7000, 7010, 2, 700, "10.0.0.10", 2000),
      egress(100, 110, 2, 700, "10.0.0.10", 3000), // 6,900 s behind the newest
      egress(7000, 7001, 2, 700, "203.0.113.9", 4000), // pkt-srcaddr public on an outbound record
    ];
    const file = writeLines(dir, "bad.log", lines);
    const trace = await readAwsFlowLogs([file], { maxLatenessSeconds: 900 });
    const reasons = Object.fromEntries(trace.skipped.map((s) => [s.reason, [s.count, s.firstAt]]));
    expect(reasons["duplicate record (the same window delivered twice)"]).toEqual([1, `${file}:7`]);
    expect(
      Object.entries(reasons).find(([r]) => r.startsWith("record later than the lateness"))?.[1],
    ).toEqual([1, `${file}:9`]);
    expect(reasons[CONTRADICTING_PKT]).toEqual([1, `${file}:10`]);
    expect(trace.connections).toHaveLength(3);
    // With a larger lateness the late record is used.
    const lenient = await readAwsFlowLogs([file], { maxLatenessSeconds: 7200 });
    expect(lenient.connections).toHaveLength(4);
  });

  it("counts a failed attempt once however its SYN retransmissions fall into windows, and never a carried one", async () => {
    const client = (src: string, port: number, start: number, end: number, flags: number) =>
      `5 123456789012 ${ENI} ${src} 10.0.0.10 ${port} 443 6 2 120 ${1795305000 + start} ${1795305000 + end} ACCEPT OK ${flags} ${src} 198.51.100.7 ingress use1-az1`;
    const back = (dst: string, port: number, start: number, end: number, flags: number) =>
      `5 123456789012 ${ENI} 10.0.0.10 ${dst} 443 ${port} 6 2 120 ${1795305000 + start} ${1795305000 + end} ACCEPT OK ${flags} 198.51.100.7 ${dst} egress use1-az1`;
    const lines = [
      HEADER,
      client("10.0.1.5", 40000, 58, 59, 2), // SYNs at +0, +1 …
      client("10.0.1.5", 40000, 61, 65, 2), // … +3, +7 in the next window: one failed attempt
      client("10.0.1.6", 40001, 10, 30, 3), // carried: the gateway answered the client
      back("10.0.1.6", 40001, 10, 30, 19),
      egress(10, 30, 3, 900, "10.0.0.11", 5000),
      client("10.0.1.5", 40000, 900, 900, 2), // the same client port, a new attempt later: failed too
    ];
    const trace = await readAwsFlowLogs([
      writeLines(dir, "failed.log", [HEADER, ...lines.slice(1).reverse()]),
    ]);
    const failed = trace.connections.filter((c) => c.failed);
    expect(failed.map((c) => c.start)).toEqual([48, 890]);
    expect(trace.connections.filter((c) => !c.failed)).toHaveLength(1);
  });

  it("refuses a server's interface (SYN-ACK replies to inbound connections, as the TCP-flag sequence example), exit 2 material", async () => {
    const rec = (
      src: string,
      dst: string,
      sport: number,
      dport: number,
      start: number,
      end: number,
      flags: number,
    ) =>
      `3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789012 IPv4 ${src} ${dst} ${sport} ${dport} ${src} ${dst} 6 568 8 ${start} ${end} ACCEPT ${flags} OK`;
    const lines = [
      "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status",
      rec("52.213.180.42", "10.0.0.62", 43416, 5001, 1566848875, 1566848933, 2),
      rec("10.0.0.62", "52.213.180.42", 5001, 43416, 1566848875, 1566848933, 18),
      rec("52.213.180.42", "10.0.0.62", 43418, 5001, 1566848875, 1566848933, 2).replace(" 6 568", "  6 568"), // two spaces
      rec("10.0.0.62", "52.213.180.42", 5001, 43418, 1566848875, 1566848933, 18),
      rec("10.0.0.62", "52.213.180.42", 5001, 43418, 1566848933, 1566849113, 1),
      rec("52.213.180.42", "10.0.0.62", 43418, 5001, 1566848933, 1566849113, 1),
    ];
    const err = await readAwsFlowLogs([writeLines(dir, "server.log", lines)]).catch((e) => e);
    expect(err).toBeInstanceOf(FlowLogError);
    expect(err.message).toContain("inbound connections (6 records");
    expect(err.message).toContain("not a NAT gateway's");
    expect(INBOUND_CONNECTION).toContain("server");
  });
});

describe("the sample generator's shuffled delivery", () => {
  const spec = (seed: number, ips: number): TrafficSpec => ({
    durationSeconds: 900,
    seed,
    ips,
    perIpLimit: 40,
    streams: [
      { address: "203.0.113.10", port: 443, connectionsPerSecond: 2, holdSeconds: 20, close: "fin" },
      { address: "203.0.113.11", port: 636, connectionsPerSecond: 0.5, holdSeconds: 90, close: "rst" },
      { address: "198.51.100.5", port: 53, protocol: "udp", connectionsPerSecond: 0.5, holdSeconds: 1 },
    ],
  });

  it("property: any delivery order (5-minute files, delays, shuffled) gives the same connections, workload and replay", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        async (seed, ips, shuffleSeed) => {
          const truth = generateTraffic(spec(seed, ips));
          const read = async (shuffle?: number) => {
            const lines = awsFlowLogLines(truth, { fields: CUSTOM_FIELDS, shuffleSeed: shuffle });
            const trace = await readAwsFlowLogs([writeLines(dir, `gen-${n++}.log.gz`, lines)]);
            return {
              connections: trace.connections,
              workload: buildWorkload(aggregateTrace(trace)).yaml.replace(/^# files.*$/m, ""),
              replay: replayTrace(trace, { ips, perIpDestinationLimit: 40 }).result,
            };
          };
          const ordered = await read();
          const shuffled = await read(shuffleSeed);
          expect(shuffled.connections).toEqual(ordered.connections);
          expect(shuffled.workload).toBe(ordered.workload);
          expect(shuffled.replay).toEqual(ordered.replay);
          expect(ordered.connections.filter((c) => c.failed)).toHaveLength(
            truth.filter((c) => c.failed).length,
          );
          expect(ordered.connections).toHaveLength(truth.length);
        },
      ),
      { numRuns: 6 },
    );
  }, 120_000);
});
