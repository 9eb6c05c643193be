/**
 * What a destination address may be: one IPv4 address or a DNS name. A NAT gateway translates IPv4
 * only, so IPv6 addresses are refused with the reason and where IPv6 egress goes instead.
 *
 * @module
 */
import { isIPv4, isIPv6 } from "node:net";
import { show } from "../core/errors";

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/i;

/**
 * Why `address` cannot be a NAT gateway destination, or undefined when it can (an IPv4 address or a
 * DNS name).
 */
export function addressProblem(address: string): string | undefined {
  const a = address.trim();
  if (isIPv4(a)) return undefined;
  const bare = a.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (isIPv6(bare)) {
    const nat64 = /^64:ff9b::/i.test(bare)
      ? " For NAT64 (64:ff9b::/96) give the IPv4 address the IPv6 address embeds."
      : "";
    return (
      `${show(address)} is an IPv6 address: NAT gateways translate IPv4 only; IPv6 egress goes through ` +
      `an egress-only internet gateway (AWS) or the subnet's own IPv6 route (Azure), not through SNAT ports.${nat64}`
    );
  }
  if (a.includes("/"))
    return `${show(address)} is a network or a URL, not one address: give one IPv4 address or a DNS name`;
  if (a.includes(":")) {
    return `${show(address)} is not an address: give the IPv4 address or DNS name alone and the port in port`;
  }
  const labels = a.replace(/\.$/, "").split(".");
  if (labels.every((l) => /^\d+$/.test(l))) {
    return `${show(address)} is not a valid IPv4 address (four numbers from 0 to 255, e.g. 203.0.113.10)`;
  }
  if (a.length > 253 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1])) {
    return `${show(address)} is neither an IPv4 address nor a DNS name (letters, digits and hyphens, dot-separated)`;
  }
  return undefined;
}

/** Key of an endpoint's port inventory: address (trimmed, lower-case), port and protocol. */
export function endpointKey(d: { address: string; port: number; protocol: string }): string {
  return `${d.address.trim().toLowerCase()}:${d.port}/${d.protocol}`;
}
