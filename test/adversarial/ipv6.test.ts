/**
 * Hostile input to IPv6 on Azure StandardV2: address spellings, `gateway.sku` and `gateway.ipsV6`,
 * price overrides, peak-only and huge IPv6 traffic, and the what-if table of IPv6-only workloads.
 * Every case goes through the CLI (`natcap simulate`) as a user would run it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CliRun, natcapInProcess, STACK_FRAME, tempFile } from "./cli-harness";

type Json = Record<string, unknown>;

/** An Azure StandardV2 workload with one destination at `address` (10 connections/s held 1 s). */
function v2(address: string, gateway: Json = {}): Json {
  return {
    cloud: "azure",
    gateway: { ips: 1, sku: "StandardV2", ipsV6: 1, ...gateway },
    durationSeconds: 60,
    destinations: [{ name: "a", address, port: 443 }],
    traffic: [{ to: "a", connectionsPerSecond: 10, holdSeconds: 1 }],
  };
}

async function simulate(workload: unknown, ...args: string[]): Promise<CliRun> {
  const file = typeof workload === "string" ? tempFile(workload) : tempFile(JSON.stringify(workload), "json");
  const r = await natcapInProcess("simulate", file, ...args);
  expect(r.stderr).not.toMatch(STACK_FRAME);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.ms).toBeLessThan(10_000);
  return r;
}

/** Asserts a refusal: exit 2, nothing on stdout, stderr naming the field and matching `message`. */
async function refused(workload: unknown, message: RegExp, ...args: string[]): Promise<void> {
  const r = await simulate(workload, ...args);
  expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 2 });
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(/^natcap: /);
  expect(r.stderr).toMatch(message);
}

async function json(workload: unknown, ...args: string[]): Promise<Json> {
  const r = await simulate(workload, "--json", ...args);
  expect([0, 1], r.stderr).toContain(r.code);
  return JSON.parse(r.stdout) as Json;
}

describe("IPv6 destination spellings on a StandardV2 gateway with IPv6 addresses", () => {
  const accepted = [
    "2001:db8::1",
    "2001:DB8::1",
    "2001:0db8:0000:0000:0000:0000:0000:0001",
    " 2001:db8::1 ",
    "2001:db8::203.0.113.1",
    "2002::1",
  ];
  it.each(accepted)("accepts %j and simulates it on the IPv6 addresses", async (address) => {
    const r = await json(v2(address));
    const d = (r.destinations as Json[])[0];
    expect(d.addressFamily ?? "ipv6").toBe("ipv6");
    expect(d.endpoint).toBe(`[${address.trim()}]:443/tcp`);
    expect(r.verdict).toBe("ok");
  });

  const refusedAddresses: [string, RegExp][] = [
    ["fe80::1%eth0", /"fe80::1%eth0" is an IPv6 address with a zone index: .*without %zone/],
    ["2001:db8::1%25eth0", /with a zone index/],
    [
      "[2001:db8::1]",
      /"\[2001:db8::1\]" is an IPv6 address in brackets: give the address alone \(2001:db8::1\)/,
    ],
    [
      "[2001:db8::1]:443",
      /is not an address: give the IPv4 or IPv6 address or DNS name alone and the port in port/,
    ],
    ["::ffff:203.0.113.1", /IPv4-mapped IPv6 address \(::ffff:0:0\/96\): give the IPv4 address/],
    ["::FFFF:cb00:7101", /IPv4-mapped IPv6 address/],
    [
      "::",
      /"::" is the unspecified IPv6 address \(::\): it names no host; give the destination's public address/,
    ],
    ["::1", /"::1" is the IPv6 loopback address \(::1\): traffic to it never leaves the host/],
    ["0:0:0:0:0:0:0:1", /the IPv6 loopback address/],
    ["::203.0.113.1", /IPv4-compatible IPv6 address \(::\/96, deprecated\).*give the IPv4 address it embeds/],
    ["fe80::1", /"fe80::1" is a link-local IPv6 address \(fe80::\/10\): it names a host on the local link/],
    ["FE80::abcd", /link-local IPv6 address/],
    ["febf::1", /link-local IPv6 address/],
    ["fd00::1", /"fd00::1" is a unique local IPv6 address \(fc00::\/7\): it is private to a network/],
    ["fc00::5", /unique local IPv6 address/],
    [
      "ff02::1",
      /"ff02::1" is an IPv6 multicast address \(ff00::\/8\): a NAT gateway translates unicast connections only/,
    ],
    ["ff0e::101", /IPv6 multicast address/],
    ["2001:db8::/64", /is a network or a URL, not one address/],
    ["2001:db8:::1", /"2001:db8:::1" is not an address/],
    ["2001:db8::g", /"2001:db8::g" is not an address/],
    ["1:2:3:4:5:6:7:8:9", /is not an address/],
  ];
  it.each(refusedAddresses)("refuses %j, naming the field and the range", async (address, message) => {
    await refused(v2(address), message);
    const r = await simulate(v2(address));
    expect(r.stderr).toContain(`destinations[0].address: ${JSON.stringify(address)} `);
  });

  it("refuses a link-local address on AWS for what it is, not only for being IPv6", async () => {
    await refused({ ...v2("fe80::1"), cloud: "aws", gateway: { ips: 1 } }, /link-local IPv6 address/);
  });

  it("counts 2001:DB8::1 and 2001:db8::1 on one port as one endpoint", async () => {
    const w = v2("2001:db8::1");
    (w.destinations as Json[]).push({ name: "b", address: "2001:DB8:0::1", port: 443 });
    await refused(
      w,
      /destinations\[1\]\.address: "b" is \[2001:DB8:0::1\]:443\/tcp, the endpoint of destinations\[0\] "a" too/,
    );
  });

  it("keeps an IPv6 and an IPv4 destination on the same port apart", async () => {
    const w = v2("2001:db8::1");
    (w.destinations as Json[]).push({ name: "b", address: "203.0.113.1", port: 443 });
    const r = await json(w);
    expect((r.destinations as Json[]).map((d) => d.endpoint)).toEqual([
      "[2001:db8::1]:443/tcp",
      "203.0.113.1:443/tcp",
    ]);
  });
});

describe("gateway.sku and gateway.ipsV6", () => {
  const bad: [string, Json, RegExp][] = [
    [
      "ipsV6 0 with an IPv6 destination",
      { ipsV6: 0 },
      /destinations\[0\]\.address: .*has no IPv6 addresses to translate it to: set gateway\.ipsV6 to 1 or more \(up to 16\)/,
    ],
    [
      "ipsV6 17",
      { ipsV6: 17 },
      /gateway\.ipsV6: 17 exceeds the 16 public IPv6 addresses a StandardV2 NAT gateway can use; set gateway\.ipsV6 to 16 or fewer/,
    ],
    ["ipsV6 1.5", { ipsV6: 1.5 }, /gateway\.ipsV6: 1\.5 is not a whole number of IPv6 addresses/],
    [
      'ipsV6 "two"',
      { ipsV6: "two" },
      /gateway\.ipsV6: expected a whole number of IPv6 addresses, 0 or more, got "two"/,
    ],
    ['ipsV6 "2" (a string)', { ipsV6: "2" }, /gateway\.ipsV6: expected a whole number .* got "2"/],
    ["ipsV6 -1", { ipsV6: -1 }, /gateway\.ipsV6: -1 is not a whole number of IPv6 addresses, 0 or more/],
    ["ipsV6 null", { ipsV6: null }, /gateway\.ipsV6: expected a whole number .* got null/],
    ["ipsV6 true", { ipsV6: true }, /gateway\.ipsV6: expected a whole number .* got true/],
    ["ipsV6 1e300", { ipsV6: 1e300 }, /gateway\.ipsV6: 1e\+300 is past Number\.MAX_SAFE_INTEGER/],
    [
      'sku "standardv2" (lower case)',
      { sku: "standardv2" },
      /gateway\.sku: "standardv2" is not one of Standard, StandardV2 \(names are case-sensitive: write StandardV2\)/,
    ],
    [
      'sku "StandardV3"',
      { sku: "StandardV3" },
      /gateway\.sku: "StandardV3" is not one of Standard, StandardV2/,
    ],
    ['sku "Basic"', { sku: "Basic" }, /gateway\.sku: "Basic" is not one of/],
    ['sku ""', { sku: "" }, /gateway\.sku: "" is not one of/],
    ["sku 2", { sku: 2 }, /gateway\.sku: 2 is not one of/],
    ["sku as a list", { sku: ["StandardV2"] }, /gateway\.sku: \["StandardV2"\] is not one of/],
    [
      "sku Standard with ipsV6",
      { sku: "Standard", ipsV6: 2 },
      /gateway\.ipsV6: 2 IPv6 addresses, but a Standard Azure NAT gateway takes none/,
    ],
    ["a misspelt ipsv6", { ipsv6: 1 }, /gateway\.ipsv6: unknown field "ipsv6"/],
    ["a misspelt SKU", { SKU: "StandardV2" }, /gateway\.SKU: unknown field "SKU"/],
  ];
  it.each(bad)("refuses %s", async (_name, gateway, message) => {
    await refused(v2("2001:db8::1", gateway), message);
  });

  it.each(["StandardV2", "Standard"])("refuses sku %j on AWS", async (sku) => {
    await refused(
      { ...v2("198.51.100.1"), cloud: "aws", gateway: { ips: 1, sku } },
      new RegExp(
        `gateway\\.sku: "${sku}" is an Azure NAT gateway SKU; AWS NAT gateways have none: remove gateway\\.sku`,
      ),
    );
  });

  it("refuses ipsV6 on AWS with the fix", async () => {
    await refused(
      { ...v2("198.51.100.1"), cloud: "aws", gateway: { ips: 1, ipsV6: 1 } },
      /gateway\.ipsV6: 1 IPv6 address, but an AWS NAT gateway translates IPv4 only .*remove gateway\.ipsV6/,
    );
  });

  it("words an explicit ipsV6: 0 on AWS as plain IPs, not as IPv6 addresses", async () => {
    const r = await simulate({ ...v2("198.51.100.1"), cloud: "aws", gateway: { ips: 1, ipsV6: 0 } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Verdict: ok: no port-allocation errors predicted with 1 IP \(hash\)\.$/m);
    expect(r.stdout).not.toMatch(/IPv6/);
  });

  it("accepts 16 IPv6 addresses, the most a StandardV2 gateway uses", async () => {
    const r = await json(v2("2001:db8::1", { ipsV6: 16 }));
    expect(r.ipsV6).toBe(16);
  });
});

describe("gateway.prices on an IPv6 workload", () => {
  const bad: [string, unknown, RegExp][] = [
    ["a negative price", { publicIpHour: -1 }, /gateway\.prices\.publicIpHour: -1 must be 0 or more/],
    [
      "a price as a string",
      { publicIpHour: "0.005" },
      /gateway\.prices\.publicIpHour: expected a price in USD, 0 or more, got "0\.005"/,
    ],
    [
      "a null price",
      { publicIpHour: null },
      /gateway\.prices\.publicIpHour: expected a price in USD, 0 or more, got null/,
    ],
    [
      "an absurd price",
      { publicIpHour: 1e308 },
      /gateway\.prices\.publicIpHour: 1e\+308 is past Number\.MAX_SAFE_INTEGER/,
    ],
    [
      "an AWS key on Azure",
      { publicIpv4Hour: 0.005 },
      /gateway\.prices\.publicIpv4Hour: is not an Azure price \(it is a key of the AWS price table\): use one of natGatewayHour, natGatewayPerGb, publicIpHour, publicIpPrefixIpHour/,
    ],
    ["an unknown key", { bogus: 1 }, /gateway\.prices\.bogus: unknown field "bogus"/],
    ["a list", [], /gateway\.prices: expected a mapping, got \[\]/],
    ["a string", "cheap", /gateway\.prices: expected a mapping, got "cheap"/],
  ];
  it.each(bad)("refuses %s", async (_name, prices, message) => {
    await refused(v2("2001:db8::1", { prices }), message, "--what-if");
  });

  it("refuses NaN and infinity in YAML, listing both", async () => {
    await refused(
      "cloud: azure\ngateway: { ips: 1, sku: StandardV2, ipsV6: 1, prices: { publicIpHour: .nan, natGatewayHour: .inf } }\ndestinations: [{ name: a, address: 2001:db8::1, port: 443 }]\n",
      /2 problems\n {2}gateway\.prices\.natGatewayHour: expected a price in USD, 0 or more, got Infinity\n {2}gateway\.prices\.publicIpHour: expected a price in USD, 0 or more, got NaN/,
      "--what-if",
    );
  });

  it("prices every IPv6 address at publicIpHour: the cost as given follows the override", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 0, max: 1000 }),
        async (ips, ipsV6, milliCents) => {
          const price = milliCents / 100_000;
          const r = await json(
            v2("2001:db8::1", { ips, ipsV6, prices: { publicIpHour: price, natGatewayHour: 0 } }),
            "--what-if",
            "--method",
            "analytic",
          );
          const cost = (r.whatIf as Json).costAsGiven as Json;
          expect(cost.total as number).toBeCloseTo((ips + ipsV6) * price * 730, 6);
          expect(cost.addressesV6 as number).toBeCloseTo(ipsV6 * price * 730, 6);
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe("IPv6 traffic: peak-only, huge rates, what-if on IPv6-only workloads", () => {
  const peakOnly = (peakConnections: number, ipsV6 = 2): Json => ({
    cloud: "azure",
    gateway: { ips: 1, sku: "StandardV2", ipsV6 },
    destinations: [{ name: "a", address: "2001:db8::1", port: 443, peakConnections }],
  });

  it("checks an IPv6 peak against the IPv6 addresses: 120,000 needs 3 (50,000 each)", async () => {
    const r = await json(peakOnly(120_000));
    expect(r.verdict).toBe("exhausted");
    expect(r.ipsV6Needed).toBe(3);
    const d = (r.destinations as Json[])[0];
    expect(d.portCapacity ?? 100_000).toBe(100_000);
  });

  it("passes an IPv6 peak that fits the IPv6 addresses, whatever the IPv4 count", async () => {
    for (const ips of [1, 16]) {
      const r = await json({ ...peakOnly(90_000), gateway: { ips, sku: "StandardV2", ipsV6: 2 } });
      expect(r.verdict).toBe("ok");
    }
  });

  it("refuses an IPv6 peak past natcap's bound, naming it", async () => {
    await refused(peakOnly(10_000_001), /destinations\[0\]\.peakConnections: .*10,000,000/);
  });

  it("refuses an IPv6 stream at 1,000,000,001 connections per second", async () => {
    const w = v2("2001:db8::1");
    (w.traffic as Json[])[0] = { to: "a", connectionsPerSecond: 1_000_000_001, holdSeconds: 1 };
    await refused(w, /traffic\[0\]\.connectionsPerSecond: 1000000001 exceeds 1,000,000,000/);
  });

  it("refuses an IPv6 stream that would hold more ports than natcap's bound, within seconds", async () => {
    const w = v2("2001:db8::1", { ipsV6: 16 });
    (w.traffic as Json[])[0] = { to: "a", connectionsPerSecond: 1e9, holdSeconds: 31_536_000 };
    await refused(
      w,
      /traffic\[0\]\.connectionsPerSecond: traffic to destinations\[0\] "a" would hold about .* past natcap's bound of 100,000,000 per destination/,
      "--method",
      "analytic",
      "--what-if",
    );
  });

  it("sizes the IPv6 family of an IPv6-only workload and prices it with one IPv4 address", async () => {
    const w = v2("2001:db8::1", { ipsV6: 2 });
    (w.traffic as Json[])[0] = { to: "a", connectionsPerSecond: 2000, holdSeconds: 60 };
    const r = await json(w, "--what-if", "--method", "analytic");
    const plan = r.whatIf as Json;
    const rowsV6 = plan.rowsV6 as Json[];
    expect(rowsV6).toHaveLength(16);
    // Every IPv4 row fits: there is no IPv4 traffic.
    expect((plan.rows as Json[]).every((row) => row.fits === true && row.expectedErrors === 0)).toBe(true);
    const firstFit = rowsV6.find((row) => row.fits === true);
    expect(firstFit?.ipsV6).toBe(r.ipsV6Needed);
    expect(plan.cheapest).toMatchObject({
      kind: "single",
      gateways: 1,
      ipsPerGateway: 1,
      ipsV6PerGateway: r.ipsV6Needed,
    });
    expect(plan.cheapestText).toBe(`one gateway with 1 IPv4 and ${r.ipsV6Needed} IPv6 addresses`);
    // Expected errors fall as IPv6 addresses are added, to 0 at the first fit.
    const errors = rowsV6.map((row) => row.expectedErrors as number);
    for (let i = 1; i < errors.length; i++) expect(errors[i]).toBeLessThanOrEqual(errors[i - 1]);
  });

  it("gives IPv6 destinations the same errors whatever the IPv4 address count", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 16 }), async (ips) => {
        const w = v2("2001:db8::1", { ips, ipsV6: 2 });
        (w.traffic as Json[])[0] = { to: "a", connectionsPerSecond: 2000, holdSeconds: 60 };
        const r = await json(w, "--method", "analytic");
        const d = (r.destinations as Json[])[0];
        const base = await json(
          { ...w, gateway: { ips: 1, sku: "StandardV2", ipsV6: 2 } },
          "--method",
          "analytic",
        );
        expect(d.portAllocationErrors).toEqual((base.destinations as Json[])[0].portAllocationErrors);
        expect(r.ipsV6Needed).toBe(base.ipsV6Needed);
      }),
      { numRuns: 6 },
    );
  });

  it("says the table and the marked row agree for a mixed workload", async () => {
    const w = v2("203.0.113.10", { ips: 2, ipsV6: 2 });
    (w.destinations as Json[]).push({ name: "b", address: "2001:db8::1", port: 443 });
    (w.traffic as Json[]).push({ to: "b", connectionsPerSecond: 2000, holdSeconds: 60 });
    const r = await simulate(w, "--what-if", "--method", "analytic");
    expect(r.code).toBe(1);
    const marked = [...r.stdout.matchAll(/^(\d+)\s.*\$([\d.,]+)\s+\* cheapest fit/gm)];
    expect(marked).toHaveLength(2);
    expect(marked[0][2]).toBe(marked[1][2]);
    expect(r.stdout).toMatch(
      new RegExp(
        `^Cheapest design that fits: one gateway with ${marked[0][1]} IPv4 and ${marked[1][1]} IPv6 addresses, \\$${marked[0][2].replace(".", "\\.")} a month\\.$`,
        "m",
      ),
    );
  });
});
