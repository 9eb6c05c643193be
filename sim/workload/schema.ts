/**
 * The workload format's schema and types (docs/architecture.md, "Workload file"): what each field
 * accepts, as zod schemas whose messages name the rule, and the validated {@link Workload} type.
 * Parsing, defaults and cross-field rules are in sim/workload/workload.ts, which re-exports everything here.
 *
 * @module
 */
import { z } from "zod";
import { show } from "../../core/errors";
import { fmt } from "../../core/format";
import { AWS, AZURE } from "../../core/limits";
import { PRICES } from "../../core/prices";
import { addressProblem } from "./address";
import {
  MAX_CONNECTIONS_PER_DESTINATION,
  MAX_CONNECTIONS_PER_SECOND,
  MAX_IP_CHANGES,
  MAX_LOGNORMAL_SIGMA,
  MAX_MULTIPLIER,
  MAX_SCHEDULE_STEPS,
  MAX_SECONDS,
} from "./bounds";
import { GATEWAY_ENDPOINT_SERVICES } from "./gatewayEndpoints";

/** A bound of natcap's (or of the field's meaning) on a number, with the rule it states. */
interface Bound {
  readonly max: number;
  readonly rule: string;
}
/**
 * Runs a check only when the checks before it found nothing, so one value gets one issue: a huge
 * number never also reads as "not a whole number" or "must be above 0". (Not `abort`: an aborting
 * issue would make a union, such as a hold's number-or-object, drop the branch and its message.)
 */
const first = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };
/**
 * A finite number. A number past `bound` gets one issue naming that bound; without a bound, one
 * past Number.MAX_SAFE_INTEGER gets one issue saying it cannot be exact.
 */
const finite = (what: string, bound?: Bound) => {
  const number = z
    .number({ error: (iss) => `expected ${what}, got ${show(iss.input)}` })
    .refine(Number.isFinite, {
      error: (iss) => `${show(iss.input)} is not a finite number: expected ${what}`,
    });
  // Each bound is checked by a refinement (for its message) and also declared as JSON Schema
  // metadata, because refinements do not carry into z.toJSONSchema: the policy pack advertises the
  // capacity rule's config schema from these, and the engine validates the config with it.
  if (bound) {
    return number
      .refine((n) => n <= bound.max, {
        error: (iss) => `${show(iss.input)} exceeds ${fmt(bound.max)} (${bound.rule})`,
        ...first,
      })
      .meta({ maximum: bound.max });
  }
  return number.refine((n) => Math.abs(n) <= Number.MAX_SAFE_INTEGER, {
    error: (iss) =>
      `${show(iss.input)} is past Number.MAX_SAFE_INTEGER (${fmt(Number.MAX_SAFE_INTEGER)}), so it cannot be exact: expected ${what}`,
    ...first,
  });
};
const positive = (what = "a number above 0", bound?: Bound) =>
  finite(what, bound)
    .refine((n) => n > 0, { error: (iss) => `${show(iss.input)} must be above 0`, ...first })
    .meta({ exclusiveMinimum: 0 });
const nonNegative = (what = "a number of 0 or more", bound?: Bound) =>
  finite(what, bound)
    .refine((n) => n >= 0, { error: (iss) => `${show(iss.input)} must be 0 or more`, ...first })
    .meta({ minimum: 0 });
const SEED_BOUND: Bound = { max: 2 ** 32 - 1, rule: "the largest 32-bit seed" };
const ONE_YEAR: Bound = { max: MAX_SECONDS, rule: "natcap's bound of one year in seconds" };
/** Seconds from 0 (or above 0) up to one year. */
const seconds = (above = false) =>
  above
    ? positive("a number of seconds above 0", ONE_YEAR)
    : nonNegative("a number of seconds, 0 or more", ONE_YEAR);
/** A whole number from `min`, at most `bound.max` (past it, one issue naming the bound). */
const integer = (what: string, min: number, bound?: Bound) =>
  finite(what, bound)
    .refine((n) => Number.isInteger(n) && n >= min, {
      error: (iss) => `${show(iss.input)} is not ${what}`,
      ...first,
    })
    .meta({ type: "integer", minimum: min, maximum: bound?.max ?? Number.MAX_SAFE_INTEGER });
/** A value among `values`; a miscased one (`standardv2`) is told the spelling it meant. */
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, {
    error: (iss) => {
      const input = iss.input;
      const meant =
        typeof input === "string"
          ? values.find((v) => v.toLowerCase() === input.trim().toLowerCase())
          : undefined;
      const hint = meant === undefined ? "" : ` (names are case-sensitive: write ${meant})`;
      return `${show(input)} is not one of ${values.join(", ")}${hint}`;
    },
  });

const HOLD_HELP =
  "{ distribution: constant|exponential|uniform|lognormal } with its parameters " +
  "(constant {value}, exponential {mean}, uniform {min, max}, lognormal {mean, sigma})";

/** A hold-time distribution object: how long a connection stays open. */
export const HoldDistributionSchema = z.union(
  [
    z.strictObject({ distribution: z.literal("constant"), value: seconds() }),
    z.strictObject({ distribution: z.literal("exponential"), mean: seconds(true) }),
    z
      .strictObject({ distribution: z.literal("uniform"), min: seconds(), max: seconds() })
      .refine((u) => u.min <= u.max, { error: "min must not exceed max", path: ["max"] }),
    z.strictObject({
      distribution: z.literal("lognormal"),
      mean: seconds(true),
      sigma: nonNegative(undefined, {
        max: MAX_LOGNORMAL_SIGMA,
        rule: "natcap's bound on lognormal sigma: beyond it the sample mean of any feasible run is far from the mean; use sigma 0 to 5",
      }),
    }),
  ],
  { error: () => `expected ${HOLD_HELP}` },
);

/** A hold time: a plain number of seconds (constant) or a distribution object. */
export const HoldSchema = z.union(
  [nonNegative("a number of seconds or a distribution object", ONE_YEAR), HoldDistributionSchema],
  { error: () => `expected seconds, or ${HOLD_HELP}` },
);
/** Hold time as written: a plain number of seconds (constant) or a distribution. */
export type HoldSpec = z.infer<typeof HoldSchema>;

/** A destination: one (address, port, protocol) tuple that connections go to. */
export const DestinationSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, { error: "must not be empty" })
    .max(200, {
      error: (iss) => `${show(iss.input)} is longer than 200 characters (natcap's bound on a name)`,
    }),
  address: z
    .string()
    .trim()
    .min(1, { error: "must not be empty" })
    .superRefine((a, ctx) => {
      const problem = addressProblem(a);
      if (problem) ctx.addIssue({ code: "custom", input: a, message: problem });
    }),
  port: integer("a port from 1 to 65535", 1, { max: 65_535, rule: "the highest port number" }),
  protocol: oneOf(["tcp", "udp"]).default("tcp"),
  peakConnections: integer(
    `a whole number of connections from 0 to ${fmt(MAX_CONNECTIONS_PER_DESTINATION)} (natcap's bound per destination)`,
    0,
    { max: MAX_CONNECTIONS_PER_DESTINATION, rule: "natcap's bound on one destination's peak connections" },
  ).optional(),
  /**
   * How long the peak lasts, in seconds. With {@link peakHoldSeconds}, the peak is checked as a
   * sustained plateau (a loss system) instead of one instant.
   */
  peakDurationSeconds: seconds(true).optional(),
  /** How long each connection lives during the peak, in seconds (with `peakDurationSeconds`). */
  peakHoldSeconds: seconds(true).optional(),
  /**
   * AWS service the destination belongs to. Where the VPC has a gateway endpoint for that service
   * (S3, DynamoDB), its traffic bypasses the NAT gateway and the capacity check leaves it out.
   */
  service: oneOf(GATEWAY_ENDPOINT_SERVICES).optional(),
});
/** A destination after defaults are applied. */
export type Destination = z.infer<typeof DestinationSchema>;

/** A step change of a traffic rate from `atSeconds` on. */
export const ScheduleStepSchema = z.strictObject({
  atSeconds: seconds(),
  multiplier: nonNegative(undefined, {
    max: MAX_MULTIPLIER,
    rule: "natcap's bound on a schedule multiplier",
  }),
});

/** A traffic stream: Poisson arrivals of new connections to one destination. */
const TrafficObjectSchema = z.strictObject({
  to: z.string().min(1, { error: "must name a destination" }),
  connectionsPerSecond: positive("new connections per second, above 0", {
    max: MAX_CONNECTIONS_PER_SECOND,
    rule: "natcap's bound on new connections per second of one stream",
  }),
  holdSeconds: HoldSchema.optional(),
  /**
   * The hold as a distribution object, for callers whose types cannot hold a number-or-object field
   * (the components' `expectedTraffic`, other Pulumi languages). Give `holdSeconds` or `hold`.
   */
  hold: HoldDistributionSchema.optional(),
  /** How connections end: fin (TCP default), rst, or idle (the only one for UDP, and its default). */
  close: oneOf(["fin", "rst", "idle"]).optional(),
  schedule: z
    .array(ScheduleStepSchema)
    .max(MAX_SCHEDULE_STEPS, {
      error: `has more than ${fmt(MAX_SCHEDULE_STEPS)} steps (natcap's bound across all traffic streams)`,
    })
    .optional(),
});

/**
 * A traffic stream: exactly one of `holdSeconds` and `hold`; after parsing, the hold is always in
 * `holdSeconds`.
 */
export const TrafficSchema = TrafficObjectSchema.superRefine((t, ctx) => {
  if (t.holdSeconds === undefined && t.hold === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["holdSeconds"],
      message:
        "is required: a number of seconds or a distribution object (or give hold: a distribution object)",
    });
  } else if (t.holdSeconds !== undefined && t.hold !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["hold"],
      input: t.hold,
      message: "give either holdSeconds or hold, not both",
    });
  }
}).transform(({ hold, holdSeconds, ...rest }) => ({
  ...rest,
  holdSeconds: (holdSeconds ?? hold) as HoldSpec,
}));
/** A traffic stream after defaults are applied (`close` filled in from the destination's protocol). */
export type Traffic = Omit<z.infer<typeof TrafficSchema>, "close"> & { close: "fin" | "rst" | "idle" };

/** Gateway settings of a workload. */
export const GatewaySchema = z.strictObject({
  ips: integer("a whole number of IPs, 1 or more", 1),
  /**
   * Azure NAT gateway SKU: `Standard` (IPv4 only) or `StandardV2` (IPv4 and IPv6). Azure only.
   * @default "Standard" on Azure
   */
  sku: oneOf(["Standard", "StandardV2"]).optional(),
  /**
   * Public IPv6 addresses of an Azure StandardV2 gateway, 0 to 16: the SNAT ports of IPv6
   * destinations come from them, those of IPv4 destinations from `ips`. @default 0
   */
  ipsV6: integer("a whole number of IPv6 addresses, 0 or more", 0).optional(),
  ipSelection: oneOf(["hash", "pooled"]).optional(),
  idleTimeoutMinutes: integer(
    `a whole number of minutes from ${AZURE.idleTimeoutMinutesMin.value} to ${AZURE.idleTimeoutMinutesMax.value}`,
    AZURE.idleTimeoutMinutesMin.value,
    { max: AZURE.idleTimeoutMinutesMax.value, rule: "Azure's longest TCP idle timeout, in minutes" },
  ).optional(),
  portReuseSeconds: z
    .strictObject({
      fin: seconds().optional(),
      rst: seconds().optional(),
      udp: seconds().optional(),
    })
    .optional(),
  perIpDestinationLimit: integer("a whole number of connections, 1 or more", 1).optional(),
  /**
   * The gateway's IPv4 count over time: from each step's `atSeconds` on it has `ips` IPs (steps in
   * time order, inside the run). An added IP takes new flows from then on; a removed one (AWS only)
   * drains: it keeps its open connections and takes no new ones for `drainSeconds`, then those still
   * open are cut.
   */
  ipChanges: z
    .array(
      z.strictObject({
        atSeconds: seconds(true),
        ips: integer("a whole number of IPs, 1 or more", 1),
      }),
    )
    .max(MAX_IP_CHANGES, { error: `has more than ${MAX_IP_CHANGES} steps (natcap's bound)` })
    .optional(),
  /**
   * AWS: seconds a removed IP keeps its open connections before they are cut (the
   * `MaxDrainDurationSeconds` of DisassociateNatGatewayAddress, 1 to 4,000). @default 350
   */
  drainSeconds: integer(
    `a whole number of seconds from ${AWS.minDrainSeconds.value} to ${fmt(AWS.maxDrainSeconds.value)} (AWS MaxDrainDurationSeconds)`,
    AWS.minDrainSeconds.value,
    { max: AWS.maxDrainSeconds.value, rule: "AWS's longest MaxDrainDurationSeconds" },
  ).optional(),
  /**
   * Prices in USD that replace natcap's list prices (core/prices.ts PRICES) for the cost columns,
   * keyed as there, e.g. `{ natGatewayHour: 0.052 }`; only the workload cloud's keys are allowed.
   */
  prices: z
    .strictObject(
      Object.fromEntries(
        [...new Set([...Object.keys(PRICES.aws), ...Object.keys(PRICES.azure)])].map((k) => [
          k,
          nonNegative("a price in USD, 0 or more").optional(),
        ]),
      ),
    )
    .optional(),
});

/**
 * True when the traffic really starts from nothing at the window's start (a new service, a batch
 * job): the window is then judged alone. Otherwise the traffic is taken to have run before the
 * window and to go on after it, and a window that ends before its ports fill is also judged at its
 * traffic's steady state (sim/verdict/steady-state.ts). @default false
 */
const STARTS_EMPTY = z
  .boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}` })
  .optional();

export const RawWorkloadSchema = z.strictObject({
  cloud: oneOf(["aws", "azure"]),
  gateway: GatewaySchema,
  durationSeconds: seconds(true).default(3600),
  seed: integer("a whole number from 0 to 4294967295", 0, SEED_BOUND).default(1),
  // How many destinations and streams is bounded by the work they cost (sim/workload/rules.ts).
  destinations: z.array(DestinationSchema).min(1, { error: "needs at least one destination" }),
  traffic: z.array(TrafficSchema).default([]),
  /** Expected GB the gateway processes per month, for the cost columns. @default 0 */
  gbPerMonth: nonNegative("a number of GB per month, 0 or more").optional(),
  startsEmpty: STARTS_EMPTY,
});

/** The workload as the schema reads it, before cloud defaults. */
export type RawWorkload = z.infer<typeof RawWorkloadSchema>;

/** The workload exactly as the file states it, before cloud defaults. */
export type WorkloadInput = z.input<typeof RawWorkloadSchema>;

/** A validated workload with every default filled in. */
export interface Workload {
  readonly cloud: "aws" | "azure";
  readonly gateway: {
    /** IPv4 addresses: the SNAT ports of IPv4 destinations (and DNS names) come from them. */
    readonly ips: number;
    /** Azure SKU, when the workload gives one (absent: Standard on Azure; AWS has none). */
    readonly sku?: "Standard" | "StandardV2";
    /** IPv6 addresses (Azure StandardV2): the SNAT ports of IPv6 destinations come from them. Absent: 0. */
    readonly ipsV6?: number;
    readonly ipSelection: "hash" | "pooled";
    /** Azure TCP idle timeout in minutes; for AWS the fixed 350 s idle timeout in minutes. */
    readonly idleTimeoutMinutes: number;
    readonly portReuseSeconds: { readonly fin: number; readonly rst: number; readonly udp: number };
    readonly perIpDestinationLimit: number;
    /** IPv4 count changes over the run, in time order (absent: the count stays `ips`). */
    readonly ipChanges?: readonly { readonly atSeconds: number; readonly ips: number }[];
    /** AWS drain of a removed IP in seconds, when the workload gives one (absent: 350). */
    readonly drainSeconds?: number;
    /** Price overrides in USD keyed as core/prices.ts PRICES[cloud]; absent keys use the list price. */
    readonly prices?: Readonly<Record<string, number | undefined>>;
  };
  /** Expected GB processed per month (cost columns only). */
  readonly gbPerMonth?: number;
  readonly durationSeconds: number;
  /** True when the window starts with no port held on purpose and is judged alone (see sim/verdict/steady-state.ts). */
  readonly startsEmpty?: boolean;
  readonly seed: number;
  readonly destinations: readonly Destination[];
  readonly traffic: readonly Traffic[];
}

/**
 * Expected traffic through one gateway, as components take it in `expectedTraffic` and the policy
 * pack's capacity rule in its config: the workload's destinations and traffic, without the gateway.
 */
export const ExpectedTrafficSchema = z.object({
  destinations: z.array(DestinationSchema).min(1, { error: "needs at least one destination" }),
  traffic: z.array(TrafficSchema).optional(),
  durationSeconds: seconds(true).optional(),
  seed: integer("a whole number from 0 to 4294967295", 0, SEED_BOUND).optional(),
  /**
   * How rate-based traffic is checked: `analytic`, `simulate` or `auto` (analytic, plus a
   * simulation where it is cheap; see sim/verdict/capacity.ts `CapacityMethod`). @default "auto"
   */
  method: oneOf(["analytic", "simulate", "auto"]).optional(),
  /** The workload's `startsEmpty`: the traffic really starts from nothing, judge the window alone. @default false */
  startsEmpty: STARTS_EMPTY,
});

/** The flat hold object of a traffic stream (every distribution's parameters optional; the schema checks which apply). */
export interface FlatHold {
  /** Distribution kind. */
  distribution: z.input<typeof HoldDistributionSchema>["distribution"];
  /** Constant: seconds. */
  value?: number;
  /** Exponential and lognormal: mean seconds. */
  mean?: number;
  /** Uniform: lowest seconds. */
  min?: number;
  /** Uniform: highest seconds. */
  max?: number;
  /** Lognormal: shape. */
  sigma?: number;
}

type ExpectedTrafficInput = z.input<typeof ExpectedTrafficSchema>;
type ExpectedStreamInput = NonNullable<ExpectedTrafficInput["traffic"]>[number];

/**
 * The simulator's destination/traffic shape, as components take it in `expectedTraffic`: the input
 * of {@link ExpectedTrafficSchema}, with a stream's `hold` as one flat object ({@link FlatHold}, which
 * every member of the schema's distribution union is), validated by the schema like any input.
 */
export type ExpectedTraffic = Omit<ExpectedTrafficInput, "traffic"> & {
  /** Rate-based traffic streams; omit for peak-only checks. */
  traffic?: (Omit<ExpectedStreamInput, "hold"> & { hold?: FlatHold })[];
};
