/**
 * Synthetic traffic for the telemetry tests: connections drawn from known traffic with a seeded RNG,
 * as reconstructed connections (what a flow-log reader yields) and as the VPC flow-log records a NAT
 * gateway's interface would log for them (60 s windows, tcp-flags, pkt-srcaddr / pkt-dstaddr; two
 * NAT IPs behind one primary address, using the same SNAT ports at once; delivered in 5-minute files
 * in no order, about 1 % of the records twice).
 */

import { Rng } from "../../sim/engine/random";
import type { ConnectionTrace, ObservedConnection } from "../../telemetry/reconstruct/connections";
import { DEFAULT_FIELDS } from "../../telemetry/sources/aws/format";

/** One destination of the synthetic traffic. */
export interface SyntheticEndpoint {
  address: string;
  port: number;
  protocol: "tcp" | "udp";
  /** New connections per second. */
  rate: number;
  /** Mean hold, seconds (exponential unless `lognormalSigma`). */
  meanHold: number;
  lognormalSigma?: number;
  /** Shares of FIN and RST closes (the rest end idle); ignored for UDP. */
  fin: number;
  rst: number;
  /** Share of attempts that fail. */
  failureShare: number;
}

/** Generated traffic: the trace and the flow-log records for it (CSV with a header). */
export interface Synthetic {
  trace: ConnectionTrace;
  recordsCsv: string;
  /** Unix seconds of time 0. */
  t0: number;
}

/**
 * The columns of the Athena flow-logs table the records are written for: the default format's
 * fields and the three custom ones the query needs, named as Athena names them (`-` becomes `_`).
 */
export const FLOW_COLUMNS = [...DEFAULT_FIELDS, "tcp-flags", "pkt-srcaddr", "pkt-dstaddr"].map((f) =>
  f.replaceAll("-", "_"),
);
const NAT_IPS = ["10.0.0.5", "10.0.0.6"];
/** The interface's primary private IP: what srcaddr / dstaddr show on the NAT side, whichever IP translated. */
const PRIMARY = NAT_IPS[0];
const ENI = "eni-nat";
/** Seconds of one flow-log window (the logs' aggregation interval). */
const WINDOW = 60;

/** Draws connections for `seconds` of traffic and writes the matching records. */
export function synthetic(
  endpoints: SyntheticEndpoint[],
  seconds: number,
  seed = 1,
  t0 = 1763799990,
): Synthetic {
  const rng = new Rng(seed);
  type Draft = ObservedConnection & { kind: "fin" | "rst" | "none"; gw: string };
  const drafts: Draft[] = [];
  for (const e of endpoints) {
    let t = rng.exponential(1 / e.rate);
    while (t < seconds) {
      const start = Math.floor(t);
      const failed = rng.float() < e.failureShare;
      const hold = e.lognormalSigma
        ? Math.exp(Math.log(e.meanHold) - e.lognormalSigma ** 2 / 2 + e.lognormalSigma * rng.normal())
        : rng.exponential(e.meanHold);
      const end = failed ? start : Math.min(seconds + 400, Math.floor(t + hold));
      const u = rng.float();
      const kind = e.protocol === "udp" ? "none" : u < e.fin ? "fin" : u < e.fin + e.rst ? "rst" : "none";
      const gw = NAT_IPS[rng.below(NAT_IPS.length)];
      drafts.push({
        address: e.address,
        port: e.port,
        protocol: e.protocol,
        start,
        end,
        close: "idle",
        failed,
        kind,
        gw,
      });
      t += rng.exponential(1 / e.rate);
    }
  }
  drafts.sort((a, b) => a.start - b.start);
  const traceEnd = drafts.reduce((m, c) => (c.failed ? m : Math.max(m, c.end)), 0);
  const connections: ObservedConnection[] = drafts.map((d) => ({
    address: d.address,
    port: d.port,
    protocol: d.protocol,
    start: d.start,
    end: d.end,
    failed: d.failed,
    // Without FIN or RST: still open when a record of it can still come (its last packet within one
    // window of the end), else quiet, which the gateway ends at its idle timeout.
    close: d.failed ? "rst" : d.kind !== "none" ? d.kind : d.end + WINDOW >= traceEnd ? "open" : "idle",
    ...(d.failed ? {} : { gatewayIp: d.gw }),
  }));
  const lines = [FLOW_COLUMNS.join(",")];
  const rec = (f: (string | number)[]) => lines.push(f.join(","));
  // Each NAT IP counts its SNAT ports from 1024: both use the same ports towards a destination at once.
  const nextPort = new Map<string, number>(NAT_IPS.map((ip) => [ip, 1024]));
  let client = 30000;
  for (const d of drafts) {
    const proto = d.protocol === "tcp" ? 6 : 17;
    const cport = client++;
    // Instance → NAT gateway (every attempt, failed or not).
    rec([
      5,
      "123456789012",
      ENI,
      "10.0.1.20",
      PRIMARY,
      cport,
      d.port,
      proto,
      1,
      60,
      t0 + d.start,
      t0 + d.start,
      "ACCEPT",
      "OK",
      proto === 6 ? 2 : 0,
      "10.0.1.20",
      d.address,
    ]);
    if (d.failed) continue;
    const sport = nextPort.get(d.gw)!;
    nextPort.set(d.gw, sport + 1);
    const a = t0 + d.start;
    const b = t0 + d.end;
    for (let w = Math.floor(a / WINDOW) * WINDOW; w <= b; w += WINDOW) {
      const s = Math.max(a, w);
      const e = Math.min(b, w + WINDOW - 1);
      let flags = 0;
      if (proto === 6) {
        if (s === a) flags |= 2;
        if (e === b && d.kind === "fin") flags |= 1;
        if (e === b && d.kind === "rst") flags |= 4;
      }
      // NAT gateway → destination (srcaddr the primary IP, pkt-srcaddr the one that translated),
      // the reply, and the gateway → client leg.
      rec([
        5,
        "123456789012",
        ENI,
        PRIMARY,
        d.address,
        sport,
        d.port,
        proto,
        3,
        300,
        s,
        e,
        "ACCEPT",
        "OK",
        flags,
        d.gw,
        d.address,
      ]);
      rec([
        5,
        "123456789012",
        ENI,
        d.address,
        PRIMARY,
        d.port,
        sport,
        proto,
        3,
        300,
        s,
        e,
        "ACCEPT",
        "OK",
        proto === 6 && s === a ? 18 : 0,
        d.address,
        d.gw,
      ]);
      rec([
        5,
        "123456789012",
        ENI,
        PRIMARY,
        "10.0.1.20",
        d.port,
        cport,
        proto,
        3,
        300,
        s,
        e,
        "ACCEPT",
        "OK",
        proto === 6 && s === a ? 18 : 0,
        d.address,
        "10.0.1.20",
      ]);
    }
  }
  rec([5, "123456789012", ENI, "", "", "", "", "", "", "", t0, t0 + 59, "", "NODATA", "", "", ""]);
  rec([
    5,
    "123456789012",
    "eni-other",
    "10.0.2.9",
    "198.51.100.1",
    40000,
    443,
    6,
    1,
    60,
    t0 + 5,
    t0 + 5,
    "ACCEPT",
    "OK",
    2,
    "10.0.2.9",
    "198.51.100.1",
  ]);
  // Delivered as S3 does: 5-minute files (by record end), each in no order, some windows twice.
  const header = lines[0];
  const end = (l: string) => Number(l.split(",")[11]);
  const records = lines.slice(1).map((l) => ({ l, file: Math.floor(end(l) / 300), k: rng.float() }));
  for (const r of records.slice(0, records.length))
    if (rng.float() < 0.01) records.push({ ...r, k: rng.float() });
  records.sort((x, y) => x.file - y.file || x.k - y.k);
  lines.length = 0;
  lines.push(header, ...records.map((r) => r.l));
  const trace: ConnectionTrace = {
    cloud: "aws",
    startEpochSeconds: t0,
    durationSeconds: traceEnd,
    connections,
    gatewayIps: NAT_IPS,
    files: ["synthetic.log"],
    recordsRead: lines.length - 1,
    recordsUsed: lines.length - 3,
    skipped: [{ reason: "NODATA record", count: 1, firstAt: "synthetic.log:2" }],
  };
  return { trace, recordsCsv: `${lines.join("\n")}\n`, t0 };
}

/** A typical mix: three TCP endpoints and one UDP endpoint. */
export const MIX: SyntheticEndpoint[] = [
  {
    address: "203.0.113.10",
    port: 443,
    protocol: "tcp",
    rate: 6,
    meanHold: 4,
    lognormalSigma: 1,
    fin: 0.8,
    rst: 0.1,
    failureShare: 0.02,
  },
  {
    address: "198.51.100.7",
    port: 5432,
    protocol: "tcp",
    rate: 2,
    meanHold: 30,
    fin: 0.5,
    rst: 0.3,
    failureShare: 0,
  },
  {
    address: "192.0.2.44",
    port: 636,
    protocol: "tcp",
    rate: 0.5,
    meanHold: 2,
    fin: 1,
    rst: 0,
    failureShare: 0.05,
  },
  { address: "192.0.2.53", port: 53, protocol: "udp", rate: 3, meanHold: 1, fin: 0, rst: 0, failureShare: 0 },
];

/** The records of {@link synthetic} as a VPC flow-log file (space separated, `-` for a missing value). */
export function recordsLog(csv: string): string[] {
  const [header, ...rows] = csv.trimEnd().split("\n");
  return [
    header.replaceAll("_", "-").replaceAll(",", " "),
    ...rows.map((r) =>
      r
        .split(",")
        .map((v) => (v === "" ? "-" : v))
        .join(" "),
    ),
  ];
}
