/**
 * Flow tuples out of Azure's flow-log JSON, for the reader in flow-logs.ts. Two formats, both
 * taken at a VM's network interface, before the NAT gateway translates anything:
 *
 * - **VNet flow logs**, `flowLogVersion` 4: `records[].flowRecords.flows[].flowGroups[].flowTuples`,
 *   each tuple `ts_ms,srcIP,dstIP,srcPort,dstPort,protocol(6|17),direction(I|O),state(B|C|E|D),
 *   encryption,packetsSent,bytesSent,packetsReceived,bytesReceived` (13 fields, time in ms; state D is
 *   denied traffic). Source: https://learn.microsoft.com/azure/network-watcher/vnet-flow-logs-overview
 * - **NSG flow logs**, `properties.Version` 2: `records[].properties.flows[].flows[].flowTuples`, each
 *   tuple `ts_s,srcIP,dstIP,srcPort,dstPort,protocol(T|U),direction(I|O),decision(A|D),state(B|C|E),
 *   packetsSent,bytesSent,packetsReceived,bytesReceived` (13 fields, time in seconds; the counters are
 *   empty on a B tuple). Version 1 has only the first 8 fields — no state and no counters, so a flow's
 *   begin and end cannot be told — and is refused. Source:
 *   https://learn.microsoft.com/azure/network-watcher/nsg-flow-logs-overview
 *
 * In both, the counters of a C or E tuple count what was sent since the flow's previous tuple.
 *
 * @module
 */
import type { SkipCounter } from "../skips";

/** The VNet flow-log version this reader knows. */
export const AZURE_FLOW_LOG_VERSION = 4;
/** The NSG flow-log version this reader knows (version 1 lacks the flow state and counters). */
export const NSG_FLOW_LOG_VERSION = 2;

/** Fields of a tuple in both known formats. */
const TUPLE_FIELDS = 13;
/** Largest IPv4 packet, bytes: a counter of more bytes than this per packet is not a real one. */
const MAX_PACKET_BYTES = 65_535;
/** Timestamps outside 2000-01-01 … 2100-01-01 (Unix seconds) are not flow times. */
const EARLIEST = 946_684_800;
const LATEST = 4_102_444_800;

/** One tuple's text, its time, its format and where it sits, before it is parsed. */
export interface RawTuple {
  /** Unix seconds (NaN when the time field is not a number: the parser then refuses the tuple). */
  readonly at: number;
  /** The tuple's text. */
  readonly text: string;
  /** 4: VNet flow log; 2: NSG flow log. */
  readonly format: 4 | 2;
  /** Index of its record in the file's `records`. */
  readonly record: number;
}

/** A parsed flow tuple. */
export interface FlowTuple {
  /** Unix seconds. */
  readonly at: number;
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  /** Transport protocol, undefined for any other. */
  readonly protocol: "tcp" | "udp" | undefined;
  /** The protocol as logged, for a skip reason. */
  readonly protocolText: string;
  /** `I` inbound or `O` outbound. */
  readonly direction: string;
  /** B begin, C continuing, E end. */
  readonly state: "B" | "C" | "E";
  /** True when the traffic was denied (VNet state D, NSG decision D). */
  readonly denied: boolean;
  readonly packetsSent: number;
  readonly bytesSent: number;
  readonly packetsReceived: number;
  readonly bytesReceived: number;
}

/** An array at `o[key]`, or undefined. */
function arrayAt(o: unknown, key: string): unknown[] | undefined {
  const v = o !== null && typeof o === "object" ? (o as Record<string, unknown>)[key] : undefined;
  return Array.isArray(v) ? v : undefined;
}

/** The time of a tuple in Unix seconds, from its first field. */
function timeOf(text: string, format: 4 | 2): number {
  const comma = text.indexOf(",");
  const ts = Number(comma < 0 ? Number.NaN : text.slice(0, comma));
  return format === 4 ? ts / 1000 : ts;
}

/**
 * The tuples of one parsed flow-log document (VNet version 4 or NSG version 2 records); records of
 * another version or shape are counted in `skips` with the file and record position.
 */
export function tuplesOfDocument(doc: unknown, file: string, skips: SkipCounter): RawTuple[] {
  const records = arrayAt(doc, "records");
  if (records === undefined) {
    skips.add("no records array (not a VNet flow log)", file, 0);
    return [];
  }
  const out: RawTuple[] = [];
  const push = (text: unknown, format: 4 | 2, record: number) => {
    if (typeof text === "string") out.push({ at: timeOf(text, format), text, format, record });
    else skips.add("flow tuple that is not a string", `${file} records[${record}]`, 0);
  };
  records.forEach((r, i) => {
    const where = `${file} records[${i}]`;
    const rec = (r !== null && typeof r === "object" ? r : {}) as Record<string, unknown>;
    const props = (
      rec.properties !== null && typeof rec.properties === "object" ? rec.properties : undefined
    ) as Record<string, unknown> | undefined;
    if (props !== undefined && rec.flowLogVersion === undefined) {
      const version = props.Version;
      if (version !== NSG_FLOW_LOG_VERSION) {
        skips.add(
          version === 1
            ? "NSG flow log version 1 (no flow state or counters: a flow's begin and end cannot be told; switch the flow log to version 2)"
            : `NSG flow-log record of Version ${String(version)} (version ${NSG_FLOW_LOG_VERSION} is the one known)`,
          where,
          0,
        );
        return;
      }
      for (const rule of arrayAt(props, "flows") ?? [])
        for (const flow of arrayAt(rule, "flows") ?? [])
          for (const text of arrayAt(flow, "flowTuples") ?? []) push(text, 2, i);
      return;
    }
    const version = rec.flowLogVersion;
    const flows = arrayAt(rec.flowRecords, "flows");
    if (version !== AZURE_FLOW_LOG_VERSION || flows === undefined) {
      skips.add(
        typeof version === "number" && version > AZURE_FLOW_LOG_VERSION
          ? `flowLogVersion ${version} (newer than ${AZURE_FLOW_LOG_VERSION}, the version known)`
          : `record of flowLogVersion ${String(version)} (neither a version ${AZURE_FLOW_LOG_VERSION} VNet flow-log record nor a version ${NSG_FLOW_LOG_VERSION} NSG one)`,
        where,
        0,
      );
      return;
    }
    for (const flow of flows)
      for (const group of arrayAt(flow, "flowGroups") ?? [])
        for (const text of arrayAt(group, "flowTuples") ?? []) push(text, 4, i);
  });
  return out;
}

/** A counter field: a whole number from 0 (empty only where `emptyIsZero`), else undefined. */
function counter(text: string, emptyIsZero: boolean): number | undefined {
  if (text === "") return emptyIsZero ? 0 : undefined;
  const n = Number(text);
  return /^\d+$/.test(text) && Number.isSafeInteger(n) ? n : undefined;
}

/** A port field: a whole number 0–65,535, else undefined. */
function portOf(text: string): number | undefined {
  const n = Number(text);
  return /^\d+$/.test(text) && n <= 65_535 ? n : undefined;
}

/** Parses a tuple; a string is the reason it cannot be used. */
export function parseTuple(t: RawTuple): FlowTuple | string {
  const f = t.text.split(",");
  if (f.length !== TUPLE_FIELDS) {
    return f.length === 8 && t.format === 2
      ? "NSG flow tuple of version 1 (8 fields: no flow state or counters)"
      : `flow tuple of ${f.length} fields (${TUPLE_FIELDS} expected)`;
  }
  if (!Number.isFinite(t.at) || t.at < EARLIEST || t.at > LATEST || !/^\d+$/.test(f[0]))
    return `flow tuple time ${JSON.stringify(f[0].slice(0, 20))} out of range (Unix ${t.format === 4 ? "milliseconds" : "seconds"} from 2000 to 2100)`;
  const srcPort = portOf(f[3]);
  const dstPort = portOf(f[4]);
  if (srcPort === undefined || dstPort === undefined) return "flow tuple port not a whole number 0-65535";
  const p = f[5];
  const protocol = p === "6" || p === "T" ? "tcp" : p === "17" || p === "U" ? "udp" : undefined;
  const stateText = t.format === 4 ? f[7] : f[8];
  const denied = t.format === 4 ? stateText === "D" : f[7] === "D";
  if (t.format === 2 && f[7] !== "A" && f[7] !== "D")
    return `NSG flow decision ${JSON.stringify(f[7])} (A or D)`;
  if (!denied && stateText !== "B" && stateText !== "C" && stateText !== "E")
    return `flow state ${JSON.stringify(stateText)} (B, C, E${t.format === 4 ? " or D" : ""})`;
  const begin = stateText === "B" || denied;
  const packetsSent = counter(f[9], begin);
  const bytesSent = counter(f[10], begin);
  const packetsReceived = counter(f[11], begin);
  const bytesReceived = counter(f[12], begin);
  if (
    packetsSent === undefined ||
    bytesSent === undefined ||
    packetsReceived === undefined ||
    bytesReceived === undefined
  )
    return "flow tuple counters not whole numbers from 0";
  if (bytesSent > packetsSent * MAX_PACKET_BYTES || bytesReceived > packetsReceived * MAX_PACKET_BYTES)
    return `flow tuple counters absurd (more than ${MAX_PACKET_BYTES} bytes a packet)`;
  return {
    at: t.at,
    src: f[1],
    dst: f[2],
    srcPort,
    dstPort,
    protocol,
    protocolText: p,
    direction: f[6],
    state: denied ? "B" : (stateText as "B" | "C" | "E"),
    denied,
    packetsSent,
    bytesSent,
    packetsReceived,
    bytesReceived,
  };
}
