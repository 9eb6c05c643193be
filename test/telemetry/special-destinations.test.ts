// Special-purpose IPv4 destinations (loopback, "this network", link-local, multicast, reserved)
// cannot be a NAT gateway's destination: a workload naming one is refused, and the flow-log readers
// skip records towards one (with the reason) instead of writing a workload that would be refused.
import { BlockList } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addressProblem, isUnroutableIpv4Number } from "../../sim/workload/address";
import { parseWorkload } from "../../sim/workload/workload";
import { awsFlowLogLines, CUSTOM_FIELDS, generateTraffic } from "../../telemetry/generate/generate";
import { buildWorkload } from "../../telemetry/sinks/workload-writer";
import { readAwsFlowLogs } from "../../telemetry/sources/aws/flow-logs";
import { aggregateFlowLogs } from "../../telemetry/sources/read";
import { tempDir, writeLines } from "./helpers";

const SPECIAL: [string, number][] = [
  ["0.0.0.0", 8],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];

const workload = (address: string) =>
  JSON.stringify({
    cloud: "aws",
    gateway: { ips: 1 },
    durationSeconds: 60,
    destinations: [{ name: "d", address, port: 443 }],
    traffic: [{ to: "d", connectionsPerSecond: 1, holdSeconds: 1 }],
  });

describe("special-purpose IPv4 destinations", () => {
  it.each([
    ["127.0.0.1", /IPv4 loopback address \(127\.0\.0\.0\/8\)/],
    ["0.1.2.3", /"this network" \(0\.0\.0\.0\/8\)/],
    ["169.254.169.254", /link-local IPv4 address/],
    ["224.0.0.251", /IPv4 multicast address/],
    ["255.255.255.255", /reserved IPv4 address/],
  ])("a workload naming %s is refused, naming the field and the range", (address, message) => {
    expect(() => parseWorkload(workload(address), "w.json")).toThrow(message);
    expect(() => parseWorkload(workload(address), "w.json")).toThrow("destinations[0].address");
  });

  it.each(["10.0.0.1", "172.16.0.1", "192.168.1.1", "100.64.0.1", "203.0.113.10", "8.8.8.8"])(
    "%s stays a valid destination (private ones for a private NAT gateway)",
    (address) => {
      expect(() => parseWorkload(workload(address), "w.json")).not.toThrow();
    },
  );

  it("property: the readers' numeric check agrees with the workload's range check for every IPv4 address", () => {
    const list = new BlockList();
    for (const [net, prefix] of SPECIAL) list.addSubnet(net, prefix, "ipv4");
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const n = ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
        expect(isUnroutableIpv4Number(n)).toBe(list.check(ip, "ipv4"));
        expect(addressProblem(ip) !== undefined).toBe(list.check(ip, "ipv4"));
      }),
      { numRuns: 2000 },
    );
  });

  it("VPC Flow Logs towards them are skipped with the reason; the workload written is valid", async () => {
    const truth = generateTraffic({
      durationSeconds: 120,
      seed: 3,
      ips: 1,
      streams: [
        { address: "203.0.113.10", port: 443, connectionsPerSecond: 1, holdSeconds: 5, close: "fin" },
        { address: "127.0.0.1", port: 443, connectionsPerSecond: 0.5, holdSeconds: 5, close: "fin" },
        { address: "224.0.0.251", port: 5353, protocol: "udp", connectionsPerSecond: 0.5, holdSeconds: 1 },
      ],
    });
    const dir = tempDir();
    const file = writeLines(dir, "special.log.gz", awsFlowLogLines(truth, { fields: CUSTOM_FIELDS }));
    const trace = await readAwsFlowLogs([file]);
    expect(new Set(trace.connections.map((c) => c.address))).toEqual(new Set(["203.0.113.10"]));
    const reason = trace.skipped.find((s) => s.reason.startsWith("special-purpose destination"));
    expect(reason?.count).toBeGreaterThan(0);
    expect(reason?.firstAt).toContain("special.log.gz");
    const { workload } = buildWorkload(await aggregateFlowLogs([file], { cloud: "aws" }));
    expect(workload.destinations.map((d) => d.address)).toEqual(["203.0.113.10"]);
  });
});
