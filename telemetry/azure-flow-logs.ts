/**
 * Azure VNet flow logs reader (flowLogVersion 4 JSON as stored, `PT1H.json` blobs):
 * records[].flowRecords.flows[].flowGroups[].flowTuples, each tuple
 * `ts_ms,srcIP,dstIP,srcPort,dstPort,protocol,direction,state,encryption,packetsSent,bytesSent,packetsReceived,bytesReceived`.
 * The tuples are taken at the VM's NIC before SNAT, so there is no gateway IP or SNAT port: outbound
 * (O) tuples towards public addresses give the destinations. B opens a flow, C continues it (every
 * 5 minutes), E ends it (closed by FIN or RST: the logs do not say which, so it counts as `fin`),
 * D is denied traffic (skipped). A flow that stops without E ended by the idle timeout.
 * Each blob is parsed whole (JSON.parse): memory per file is a few times the blob's size (an hour of
 * one NIC's flows, usually a few MB); across files, memory follows the flows open.
 * Source: https://learn.microsoft.com/azure/network-watcher/vnet-flow-logs-overview (log format).
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { AZURE } from "../core/limits";
import type { ConnectionTrace, ObservedClose, ObservedConnection } from "./connections";
import { expandPaths, fileKind } from "./lines";
import {
  FlowLogError,
  formatSkipped,
  isIpv6,
  isPrivateIpv4,
  isUnroutableIpv4,
  SkipCounter,
  UNROUTABLE_DESTINATION,
} from "./skips";

/** The flow-log version this reader knows. */
export const AZURE_FLOW_LOG_VERSION = 4;

/** Seconds between C (continuing) tuples of a long flow. */
const CONTINUE_SECONDS = 300;

interface Flow {
  address: string;
  port: number;
  protocol: "tcp" | "udp";
  first: number;
  last: number;
}

interface Tuple {
  at: number;
  text: string;
}

/** Options of {@link readAzureFlowLogs}. */
export interface AzureFlowLogOptions {
  /** The gateway's TCP idle timeout in minutes (a flow silent longer than it plus the 5-minute C interval ended idle). @default 4 */
  idleTimeoutMinutes?: number;
}

/**
 * Reads Azure VNet flow logs and rebuilds the outbound connections to public destinations.
 *
 * @param paths files or folders (walked recursively)
 * @throws {FlowLogError} when a path cannot be read or nothing usable remains
 */
export async function readAzureFlowLogs(
  paths: readonly string[],
  options: AzureFlowLogOptions = {},
): Promise<ConnectionTrace> {
  const files = expandPaths(paths);
  const skips = new SkipCounter();
  const idle = (options.idleTimeoutMinutes ?? AZURE.idleTimeoutMinutesDefault.value) * 60;
  const quiet = idle + CONTINUE_SECONDS;
  const live = new Map<string, Flow>();
  /** Connections in absolute Unix seconds until the trace is assembled. */
  const done: { -readonly [K in keyof ObservedConnection]: ObservedConnection[K] }[] = [];
  const addresses = new Map<string, string>();
  let recordsRead = 0;
  let recordsUsed = 0;
  let minStart = Number.POSITIVE_INFINITY;
  let maxEnd = Number.NEGATIVE_INFINITY;
  const finish = (f: Flow, close: ObservedClose) =>
    done.push({
      address: f.address,
      port: f.port,
      protocol: f.protocol,
      start: f.first,
      end: f.last,
      close,
      failed: false,
    });

  for (const file of files) {
    const kind = fileKind(file);
    if (kind !== "json") {
      if (kind !== "empty")
        skips.add(
          `not a JSON file (${kind}; for AWS VPC Flow Logs use import aws-flow-logs or replay --cloud aws)`,
          file,
          0,
        );
      continue;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      skips.add(`malformed JSON (${(e as Error).message.slice(0, 80)})`, file, 0);
      continue;
    }
    const records = (doc as { records?: unknown }).records;
    if (!Array.isArray(records)) {
      skips.add("no records array (not a VNet flow log)", file, 0);
      continue;
    }
    const tuples: Tuple[] = [];
    records.forEach((r, i) => {
      const where = `${file} records[${i}]`;
      const version = (r as { flowLogVersion?: unknown }).flowLogVersion;
      const flows = (r as { flowRecords?: { flows?: unknown } }).flowRecords?.flows;
      if (typeof version === "number" && version > AZURE_FLOW_LOG_VERSION) {
        skips.add(
          `flowLogVersion ${version} (newer than ${AZURE_FLOW_LOG_VERSION}, the version known)`,
          where,
          0,
        );
        return;
      }
      if (version !== AZURE_FLOW_LOG_VERSION || !Array.isArray(flows)) {
        skips.add(
          `record of flowLogVersion ${String(version)} (not a version 4 VNet flow-log record)`,
          where,
          0,
        );
        return;
      }
      for (const flow of flows) {
        for (const group of (flow as { flowGroups?: unknown[] }).flowGroups ?? []) {
          for (const text of (group as { flowTuples?: unknown[] }).flowTuples ?? []) {
            if (typeof text !== "string") continue;
            const comma = text.indexOf(",");
            tuples.push({ at: Number(text.slice(0, comma)) / 1000, text });
          }
        }
      }
    });
    // Blobs are an hour each; tuples within one are not promised in order.
    tuples.sort((a, b) => a.at - b.at);
    for (const { at, text } of tuples) {
      recordsRead++;
      const f = text.split(",");
      const where = file;
      if (f.length < 8 || !Number.isFinite(at)) {
        skips.add("malformed flow tuple", where, 0);
        continue;
      }
      const [, src, dst, , dportText, protoText, direction, state] = f;
      if (state === "D") {
        skips.add("denied flow (state D)", where, 0);
        continue;
      }
      if (direction !== "O") {
        skips.add("inbound flow (direction I)", where, 0);
        continue;
      }
      if (isIpv6(src) || isIpv6(dst)) {
        skips.add("IPv6 address (NAT gateways translate IPv4)", where, 0);
        continue;
      }
      if (isPrivateIpv4(dst)) {
        skips.add("traffic inside the network", where, 0);
        continue;
      }
      if (isUnroutableIpv4(dst)) {
        skips.add(UNROUTABLE_DESTINATION, where, 0);
        continue;
      }
      const protocol =
        protoText === "6" || protoText === "T"
          ? "tcp"
          : protoText === "17" || protoText === "U"
            ? "udp"
            : undefined;
      if (protocol === undefined) {
        skips.add(`protocol ${protoText} (not TCP or UDP)`, where, 0);
        continue;
      }
      const port = Number(dportText);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) {
        skips.add("malformed flow tuple", where, 0);
        continue;
      }
      recordsUsed++;
      if (at < minStart) minStart = at;
      if (at > maxEnd) maxEnd = at;
      const key = `${src},${f[3]},${dst},${dportText},${protocol}`;
      let flow = live.get(key);
      if (flow !== undefined && (state === "B" || at > flow.last + quiet)) {
        finish(flow, "idle");
        live.delete(key);
        flow = undefined;
      }
      if (flow === undefined) {
        let address = addresses.get(dst);
        if (address === undefined) {
          address = dst;
          addresses.set(dst, dst);
        }
        flow = { address, port, protocol, first: at, last: at };
        live.set(key, flow);
      } else if (at > flow.last) flow.last = at;
      if (state === "E") {
        finish(flow, protocol === "tcp" ? "fin" : "idle");
        live.delete(key);
      }
    }
    // Flows silent for longer than the idle timeout and the C interval have ended.
    for (const [key, flow] of live) {
      if (flow.last < maxEnd - quiet) {
        finish(flow, "idle");
        live.delete(key);
      }
    }
  }
  for (const flow of live.values()) finish(flow, flow.last >= maxEnd - quiet ? "open" : "idle");
  if (done.length === 0) {
    const why = formatSkipped(skips.list()).slice(0, 5).join("; ");
    throw new FlowLogError(
      `no outbound flow towards a public address in ${files.length} file${files.length === 1 ? "" : "s"}` +
        `${files.length > 0 ? ` (${files.slice(0, 3).join(", ")}${files.length > 3 ? ", ..." : ""})` : ""}${why ? `: ${why}` : ""}`,
    );
  }
  for (const c of done) {
    c.start -= minStart;
    c.end -= minStart;
  }
  done.sort((a, b) => a.start - b.start);
  return {
    cloud: "azure",
    startEpochSeconds: minStart,
    durationSeconds: maxEnd - minStart,
    connections: done,
    gatewayIps: [],
    files,
    recordsRead,
    recordsUsed,
    skipped: skips.list(),
  };
}
