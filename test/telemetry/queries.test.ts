import { describe, expect, it } from "vitest";
import { ValidationError } from "../../core/errors";
import {
  athenaQuery,
  kqlQuery,
  logsInsightsQuery,
  PLACEHOLDER_ENI,
  printedQuery,
  QUERY_KINDS,
} from "../../telemetry/queries/queries";
import { AGGREGATED_COLUMNS, parseCsv, readAggregatedCsv } from "../../telemetry/sources/aggregated/csv";

describe("printed queries", () => {
  it("Athena: the interface, the interval, the idle timeout and the time range are the ones given", () => {
    const q = athenaQuery({
      interfaceId: "eni-0abc'x",
      intervalSeconds: 600,
      idleTimeoutSeconds: 120,
      fromEpochSeconds: 100,
      toEpochSeconds: 200,
      table: "flows",
    });
    expect(q).toContain("interface_id = 'eni-0abc''x'");
    expect(q).toContain("FROM flows");
    expect(q).toContain("floor(cstart / 600e0) * 600");
    expect(q).toContain("start - prev_end > 120");
    expect(q).not.toContain("> 350");
    expect(q).toContain("coalesce(pkt_srcaddr, srcaddr) AS nat");
    expect(q).toContain("AND start >= 100 AND start < 200");
    expect(athenaQuery()).toContain(`'${PLACEHOLDER_ENI}'`);
  });

  it("each query names the CSV columns natcap import aggregated reads", () => {
    for (const kind of QUERY_KINDS) {
      const q = printedQuery(kind, { intervalSeconds: 60 });
      for (const col of ["interval_start", "address", "port", "protocol", "fin", "rst"])
        expect(q).toContain(col);
      expect(q).toContain("natcap import aggregated");
    }
    expect(logsInsightsQuery()).toMatch(
      /stats sum\(syn\) as opened, sum\(fin_seen\) as fin, sum\(rst_seen\) as rst by interval_start, address, port, protocol/,
    );
    expect(kqlQuery()).toMatch(/^NTANetAnalytics$/m);
  });
});

describe("aggregated CSV", () => {
  it("parses quoted fields, doubled quotes, CRLF and a final line without a newline", () => {
    expect(parseCsv('"a","b,c"\r\n"x""y",2\n\n3,4')).toEqual([
      { line: 1, fields: ["a", "b,c"] },
      { line: 2, fields: ['x"y', "2"] },
      { line: 4, fields: ["3", "4"] },
    ]);
  });

  it("reads the Logs Insights shape (opened instead of idle, date-time intervals)", () => {
    const csv = [
      "interval_start,address,port,protocol,opened,fin,rst",
      "2026-11-20 10:00:00.000,203.0.113.10,443,tcp,100,80,5",
      "2026-11-20 10:01:00.000,203.0.113.10,443,tcp,50,60,0",
    ].join("\n");
    const agg = readAggregatedCsv(csv, "insights.csv");
    const [e] = agg.endpoints;
    expect(e.rows.map((r) => [r.intervalStart % 3600, r.fin, r.rst, r.idle])).toEqual([
      [0, 80, 5, 15],
      [60, 60, 0, 0],
    ]);
    expect(agg.durationSeconds).toBe(120);
    expect(agg.provenance.source).toBe("query");
  });

  it("skips bad rows with a counted reason naming the file and line, and keeps the rest", () => {
    const header = AGGREGATED_COLUMNS.join(",");
    const row = (start: string, address: string, port: string, protocol: string, fin: string) =>
      [start, address, port, protocol, fin, ...AGGREGATED_COLUMNS.slice(5).map(() => "0")].join(",");
    const csv = [
      header,
      row("120", "203.0.113.10", "443", "tcp", "3"),
      row("125", "203.0.113.10", "443", "tcp", "3"),
      row("180", "2001:db8::1", "443", "tcp", "3"),
      row("180", "203.0.113.10", "70000", "tcp", "3"),
      row("180", "203.0.113.10", "443", "icmp", "3"),
      row("180", "203.0.113.10", "443", "6", "-1"),
      row("yesterday", "203.0.113.10", "443", "6", "1"),
      "180,203.0.113.10",
    ].join("\n");
    const agg = readAggregatedCsv(csv, "q.csv");
    expect(agg.provenance.recordsUsed).toBe(1);
    expect(agg.provenance.skipped).toEqual([
      {
        reason: "interval_start is not a multiple of the 60 s interval (give --interval)",
        count: 1,
        firstAt: "q.csv:3",
      },
      { reason: "address is not an IPv4 address", count: 1, firstAt: "q.csv:4" },
      { reason: "port is not a whole number from 1 to 65535", count: 1, firstAt: "q.csv:5" },
      { reason: "protocol is not tcp, udp, 6 or 17", count: 1, firstAt: "q.csv:6" },
      { reason: "fin is not a number of 0 or more", count: 1, firstAt: "q.csv:7" },
      { reason: "interval_start is not Unix seconds or a UTC date-time", count: 1, firstAt: "q.csv:8" },
      { reason: `2 fields where the header has ${AGGREGATED_COLUMNS.length}`, count: 1, firstAt: "q.csv:9" },
    ]);
  });

  it("refuses an empty file, wrong headers and a file with no usable row", () => {
    expect(() => readAggregatedCsv("", "e.csv")).toThrow(ValidationError);
    expect(() => readAggregatedCsv("", "e.csv")).toThrow(/e\.csv:1: is empty/);
    expect(() => readAggregatedCsv("time,dst,count\n1,2,3\n", "h.csv")).toThrow(
      /h\.csv:1: missing column\(s\) interval_start, address, port, protocol, fin, rst, idle/,
    );
    expect(() => readAggregatedCsv("interval_start,address,port,protocol,fin,rst,idle\n", "o.csv")).toThrow(
      /o\.csv: no usable row \(only a header\)/,
    );
    expect(() =>
      readAggregatedCsv("interval_start,address,port,protocol,fin,rst,idle\n60,x,1,tcp,1,1,1\n", "g.csv"),
    ).toThrow(/no usable row \(address is not an IPv4 address: 1 \(first at g\.csv:2\)\)/);
  });
});
