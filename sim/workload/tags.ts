/**
 * The expectation tag format: how a peak-connection expectation travels on any NAT gateway resource
 * (AWS or Azure tags), so the policy pack can check capacity on gateways natcap did not create.
 *
 * One tag per destination:
 *
 * ```
 * natcap-peak-<name> = <address>:<port>/<protocol>=<peakConnections>
 * natcap-peak-ldap   = 203.0.113.10:636/tcp=120000
 * ```
 *
 * `<name>` keeps letters, digits, `_`, `.` and `-` (other characters become `-`), which both AWS and
 * Azure accept in tag keys. The value uses only characters both clouds accept in tag values: an
 * IPv6 address goes without brackets (`2001:db8::1:443/tcp=5000`: the port is after the last colon),
 * and a bracketed one is read too.
 *
 * @module
 */
import { isIP, isIPv6 } from "node:net";
import type { FieldIssue } from "../../core/errors";
import type { Destination } from "./workload";

/** Prefix of every expectation tag key. */
export const PEAK_TAG_PREFIX = "natcap-peak-";

/**
 * Prefix of the zone-share tag of a centralised egress spoke's Transit Gateway attachment:
 * `natcap-zone-share-<zone> = <share>`, the share (above 0, at most 1) of the spoke's expected
 * traffic leaving through that zone. Without these tags the traffic splits evenly over the zones.
 */
export const ZONE_SHARE_TAG_PREFIX = "natcap-zone-share-";

// The address is everything before the last `:<port>/` (greedy), so an IPv6 address may hold colons.
const VALUE = /^(\[[^\s\]]+\]|[^\s[\]]+):(\d{1,5})\/(tcp|udp)=(\d+)$/;

/** Tag-safe form of a destination name. */
export function tagName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, "-");
}

/** Encodes the peak-only expectations of some destinations as tags (destinations without a peak are skipped). */
export function expectationTags(
  destinations: readonly Pick<Destination, "name" | "address" | "port" | "protocol" | "peakConnections">[],
): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const d of destinations) {
    if (d.peakConnections === undefined) continue;
    tags[PEAK_TAG_PREFIX + tagName(d.name)] = `${d.address}:${d.port}/${d.protocol}=${d.peakConnections}`;
  }
  return tags;
}

/**
 * Reads expectation tags back. Tags without the prefix are ignored; a malformed value is reported as
 * an issue naming the tag, never silently dropped.
 */
export function parseExpectationTags(tags: Readonly<Record<string, unknown>> | undefined): {
  destinations: Destination[];
  issues: FieldIssue[];
} {
  const destinations: Destination[] = [];
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(tags ?? {})) {
    if (!key.startsWith(PEAK_TAG_PREFIX)) continue;
    const m = typeof value === "string" ? VALUE.exec(value.trim()) : null;
    const port = m ? Number(m[2]) : 0;
    if (!m || port < 1 || port > 65_535) {
      issues.push({
        path: `tags.${key}`,
        value,
        message: "expected <address>:<port>/<tcp|udp>=<peakConnections>, e.g. 203.0.113.10:636/tcp=120000",
      });
      continue;
    }
    // `2001:db8::1/tcp=5` (no port) would read as address `2001:db8:` and port 1: say what it is.
    const unbracketed = !m[1].startsWith("[");
    if (unbracketed && isIP(m[1]) === 0 && isIPv6(`${m[1]}:${m[2]}`)) {
      issues.push({
        path: `tags.${key}`,
        value,
        message: `reads as the IPv6 address ${m[1]}:${m[2]} with no port: write the port after it, e.g. ${m[1]}:${m[2]}:443/${m[3]}=${m[4]}`,
      });
      continue;
    }
    destinations.push({
      name: key.slice(PEAK_TAG_PREFIX.length),
      address: m[1].replace(/^\[(.*)\]$/, "$1"),
      port,
      protocol: m[3] as "tcp" | "udp",
      peakConnections: Number(m[4]),
    });
  }
  return { destinations, issues };
}
