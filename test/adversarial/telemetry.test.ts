/**
 * Hostile input to `natcap import` and `natcap replay`: empty, unrelated and binary files, flow logs
 * of the wrong cloud or of IPv6 only, broken aggregated CSV, unwritable outputs, and bad, repeated
 * or absurd options. Each must exit 0/1 with right results or 2 with a message naming the file,
 * option or field, never with a stack trace, and quickly.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { type CliRun, natcapInProcess } from "./cli-harness";

const root = resolve(__dirname, "../..");
const AWS_SAMPLE = join(root, "examples/telemetry/aws-custom");
const AZURE_SAMPLE = join(root, "examples/telemetry/azure");
const dir = mkdtempSync(join(tmpdir(), "natcap-adversarial-telemetry-"));
let counter = 0;
/** A JavaScript stack frame (`at fn (file:line:col)`); commander's wrapped help ("at least 1)") is not one. */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

/** Writes `content` to a fresh file named `name` (in its own folder) and returns its path. */
function file(name: string, content: string | Uint8Array): string {
  const folder = join(dir, `f${counter++}`);
  mkdirSync(folder, { recursive: true });
  const p = join(folder, name);
  writeFileSync(p, content);
  return p;
}

/** Bytes from a fixed linear congruential generator: binary garbage, the same on every run. */
function garbage(n: number, seed = 12345): Uint8Array {
  const bytes = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

async function natcap(...args: string[]): Promise<CliRun> {
  const r = await natcapInProcess(...args);
  expect(r.stderr).not.toMatch(STACK_FRAME);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.ms).toBeLessThan(15_000);
  return r;
}

/** Runs natcap and asserts exit 2, an empty stdout and stderr matching every pattern. */
async function refused(args: string[], ...patterns: RegExp[]): Promise<CliRun> {
  const r = await natcap(...args);
  expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 2 });
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(/^(natcap|error)/);
  for (const p of patterns) expect(r.stderr).toMatch(p);
  return r;
}

const AWS_HEADER =
  "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status tcp-flags pkt-srcaddr pkt-dstaddr flow-direction";
const IPV6_ONLY_AWS = [
  AWS_HEADER,
  "5 eni-1 2001:db8:1::5 2001:db8::1 1024 443 6 3 180 1767225600 1767225604 ACCEPT OK 3 2001:db8:1::5 2001:db8::1 egress",
  "5 eni-1 2001:db8::1 2001:db8:1::5 443 1024 6 3 180 1767225600 1767225604 ACCEPT OK 19 2001:db8::1 2001:db8:1::5 ingress",
].join("\n");
const azureDoc = (tuples: string[]) =>
  JSON.stringify({
    records: [
      {
        time: "2026-01-01T00:00:00.000Z",
        flowLogVersion: 4,
        category: "FlowLogFlowEvent",
        flowRecords: { flows: [{ flowGroups: [{ rule: "r", flowTuples: tuples }] }] },
      },
    ],
  });
const IPV6_ONLY_AZURE = azureDoc([
  "1767225600000,fd00::5,2001:db8::1,32769,443,6,O,B,NX,3,180,3,180",
  "1767225604000,fd00::5,2001:db8::1,32769,443,6,O,E,NX,3,180,3,180",
]);

const NO_AWS_RECORD =
  /natcap: no NAT gateway egress record \(private source, public destination, TCP or UDP, ACCEPT, OK\) in 1 file/;
const NO_AZURE_FLOW = /natcap: no outbound flow towards a public address in 1 file/;

describe("natcap import aws-flow-logs on files that are not usable flow logs", () => {
  it("an empty file", async () => {
    const p = file("empty.log", "");
    await refused(
      ["import", "aws-flow-logs", p],
      NO_AWS_RECORD,
      new RegExp(`\\(${p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\)`),
    );
  });
  it("a header line only", async () => {
    await refused(["import", "aws-flow-logs", file("header.log", `${AWS_HEADER}\n`)], NO_AWS_RECORD);
  });
  it("a folder of unrelated files, each skipped with its reason", async () => {
    const p = file("a.txt", "hello\n");
    writeFileSync(join(p, "..", "b.json"), '{"x":1}\n');
    await refused(
      ["import", "aws-flow-logs", join(p, "..")],
      /in 2 files/,
      /unknown header field "hello" \(column ignored\)/,
      /JSON file \(not a VPC flow log; for Azure VNet flow logs use import azure-flow-logs or replay --cloud azure\)/,
    );
  });
  it("binary garbage", async () => {
    await refused(
      ["import", "aws-flow-logs", file("garbage.bin", garbage(4096))],
      NO_AWS_RECORD,
      /skipped \d+ records?: /,
    );
  });
  it("gzip of garbage", async () => {
    await refused(
      ["import", "aws-flow-logs", file("garbage.log.gz", gzipSync(garbage(4096)))],
      NO_AWS_RECORD,
    );
  });
  it("garbage named .gz that is not gzip", async () => {
    await refused(["import", "aws-flow-logs", file("fake.log.gz", garbage(4096, 7))], NO_AWS_RECORD);
  });
  it("truncated gzip of a real sample", async () => {
    const whole = readFileSync(join(AWS_SAMPLE, "nat-gateway.log.gz"));
    const r = await natcap(
      "import",
      "aws-flow-logs",
      file("cut.log.gz", whole.subarray(0, whole.length >> 1)),
    );
    expect([0, 2]).toContain(r.code);
    if (r.code === 0) expect(r.stdout).toMatch(/^cloud: aws$/m);
  });
  it("Azure VNet flow logs, pointing at the right command", async () => {
    await refused(
      ["import", "aws-flow-logs", AZURE_SAMPLE],
      /for Azure VNet flow logs use import azure-flow-logs/,
    );
  });
  it("a flow log of IPv6 records only, counted as skipped", async () => {
    await refused(
      ["import", "aws-flow-logs", file("v6.log", IPV6_ONLY_AWS)],
      NO_AWS_RECORD,
      /skipped 2 records: IPv6 address \(NAT gateways translate IPv4\)/,
    );
  });
  it("a path that does not exist, named", async () => {
    await refused(["import", "aws-flow-logs", join(dir, "nope.log")], /cannot read ".*nope\.log" \(ENOENT\)/);
  });
  it("no path at all", async () => {
    await refused(
      ["import", "aws-flow-logs"],
      /PATH: give flow-log files or directories \(or --print-query athena\|logs-insights\)/,
    );
  });
  it("--fields missing required names, listing them", async () => {
    await refused(
      [
        "import",
        "aws-flow-logs",
        file(
          "nohdr.log",
          "5 eni-1 10.0.0.220 203.0.113.10 1024 443 6 3 180 1767225600 1767225604 ACCEPT OK\n",
        ),
        "--fields",
        "version srcadr dstaddr",
      ],
      /--fields "version srcadr dstaddr" lacks srcaddr, srcport, dstport, protocol, start, end/,
    );
  });
  it("--fields of a header-less export reads it", async () => {
    const r = await natcap(
      "import",
      "aws-flow-logs",
      file("nohdr.log", "5 eni-1 10.0.0.220 203.0.113.10 1024 443 6 3 180 1767225600 1767225604 ACCEPT OK\n"),
      "--fields",
      "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/address: 203\.0\.113\.10/);
  });
  it("an unknown --print-query kind", async () => {
    await refused(
      ["import", "aws-flow-logs", "--print-query", "sql"],
      /argument 'sql' is invalid\. Allowed choices are athena, logs-insights/,
    );
  });
  it("--from that is not a time", async () => {
    await refused(
      ["import", "aws-flow-logs", "--print-query", "athena", "--from", "yesterday"],
      /--from "yesterday" is not Unix seconds or an ISO date-time/,
    );
  });
});

describe("natcap import azure-flow-logs on files that are not VNet flow logs", () => {
  it("JSON that is not a flow log", async () => {
    await refused(
      ["import", "azure-flow-logs", file("x.json", '{"foo":[1,2,3]}')],
      NO_AZURE_FLOW,
      /no records array \(not a VNet flow log\)/,
    );
  });
  it("a JSON array", async () => {
    await refused(
      ["import", "azure-flow-logs", file("x.json", "[1,2,3]")],
      NO_AZURE_FLOW,
      /no records array/,
    );
  });
  it("an empty records array", async () => {
    await refused(["import", "azure-flow-logs", file("x.json", '{"records":[]}')], NO_AZURE_FLOW);
  });
  it("malformed JSON", async () => {
    await refused(
      ["import", "azure-flow-logs", file("x.json", '{"records":[')],
      NO_AZURE_FLOW,
      /malformed JSON/,
    );
  });
  it("binary garbage, naming the right command for text logs", async () => {
    await refused(
      ["import", "azure-flow-logs", file("g.bin", garbage(2048))],
      NO_AZURE_FLOW,
      /not a JSON file \(text; for AWS VPC Flow Logs use import aws-flow-logs or replay --cloud aws\)/,
    );
  });
  it("AWS gzip flow logs", async () => {
    await refused(
      ["import", "azure-flow-logs", AWS_SAMPLE],
      /not a JSON file \(gzip; for AWS VPC Flow Logs use import aws-flow-logs/,
    );
  });
  it("an empty file", async () => {
    await refused(["import", "azure-flow-logs", file("e.json", "")], NO_AZURE_FLOW);
  });
  it("flows of IPv6 only, counted as skipped", async () => {
    await refused(
      ["import", "azure-flow-logs", file("v6.json", IPV6_ONLY_AZURE)],
      NO_AZURE_FLOW,
      /skipped 2 records: IPv6 address/,
    );
  });
});

const CSV_HEADER = "interval_start,address,port,protocol,fin,rst,idle";
const CSV_OK = `${CSV_HEADER}\n1767225600,203.0.113.10,443,tcp,100,0,0\n1767225660,203.0.113.10,443,tcp,120,0,0\n`;

describe("natcap import aggregated on broken CSV", () => {
  it("missing columns, naming them", async () => {
    const p = file(
      "m.csv",
      "interval_start,address,port,protocol,fin\n1767225600,203.0.113.10,443,tcp,100\n",
    );
    await refused(
      ["import", "aggregated", p],
      /m\.csv:1: missing column\(s\) rst, idle: the header must name/,
    );
  });
  it("a header only", async () => {
    await refused(
      ["import", "aggregated", file("h.csv", `${CSV_HEADER}\n`)],
      /h\.csv: no usable row \(only a header\)/,
    );
  });
  it("an empty file", async () => {
    await refused(["import", "aggregated", file("e.csv", "")], /e\.csv:1: is empty: expected a header line/);
  });
  it("binary garbage", async () => {
    await refused(
      ["import", "aggregated", file("g.csv", garbage(1024))],
      /missing column\(s\) interval_start, address, port, protocol, fin, rst, idle/,
    );
  });
  it("rows of IPv6 only", async () => {
    await refused(
      ["import", "aggregated", file("v6.csv", `${CSV_HEADER}\n1767225600,2001:db8::1,443,tcp,100,0,0\n`)],
      /no usable row \(address is not an IPv4 address: 1 \(first at .*v6\.csv:2\)\)/,
    );
  });
  it("every row broken, each reason counted with its first line", async () => {
    const rows = [
      "1767225600,203.0.113.10,443,tcp,1e400,0,0",
      "1767225600,203.0.113.11,443,tcp,-5,0,0",
      "1767225600,203.0.113.12,99999,tcp,5,0,0",
      "1767225600,203.0.113.13,443,icmp,5,0,0",
      "1767225630,203.0.113.14,443,tcp,5,0,0",
    ];
    await refused(
      ["import", "aggregated", file("b.csv", `${CSV_HEADER}\n${rows.join("\n")}\n`)],
      /fin is not a number of 0 or more: 2 \(first at .*b\.csv:2\)/,
      /port is not a whole number from 1 to 65535: 1 \(first at .*b\.csv:4\)/,
      /protocol is not tcp, udp, 6 or 17: 1/,
      /interval_start is not a multiple of the 60 s interval \(give --interval\): 1/,
    );
  });
  it("a folder instead of a file, named", async () => {
    await refused(
      ["import", "aggregated", dir],
      new RegExp(`"${dir.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}" is a folder, not a file \\(EISDIR\\)`),
    );
  });
  it("-o into a folder, named", async () => {
    await refused(
      ["import", "aggregated", file("ok.csv", CSV_OK), "-o", dir],
      /--output: ".*" is a folder, not a file \(EISDIR\): cannot write the workload there; give a file path/,
    );
  });
  it("-o into a missing folder creates it and writes a valid workload", async () => {
    const out = join(dir, "new", "deeper", "w.yaml");
    const r = await natcap("import", "aggregated", file("ok.csv", CSV_OK), "-o", out);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/wrote .*w\.yaml: 1 destination, 1 traffic stream, 120 s/);
    const sim = await natcap("simulate", out, "--json");
    expect(sim.code).toBe(0);
    expect(JSON.parse(sim.stdout).totals.attempts).toBeGreaterThan(150);
  });
  it("-o given twice writes the last one only", async () => {
    const a = join(dir, "twice-a.yaml");
    const b = join(dir, "twice-b.yaml");
    const r = await natcap("import", "aggregated", file("ok.csv", CSV_OK), "-o", a, "-o", b);
    expect(r.code).toBe(0);
    expect(readFileSync(b, "utf8")).toMatch(/^cloud: aws$/m);
    expect(() => readFileSync(a)).toThrow();
  });
  it("--ips past the AWS maximum, naming --ips", async () => {
    await refused(
      ["import", "aggregated", file("ok.csv", CSV_OK), "--ips", "9"],
      /--ips: 9 exceeds the 8 IPs an AWS NAT gateway can hold; give --ips 8 or fewer/,
    );
  });
  it("--ips past the Azure maximum, naming --ips", async () => {
    await refused(
      ["import", "aggregated", file("ok.csv", CSV_OK), "--cloud", "azure", "--ips", "17"],
      /--ips: 17 exceeds the 16 IPs an Azure NAT gateway can hold; give --ips 16 or fewer/,
    );
  });
  it("--ips 16 on Azure is written", async () => {
    const r = await natcap("import", "aggregated", file("ok.csv", CSV_OK), "--cloud", "azure", "--ips", "16");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}ips: 16$/m);
  });
  it.each([
    ["--interval", "0"],
    ["--interval", "abc"],
    ["--top", "-1"],
    ["--max-steps", "0"],
    ["--ips", "0"],
    ["--ips", "1.5"],
  ])("%s %s", async (flag, value) => {
    await refused(
      ["import", "aggregated", file("ok.csv", CSV_OK), flag, value],
      new RegExp(`${flag} "${value.replace(".", "\\.")}" is not a whole number of [01] or more`),
    );
  });
  it("--cloud gcp", async () => {
    await refused(
      ["import", "aggregated", file("ok.csv", CSV_OK), "--cloud", "gcp"],
      /argument 'gcp' is invalid\. Allowed choices are aws, azure/,
    );
  });
});

describe("natcap import cloudwatch-metrics and azure-metrics on wrong input", () => {
  const cw = () =>
    file(
      "cw.json",
      JSON.stringify({
        MetricDataResults: [
          { Id: "a", Label: "ConnectionAttemptCount", Timestamps: ["2026-01-01T00:00:00Z"], Values: [100] },
        ],
      }),
    );
  it("neither --workload nor --result", async () => {
    await refused(["import", "cloudwatch-metrics", cw()], /--workload\/--result: give exactly one/);
  });
  it("both --workload and --result", async () => {
    await refused(
      ["import", "cloudwatch-metrics", cw(), "--workload", "a", "--result", "b"],
      /give exactly one/,
    );
  });
  it("an empty object", async () => {
    await refused(
      ["import", "cloudwatch-metrics", file("e.json", "{}"), "--result", "x"],
      /MetricDataResults: expected the output of `aws cloudwatch get-metric-data`/,
    );
  });
  it("binary garbage", async () => {
    await refused(
      ["import", "cloudwatch-metrics", file("g.json", garbage(512)), "--result", "x"],
      /g\.json: is not JSON/,
    );
  });
  it("a value that is not a number, by path", async () => {
    const p = file(
      "bad.json",
      JSON.stringify({
        MetricDataResults: [
          { Id: "x", Label: "ConnectionAttemptCount", Timestamps: ["2026-01-01T00:00:00Z"], Values: ["a"] },
        ],
      }),
    );
    await refused(
      ["import", "cloudwatch-metrics", p, "--result", "x"],
      /MetricDataResults\[0\]\.Values\[0\]: is not a number of 0 or more/,
    );
  });
  it("CloudWatch output given to azure-metrics", async () => {
    await refused(
      ["import", "azure-metrics", cw(), "--result", "x"],
      /value: expected the output of `az monitor metrics list`/,
    );
  });
  it("a --result that does not exist, named", async () => {
    await refused(
      ["import", "cloudwatch-metrics", cw(), "--result", join(dir, "none.json")],
      /"[^"]*none\.json" does not exist \(ENOENT\)/,
    );
  });
});

describe("natcap replay options", () => {
  const replay = (...args: string[]) => ["replay", AWS_SAMPLE, "--cloud", "aws", ...args];
  it.each(["0", "1,,2", "abc", "", "1.5", "-1", "1,0"])("--ips %j", async (ips) => {
    await refused(
      replay("--ips", ips),
      new RegExp(
        `--ips "${ips.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}" is not a list of whole numbers from 1, e\\.g\\. 1,2,4`,
      ),
    );
  });
  it("--ips 99 is refused before any flow log is read", async () => {
    const r = await refused(
      replay("--ips", "99"),
      /--ips: 99 exceeds the 8 IPs an AWS NAT gateway can hold; give --ips 8 or fewer/,
    );
    expect(r.stderr).not.toMatch(/records read/);
  });
  it("--ips 17 on Azure is refused before any flow log is read", async () => {
    const r = await refused(
      ["replay", AZURE_SAMPLE, "--cloud", "azure", "--ips", "1,17"],
      /--ips: 17 exceeds the 16 public IPs an Azure NAT gateway can use/,
    );
    expect(r.stderr).not.toMatch(/records read/);
  });
  it("a repeated IP count", async () => {
    await refused(replay("--ips", "2,1,2"), /--ips "2,1,2" lists 2 more than once; give each IP count once/);
  });
  it("a list of 5,000 IP counts ends at once", async () => {
    const r = await refused(
      replay("--ips", Array.from({ length: 5000 }, () => "1").join(",")),
      /lists 1 more than once/,
    );
    expect(r.ms).toBeLessThan(2000);
  });
  it("a list of 5,000 distinct IP counts is refused before reading", async () => {
    const r = await refused(
      replay("--ips", Array.from({ length: 5000 }, (_, i) => String(i + 1)).join(",")),
      /--ips: 9 exceeds the 8 IPs/,
    );
    expect(r.stderr).not.toMatch(/records read/);
  });
  it("spaces around IP counts are fine", async () => {
    const r = await natcap(...replay("--ips", " 1, 2 ", "--per-ip-destination-limit", "120"));
    expect(r.code).toBe(1);
    expect(r.stdout.match(/^Verdict: /gm)).toHaveLength(2);
  });
  it("--ips given twice replays the last", async () => {
    const r = await natcap(...replay("--ips", "1", "--ips", "2", "--per-ip-destination-limit", "120"));
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^Verdict: /gm)).toHaveLength(1);
    expect(r.stdout).toMatch(/^Verdict: ok: no port-allocation errors predicted with 2 IPs \(hash\)\.$/m);
  });
  it("--cloud gcp", async () => {
    await refused(
      replay("--cloud", "gcp", "--ips", "1"),
      /argument 'gcp' is invalid\. Allowed choices are aws, azure/,
    );
  });
  it("no --cloud", async () => {
    await refused(["replay", AWS_SAMPLE, "--ips", "1"], /required option '--cloud <cloud>' not specified/);
  });
  it("no --ips", async () => {
    await refused(replay(), /required option '--ips <n\[,m,\.\.\.\]>' not specified/);
  });
  it("--cloud given twice takes the last, and its reader names the right command", async () => {
    await refused(
      replay("--cloud", "azure", "--ips", "1"),
      /not a JSON file \(gzip; for AWS VPC Flow Logs use import aws-flow-logs or replay --cloud aws\)/,
    );
  });
  it("--per-ip-destination-limit 0", async () => {
    await refused(
      replay("--ips", "1", "--per-ip-destination-limit", "0"),
      /--per-ip-destination-limit "0" is not a whole number from 1/,
    );
  });
  it("--per-ip-destination-limit past the ports of an IP, before reading", async () => {
    const r = await refused(
      replay("--ips", "1", "--per-ip-destination-limit", "99999"),
      /--per-ip-destination-limit: 99,999 exceeds the 64,512 ports one AWS NAT gateway IP has/,
    );
    expect(r.stderr).not.toMatch(/records read/);
  });
  it("--idle-timeout-minutes on AWS", async () => {
    await refused(
      replay("--ips", "1", "--idle-timeout-minutes", "5"),
      /--idle-timeout-minutes: 5: AWS NAT gateways have a fixed 350 s idle timeout; remove --idle-timeout-minutes/,
    );
  });
  it("--idle-timeout-minutes 121 on Azure", async () => {
    await refused(
      ["replay", AZURE_SAMPLE, "--cloud", "azure", "--ips", "1", "--idle-timeout-minutes", "121"],
      /--idle-timeout-minutes "121" is not a whole number from 4 to 120/,
    );
  });
  it.each([
    ["--seed", "-1", /--seed "-1" is not a whole number from 0 to 4294967295/],
    ["--gb-per-month", "-5", /--gb-per-month "-5" is not a number of GB, 0 or more/],
    ["--gb-per-month", "abc", /--gb-per-month "abc" is not a number of GB/],
    [
      "--port-reuse-seconds",
      "a,b,c",
      /--port-reuse-seconds "a,b,c" is not FIN\[,RST\[,UDP\]\] seconds of 0 or more/,
    ],
    ["--port-reuse-seconds", "1,2,3,4", /--port-reuse-seconds "1,2,3,4" is not FIN/],
  ])("%s %s", async (flag, value, message) => {
    await refused(replay("--ips", "1", flag, value, "--what-if"), message);
  });
  it("--report into a folder, before reading", async () => {
    const r = await refused(
      replay("--ips", "1", "--report", dir),
      /--report: ".*" is a folder: give a file path such as out\/report\.html/,
    );
    expect(r.stderr).not.toMatch(/records read/);
  });
  it("--fields missing required names", async () => {
    await refused(
      replay("--ips", "1", "--fields", "version bogus-field srcaddr"),
      /--fields "version bogus-field srcaddr" lacks dstaddr, srcport, dstport, protocol, start, end/,
    );
  });
  it("--interface that is not in the logs", async () => {
    await refused(
      replay("--ips", "1", "--interface", "eni-nope"),
      /another interface than eni-nope/,
      /check --interface eni-nope/,
    );
  });
  it("flow logs of IPv6 records only", async () => {
    await refused(
      ["replay", file("v6.log", IPV6_ONLY_AWS), "--cloud", "aws", "--ips", "1"],
      /skipped 2 records: IPv6 address/,
    );
    await refused(
      ["replay", file("v6.json", IPV6_ONLY_AZURE), "--cloud", "azure", "--ips", "1"],
      /skipped 2 records: IPv6 address/,
    );
  });
});

describe("natcap replay results on the sample logs", () => {
  it("predicts about the 125 logged failures with 1 IP and none with 2 (AWS)", async () => {
    const r = await natcap(
      "replay",
      AWS_SAMPLE,
      "--cloud",
      "aws",
      "--ips",
      "2,1",
      "--per-ip-destination-limit",
      "120",
      "--json",
    );
    expect(r.code).toBe(1);
    const results = JSON.parse(r.stdout) as { ips: number; totals: { portAllocationErrors: number } }[];
    expect(results.map((x) => x.ips)).toEqual([2, 1]);
    expect(results[0].totals.portAllocationErrors).toBe(0);
    expect(results[1].totals.portAllocationErrors).toBeGreaterThan(100);
    expect(results[1].totals.portAllocationErrors).toBeLessThan(200);
  });
  it("comes to 2 IPs on the Azure sample too, with exit 1 for the 1-IP errors", async () => {
    const r = await natcap(
      "replay",
      AZURE_SAMPLE,
      "--cloud",
      "azure",
      "--ips",
      "1,2",
      "--per-ip-destination-limit",
      "120",
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^Verdict: exhausted: .* with 1 IP \(pooled\); 203\.0\.113\.10:443\/tcp needs 2 IPs\.$/m,
    );
    expect(r.stdout).toMatch(/^Verdict: ok: no port-allocation errors predicted with 2 IPs \(pooled\)\.$/m);
  });
  it("adds a what-if plan to a one-count JSON result and keeps the array for several", async () => {
    const one = await natcap("replay", AWS_SAMPLE, "--cloud", "aws", "--ips", "1", "--what-if", "--json");
    expect(JSON.parse(one.stdout).whatIf.cheapestText).toMatch(/^one gateway with \d+ IPs?$/);
    const two = await natcap("replay", AWS_SAMPLE, "--cloud", "aws", "--ips", "1,2", "--what-if", "--json");
    const parsed = JSON.parse(two.stdout);
    expect(Array.isArray(parsed)).toBe(true);
    expect(parsed.every((x: Record<string, unknown>) => !("whatIf" in x))).toBe(true);
  });
});
