import { CapacityError, LimitError, ValidationError, WorkloadError } from "../../core/errors";
import { AzureNatGateway } from "../../index";
import { type Build, type ComponentCase, countingMocks, refusalSuite } from "./component-harness";

countingMocks("adversarial-ipv6");

const v2 =
  (args: Record<string, unknown>): Build =>
  () =>
    new AzureNatGateway("egress", {
      resourceGroupName: "rg",
      location: "westeurope",
      sku: "StandardV2",
      publicIpCount: 1,
      ...args,
    } as never);
const v6 = { name: "v6", address: "2001:db8::1", port: 443, peakConnections: 1000 };
const expecting = (destination: Record<string, unknown>) => ({
  expectedTraffic: { destinations: [destination] },
});

const CASES: ComponentCase[] = [
  {
    name: "publicIpV6Count 17",
    build: v2({ publicIpV6Count: 17 }),
    fixed: v2({ publicIpV6Count: 16 }),
    error: LimitError,
    says: ['AzureNatGateway "egress"', "publicIpV6Count", "17", "16"],
  },
  ...[-1, 1.5, Number.NaN, "2"].map(
    (value): ComponentCase => ({
      name: `publicIpV6Count ${JSON.stringify(value) ?? String(value)}`,
      build: v2({ publicIpV6Count: value }),
      fixed: v2({ publicIpV6Count: 2 }),
      error: ValidationError,
      says: [
        "publicIpV6Count",
        typeof value === "string" ? `"${value}"` : String(value),
        "whole number of IPv6 addresses",
      ],
    }),
  ),
  {
    name: "publicIpV6Count on a Standard gateway",
    build: v2({ sku: "Standard", publicIpV6Count: 1 }),
    fixed: v2({ sku: "Standard", publicIpV6Count: 0 }),
    error: LimitError,
    says: ["publicIpV6Count", "a Standard NAT gateway takes no IPv6 addresses (1 given)", "StandardV2"],
  },
  {
    name: "existing IPv6 IPs on a Standard gateway",
    build: v2({ sku: "Standard", existingPublicIpV6Ids: ["/subscriptions/x/publicIPAddresses/v6"] }),
    error: LimitError,
    says: ["existingPublicIpV6Ids", "takes no IPv6 addresses"],
  },
  {
    name: "sku standardv2 (lower case)",
    build: v2({ sku: "standardv2" }),
    fixed: v2({ sku: "StandardV2" }),
    error: ValidationError,
    says: [
      'sku: "standardv2" is not one of Standard, StandardV2 (names are case-sensitive: write StandardV2)',
    ],
  },
  {
    name: "sku StandardV3",
    build: v2({ sku: "StandardV3" }),
    error: ValidationError,
    says: ['sku: "StandardV3" is not one of Standard, StandardV2'],
  },
  {
    name: "a zone on StandardV2",
    build: v2({ zone: "1" }),
    fixed: v2({}),
    error: ValidationError,
    says: ["zone", "zone-redundant"],
  },
  {
    name: "an IPv6 prefix /123",
    build: v2({ publicIpPrefixesV6: [{ key: "a", prefixLength: 123 }] }),
    fixed: v2({ publicIpPrefixesV6: [{ key: "a", prefixLength: 124 }] }),
    error: LimitError,
    says: ["publicIpPrefixesV6[0].prefixLength", "123", "/124–/127"],
  },
  {
    name: "an IPv6 prefix /128",
    build: v2({ publicIpPrefixesV6: [{ key: "a", prefixLength: 128 }] }),
    error: LimitError,
    says: ["publicIpPrefixesV6[0].prefixLength", "128"],
  },
  {
    name: "a repeated IPv6 prefix key",
    build: v2({
      publicIpPrefixesV6: [
        { key: "a", prefixLength: 126 },
        { key: "a", prefixLength: 126 },
      ],
    }),
    error: ValidationError,
    says: ["publicIpPrefixesV6[1].key", '"a" appears twice'],
  },
  {
    name: "16 IPv6 IPs and a /127 prefix (18 addresses)",
    build: v2({ publicIpV6Count: 16, publicIpPrefixesV6: [{ key: "a", prefixLength: 127 }] }),
    fixed: v2({ publicIpV6Count: 14, publicIpPrefixesV6: [{ key: "a", prefixLength: 127 }] }),
    error: LimitError,
    says: ["publicIpV6Count", "16"],
  },
  {
    name: "an IPv6 destination without IPv6 addresses",
    build: v2(expecting(v6)),
    fixed: v2({ publicIpV6Count: 1, ...expecting(v6) }),
    error: WorkloadError,
    says: ["expectedTraffic.destinations[0].address", '"2001:db8::1"', "set publicIpV6Count to 1 or more"],
  },
  {
    name: "an IPv6 destination on a Standard gateway",
    build: v2({ sku: "Standard", ...expecting(v6) }),
    error: WorkloadError,
    says: ["expectedTraffic.destinations[0].address", "set sku: StandardV2 and publicIpV6Count"],
  },
  {
    name: "a unique local IPv6 destination",
    build: v2({ publicIpV6Count: 1, ...expecting({ ...v6, address: "fd00::1" }) }),
    fixed: v2({ publicIpV6Count: 1, ...expecting(v6) }),
    error: WorkloadError,
    says: ["expectedTraffic.destinations[0].address", '"fd00::1"', "unique local IPv6 address (fc00::/7)"],
  },
  {
    name: "a link-local IPv6 destination with a zone",
    build: v2({ publicIpV6Count: 1, ...expecting({ ...v6, address: "fe80::1%eth0" }) }),
    error: WorkloadError,
    says: ['"fe80::1%eth0"', "zone index"],
  },
  {
    name: "an IPv6 multicast destination",
    build: v2({ publicIpV6Count: 1, ...expecting({ ...v6, address: "ff05::2" }) }),
    error: WorkloadError,
    says: ['"ff05::2"', "IPv6 multicast address"],
  },
  {
    name: "an IPv6 peak past one IPv6 address (50,000 ports)",
    build: v2({ publicIpV6Count: 1, ...expecting({ ...v6, peakConnections: 120_000 }) }),
    fixed: v2({ publicIpV6Count: 3, ...expecting({ ...v6, peakConnections: 120_000 }) }),
    error: CapacityError,
    says: ['AzureNatGateway "egress"', "1 IPv6 address"],
  },
  {
    name: "auto-sizing an IPv6 peak past 16 IPv6 addresses",
    build: v2({ publicIpV6Count: 1, autoSizeIps: true, ...expecting({ ...v6, peakConnections: 900_000 }) }),
    error: LimitError,
    says: ["publicIpV6Count", "more than the 16 IPv6 addresses one gateway holds"],
  },
];

refusalSuite("AzureNatGateway refuses absurd StandardV2 and IPv6 arguments at construction", CASES);
