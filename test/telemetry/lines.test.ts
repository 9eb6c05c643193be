import { isIPv4 } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseFormat } from "../../telemetry/sources/aws/format";
import { intBytes, ipv4Bytes, ScannedRecord, scanPlan, scanRecord } from "../../telemetry/sources/aws/scan";
import { LineSplitter } from "../../telemetry/sources/lines";

/** Lines as the splitter hands them out: [line number, text]. */
function splitChunks(chunks: readonly Buffer[]): [number, string][] {
  const out: [number, string][] = [];
  const s = new LineSplitter((bytes, start, end, lineNo) =>
    out.push([lineNo, bytes.toString("latin1", start, end)]),
  );
  for (const c of chunks) s.push(c);
  s.end();
  return out;
}

/** The same from the whole text at once: split at \n, \r before \n dropped, empty lines skipped. */
function splitWhole(text: string): [number, string][] {
  const parts = text.split("\n");
  if (parts.at(-1) === "") parts.pop();
  return parts
    .map((l, i): [number, string] => [i + 1, l.endsWith("\r") ? l.slice(0, -1) : l])
    .filter(([, l]) => l.length > 0);
}

/** Cuts `bytes` at the given offsets (any order, duplicates allowed: empty chunks). */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const cuts = [0, ...at.map((a) => a % (bytes.length + 1)).sort((a, b) => a - b), bytes.length];
  return cuts.slice(1).map((to, i) => bytes.subarray(cuts[i], to));
}

const record = fc
  .array(fc.constantFrom("a", "1", " ", ".", "-", "\r", "\n", "\n", "\n", "eni-0a1b", "203.0.113.10"), {
    maxLength: 80,
  })
  .map((xs) => xs.join(""));

describe("LineSplitter", () => {
  it("property: any split of a file's bytes into chunks gives the same lines and line numbers", () => {
    fc.assert(
      fc.property(record, fc.array(fc.nat(), { maxLength: 12 }), (text, at) => {
        const bytes = Buffer.from(text, "latin1");
        expect(splitChunks(cut(bytes, at))).toEqual(splitWhole(text));
      }),
      { numRuns: 500 },
    );
  });

  it("hands out a line split byte by byte whole, and a last line without a newline", () => {
    const bytes = Buffer.from("first line\r\n\nsecond", "latin1");
    const oneByOne = [...bytes].map((b) => Buffer.from([b]));
    expect(splitChunks(oneByOne)).toEqual([
      [1, "first line"],
      [3, "second"],
    ]);
  });
});

describe("byte-level field parsers", () => {
  const bytes = (s: string) => Buffer.from(s, "latin1");
  const octets = (s: string) => s.split(".").reduce((v, o) => v * 256 + Number(o), 0);

  it("property: ipv4Bytes reads every dotted quad node:net accepts, as its number", () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(isIPv4(ip)).toBe(true);
        expect(ipv4Bytes(bytes(ip), 0, ip.length)).toBe(octets(ip));
      }),
    );
  });

  it("property: on any string, ipv4Bytes accepts exactly what node:net's isIPv4 does; an IPv6 address is -2", () => {
    const text = fc
      .array(
        fc.constantFrom("0", "1", "2", "5", "9", "25", "255", "256", "00", ".", ".", ":", "a", "-", " "),
        {
          maxLength: 12,
        },
      )
      .map((xs) => xs.join(""));
    fc.assert(
      fc.property(text, (s) => {
        const v = ipv4Bytes(bytes(s), 0, s.length);
        if (s.includes(":")) expect(v).toBe(-2);
        else if (isIPv4(s)) expect(v).toBe(octets(s));
        else expect(v).toBe(-1);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        expect(ipv4Bytes(bytes(ip), 0, ip.length)).toBe(-2);
      }),
    );
  });

  it("property: intBytes equals Number() on digit strings and is NaN on anything else", () => {
    const text = fc
      .array(fc.constantFrom("0", "1", "7", "9", "-", "+", " ", ".", "e", "x"), { maxLength: 15 })
      .map((xs) => xs.join(""));
    fc.assert(
      fc.property(text, (s) => {
        const v = intBytes(bytes(s), 0, s.length);
        if (/^\d+$/.test(s)) expect(v).toBe(Number(s));
        else expect(v).toBeNaN();
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.nat(), (n) => {
        expect(intBytes(bytes(String(n)), 0, String(n).length)).toBe(n);
      }),
    );
  });

  it("property: scanRecord reads the fields of any record in any field order as splitting its text does", () => {
    const names = ["version", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol"];
    const more = ["start", "end", "action", "log-status", "tcp-flags", "pkt-srcaddr", "az-id", "bytes"];
    const field = fc.oneof(
      fc.ipV4(),
      fc.nat({ max: 2_000_000_000 }).map(String),
      fc.constantFrom("-", "OK", "ACCEPT"),
    );
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...names, ...more], { minLength: 2 }),
        fc.array(field, { minLength: 16, maxLength: 16 }),
        fc.integer({ min: -1, max: 1 }),
        (order, values, extra) => {
          const fields = order.map((_, i) => values[i]);
          // extra: -1 drops the last field, 1 adds one, 0 keeps the count.
          const written = extra < 0 ? fields.slice(0, -1) : extra > 0 ? [...fields, "x"] : fields;
          const line = `junk\n${written.join(" ")}\njunk`;
          const from = 5;
          const to = from + written.join(" ").length;
          const ix = parseFormat(order.join(" ")).index;
          const r = new ScannedRecord();
          const ok = scanRecord(bytes(line), from, to, scanPlan(ix), r);
          expect(ok).toBe(extra === 0);
          if (!ok) return;
          const num = (name: string) => {
            const v = fields[order.indexOf(name)];
            return /^\d+$/.test(v) ? Number(v) : Number.NaN;
          };
          const ip = (name: string) => {
            const v = fields[order.indexOf(name)];
            return isIPv4(v) ? octets(v) : -1;
          };
          if (ix.srcaddr >= 0) expect(r.src).toBe(ip("srcaddr"));
          if (ix.dstaddr >= 0) expect(r.dst).toBe(ip("dstaddr"));
          if (ix.pktSrcaddr >= 0) expect(r.pktSrc).toBe(ip("pkt-srcaddr"));
          if (ix.srcport >= 0) expect(r.sport).toEqual(num("srcport"));
          if (ix.dstport >= 0) expect(r.dport).toEqual(num("dstport"));
          if (ix.protocol >= 0) expect(r.protocol).toEqual(num("protocol"));
          if (ix.start >= 0) expect(r.start).toEqual(num("start"));
          if (ix.end >= 0) expect(r.end).toEqual(num("end"));
          if (ix.tcpFlags >= 0) expect(r.flags).toEqual(num("tcp-flags"));
          if (ix.version >= 0) expect(r.version).toEqual(num("version"));
          const text = (f: number, t: number) => line.slice(f, t);
          if (ix.interfaceId >= 0) expect(text(r.ifaceFrom, r.ifaceTo)).toBe(fields[ix.interfaceId]);
          if (ix.action >= 0) expect(text(r.actionFrom, r.actionTo)).toBe(fields[ix.action]);
          if (ix.logStatus >= 0) expect(text(r.statusFrom, r.statusTo)).toBe(fields[ix.logStatus]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("property: a run of spaces (before, between or after fields) is one separator", () => {
    const ix = parseFormat("srcaddr dstaddr srcport dstport start").index;
    fc.assert(
      fc.property(
        fc.tuple(fc.ipV4(), fc.ipV4(), fc.nat(65_535), fc.nat(65_535), fc.nat()),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 6, maxLength: 6 }),
        (values, gaps) => {
          const text =
            values.map((v, i) => `${" ".repeat(i === 0 ? gaps[5] - 1 : gaps[i])}${v}`).join("") +
            " ".repeat(gaps[0] - 1);
          const r = new ScannedRecord();
          expect(scanRecord(bytes(text), 0, text.length, scanPlan(ix), r)).toBe(true);
          expect(
            [r.src, r.dst].map((n) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".")),
          ).toEqual([values[0], values[1]]);
          expect([r.sport, r.dport, r.start]).toEqual([values[2], values[3], values[4]]);
        },
      ),
    );
  });

  it("property: scanRecord reads malformed fields as ipv4Bytes and intBytes do", () => {
    const names = ["srcaddr", "dstaddr", "srcport", "dstport", "start", "interface-id", "bytes"];
    const piece = fc.constantFrom("0", "1", "25", "255", "256", "01", "00", ".", ".", ":", "a", "-");
    const field = fc.oneof(
      fc.ipV4(),
      fc.array(piece, { minLength: 1, maxLength: 9 }).map((xs) => xs.join("")),
      fc.constantFrom(
        ...["1.2.3", "1.2.3.4.", "1.2.3.4.5", "1..2.3", "1.2.3.04", "01.2.3.4", "::1", "12a"],
        ...["256.1.2.3", "1.2.3.256", "1.2.3.999", "1.2.3.1000", "10.0.0.2a", "10.0.0.", "0.0.0.0"],
        // Integers past 2^53 round: both parsers must round alike.
        ...["256025010025601256", "99999999999999999999", "9007199254740993"],
      ),
    );
    fc.assert(
      fc.property(
        fc.shuffledSubarray(names, { minLength: 1 }),
        fc.array(field, { minLength: 7 }),
        (order, values) => {
          const fields = order.map((_, i) => values[i]);
          const text = fields.join(" ");
          const ix = parseFormat(order.join(" ")).index;
          const r = new ScannedRecord();
          expect(scanRecord(bytes(text), 0, text.length, scanPlan(ix), r)).toBe(true);
          const at = (name: string) => bytes(fields[order.indexOf(name)]);
          const ip = (name: string) => ipv4Bytes(at(name), 0, at(name).length);
          const num = (name: string) => intBytes(at(name), 0, at(name).length);
          if (ix.srcaddr >= 0) expect(r.src).toBe(ip("srcaddr"));
          if (ix.dstaddr >= 0) expect(r.dst).toBe(ip("dstaddr"));
          if (ix.srcport >= 0) expect(r.sport).toEqual(num("srcport"));
          if (ix.dstport >= 0) expect(r.dport).toEqual(num("dstport"));
          if (ix.start >= 0) expect(r.start).toEqual(num("start"));
          if (ix.interfaceId >= 0) expect(text.slice(r.ifaceFrom, r.ifaceTo)).toBe(fields[ix.interfaceId]);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
