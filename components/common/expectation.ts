/**
 * The expected-traffic argument of the components, as plain named interfaces and enums (no unions),
 * so Pulumi's component schema inference can expose it to other languages. It carries the same
 * information as the simulator's `ExpectedTraffic` (sim/workload/workload.ts) and converts to it with
 * {@link toExpectedTraffic}; the simulator validates the result and names any bad field.
 *
 * @module
 */
import type { FieldIssue } from "../../core/errors";
import { raiseIssues } from "../../core/issues";
import type { ExpectedTraffic } from "../../sim/workload/workload";
import { isKnownNow } from "./deferred";

/** Transport protocol of a destination. */
export const Protocol = {
  /** TCP. */
  Tcp: "tcp",
  /** UDP. */
  Udp: "udp",
} as const;
/** A value of {@link Protocol}: the member (e.g. `Protocol.Tcp`) or its string. */
export type Protocol = (typeof Protocol)[keyof typeof Protocol];

/** AWS service a destination belongs to (traffic a VPC gateway endpoint can carry instead of NAT). */
export const GatewayEndpointService = {
  /** Amazon S3. */
  S3: "s3",
  /** Amazon DynamoDB. */
  DynamoDb: "dynamodb",
} as const;
/** A value of {@link GatewayEndpointService}: the member (e.g. `GatewayEndpointService.S3`) or its string. */
export type GatewayEndpointService = (typeof GatewayEndpointService)[keyof typeof GatewayEndpointService];

/** How connections of a traffic stream end. */
export const CloseKind = {
  /** Orderly close (FIN); the port waits the FIN reuse timer. */
  Fin: "fin",
  /** Reset (RST); the port waits the RST reuse timer. */
  Rst: "rst",
  /** Left idle until the gateway's idle timeout. */
  Idle: "idle",
} as const;
/** A value of {@link CloseKind}: the member (e.g. `CloseKind.Fin`) or its string. */
export type CloseKind = (typeof CloseKind)[keyof typeof CloseKind];

/** Distribution of how long a connection stays open. */
export const HoldDistribution = {
  /** Always `value` seconds. */
  Constant: "constant",
  /** Exponential with mean `mean`. */
  Exponential: "exponential",
  /** Uniform between `min` and `max`. */
  Uniform: "uniform",
  /** Lognormal with mean `mean` and shape `sigma`. */
  Lognormal: "lognormal",
} as const;
/** A value of {@link HoldDistribution}: the member (e.g. `HoldDistribution.Constant`) or its string. */
export type HoldDistribution = (typeof HoldDistribution)[keyof typeof HoldDistribution];

/** One destination: an (address, port, protocol) tuple connections go to. */
export interface ExpectedDestinationArgs {
  /** Name of the destination (names tags and messages). */
  name: string;
  /** Destination IP address or host name. */
  address: string;
  /** Destination port, 1-65535. */
  port: number;
  /** Protocol. @default Protocol.Tcp */
  protocol?: Protocol;
  /** Peak concurrent connections expected (a peak-only expectation, checked analytically). @default none */
  peakConnections?: number;
  /**
   * How long the peak lasts, in seconds; with `peakHoldSeconds`, the peak is checked as a sustained
   * plateau (Erlang-B over its duration) instead of one instant. @default none (one instant)
   */
  peakDurationSeconds?: number;
  /** How long each connection lives during the peak, in seconds (with `peakDurationSeconds`). @default none */
  peakHoldSeconds?: number;
  /** AWS service of the destination; left out of the check when a gateway endpoint serves it. @default none */
  service?: GatewayEndpointService;
}

/** A hold-time distribution. */
export interface HoldArgs {
  /** Distribution kind. */
  distribution: HoldDistribution;
  /** Constant: seconds. @default none */
  value?: number;
  /** Exponential and lognormal: mean seconds. @default none */
  mean?: number;
  /** Uniform: lowest seconds. @default none */
  min?: number;
  /** Uniform: highest seconds. @default none */
  max?: number;
  /** Lognormal: shape. @default none */
  sigma?: number;
}

/** A step change of a stream's rate from `atSeconds` on. */
export interface ScheduleStepArgs {
  /** Simulated second the step starts at. */
  atSeconds: number;
  /** Multiplier of the base rate from then on. */
  multiplier: number;
}

/** A stream of new connections (Poisson arrivals) to one destination. */
export interface ExpectedStreamArgs {
  /** Name of the destination. */
  to: string;
  /** New connections per second. */
  connectionsPerSecond: number;
  /**
   * How long each connection stays open, in seconds (constant); give `hold` instead for a
   * distribution. The same field as a workload file's `traffic[].holdSeconds`. @default none
   */
  holdSeconds?: number;
  /**
   * How long each connection stays open, as a distribution, instead of `holdSeconds`; the same
   * field as a workload file's `traffic[].hold`. @default none
   */
  hold?: HoldArgs;
  /** How connections end. @default CloseKind.Fin */
  close?: CloseKind;
  /** Rate changes over time. @default none */
  schedule?: ScheduleStepArgs[];
}

/** Expected traffic through one gateway: peak-only destinations and/or rate-based streams. */
export interface ExpectedTrafficArgs {
  /** Destinations, each optionally with peakConnections. */
  destinations: ExpectedDestinationArgs[];
  /** Rate-based streams; omit for peak-only checks. @default none */
  traffic?: ExpectedStreamArgs[];
  /**
   * Seconds of rate-based traffic to check. @default long enough for the ports to fill: five mean
   * port lifetimes of the slowest stream past its last schedule step, at least 600
   */
  durationSeconds?: number;
  /**
   * True when the traffic really starts from nothing (a new service, a batch job): the window is
   * then judged alone, starting with no port held. Otherwise a window that ends before its ports
   * fill is also judged at the traffic's steady state. @default false
   */
  startsEmpty?: boolean;
  /** Random seed. @default 1 */
  seed?: number;
}

/** Copies only the defined fields (the simulator's schema rejects keys it does not know). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Converts the component argument into the simulator's shape (the workload format's `traffic[].hold`
 * is the same distribution object). Values are not checked here: the simulator validates them and
 * reports `expectedTraffic.<path>` for a bad field, including a stream with both `holdSeconds` and
 * `hold`, or neither.
 *
 * Every field is assignable as it is (checked by tsc, no cast): `hold` is one flat interface because
 * schema inference cannot express a union of distribution objects, and the simulator's expectation
 * type takes the same flat object (./contract.ts pins the two), validated by its schema.
 */
export function toExpectedTraffic(args: ExpectedTrafficArgs): ExpectedTraffic {
  return defined({
    durationSeconds: args.durationSeconds,
    startsEmpty: args.startsEmpty,
    seed: args.seed,
    destinations: Array.isArray(args.destinations)
      ? args.destinations.map((d) => defined({ ...d }))
      : args.destinations,
    traffic: args.traffic?.map(({ hold, ...t }) => defined({ ...t, hold: hold && defined({ ...hold }) })),
  });
}

/**
 * Values of `expectedTraffic` not known while the program is built (a Pulumi Output, e.g. an address
 * taken from another resource, or a Promise): one issue each, naming the field. The capacity check
 * decides at construction whether the component is built and with how many IPs, so it needs plain
 * values then.
 */
export function unknownValueIssues(value: unknown, path = "expectedTraffic"): FieldIssue[] {
  if (value === undefined || value === null) return [];
  if (!isKnownNow(value)) {
    return [
      {
        path,
        value: "(a Pulumi Output)",
        message:
          "is a Pulumi Output or Promise, known only once deployed, but the capacity check runs when the component is built " +
          "(it decides the IPs): give a plain value known then (a literal or stack config), or leave this entry out of expectedTraffic",
      },
    ];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownValueIssues(v, `${path}[${i}]`));
  if (typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => unknownValueIssues(v, `${path}.${k}`));
  return [];
}

/**
 * The simulator's expectation from the component argument ({@link toExpectedTraffic}), refused first
 * with one line per value not known at construction ({@link unknownValueIssues}).
 *
 * @throws {ValidationError} naming each such field, after `prefix`
 */
export function plainExpectation(prefix: string, args: ExpectedTrafficArgs): ExpectedTraffic {
  raiseIssues(prefix, unknownValueIssues(args));
  return toExpectedTraffic(args);
}
