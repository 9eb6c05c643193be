/**
 * What a destination address may be: one IPv4 address, one IPv6 address, or a DNS name, and how
 * addresses compare. Whether the gateway can translate an IPv6 destination at all (only an Azure
 * StandardV2 gateway with IPv6 addresses can) is a rule across fields, in ./workload-rules.ts
 * ({@link ipv6DestinationProblem} words it).
 *
 * @module
 */
import { BlockList, isIPv4, isIPv6 } from "node:net";
import { show } from "../../core/errors";
import { AZURE } from "../../core/limits";

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/i;

/** One range of IPv6 addresses that no NAT gateway translates towards, and why. */
interface UnroutableRange {
  readonly network: string;
  readonly prefix: number;
  /** What the range is, e.g. `a link-local IPv6 address (fe80::/10)`. */
  readonly what: string;
  /** Why no NAT gateway carries traffic to it. */
  readonly why: string;
  /** What to write instead. @default "give the destination's public address" */
  readonly fix?: string;
}

const LOCAL_LINK = "it names a host on the local link, which traffic through a NAT gateway never reaches";
const PRIVATE_V6 =
  "it is private to a network: traffic to it is routed inside the network (VNet, peering, VPN), never through a NAT gateway's public addresses";

/**
 * IPv4 addresses that cannot be a NAT gateway's destination (RFC 6890 special-purpose ranges that
 * never leave the host or the link, or are not unicast). Private ranges (10/8, 172.16/12,
 * 192.168/16, 100.64/10) are not here: they are valid destinations of an AWS private NAT gateway.
 * The flow-log importers skip records towards these ranges ({@link isUnroutableIpv4Number}).
 */
const UNROUTABLE_V4: readonly UnroutableRange[] = [
  {
    network: "0.0.0.0",
    prefix: 8,
    what: 'an address of "this network" (0.0.0.0/8)',
    why: "it names no remote host",
  },
  {
    network: "127.0.0.0",
    prefix: 8,
    what: "an IPv4 loopback address (127.0.0.0/8)",
    why: "traffic to it never leaves the host",
  },
  {
    network: "169.254.0.0",
    prefix: 16,
    what: "a link-local IPv4 address (169.254.0.0/16, e.g. the instance metadata service)",
    why: LOCAL_LINK,
  },
  {
    network: "224.0.0.0",
    prefix: 4,
    what: "an IPv4 multicast address (224.0.0.0/4)",
    why: "a NAT gateway translates unicast connections only",
  },
  {
    network: "240.0.0.0",
    prefix: 4,
    what: "a reserved IPv4 address (240.0.0.0/4, including the broadcast address)",
    why: "it is not routed on the internet",
  },
];

/** {@link UNROUTABLE_V4} as numbers: network and mask of each range, for the flow-log readers. */
const UNROUTABLE_V4_NUMBERS = UNROUTABLE_V4.map((r) => {
  const mask = r.prefix === 0 ? 0 : (0xffffffff << (32 - r.prefix)) >>> 0;
  const network = r.network.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
  return { network: (network & mask) >>> 0, mask };
});

/** True when the IPv4 address given as an unsigned 32-bit number cannot be a NAT gateway's destination. */
export function isUnroutableIpv4Number(ip: number): boolean {
  for (const r of UNROUTABLE_V4_NUMBERS) if ((ip & r.mask) >>> 0 === r.network) return true;
  return false;
}

/**
 * IPv6 addresses that cannot be a NAT gateway's destination: traffic to them never leaves the host,
 * the link or the private network through SNAT.
 */
const UNROUTABLE: readonly UnroutableRange[] = [
  {
    network: "::",
    prefix: 128,
    what: "the unspecified IPv6 address (::)",
    why: "it names no host",
  },
  {
    network: "::1",
    prefix: 128,
    what: "the IPv6 loopback address (::1)",
    why: "traffic to it never leaves the host",
  },
  {
    network: "::",
    prefix: 96,
    what: "an IPv4-compatible IPv6 address (::/96, deprecated)",
    why: "it is no longer used for IPv6 traffic",
    fix: "give the IPv4 address it embeds",
  },
  {
    network: "fe80::",
    prefix: 10,
    what: "a link-local IPv6 address (fe80::/10)",
    why: LOCAL_LINK,
  },
  {
    network: "fc00::",
    prefix: 7,
    what: "a unique local IPv6 address (fc00::/7)",
    why: PRIVATE_V6,
  },
  {
    network: "ff00::",
    prefix: 8,
    what: "an IPv6 multicast address (ff00::/8)",
    why: "a NAT gateway translates unicast connections only",
  },
];

/**
 * The first range holding an address, in table order (so `::1` is loopback, not ::/96): of
 * {@link UNROUTABLE} for IPv6, {@link UNROUTABLE_V4} for IPv4.
 */
function unroutableRange(ip: string, family: "ipv4" | "ipv6"): UnroutableRange | undefined {
  return (family === "ipv6" ? UNROUTABLE : UNROUTABLE_V4).find((r) => {
    const list = new BlockList();
    list.addSubnet(r.network, r.prefix, family);
    return list.check(ip, family);
  });
}

/** Why an IP address cannot be a NAT gateway's destination, or undefined when it can. */
function unroutableProblem(
  address: string,
  ip: string,
  family: "ipv4" | "ipv6" = "ipv6",
): string | undefined {
  const r = unroutableRange(ip, family);
  return r && `${show(address)} is ${r.what}: ${r.why}; ${r.fix ?? "give the destination's public address"}`;
}

/** The IP version a destination is reached over: IPv6 for an IPv6 address, IPv4 for the rest. */
export type AddressFamily = "ipv4" | "ipv6";

/**
 * The family of a destination address: `ipv6` for an IPv6 address, else `ipv4` (an IPv4 address, or
 * a DNS name, which natcap treats as resolving to IPv4 as it always has).
 */
export function addressFamily(address: string): AddressFamily {
  return isIPv6(address.trim()) ? "ipv6" : "ipv4";
}

/**
 * The canonical text of an address, so that equal addresses compare equal: IPv6 in its shortest
 * lower-case form (RFC 5952: `2001:0DB8:0:0::1` is `2001:db8::1`); IPv4 and DNS names trimmed and
 * lower-cased.
 */
export function canonicalAddress(address: string): string {
  const a = address.trim().toLowerCase();
  if (!isIPv6(a)) return a;
  // WHATWG URL parsing serialises an IPv6 host in the RFC 5952 form.
  return new URL(`http://[${a}]/`).hostname.slice(1, -1);
}

/**
 * Why `address` cannot be a destination address, or undefined when it can (an IPv4 address, an IPv6
 * address, or a DNS name). Whether the gateway can carry an IPv6 destination is checked apart.
 */
export function addressProblem(address: string): string | undefined {
  const a = address.trim();
  if (isIPv4(a)) return unroutableProblem(address, a, "ipv4");
  const bare = a.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (isIPv6(bare)) {
    if (bare !== a && a.includes("%")) {
      return `${show(address)} is an IPv6 address with a zone index: a zone index names a local link, which no NAT gateway reaches; give a global IPv6 address without %zone`;
    }
    if (bare !== a) {
      return `${show(address)} is an IPv6 address in brackets: give the address alone (${bare}) and the port in port`;
    }
    const mapped = /^::ffff:/i.test(bare) && canonicalAddress(bare).startsWith("::ffff:");
    if (mapped) {
      return `${show(address)} is an IPv4-mapped IPv6 address (::ffff:0:0/96): give the IPv4 address it maps instead`;
    }
    return unroutableProblem(address, bare);
  }
  if (a.includes("/"))
    return `${show(address)} is a network or a URL, not one address: give one IPv4 or IPv6 address or a DNS name`;
  if (a.includes(":")) {
    return `${show(address)} is not an address: give the IPv4 or IPv6 address or DNS name alone and the port in port`;
  }
  const labels = a.replace(/\.$/, "").split(".");
  if (labels.every((l) => /^\d+$/.test(l))) {
    return `${show(address)} is not a valid IPv4 address (four numbers from 0 to 255, e.g. 203.0.113.10)`;
  }
  if (a.length > 253 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1])) {
    return `${show(address)} is neither an IP address nor a DNS name (letters, digits and hyphens, dot-separated)`;
  }
  return undefined;
}

/** The gateway facts that decide whether an IPv6 destination can go through it. */
export interface Ipv6GatewayFacts {
  /** The cloud. */
  readonly cloud: "aws" | "azure";
  /** The Azure SKU. @default "Standard" */
  readonly sku?: string;
  /** IPv6 addresses on the gateway. @default 0 */
  readonly ipsV6?: number;
  /** How the fix names the SKU setting. @default "gateway.sku" */
  readonly skuField?: string;
  /** How the fix names the IPv6 address count. @default "gateway.ipsV6" */
  readonly ipsV6Field?: string;
}

/**
 * Why an IPv6 destination `address` cannot go through this gateway, with the fix, or undefined when
 * it can: only an Azure StandardV2 NAT gateway with at least one IPv6 address translates IPv6.
 */
export function ipv6DestinationProblem(address: string, g: Ipv6GatewayFacts): string | undefined {
  const skuField = g.skuField ?? "gateway.sku";
  const v6Field = g.ipsV6Field ?? "gateway.ipsV6";
  const max = AZURE.maxPublicIpv6StandardV2.value;
  if (g.cloud === "aws") {
    const nat64 = /^64:ff9b::/i.test(address.trim())
      ? " For NAT64 (64:ff9b::/96) give the IPv4 address the IPv6 address embeds."
      : "";
    return (
      `${show(address)} is an IPv6 address: an AWS NAT gateway translates IPv4 only; IPv6 egress goes through ` +
      `an egress-only internet gateway (AWS), not through SNAT ports: leave this destination out, or give its IPv4 address.${nat64}`
    );
  }
  if ((g.sku ?? "Standard") !== "StandardV2") {
    return (
      `${show(address)} is an IPv6 address: a ${g.sku ?? "Standard"} Azure NAT gateway translates IPv4 only; ` +
      `IPv6 destinations need a StandardV2 gateway with IPv6 addresses: set ${skuField}: StandardV2 and ${v6Field} (1 to ${max})`
    );
  }
  if ((g.ipsV6 ?? 0) < 1) {
    return (
      `${show(address)} is an IPv6 address, and the StandardV2 gateway has no IPv6 addresses to translate it to: ` +
      `set ${v6Field} to 1 or more (up to ${max})`
    );
  }
  return undefined;
}

/** Key of an endpoint's port inventory: the canonical address ({@link canonicalAddress}), port and protocol. */
export function endpointKey(d: { address: string; port: number; protocol: string }): string {
  return `${canonicalAddress(d.address)}:${d.port}/${d.protocol}`;
}

/** `address:port/protocol`, with an IPv6 address in brackets: `[2001:db8::1]:443/tcp`. */
export function endpointText(d: { address: string; port: number; protocol: string }): string {
  const a = d.address.trim();
  return `${isIPv6(a) ? `[${a}]` : d.address}:${d.port}/${d.protocol}`;
}
