// IPv6 on Azure StandardV2 through the policy pack and its expectation tags, fed odd spellings and
// absurd values: tag values with brackets, zones and special ranges; generic StandardV2 gateways with
// too many, mistyped or miscased IPv6 addresses. The pack runs over its gRPC service (one process).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Diagnostic } from "../../check/pack";
import { parseExpectationTags } from "../../sim/workload/tags";
import { validateWorkload } from "../../sim/workload/workload";
import {
  genericNetworkResource,
  of,
  type Pack,
  startPack,
  type TestResource,
  UNKNOWN,
  unknowns,
  violations,
} from "../policies/harness";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

describe("expectation tags with IPv6 values", () => {
  const parsed: [string, { address: string; port: number } | "issue" | "no port"][] = [
    ["2001:db8::1:443/tcp=5", { address: "2001:db8::1", port: 443 }],
    ["[2001:db8::1]:443/tcp=5", { address: "2001:db8::1", port: 443 }],
    [" [2001:DB8::1]:443/udp=5 ", { address: "2001:DB8::1", port: 443 }],
    ["2001:db8::1/tcp=5", "no port"],
    ["fd00::5/udp=9", "no port"],
    ["[2001:db8::1]/tcp=5", "issue"],
    ["2001:db8::1:99999/tcp=5", "issue"],
    ["2001:db8::1:0/tcp=5", "issue"],
    ["2001:db8::1:443/tcp=1e5", "issue"],
    ["2001:db8::1:443/sctp=5", "issue"],
    ["2001:db8::1 :443/tcp=5", "issue"],
    ["[2001:db8::1:443/tcp=5", "issue"],
  ];
  it.each(parsed)("reads %j", (value, want) => {
    const { destinations, issues } = parseExpectationTags({ "natcap-peak-api": value });
    if (want === "issue" || want === "no port") {
      expect(destinations).toEqual([]);
      expect(issues).toHaveLength(1);
      expect(issues[0].path).toBe("tags.natcap-peak-api");
      expect(issues[0].message).toMatch(
        want === "issue"
          ? /expected <address>:<port>\/<tcp\|udp>=<peakConnections>/
          : /^reads as the IPv6 address .* with no port: write the port after it/,
      );
    } else {
      expect(issues).toEqual([]);
      expect(destinations[0]).toMatchObject(want);
    }
  });

  const refusedByTheWorkload: [string, RegExp][] = [
    ["fe80::1%eth0:443/tcp=5", /zone index/],
    ["fd00::1:443/tcp=5", /unique local IPv6 address/],
    ["::1:443/tcp=5", /IPv6 loopback address/],
    ["ff02::1:443/tcp=5", /IPv6 multicast address/],
    ["::ffff:203.0.113.1:443/tcp=5", /IPv4-mapped IPv6 address/],
  ];
  it.each(refusedByTheWorkload)("parses %j, and the workload rules refuse its address", (value, message) => {
    const { destinations, issues } = parseExpectationTags({ "natcap-peak-api": value });
    expect(issues).toEqual([]);
    expect(() =>
      validateWorkload({ cloud: "azure", gateway: { ips: 1, sku: "StandardV2", ipsV6: 1 }, destinations }),
    ).toThrow(message);
  });
});

const LIMIT = "azure-nat-gateway-ip-limit";
const SKU = "azure-nat-gateway-public-ip-sku";
const CAP = "nat-gateway-capacity";

const generic = genericNetworkResource;
const ip = (name: string, version: string, sku: unknown = "StandardV2") =>
  generic(
    "publicIPAddresses",
    name,
    { publicIPAllocationMethod: "Static", publicIPAddressVersion: version },
    sku,
  );
const prefix = (name: string, prefixLength: unknown, version: string) =>
  generic("publicIPPrefixes", name, { prefixLength, publicIPAddressVersion: version }, "StandardV2");

function gateway(
  v4: TestResource[],
  v6: TestResource[],
  opts: { sku?: unknown; v6Prefixes?: TestResource[]; tags?: Record<string, string> } = {},
): TestResource {
  const list = (xs: TestResource[]) => xs.map(() => ({ id: UNKNOWN }));
  return generic(
    "natGateways",
    "egress",
    {
      publicIpAddresses: list(v4),
      publicIpAddressesV6: list(v6),
      ...(opts.v6Prefixes ? { publicIpPrefixesV6: list(opts.v6Prefixes) } : {}),
    },
    opts.sku ?? "StandardV2",
    { properties: [...v4, ...v6, ...(opts.v6Prefixes ?? [])] },
    opts.tags ? { tags: opts.tags } : {},
  );
}

const messages = (ds: Diagnostic[]) => JSON.stringify(ds.map((d) => [d.policyName, d.message]));

describe("the pack on hostile StandardV2 IPv6 gateways (over gRPC)", () => {
  let pack: Pack;
  beforeAll(async () => {
    pack = await startPack();
  });
  afterAll(async () => {
    await pack?.process.close();
  });
  const v4 = [ip("ip-1", "IPv4")];

  it("blocks 17 IPv6 public IPs, counting them", async () => {
    const v6 = Array.from({ length: 17 }, (_, i) => ip(`ip6-${i}`, "IPv6"));
    const ds = violations(await pack.check([...v4, ...v6, gateway(v4, v6)]), LIMIT);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain("17 public IPv6 addresses exceed the 16");
  });

  it("passes 16 IPv6 public IPs", async () => {
    const v6 = Array.from({ length: 16 }, (_, i) => ip(`ip6-${i}`, "IPv6"));
    const ds = await pack.check([...v4, ...v6, gateway(v4, v6)]);
    expect(of(ds, LIMIT), messages(ds)).toEqual([]);
  });

  it("names an IPv6 prefix whose length is not a number", async () => {
    const p6 = [prefix("pre6", "abc", "IPv6")];
    const ds = await pack.check([...v4, ...p6, gateway(v4, [], { v6Prefixes: p6 })]);
    const mine = [...violations(ds, LIMIT), ...unknowns(ds, LIMIT)];
    expect(mine.length, messages(ds)).toBeGreaterThan(0);
    expect(mine.map((d) => d.message).join("\n")).toMatch(/pre6/);
    for (const d of ds) expect(d.message).not.toMatch(/\n\s+at /);
  });

  it("blocks a Standard-SKU IPv6 address on a StandardV2 gateway", async () => {
    const v6 = [ip("ip6-std", "IPv6", "Standard")];
    const all = await pack.check([...v4, ...v6, gateway(v4, v6)]);
    const ds = violations(all, SKU);
    expect(ds.length).toBeGreaterThan(0);
    expect(ds.map((d) => d.message).join("\n")).toMatch(
      /PublicIPAddress "ip6-std": sku "Standard" does not match the StandardV2 NAT gateway/,
    );
  });

  it("checks an IPv6 expectation tag written with brackets against the IPv6 addresses", async () => {
    const v6 = [ip("ip6-1", "IPv6"), ip("ip6-2", "IPv6")];
    const tags = (peak: number) => ({ "natcap-peak-api6": `[2001:db8::10]:443/tcp=${peak}` });
    const fits = await pack.check([...v4, ...v6, gateway(v4, v6, { tags: tags(90_000) })]);
    expect(of(fits, CAP), messages(fits)).toEqual([]);
    const ds = violations(await pack.check([...v4, ...v6, gateway(v4, v6, { tags: tags(120_000) })]), CAP);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toMatch(/needs 3 IPv6 addresses/);
  });

  it("reports a unique local IPv6 expectation as an invalid expectation, naming the range", async () => {
    const v6 = [ip("ip6-1", "IPv6")];
    const ds = violations(
      await pack.check([
        ...v4,
        ...v6,
        gateway(v4, v6, { tags: { "natcap-peak-ula": "fd00::5:443/tcp=10" } }),
      ]),
      CAP,
    );
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toMatch(/"fd00::5" is a unique local IPv6 address \(fc00::\/7\)/);
    expect(ds[0].message).not.toMatch(/\n\s+at /);
  });
});
