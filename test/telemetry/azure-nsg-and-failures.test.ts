// Azure flow logs as the clouds write them beyond the VNet happy path: failed attempts (a B and an
// E that sent and got nothing back), NSG flow logs version 2 (and the refused version 1), bytes
// carried, and bad input counted with its file and record position.
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ObservedConnection } from "../../telemetry/reconstruct/connections";
import { replayTrace } from "../../telemetry/replay/replay";
import { aggregateTrace } from "../../telemetry/sinks/aggregate";
import { buildWorkload } from "../../telemetry/sinks/workload-writer";
import { readAzureFlowLogs } from "../../telemetry/sources/azure/flow-logs";
import { parseTuple } from "../../telemetry/sources/azure/tuples";
import { FlowLogError } from "../../telemetry/sources/skips";
import { tempDir } from "./helpers";

const fixtures = resolve(__dirname, "../fixtures/telemetry");
const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z in ms

/** A VNet flow log (version 4) document holding `tuples` in one record. */
function vnetDoc(tuples: unknown[], extraRecords: unknown[] = []): string {
  return JSON.stringify({
    records: [
      {
        time: "2026-01-01T00:01:00Z",
        flowLogVersion: 4,
        flowRecords: { flows: [{ aclID: "x", flowGroups: [{ rule: "r", flowTuples: tuples }] }] },
      },
      ...extraRecords,
    ],
  });
}

/** A tuple `ms` after T0 from 10.0.0.5:`sport` to `dst`:`dport`. */
function tup(
  ms: number,
  dst: string,
  sport: number,
  dport: number,
  proto: 6 | 17,
  state: string,
  c = "0,0,0,0",
) {
  return `${T0 + ms},10.0.0.5,${dst},${sport},${dport},${proto},O,${state},NX,${c}`;
}

function write(name: string, text: string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

describe("Azure failed attempts", () => {
  const tuples = [
    // A connection: answered.
    tup(0, "203.0.113.7", 40000, 443, 6, "B"),
    tup(30_000, "203.0.113.7", 40000, 443, 6, "E", "10,2000,12,9000"),
    // A failed attempt: the client's SYN and its 3 retries, nothing back, E 7 s later.
    tup(61_000, "203.0.113.7", 40001, 443, 6, "B"),
    tup(68_000, "203.0.113.7", 40001, 443, 6, "E", "4,240,0,0"),
    // A second failed attempt in the same minute.
    tup(62_000, "203.0.113.7", 40002, 443, 6, "B"),
    tup(69_000, "203.0.113.7", 40002, 443, 6, "E", "4,240,0,0"),
    // UDP to an endpoint that answers: one answered, one not (failed).
    tup(1_000, "198.51.100.53", 50000, 53, 17, "B"),
    tup(1_200, "198.51.100.53", 50000, 53, 17, "E", "1,70,1,120"),
    tup(2_000, "198.51.100.53", 50001, 53, 17, "B"),
    tup(7_000, "198.51.100.53", 50001, 53, 17, "E", "2,140,0,0"),
    // UDP to an endpoint that never answers anyone (a one-way protocol): connections.
    tup(3_000, "198.51.100.9", 50002, 514, 17, "B"),
    tup(3_500, "198.51.100.9", 50002, 514, 17, "E", "5,900,0,0"),
  ];

  it("reads a B and an E with nothing received as one failed attempt at its begin; UDP only where the endpoint answers others", async () => {
    const trace = await readAzureFlowLogs([write("PT1H.json", vnetDoc(tuples))]);
    const failed = trace.connections.filter((c) => c.failed);
    expect(failed.map((c) => `${c.address}:${c.port}@${c.start}`).sort()).toEqual([
      "198.51.100.53:53@2",
      "203.0.113.7:443@61",
      "203.0.113.7:443@62",
    ]);
    expect(failed.every((c) => c.end === c.start && c.bytes === 0)).toBe(true);
    const oneWay = trace.connections.find((c) => c.port === 514)!;
    expect(oneWay.failed).toBe(false);
    expect(oneWay.bytes).toBe(900);
    expect(trace.connections.find((c) => c.port === 443 && !c.failed)!.bytes).toBe(11_000);
  });

  it("import counts them as observed failures per endpoint and interval; the workload's attempts include them", async () => {
    const trace = await readAzureFlowLogs([write("PT1H.json", vnetDoc(tuples))]);
    const agg = aggregateTrace(trace, 60);
    const https = agg.endpoints.find((e) => e.endpoint === "203.0.113.7:443/tcp")!;
    expect(https.failures).toBe(2);
    expect(https.connections).toBe(1);
    expect(https.rows.find((r) => r.intervalStart === T0 / 1000 + 60)!.failures).toBe(2);
    const { workload, header } = buildWorkload(agg);
    expect(header.join("\n")).toMatch(/observed failures 3\b/);
    const attempts = workload.traffic
      .filter((t) => t.to === "203.0.113.7:443/tcp")
      .reduce((s, t) => s + t.connectionsPerSecond * workload.durationSeconds, 0);
    expect(attempts).toBeCloseTo(3, 1);
  });

  it("replay counts them as attempts and reports them beside its prediction", async () => {
    const trace = await readAzureFlowLogs([write("PT1H.json", vnetDoc(tuples))]);
    const run = replayTrace(trace, { ips: 1 });
    const i = run.result.destinations.findIndex((d) => d.endpoint === "203.0.113.7:443/tcp");
    expect(run.result.destinations[i].attempts).toBe(3);
    expect(run.observedFailures[i]).toBe(2);
    expect(run.result.destinations[i].portAllocationErrors).toBe(0); // one IP holds 3 ports easily
  });

  it("gbPerMonth is the bytes carried scaled from the window to 730 hours", async () => {
    const trace = await readAzureFlowLogs([write("PT1H.json", vnetDoc(tuples))]);
    const { workload, header } = buildWorkload(aggregateTrace(trace));
    const bytes = 11_000 + 190 + 900;
    expect(workload.gbPerMonth).toBeCloseTo((bytes / 1e9) * ((730 * 3600) / trace.durationSeconds), 3);
    expect(header.join("\n")).toMatch(/gbPerMonth .*12,090 bytes carried/);
  });

  it("without byte counts no gbPerMonth is written, and the header says why", async () => {
    const trace = await readAzureFlowLogs([write("PT1H.json", vnetDoc(tuples))]);
    const stripped = { ...trace, connections: trace.connections.map(({ bytes: _, ...c }) => c) };
    const { workload, header } = buildWorkload(aggregateTrace(stripped));
    expect(workload.gbPerMonth).toBeUndefined();
    expect(header.join("\n")).toMatch(/gbPerMonth not written: the logs count no bytes/);
  });
});

describe("Azure NSG flow logs", () => {
  it("reads version 2 like VNet flow logs: time in seconds, T/U, decision D skipped, a flow first seen at C", async () => {
    const trace = await readAzureFlowLogs([join(fixtures, "azure-nsg-v2-sample.json")]);
    expect(trace.startEpochSeconds).toBe(1542110377);
    const view = trace.connections.map(
      (c) =>
        `${c.address}:${c.port}/${c.protocol} ${c.start}-${c.end} ${c.close}${c.failed ? " failed" : ""}`,
    );
    expect(view).toEqual([
      "203.0.113.118:443/tcp 0-29 fin",
      "203.0.113.117:443/tcp 2-3 fin",
      "203.0.113.117:443/tcp 4-4 fin failed",
      "198.51.100.53:53/udp 33-33 idle",
      "203.0.113.115:443/tcp 60-83 fin",
    ]);
    expect(trace.skipped.find((s) => s.reason.startsWith("denied flow"))?.count).toBe(3);
    expect(trace.connections.reduce((s, c) => s + (c.bytes ?? 0), 0)).toBe(15_543 + 132 + 190 + 31_266);
  });

  it("refuses version 1 (no flow state, no counters), naming the version that works and the record", async () => {
    const v1 = JSON.stringify({
      records: [
        {
          properties: {
            Version: 1,
            flows: [
              {
                rule: "r",
                flows: [{ mac: "x", flowTuples: ["1542110377,10.5.16.4,203.0.113.1,1,443,T,O,A"] }],
              },
            ],
          },
        },
      ],
    });
    const file = write("PT1H.json", v1);
    const err = await readAzureFlowLogs([file]).catch((e) => e);
    expect(err).toBeInstanceOf(FlowLogError);
    expect(err.message).toMatch(/NSG flow log version 1 .*switch the flow log to version 2/);
    expect(err.message).toContain(`${file} records[0]`);
  });
});

describe("Azure flow logs: bad input is counted with its position, never a crash", () => {
  it.each([
    [
      "12 fields",
      `${T0},10.0.0.5,203.0.113.7,1,443,6,O,B,NX,0,0,0`,
      /flow tuple of 12 fields \(13 expected\)/,
    ],
    ["8 fields in a VNet log", `${T0},10.0.0.5,203.0.113.7,1,443,6,O,B`, /flow tuple of 8 fields/],
    ["bytes without packets", tup(5, "203.0.113.7", 2, 443, 6, "E", "0,5000,1,60"), /counters absurd/],
    ["a packet of 1 MB", tup(5, "203.0.113.7", 2, 443, 6, "E", "1,1000000,1,60"), /counters absurd/],
    ["a negative counter", tup(5, "203.0.113.7", 2, 443, 6, "E", "-1,60,1,60"), /not whole numbers/],
    [
      "a counter past 2^53",
      tup(5, "203.0.113.7", 2, 443, 6, "E", "1,60,99999999999999999999,60"),
      /not whole numbers/,
    ],
    ["a time in seconds", "1767225600,10.0.0.5,203.0.113.7,1,443,6,O,B,NX,0,0,0,0", /time .* out of range/],
    ["a port past 65535", tup(5, "203.0.113.7", 70000, 443, 6, "B"), /port not a whole number/],
    ["an unknown state", tup(5, "203.0.113.7", 3, 443, 6, "X"), /flow state "X"/],
    ["a tuple that is a number", 42, /flow tuple that is not a string/],
  ])("%s", async (_, bad, reason) => {
    const good = [
      tup(0, "203.0.113.7", 9, 443, 6, "B"),
      tup(9_000, "203.0.113.7", 9, 443, 6, "E", "3,180,3,180"),
    ];
    const file = write("PT1H.json", vnetDoc([...good, bad]));
    const trace = await readAzureFlowLogs([file]);
    expect(trace.connections).toHaveLength(1);
    const skip = trace.skipped.find((s) => reason.test(s.reason));
    expect(skip, JSON.stringify(trace.skipped)).toBeDefined();
    expect(skip!.firstAt).toBe(`${file} records[0]`);
  });

  it("records of odd shapes and unknown versions are counted; the good record is read", async () => {
    const good = [
      tup(0, "203.0.113.7", 9, 443, 6, "B"),
      tup(9_000, "203.0.113.7", 9, 443, 6, "E", "3,180,3,180"),
    ];
    const file = write(
      "PT1H.json",
      vnetDoc(good, [
        null,
        7,
        "text",
        { flowLogVersion: 3, flowRecords: { flows: [] } },
        { flowLogVersion: 9, flowRecords: { flows: [] } },
        { flowLogVersion: 4, flowRecords: { flows: "nope" } },
        { flowLogVersion: 4, flowRecords: { flows: [{ flowGroups: { rule: "x" } }, null, 3] } },
        { flowLogVersion: 4, flowRecords: { flows: [{ flowGroups: [{ flowTuples: "1,2,3" }, null] }] } },
        { properties: { Version: 3, flows: [] } },
        { properties: { Version: 2, flows: [{ flows: [null, { flowTuples: 5 }] }] } },
      ]),
    );
    const trace = await readAzureFlowLogs([file]);
    expect(trace.connections).toHaveLength(1);
    const text = trace.skipped.map((s) => `${s.reason} @ ${s.firstAt}`).join("\n");
    expect(text).toContain(
      `flowLogVersion undefined (neither a version 4 VNet flow-log record nor a version 2 NSG one) @ ${file} records[1]`,
    );
    expect(text).toMatch(/flowLogVersion 3 \(neither/);
    expect(text).toMatch(/flowLogVersion 9 \(newer than 4/);
    expect(text).toContain(
      `NSG flow-log record of Version 3 (version 2 is the one known) @ ${file} records[9]`,
    );
  });

  it("a tuple parser refuses what it cannot read, for every format", () => {
    expect(
      parseTuple({
        at: 1542110377,
        text: "1542110377,10.5.16.4,203.0.113.1,1,443,T,O,X,B,,,,",
        format: 2,
        record: 0,
      }),
    ).toMatch(/NSG flow decision "X"/);
    expect(
      parseTuple({
        at: 1542110377,
        text: "1542110377,10.5.16.4,203.0.113.1,1,443,T,O,A,E,,,,",
        format: 2,
        record: 0,
      }),
    ).toMatch(/counters not whole numbers/);
    expect(
      parseTuple({
        at: 1542110377,
        text: "1542110377,10.5.16.4,203.0.113.1,1,443,T,O,A",
        format: 2,
        record: 0,
      }),
    ).toMatch(/version 1/);
  });
});

describe("Azure flow logs in any order", () => {
  const flow = fc.record({
    dst: fc.constantFrom("203.0.113.7", "203.0.113.8", "198.51.100.53"),
    udp: fc.boolean(),
    startMs: fc.integer({ min: 0, max: 3_000_000 }),
    lengthMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 900_000 })),
    answered: fc.boolean(),
    ended: fc.boolean(),
  });
  it("gives the same connections for any order of a blob's tuples and records", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(flow, { minLength: 1, maxLength: 12 }), fc.integer(), async (flows, seed) => {
        const tuples: string[] = [];
        flows.forEach((f, i) => {
          const proto = f.udp ? 17 : 6;
          const port = f.udp ? 53 : 443;
          tuples.push(tup(f.startMs, f.dst, 30_000 + i, port, proto, "B"));
          for (let t = f.startMs + 300_000; t < f.startMs + f.lengthMs; t += 300_000)
            tuples.push(
              tup(t, f.dst, 30_000 + i, port, proto, "C", f.answered ? "5,500,5,900" : "2,120,0,0"),
            );
          if (f.ended)
            tuples.push(
              tup(
                f.startMs + f.lengthMs,
                f.dst,
                30_000 + i,
                port,
                proto,
                "E",
                f.answered ? "1,60,1,60" : "4,240,0,0",
              ),
            );
        });
        // The same tuples shuffled (seeded) across three records.
        const shuffled = [...tuples];
        let x = seed >>> 0;
        for (let a = shuffled.length - 1; a > 0; a--) {
          x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
          const b = x % (a + 1);
          [shuffled[a], shuffled[b]] = [shuffled[b], shuffled[a]];
        }
        const third = Math.ceil(shuffled.length / 3);
        const record = (ts: string[]) => ({
          flowLogVersion: 4,
          flowRecords: { flows: [{ flowGroups: [{ rule: "r", flowTuples: ts }] }] },
        });
        const inOrder = await readAzureFlowLogs([write("PT1H.json", vnetDoc(tuples))]);
        const anyOrder = await readAzureFlowLogs([
          write(
            "PT1H.json",
            JSON.stringify({
              records: [0, 1, 2].map((k) => record(shuffled.slice(k * third, (k + 1) * third))),
            }),
          ),
        ]);
        const key = (c: ObservedConnection) =>
          `${c.address}:${c.port}/${c.protocol} ${c.start} ${c.end} ${c.close} ${c.failed} ${c.bytes}`;
        expect(anyOrder.connections.map(key).sort()).toEqual(inOrder.connections.map(key).sort());
        expect(anyOrder.connections).toHaveLength(flows.length);
      }),
      { numRuns: 60 },
    );
  });
});
