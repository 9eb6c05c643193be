/**
 * Azure flow-log reader: VNet flow logs (flowLogVersion 4) and NSG flow logs (version 2), as stored
 * (`PT1H.json` blobs; the tuple formats are in tuples.ts). Both are taken at the clients' NICs
 * before SNAT, so there is no gateway IP and no SNAT port: outbound (O) tuples towards public
 * addresses give the destinations. Rules:
 * - B opens a flow, C continues it (every 5 minutes), E ends it (closed by FIN or RST: the logs do not
 *   say which, so a TCP flow counts as `fin`; a UDP flow ends `idle`, the gateway's idle timeout then
 *   following its last packet). A flow that stops without E ended by the idle timeout; one still
 *   going when the logs end is `open`. Denied traffic (VNet state D, NSG decision D) never reached the
 *   gateway and is skipped.
 * - A flow with a B and an E that sent packets and received none (0 packets and 0 bytes back over all
 *   its tuples) is a **failed attempt**: the gateway never carried it, e.g. no SNAT port (the client's
 *   SYN retries are one flow, so one attempt). The logs cannot tell this from a destination that never
 *   answered. A UDP flow with no answer counts as failed only when other flows to the same endpoint
 *   were answered (a one-way UDP protocol is answered by nothing, and those flows are connections).
 * - Bytes carried: bytesSent + bytesReceived over the flow's C and E tuples (each counts since the
 *   previous one); a failed attempt carried none.
 * Files are read in the order of the hour in their path (`y=/m=/d=/h=`), then by name; each blob is
 * parsed whole (JSON.parse): memory per file is a few times the blob's size, across files the flows
 * open. Bad input (malformed JSON, unknown versions, tuples of the wrong shape, absurd counters) is
 * counted by reason with its file and record position.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { AZURE } from "../../../core/limits";
import type { ConnectionTrace, ObservedClose, ObservedConnection } from "../../reconstruct/connections";
import { expandPaths, fileKind } from "../lines";
import {
  FlowLogError,
  formatSkipped,
  isIpv6,
  isPrivateIpv4,
  isUnroutableIpv4,
  SkipCounter,
  UNROUTABLE_DESTINATION,
} from "../skips";
import { type FlowTuple, parseTuple, type RawTuple, tuplesOfDocument } from "./tuples";

export { AZURE_FLOW_LOG_VERSION, NSG_FLOW_LOG_VERSION } from "./tuples";

/** Order of the states of tuples logged at the same time. */
const STATE_RANK = { B: 0, C: 1, E: 2 } as const;

interface Flow {
  address: string;
  port: number;
  protocol: "tcp" | "udp";
  first: number;
  last: number;
  /** A B tuple was seen (the flow began within the logs). */
  begun: boolean;
  packetsSent: number;
  packetsReceived: number;
  bytesReceived: number;
  bytes: number;
}

/** A connection being assembled, in absolute Unix seconds. */
type Built = { -readonly [K in keyof ObservedConnection]: ObservedConnection[K] } & {
  /** A UDP flow that sent and got no answer: failed if its endpoint answered others. */
  unanswered?: boolean;
};

/** Options of {@link readAzureFlowLogs}. */
export interface AzureFlowLogOptions {
  /** The gateway's TCP idle timeout in minutes (a flow silent longer than it plus the 5-minute C interval ended idle). @default 4 */
  idleTimeoutMinutes?: number;
}

/** Sort key of a blob: the hour in its path (`y=2026/m=11/d=22/h=00`), then its name. */
function hourKey(file: string): string {
  const m = /y=(\d+)\/m=(\d+)\/d=(\d+)\/h=(\d+)/.exec(file.replaceAll("\\", "/"));
  return m
    ? m
        .slice(1)
        .map((x) => x.padStart(4, "0"))
        .join("")
    : "";
}

/** Why an outbound tuple's destination is not one through the gateway, or undefined. */
function notThroughGateway(t: FlowTuple): string | undefined {
  if (t.denied) return "denied flow (not an attempt through the gateway)";
  if (t.direction !== "O") return "inbound flow (direction I)";
  if (isIpv6(t.src) || isIpv6(t.dst)) return "IPv6 address (NAT gateways translate IPv4)";
  if (isPrivateIpv4(t.dst)) return "traffic inside the network";
  if (isUnroutableIpv4(t.dst)) return UNROUTABLE_DESTINATION;
  if (t.protocol === undefined) return `protocol ${t.protocolText} (not TCP or UDP)`;
  return undefined;
}

/** Reads the raw tuples of one file, or counts why it cannot be read. */
function fileTuples(file: string, skips: SkipCounter): RawTuple[] {
  const kind = fileKind(file);
  if (kind !== "json") {
    if (kind !== "empty")
      skips.add(
        `not a JSON file (${kind}; for AWS VPC Flow Logs use import aws-flow-logs or replay --cloud aws)`,
        file,
        0,
      );
    return [];
  }
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    skips.add(`malformed JSON (${(e as Error).message.slice(0, 80)})`, file, 0);
    return [];
  }
  return tuplesOfDocument(doc, file, skips);
}

/**
 * Reads Azure VNet flow logs (or NSG flow logs version 2) and rebuilds the outbound connections to
 * public destinations, failed attempts included.
 *
 * @param paths files or folders (walked recursively)
 * @throws {FlowLogError} when a path cannot be read or nothing usable remains
 */
export async function readAzureFlowLogs(
  paths: readonly string[],
  options: AzureFlowLogOptions = {},
): Promise<ConnectionTrace> {
  const files = expandPaths(paths)
    .map((file, i) => ({ file, key: hourKey(file), i }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i))
    .map((f) => f.file);
  const skips = new SkipCounter();
  const idle = (options.idleTimeoutMinutes ?? AZURE.idleTimeoutMinutesDefault.value) * 60;
  const quiet = idle + AZURE.flowLogContinueSeconds.value;
  const live = new Map<string, Flow>();
  const done: Built[] = [];
  let recordsRead = 0;
  let recordsUsed = 0;
  let minStart = Number.POSITIVE_INFINITY;
  let maxEnd = Number.NEGATIVE_INFINITY;
  const finish = (f: Flow, close: ObservedClose) => {
    const silent = f.begun && close !== "open" && f.packetsSent > 0;
    const unanswered = silent && f.packetsReceived === 0 && f.bytesReceived === 0;
    const failed = unanswered && f.protocol === "tcp";
    done.push({
      address: f.address,
      port: f.port,
      protocol: f.protocol,
      start: f.first,
      end: failed ? f.first : f.last,
      close: failed ? "fin" : close,
      failed,
      bytes: failed ? 0 : f.bytes,
      ...(unanswered && !failed ? { unanswered: true } : {}),
    });
  };

  for (const file of files) {
    const tuples: FlowTuple[] = [];
    for (const raw of fileTuples(file, skips)) {
      recordsRead++;
      const t = parseTuple(raw);
      const why = typeof t === "string" ? t : notThroughGateway(t);
      if (why !== undefined) skips.add(why, `${file} records[${raw.record}]`, 0);
      else tuples.push(t as FlowTuple);
    }
    // A blob's tuples are not promised in order: by time, and at the same time B before C before E
    // (a flow begun and ended within one millisecond logs both at once).
    tuples.sort((a, b) => a.at - b.at || STATE_RANK[a.state] - STATE_RANK[b.state]);
    let fileStart = Number.POSITIVE_INFINITY;
    for (const t of tuples) {
      recordsUsed++;
      const at = t.at;
      if (at < fileStart) fileStart = at;
      if (at < minStart) minStart = at;
      if (at > maxEnd) maxEnd = at;
      const key = `${t.src},${t.srcPort},${t.dst},${t.dstPort},${t.protocol}`;
      let flow = live.get(key);
      if (flow !== undefined && (t.state === "B" || at > flow.last + quiet)) {
        finish(flow, "idle");
        live.delete(key);
        flow = undefined;
      }
      if (flow === undefined) {
        flow = {
          address: t.dst,
          port: t.dstPort,
          protocol: t.protocol!,
          first: at,
          last: at,
          begun: t.state === "B",
          packetsSent: 0,
          packetsReceived: 0,
          bytesReceived: 0,
          bytes: 0,
        };
        live.set(key, flow);
      } else if (at > flow.last) flow.last = at;
      flow.packetsSent += t.packetsSent;
      flow.packetsReceived += t.packetsReceived;
      flow.bytesReceived += t.bytesReceived;
      flow.bytes += t.bytesSent + t.bytesReceived;
      if (t.state === "E") {
        finish(flow, flow.protocol === "tcp" ? "fin" : "idle");
        live.delete(key);
      }
    }
    // Flows silent since well before this file (an hour of slack for other NICs' blobs of the same
    // hour) have ended by the idle timeout: free them to bound memory.
    for (const [key, flow] of live) {
      if (flow.last < fileStart - quiet - 3600) {
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
  const connections = settleUnanswered(done);
  for (const c of connections) {
    c.start -= minStart;
    c.end -= minStart;
  }
  connections.sort((a, b) => a.start - b.start);
  return {
    cloud: "azure",
    startEpochSeconds: minStart,
    durationSeconds: maxEnd - minStart,
    connections,
    gatewayIps: [],
    files,
    recordsRead,
    recordsUsed,
    skipped: skips.list(),
  };
}

/**
 * UDP flows with no answer: failed attempts at an endpoint that answered other flows, connections
 * at one that answers none (a one-way protocol).
 */
function settleUnanswered(done: Built[]): Built[] {
  const answered = new Set<string>();
  for (const c of done)
    if (c.protocol === "udp" && !c.unanswered && !c.failed) answered.add(`${c.address}:${c.port}`);
  return done.map((c) => {
    if (!c.unanswered) return c;
    const { unanswered: _, ...rest } = c;
    return answered.has(`${c.address}:${c.port}`)
      ? { ...rest, failed: true, end: rest.start, close: "idle" as const, bytes: 0 }
      : rest;
  });
}
