/**
 * VPC Flow Logs record formats: the field names of each version, the default (version 2) format,
 * and a header line (or a `--fields` list) turned into the column index of every field the reader
 * uses. Sources: AWS VPC user guide, "Flow log records" (available fields by version) and "Flow log
 * record examples" (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
 *
 * @module
 */

/** The default format: the version 2 fields in their documented order. */
export const DEFAULT_FIELDS = [
  "version",
  "account-id",
  "interface-id",
  "srcaddr",
  "dstaddr",
  "srcport",
  "dstport",
  "protocol",
  "packets",
  "bytes",
  "start",
  "end",
  "action",
  "log-status",
] as const;

/** Field names by the version that introduced them (2–5 carry what natcap reads; 6–8 are ECS and reject fields). */
const FIELDS_BY_VERSION: Record<number, readonly string[]> = {
  2: DEFAULT_FIELDS,
  3: ["vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr"],
  4: ["region", "az-id", "sublocation-type", "sublocation-id"],
  5: ["pkt-src-aws-service", "pkt-dst-aws-service", "flow-direction", "traffic-path"],
  7: [
    "ecs-cluster-arn",
    "ecs-cluster-name",
    "ecs-container-instance-arn",
    "ecs-container-instance-id",
    "ecs-container-id",
    "ecs-second-container-id",
    "ecs-service-name",
    "ecs-task-definition-arn",
    "ecs-task-arn",
    "ecs-task-id",
  ],
  8: ["reject-reason"],
};

/** The newest record version whose fields this reader knows. */
export const NEWEST_KNOWN_VERSION = 8;

/** Every field name the reader knows. */
export const KNOWN_FIELDS: ReadonlySet<string> = new Set(Object.values(FIELDS_BY_VERSION).flat());

/** Column index of each field the reader uses; -1 when the format does not log it. */
export interface FieldIndex {
  readonly count: number;
  readonly version: number;
  readonly interfaceId: number;
  readonly srcaddr: number;
  readonly dstaddr: number;
  readonly srcport: number;
  readonly dstport: number;
  readonly protocol: number;
  readonly bytes: number;
  readonly start: number;
  readonly end: number;
  readonly action: number;
  readonly logStatus: number;
  readonly tcpFlags: number;
  readonly pktSrcaddr: number;
  readonly pktDstaddr: number;
  readonly flowDirection: number;
}

/** Fields a record must have for natcap to use it. */
export const REQUIRED_FIELDS = [
  "srcaddr",
  "dstaddr",
  "srcport",
  "dstport",
  "protocol",
  "start",
  "end",
] as const;

/** A parsed format: the column map, and field names the reader did not recognise (their columns are ignored). */
export interface RecordFormat {
  readonly index: FieldIndex;
  readonly unknown: readonly string[];
  /** Required fields the format lacks (the file cannot be used when any is missing). */
  readonly missing: readonly string[];
}

/** Parses a list of field names (a header line or `--fields`, space separated; `${...}` accepted). */
export function parseFormat(fields: string): RecordFormat {
  const names = fields
    .trim()
    .split(/\s+/)
    .map((f) => f.replace(/^\$\{(.*)\}$/, "$1"));
  const at = (name: string) => names.indexOf(name);
  const index: FieldIndex = {
    count: names.length,
    version: at("version"),
    interfaceId: at("interface-id"),
    srcaddr: at("srcaddr"),
    dstaddr: at("dstaddr"),
    srcport: at("srcport"),
    dstport: at("dstport"),
    protocol: at("protocol"),
    bytes: at("bytes"),
    start: at("start"),
    end: at("end"),
    action: at("action"),
    logStatus: at("log-status"),
    tcpFlags: at("tcp-flags"),
    pktSrcaddr: at("pkt-srcaddr"),
    pktDstaddr: at("pkt-dstaddr"),
    flowDirection: at("flow-direction"),
  };
  return {
    index,
    unknown: names.filter((n) => !KNOWN_FIELDS.has(n)),
    missing: REQUIRED_FIELDS.filter((f) => !names.includes(f)),
  };
}

/** True when a first line is a header of field names rather than a record. */
export function looksLikeHeader(line: string): boolean {
  const first = line.trimStart().split(/\s/, 1)[0] ?? "";
  return KNOWN_FIELDS.has(first) || /^[a-z][a-z-]*$/.test(first);
}
