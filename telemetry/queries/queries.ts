/**
 * The queries `natcap import … --print-query athena|logs-insights|kql` prints: the same per-endpoint,
 * per-interval aggregation as telemetry/sinks/aggregate.ts, run where the logs live, returning the aggregated CSV that
 * `natcap import aggregated` reads (columns in telemetry/sources/aggregated/csv.ts).
 *
 * - Athena (Trino SQL) over the AWS-documented VPC flow-logs table with the custom-format columns
 *   `tcp_flags`, `pkt_srcaddr`, `pkt_dstaddr`: exact — it reconstructs connections as the local
 *   importer does (sessions of one 5-tuple split at a SYN, after a FIN/RST, or after an idle gap),
 *   and computes every column, peak concurrency included (a sweep written with window functions).
 *   One known difference, in the failures: it does not apply the local reader's SYN retransmission
 *   back-off (startsNewAttempt in telemetry/reconstruct/flow-records.ts), so a failed attempt followed
 *   within {@link SYN_RETRY_SECONDS} s by a new attempt on the same client port is one attempt to it.
 * - CloudWatch Logs Insights has no window functions or joins: it counts openings (records with SYN)
 *   and FIN/RST records per endpoint and interval; no durations, no peak concurrency, no failures.
 * - KQL over Traffic Analytics' `NTANetAnalytics` table, whose rows are already aggregated flows:
 *   openings per endpoint and interval only.
 *
 * @module
 */
import { AWS } from "../../core/limits";
import { SYN_RETRY_SECONDS } from "../reconstruct/flow-records";

/** Query languages `--print-query` accepts. */
export const QUERY_KINDS = ["athena", "logs-insights", "kql"] as const;
/** A query language. */
export type QueryKind = (typeof QUERY_KINDS)[number];

/** Parameters of the printed queries. */
export interface QueryOptions {
  /** Aggregation interval in seconds. @default 60 */
  intervalSeconds?: number;
  /** The NAT gateway's network interface. @default "eni-0123456789abcdef0" (a placeholder to replace) */
  interfaceId?: string;
  /** Athena table. @default "vpc_flow_logs" */
  table?: string;
  /** Unix seconds: first record start included. @default none (whole table) */
  fromEpochSeconds?: number;
  /** Unix seconds: records starting at or after this are left out. @default none */
  toEpochSeconds?: number;
  /** Idle gap (seconds) after which the same 5-tuple is a new connection: the gateway's idle timeout. @default 350 (AWS's, from core/limits) */
  idleTimeoutSeconds?: number;
}

/** Placeholder network interface id printed when none is given. */
export const PLACEHOLDER_ENI = "eni-0123456789abcdef0";

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** SQL predicate: `col` is a private (RFC 1918) IPv4 address, i.e. inside the VPC. */
function isPrivate(col: string): string {
  return (
    `(${col} LIKE '10.%' OR ${col} LIKE '192.168.%' OR ` +
    `(${col} LIKE '172.%' AND CAST(split_part(${col}, '.', 2) AS integer) BETWEEN 16 AND 31))`
  );
}

/**
 * Athena (Trino) SQL over the VPC flow-logs table. Runs unchanged in DuckDB once a scalar
 * `bitwise_and(a, b)` macro is defined (DuckDB spells it `a & b`).
 */
export function athenaQuery(options: QueryOptions = {}): string {
  const I = options.intervalSeconds ?? 60;
  const idle = options.idleTimeoutSeconds ?? AWS.idleTimeoutSeconds.value;
  const short = AWS.flowLogAggregationSeconds.value;
  const eni = sqlString(options.interfaceId ?? PLACEHOLDER_ENI);
  const table = options.table ?? "vpc_flow_logs";
  const accepted = `interface_id = ${eni} AND action = 'ACCEPT' AND log_status = 'OK' AND protocol IN (6, 17)`;
  const range = [
    options.fromEpochSeconds !== undefined ? `AND start >= ${options.fromEpochSeconds}` : "",
    options.toEpochSeconds !== undefined ? `AND start < ${options.toEpochSeconds}` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const bucket = (col: string) => `CAST(floor(${col} / ${I}e0) * ${I} AS bigint)`;
  const proto = `CASE protocol WHEN 6 THEN 'tcp' ELSE 'udp' END`;
  // A UDP flow still open when the logs end has its duration so far among the idle ones (as the
  // local aggregation, telemetry/sinks/aggregate.ts); a TCP one is censored, and the CSV path fits without it (docs/telemetry.md, "Censoring").
  const stats = (kind: string) => {
    const when =
      kind === "idle" ? "(close = 'idle' OR (close = 'open' AND protocol = 'udp'))" : `close = '${kind}'`;
    return [
      `sum(CASE WHEN ${when} THEN d ELSE 0 END) AS ${kind}_duration_sum`,
      `sum(CASE WHEN ${when} THEN d * d ELSE 0 END) AS ${kind}_duration_sq_sum`,
      `sum(CASE WHEN ${when} THEN ln(d) ELSE 0 END) AS ${kind}_log_duration_sum`,
      `sum(CASE WHEN ${when} THEN ln(d) * ln(d) ELSE 0 END) AS ${kind}_log_duration_sq_sum`,
    ].join(",\n    ");
  };
  return `-- natcap: per-endpoint, per-interval aggregation of a NAT gateway's VPC flow logs (Athena / Trino).
-- Needs the custom-format columns tcp_flags, pkt_srcaddr and pkt_dstaddr. Interval ${I} s; idle timeout ${idle} s.
-- Connections are keyed by the translated NAT address (pkt-srcaddr / pkt-dstaddr) and rebuilt from
-- each flow's records sorted by time, so the order the files delivered them in does not matter.
-- Save the result as CSV and run: natcap import aggregated result.csv -o workload.yaml --interval ${I}
WITH legs AS (
  -- The NAT gateway's side, keyed by the translated private address (pkt-srcaddr outbound,
  -- pkt-dstaddr on replies: srcaddr/dstaddr show the interface's primary IP only), the SNAT port
  -- and the destination; dir 0 gateway to destination, 1 the reply. DISTINCT drops windows
  -- delivered twice.
  SELECT DISTINCT coalesce(pkt_srcaddr, srcaddr) AS nat, srcport AS snat_port, dstaddr AS address, dstport AS port,
    protocol, start, "end", coalesce(tcp_flags, 0) AS flags, 0 AS dir, bytes
  FROM ${table}
  WHERE ${accepted} AND ${isPrivate("srcaddr")} AND NOT ${isPrivate("dstaddr")}
    AND (pkt_srcaddr IS NULL OR ${isPrivate("pkt_srcaddr")}) AND (pkt_dstaddr IS NULL OR pkt_dstaddr = dstaddr) ${range}
  UNION
  SELECT DISTINCT coalesce(pkt_dstaddr, dstaddr), dstport, srcaddr, srcport,
    protocol, start, "end", coalesce(tcp_flags, 0), 1, bytes
  FROM ${table}
  WHERE ${accepted} AND NOT ${isPrivate("srcaddr")} AND ${isPrivate("dstaddr")}
    AND (pkt_dstaddr IS NULL OR ${isPrivate("pkt_dstaddr")}) AND (pkt_srcaddr IS NULL OR pkt_srcaddr = srcaddr) ${range}
),
marked AS (
  -- A connection starts at a flow's first record, after a gap longer than the idle timeout, or at
  -- an opening SYN (without ACK) right after a FIN/RST or more than ${SYN_RETRY_SECONDS} s after the latest packet.
  SELECT *,
    CASE WHEN prev_end IS NULL OR start - prev_end > ${idle}
      OR (dir = 0 AND bitwise_and(flags, 18) = 2 AND (bitwise_and(prev_flags, 5) <> 0 OR start - prev_end > ${SYN_RETRY_SECONDS}))
      THEN 1 ELSE 0 END AS opens
  FROM (SELECT *,
      max("end") OVER (PARTITION BY nat, snat_port, address, port, protocol ORDER BY start, "end", dir, flags, bytes
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end,
      lag(flags) OVER (PARTITION BY nat, snat_port, address, port, protocol ORDER BY start, "end", dir, flags, bytes) AS prev_flags
    FROM legs) e
),
sessions AS (
  SELECT *, sum(opens) OVER (PARTITION BY nat, snat_port, address, port, protocol
    ORDER BY start, "end", dir, flags, bytes ROWS UNBOUNDED PRECEDING) AS session
  FROM marked
),
-- The aggregation interval the records show (1 minute unless a record spans more, then 10): a
-- connection still going on has a record at least this often, so one quiet for longer at the end
-- went idle.
trace AS (
  SELECT max("end") AS trace_end,
    CASE WHEN max("end" - start) > ${short} THEN ${AWS.flowLogLongAggregationSeconds.value} ELSE ${short} END AS record_interval
  FROM ${table} WHERE ${accepted} ${range}
),
conns AS (
  SELECT address, port, ${proto} AS protocol,
    min(start) AS cstart, max("end") AS cend,
    max(bitwise_and(flags, 1)) AS fin, max(bitwise_and(flags, 4)) AS rst,
    max(nat) AS gateway_ip
  FROM sessions
  GROUP BY nat, snat_port, address, port, protocol, session
  -- A connection of ours: a gateway-to-destination record, and no sign of an inbound connection
  -- (a SYN from outside, a SYN-ACK from the interface: a server's traffic).
  HAVING min(dir) = 0
    AND max(CASE WHEN dir = 0 AND bitwise_and(flags, 18) = 18 THEN 1 WHEN dir = 1 AND bitwise_and(flags, 18) = 2 THEN 1 ELSE 0 END) = 0
),
closed AS (
  SELECT c.*, greatest(CAST(cend - cstart AS double), 0.5e0) AS d,
    CASE WHEN protocol = 'tcp' AND rst > 0 THEN 'rst'
         WHEN protocol = 'tcp' AND fin > 0 THEN 'fin'
         WHEN cend + t.record_interval >= t.trace_end THEN 'open'
         ELSE 'idle' END AS close
  FROM conns c CROSS JOIN trace t
),
client_legs AS (
  -- The clients' side: client to gateway (dir 0, bound for pkt-dstaddr) and gateway to client
  -- (dir 1, from pkt-srcaddr), keyed by the client's address and port and the destination.
  SELECT DISTINCT srcaddr AS client, srcport AS client_port, pkt_dstaddr AS address, dstport AS port, protocol,
    start, "end", coalesce(tcp_flags, 0) AS flags, 0 AS dir, bytes
  FROM ${table}
  WHERE ${accepted} AND pkt_dstaddr IS NOT NULL AND pkt_dstaddr <> dstaddr AND ${isPrivate("srcaddr")}
    AND ${isPrivate("dstaddr")} AND NOT ${isPrivate("pkt_dstaddr")} ${range}
  UNION
  SELECT DISTINCT dstaddr, dstport, pkt_srcaddr, srcport, protocol, start, "end", coalesce(tcp_flags, 0), 1, bytes
  FROM ${table}
  WHERE ${accepted} AND pkt_srcaddr IS NOT NULL AND pkt_srcaddr <> srcaddr AND ${isPrivate("srcaddr")}
    AND ${isPrivate("dstaddr")} AND NOT ${isPrivate("pkt_srcaddr")} ${range}
),
attempts AS (
  SELECT *, sum(opens) OVER (PARTITION BY client, client_port, address, port, protocol
    ORDER BY start, "end", dir, flags, bytes ROWS UNBOUNDED PRECEDING) AS attempt
  FROM (SELECT *,
      CASE WHEN prev_end IS NULL OR start - prev_end > ${idle}
        OR (dir = 0 AND bitwise_and(flags, 18) = 2 AND (bitwise_and(prev_flags, 5) <> 0 OR start - prev_end > ${SYN_RETRY_SECONDS}))
        THEN 1 ELSE 0 END AS opens
    FROM (SELECT *,
        max("end") OVER (PARTITION BY client, client_port, address, port, protocol ORDER BY start, "end", dir, flags, bytes
          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end,
        lag(flags) OVER (PARTITION BY client, client_port, address, port, protocol ORDER BY start, "end", dir, flags, bytes) AS prev_flags
      FROM client_legs) c) m
),
failed AS (
  -- Attempts the gateway never answered: a client SYN (any client UDP record) and no packet back
  -- to the client; counted only where the logs show the gateway-to-client leg at all.
  -- Known difference from natcap's local reader, which also applies TCP's SYN retransmission
  -- back-off: a new attempt on the same client port within ${SYN_RETRY_SECONDS} s of a failed one's last SYN is
  -- not split from it by this query, so that failure is missed (or two failures count as one).
  SELECT address, port, protocol, interval_start, count(*) AS failures
  FROM (SELECT address, port, ${proto} AS protocol, ${bucket("min(start)")} AS interval_start
        FROM attempts
        GROUP BY client, client_port, address, port, protocol, attempt
        HAVING max(dir) = 0 AND max(CASE WHEN protocol = 17 OR bitwise_and(flags, 18) = 2 THEN 1 ELSE 0 END) = 1) a
  WHERE EXISTS (SELECT 1 FROM client_legs WHERE dir = 1)
  GROUP BY address, port, protocol, interval_start
),
events AS (
  -- Concurrency sweep: +1 at a start, -1 at an end (after the starts of that second); a failure
  -- marks its interval's start so the row carries the concurrency in. Rows tied on (t, ord) are
  -- ordered by delta * open_now below, which puts each tie group's final value last whatever order
  -- the running sum took them in.
  SELECT address, port, protocol, cstart AS t, 0 AS ord, 1 AS delta FROM closed
  UNION ALL SELECT address, port, protocol, cend AS t, 1 AS ord, -1 AS delta FROM closed
  UNION ALL SELECT address, port, protocol, interval_start AS t, -1 AS ord, 0 AS delta FROM failed WHERE failures > 0
),
running AS (
  SELECT address, port, protocol, t, ord, delta, sum(delta) OVER (PARTITION BY address, port, protocol
    ORDER BY t, ord ROWS UNBOUNDED PRECEDING) AS open_now
  FROM events
),
peaks AS (
  SELECT address, port, protocol, ${bucket("t")} AS interval_start,
    max(greatest(open_now, coalesce(before, 0))) AS peak_concurrency
  FROM (SELECT r.*, lag(open_now) OVER (PARTITION BY address, port, protocol ORDER BY t, ord, delta * open_now) AS before
        FROM running r) x
  GROUP BY address, port, protocol, ${bucket("t")}
),
counts AS (
  SELECT address, port, protocol, ${bucket("cstart")} AS interval_start,
    sum(CASE WHEN close = 'fin' THEN 1 ELSE 0 END) AS fin,
    sum(CASE WHEN close = 'rst' THEN 1 ELSE 0 END) AS rst,
    sum(CASE WHEN close = 'idle' THEN 1 ELSE 0 END) AS idle,
    sum(CASE WHEN close = 'open' THEN 1 ELSE 0 END) AS open,
    ${stats("fin")},
    ${stats("rst")},
    ${stats("idle")},
    count(DISTINCT gateway_ip) AS gateway_ips
  FROM closed
  GROUP BY address, port, protocol, ${bucket("cstart")}
)
SELECT p.interval_start, p.address, p.port, p.protocol,
  coalesce(c.fin, 0) AS fin, coalesce(c.rst, 0) AS rst, coalesce(c.idle, 0) AS idle, coalesce(c.open, 0) AS open,
  coalesce(f.failures, 0) AS failures, p.peak_concurrency,
  coalesce(c.fin_duration_sum, 0) AS fin_duration_sum, coalesce(c.fin_duration_sq_sum, 0) AS fin_duration_sq_sum,
  coalesce(c.fin_log_duration_sum, 0) AS fin_log_duration_sum, coalesce(c.fin_log_duration_sq_sum, 0) AS fin_log_duration_sq_sum,
  coalesce(c.rst_duration_sum, 0) AS rst_duration_sum, coalesce(c.rst_duration_sq_sum, 0) AS rst_duration_sq_sum,
  coalesce(c.rst_log_duration_sum, 0) AS rst_log_duration_sum, coalesce(c.rst_log_duration_sq_sum, 0) AS rst_log_duration_sq_sum,
  coalesce(c.idle_duration_sum, 0) AS idle_duration_sum, coalesce(c.idle_duration_sq_sum, 0) AS idle_duration_sq_sum,
  coalesce(c.idle_log_duration_sum, 0) AS idle_log_duration_sum, coalesce(c.idle_log_duration_sq_sum, 0) AS idle_log_duration_sq_sum,
  coalesce(c.gateway_ips, 0) AS gateway_ips
FROM peaks p
LEFT JOIN counts c ON p.address = c.address AND p.port = c.port AND p.protocol = c.protocol AND p.interval_start = c.interval_start
LEFT JOIN failed f ON p.address = f.address AND p.port = f.port AND p.protocol = f.protocol AND p.interval_start = f.interval_start
ORDER BY p.address, p.port, p.protocol, p.interval_start
`;
}

/**
 * CloudWatch Logs Insights over a flow-log group in the custom format
 * `${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol}
 * ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${tcp-flags}`. Counts per record: openings
 * (a SYN without ACK, so a server's SYN-ACK is none; every UDP record), FIN and RST records; the CSV
 * it returns has `opened` instead of `idle` and no durations. Counting records does not depend on
 * their order, nor on which NAT IP translated them; a window delivered twice is counted twice (Logs
 * Insights cannot drop it). Only arithmetic is used (`is_tcp` is 1 for protocol 6 and 0 for 17).
 */
export function logsInsightsQuery(options: QueryOptions = {}): string {
  const I = options.intervalSeconds ?? 60;
  const eni = options.interfaceId ?? PLACEHOLDER_ENI;
  return `# natcap: openings and closes per endpoint and ${I} s interval (CloudWatch Logs Insights).
# Approximate: Logs Insights has no window functions, so no durations, peak concurrency or failures.
# Export the result as CSV and run: natcap import aggregated result.csv -o workload.yaml --interval ${I}
parse @message "* * * * * * * * * * * * * * *" as version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, end, action, log_status, tcp_flags
| filter interface_id = "${eni}" and action = "ACCEPT" and log_status = "OK" and (protocol = 6 or protocol = 17)
| filter not isIpv4InSubnet(dstaddr, "10.0.0.0/8") and not isIpv4InSubnet(dstaddr, "172.16.0.0/12") and not isIpv4InSubnet(dstaddr, "192.168.0.0/16")
| filter isIpv4InSubnet(srcaddr, "10.0.0.0/8") or isIpv4InSubnet(srcaddr, "172.16.0.0/12") or isIpv4InSubnet(srcaddr, "192.168.0.0/16")
| fields floor(start / ${I}) * ${I} as interval_start, dstaddr as address, dstport as port,
    (17 - protocol) / 11 as is_tcp
| fields is_tcp * (floor(tcp_flags / 2) % 2) * (1 - floor(tcp_flags / 16) % 2) + (1 - is_tcp) as syn,
    is_tcp * (tcp_flags % 2) as fin_seen,
    is_tcp * (floor(tcp_flags / 4) % 2) as rst_seen
| stats sum(syn) as opened, sum(fin_seen) as fin, sum(rst_seen) as rst by interval_start, address, port, protocol
| sort interval_start asc
`;
}

/**
 * KQL over Traffic Analytics' `NTANetAnalytics` table (Azure VNet flow logs). Its rows are flows
 * already aggregated by Traffic Analytics: the query counts outbound flows started per endpoint and
 * interval (`opened`); no durations, concurrency or failures.
 */
export function kqlQuery(options: QueryOptions = {}): string {
  const I = options.intervalSeconds ?? 60;
  return `// natcap: outbound flows per endpoint and ${I} s interval (Azure Log Analytics, KQL).
// Approximate: Traffic Analytics rows are aggregated flows, so no durations, concurrency or failures.
// Export the result as CSV and run: natcap import aggregated result.csv -o workload.yaml --interval ${I}
NTANetAnalytics
| where FlowDirection == "O" and FlowStatus == "A" and L4Protocol in ("T", "U")
| where not(ipv4_is_private(DestIp))
| summarize opened = sum(AllowedOutFlows), fin = sum(CompletedFlows)
    by interval_start = tolong(datetime_diff("second", bin(FlowStartTime, ${I}s), datetime(1970-01-01))),
       address = DestIp, port = DestPort, protocol = iff(L4Protocol == "T", "tcp", "udp")
| extend rst = 0  // flow logs taken at the NIC do not tell a FIN from an RST: completed flows count as fin
| order by interval_start asc
`;
}

/** The query of a kind. */
export function printedQuery(kind: QueryKind, options: QueryOptions = {}): string {
  switch (kind) {
    case "athena":
      return athenaQuery(options);
    case "logs-insights":
      return logsInsightsQuery(options);
    case "kql":
      return kqlQuery(options);
  }
}
