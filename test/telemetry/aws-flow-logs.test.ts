import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  awsFlowLogLines,
  CUSTOM_FIELDS,
  generateTraffic,
  type TrafficSpec,
} from "../../telemetry/generate/generate";
import { readAwsFlowLogs } from "../../telemetry/sources/aws/flow-logs";
import { readConnections } from "../../telemetry/sources/read";
import { FlowLogError } from "../../telemetry/sources/skips";
import { countBy, tempDir, writeLines } from "./helpers";

const fixtures = resolve(__dirname, "../fixtures/telemetry");

const spec: TrafficSpec = {
  durationSeconds: 1800,
  ips: 2,
  perIpLimit: 300,
  streams: [
    { address: "203.0.113.10", port: 443, connectionsPerSecond: 12, holdSeconds: 30, close: "fin" },
    { address: "203.0.113.11", port: 636, connectionsPerSecond: 3, holdSeconds: 100, close: "rst" },
    { address: "198.51.100.5", port: 53, protocol: "udp", connectionsPerSecond: 2, holdSeconds: 2 },
    { address: "203.0.113.12", port: 80, connectionsPerSecond: 1, holdSeconds: 20, close: "idle" },
  ],
};
const truth = generateTraffic(spec);
/** The same traffic through one NAT IP: the default format (no pkt-srcaddr) can tell its connections apart. */
const truth1 = generateTraffic({ ...spec, ips: 1, perIpLimit: 600 });
const kinds = (xs: readonly { close: string; failed: boolean }[]) =>
  countBy(xs, (c) =>
    c.failed ? "failed" : c.close === "open" || c.close === "idle" ? "idle|open" : c.close,
  );

describe("AWS documented examples", () => {
  it("skips the default-format examples (inside the network, REJECT, NODATA, SKIPDATA) with reasons and fails as nothing is usable", async () => {
    const file = join(fixtures, "aws-documented-examples.log");
    const err = await readAwsFlowLogs([file]).catch((e) => e);
    expect(err).toBeInstanceOf(FlowLogError);
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/REJECT record/);
    expect(err.message).toMatch(/NODATA record/);
    expect(err.message).toMatch(/SKIPDATA record/);
    expect(err.message).toMatch(/traffic inside the network/);
  });

  it("rebuilds the NAT gateway example: one connection through 10.0.0.220 and one unforwarded client SYN", async () => {
    const trace = await readAwsFlowLogs([join(fixtures, "aws-nat-gateway-example.log")]);
    expect(trace.startEpochSeconds).toBe(1418530010);
    const ok = trace.connections.filter((c) => !c.failed);
    expect(ok).toEqual([
      {
        address: "203.0.113.5",
        port: 443,
        protocol: "tcp",
        start: 0,
        end: 7,
        close: "fin",
        failed: false,
        gatewayIp: "10.0.0.220",
      },
    ]);
    const failed = trace.connections.filter((c) => c.failed);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ address: "203.0.113.5", port: 443, start: 10, end: 10 });
    expect(trace.gatewayIps).toEqual(["10.0.0.220"]);
  });
});

describe("VPC Flow Logs from known traffic", () => {
  const dir = tempDir();
  const custom = writeLines(dir, "custom.log.gz", awsFlowLogLines(truth, { fields: CUSTOM_FIELDS }));

  it("recovers the connections, close mix and failures of a custom format (v5 fields, gzip)", async () => {
    const trace = await readAwsFlowLogs([custom]);
    expect(trace.connections).toHaveLength(truth.length);
    expect(kinds(trace.connections)).toEqual(kinds(truth));
    expect(trace.skipped).toEqual([]);
    expect(trace.recordsUsed).toBe(trace.recordsRead);
    expect(trace.gatewayIps).toEqual(["10.0.0.220", "10.0.0.221"]);
  });

  it("recovers each connection's duration exactly: whole-second times, first and last packet per window", async () => {
    for (const aggregationSeconds of [60, 600]) {
      const file = writeLines(
        dir,
        `agg${aggregationSeconds}.log`,
        awsFlowLogLines(truth, { fields: CUSTOM_FIELDS, aggregationSeconds }),
      );
      const trace = await readAwsFlowLogs([file]);
      const t0 = trace.startEpochSeconds;
      const key = (c: { address: string; start: number; end: number; failed: boolean }) =>
        `${c.address} ${c.start} ${c.end} ${c.failed}`;
      const expected = truth.map((c) => key({ ...c, start: c.start - t0, end: c.end - t0 })).sort();
      expect(trace.connections.map(key).sort()).toEqual(expected);
    }
  });

  it("rebuilds the same connections from the default format, which has no tcp-flags (every close is idle or open)", async () => {
    const file = writeLines(dir, "default.log", awsFlowLogLines(truth1));
    const trace = await readAwsFlowLogs([file]);
    expect(trace.connections).toHaveLength(truth1.filter((c) => !c.failed).length);
    expect(new Set(trace.connections.map((c) => c.close))).toEqual(new Set(["idle", "open"]));
    expect(trace.gatewayIps).toEqual([]);
    expect(trace.warnings?.[0]).toContain("cannot be told apart");
    expect(trace.warnings?.[0]).toContain("$" + "{pkt-srcaddr} $" + "{pkt-dstaddr}");
  });

  it("without pkt-srcaddr, two NAT IPs on one port towards one destination merge (and it says so); with it they are two", async () => {
    const merged = await readAwsFlowLogs([writeLines(dir, "default2.log", awsFlowLogLines(truth))]);
    const apart = await readAwsFlowLogs([
      writeLines(dir, "custom2.log", awsFlowLogLines(truth, { fields: CUSTOM_FIELDS })),
    ]);
    const ok = truth.filter((c) => !c.failed).length;
    expect(merged.connections.length).toBeLessThan(ok * 0.9);
    expect(merged.warnings?.length).toBe(1);
    expect(apart.connections.filter((c) => !c.failed)).toHaveLength(ok);
    expect(apart.warnings).toBeUndefined();
  });

  it("reads header-less CloudWatch Logs exports with --fields", async () => {
    const lines = [...awsFlowLogLines(truth, { fields: CUSTOM_FIELDS })].slice(1);
    const file = writeLines(dir, "cloudwatch.txt", lines);
    const trace = await readConnections([file], { cloud: "aws", fields: CUSTOM_FIELDS });
    expect(trace.connections).toHaveLength(truth.length);
  });

  it("reads CloudWatch Logs exports to S3, whose records start with the event's timestamp", async () => {
    const lines = [...awsFlowLogLines(truth1)].slice(1).map((l) => `2026-01-01T00:00:00.000Z ${l}`);
    const trace = await readConnections([writeLines(dir, "export.gz", lines)], { cloud: "aws" });
    expect(trace.connections).toHaveLength(truth1.filter((c) => !c.failed).length);
  });

  it("walks folders, reads plain and gzip files alike, and picks the interface given", async () => {
    const sub = tempDir();
    const lines = [...awsFlowLogLines(truth, { fields: CUSTOM_FIELDS, interfaceId: "eni-0nat" })];
    const half = Math.floor(lines.length / 2);
    writeLines(join(sub), "a.log", lines.slice(0, half));
    writeLines(sub, "b.log.gz", [lines[0], ...lines.slice(half)]);
    const whole = await readAwsFlowLogs([sub]);
    expect(whole.files).toHaveLength(2);
    expect(whole.connections).toHaveLength(truth.length);
    const other = await readAwsFlowLogs([sub], { interfaceId: "eni-0other" }).catch((e) => e);
    expect(other).toBeInstanceOf(FlowLogError);
  });

  it("takes the NAT gateway's interface from VPC-wide logs; other interfaces' egress to the same destinations changes nothing", async () => {
    const other = generateTraffic({ ...spec, seed: 99, perIpLimit: 55_000 });
    const instanceLines = [...awsFlowLogLines(other, { fields: CUSTOM_FIELDS, interfaceId: "eni-0instance" })]
      .slice(1)
      .filter((l) => l.split(" ")[2] === "10.0.0.220");
    const natLines = [...awsFlowLogLines(truth, { fields: CUSTOM_FIELDS })];
    // VPC-wide logs interleave the interfaces' records in time (start is the 10th field).
    const byStart = (l: string) => Number(l.split(" ")[9]);
    const records = [...natLines.slice(1), ...instanceLines].sort((a, b) => byStart(a) - byStart(b));
    const file = writeLines(dir, "vpc-wide.log", [natLines[0], ...records]);
    const trace = await readAwsFlowLogs([file]);
    expect(trace.connections).toHaveLength(truth.length);
    expect(kinds(trace.connections)).toEqual(kinds(truth));
    const skipped = trace.skipped.find((s) => s.reason.startsWith("records of another interface"));
    expect(skipped?.count).toBe(instanceLines.length);
    expect(skipped?.reason).toContain("eni-0a1b2c3d4e5f60718");
  });

  it("property: for any small traffic, the reader recovers the number of connections and of failures", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          rate: fc.double({ min: 0.5, max: 8, noNaN: true }),
          hold: fc.integer({ min: 0, max: 400 }),
          limit: fc.integer({ min: 5, max: 200 }),
          ips: fc.integer({ min: 1, max: 3 }),
          close: fc.constantFrom("fin" as const, "rst" as const, "idle" as const),
          seed: fc.integer({ min: 1, max: 1000 }),
          agg: fc.constantFrom(60, 600),
        }),
        async (p) => {
          const t = generateTraffic({
            durationSeconds: 900,
            seed: p.seed,
            ips: p.ips,
            perIpLimit: p.limit,
            streams: [
              {
                address: "192.0.2.1",
                port: 443,
                connectionsPerSecond: p.rate,
                holdSeconds: p.hold,
                close: p.close,
              },
            ],
          });
          const f = writeLines(
            dir,
            "prop.log",
            awsFlowLogLines(t, { fields: CUSTOM_FIELDS, aggregationSeconds: p.agg }),
          );
          const trace = await readAwsFlowLogs([f]);
          expect(trace.connections.length).toBe(t.length);
          expect(trace.connections.filter((c) => c.failed).length).toBe(t.filter((c) => c.failed).length);
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe("bad input", () => {
  const dir = tempDir();
  const lines = [...awsFlowLogLines(truth, { fields: CUSTOM_FIELDS })];

  it("keeps the records before a truncated gzip and names the file", async () => {
    const whole = gzipSync(`${lines.join("\n")}\n`);
    const file = join(dir, "truncated.log.gz");
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    const trace = await readAwsFlowLogs([file]);
    const skip = trace.skipped.find((s) => s.reason.startsWith("truncated gzip"));
    expect(skip?.firstAt).toMatch(/truncated\.log\.gz:\d+$/);
    expect(trace.connections.length).toBeGreaterThan(0);
    expect(trace.connections.length).toBeLessThan(truth.length);
  });

  it("counts unknown header fields, newer versions, NODATA, SKIPDATA, IPv6 and other protocols with file:line", async () => {
    const header = `${CUSTOM_FIELDS} ecs-future-field`;
    const body = lines.slice(1, 200).map((l) => `${l} x`);
    const bad = [
      "5 eni-0a1b2c3d4e5f60718 - - - - - - - 1767225600 1767225659 - NODATA - - - - - x",
      "5 eni-0a1b2c3d4e5f60718 - - - - - - - 1767225600 1767225659 - SKIPDATA - - - - - x",
      "9 eni-0a1b2c3d4e5f60718 10.0.0.220 203.0.113.10 1024 443 6 3 180 1767225600 1767225601 ACCEPT OK 2 10.0.0.220 203.0.113.10 egress use1-az1 x",
      "5 eni-0a1b2c3d4e5f60718 2001:db8::1 2001:db8::2 1024 443 6 3 180 1767225600 1767225601 ACCEPT OK 2 - - egress use1-az1 x",
      "5 eni-0a1b2c3d4e5f60718 10.0.0.220 203.0.113.10 0 0 1 3 180 1767225600 1767225601 ACCEPT OK 0 - - egress use1-az1 x",
      "5 eni-0a1b2c3d4e5f60718 10.0.0.220 203.0.113.10 1024 443 6 3 180 1767225605 1767225601 ACCEPT OK 2 - - egress use1-az1 x",
    ];
    const file = writeLines(dir, "bad.log", [header, ...body, ...bad]);
    const trace = await readAwsFlowLogs([file]);
    const reasons = Object.fromEntries(trace.skipped.map((s) => [s.reason, s]));
    expect(reasons['unknown header field "ecs-future-field" (column ignored)'].firstAt).toBe(`${file}:1`);
    expect(reasons["NODATA record"].firstAt).toBe(`${file}:201`);
    expect(reasons["SKIPDATA record (the flow-log service dropped records in this window)"].count).toBe(1);
    expect(reasons["record version 9 (newer than version 8, the newest known)"].firstAt).toBe(`${file}:203`);
    expect(reasons["IPv6 address (NAT gateways translate IPv4)"].count).toBe(1);
    expect(reasons["protocol 1 (not TCP or UDP)"].count).toBe(1);
    expect(reasons["end before start"].firstAt).toBe(`${file}:206`);
  });

  it("skips files of another format in a mixed folder", async () => {
    const mixed = tempDir();
    writeLines(mixed, "vpc.log", lines);
    writeFileSync(join(mixed, "PT1H.json"), '{"records":[]}');
    writeFileSync(join(mixed, "part.parquet"), "PAR1....PAR1");
    const trace = await readAwsFlowLogs([mixed]);
    expect(trace.connections).toHaveLength(truth.length);
    expect(trace.skipped.map((s) => s.reason).join("\n")).toMatch(
      /JSON file[\s\S]*Parquet file|Parquet file[\s\S]*JSON file/,
    );
  });

  it("fails naming the path when a path does not exist or --fields lacks a required field", async () => {
    await expect(readAwsFlowLogs([join(dir, "missing")])).rejects.toThrow(/missing.*ENOENT/);
    await expect(readAwsFlowLogs([join(dir, "bad.log")], { fields: "version srcaddr" })).rejects.toThrow(
      FlowLogError,
    );
  });
});
