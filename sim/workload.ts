/**
 * The workload format (DESIGN.md "Workload file"): schema, parsing from YAML or JSON text, defaults,
 * and errors that name the field path, the value and the rule.
 *
 * @module
 */
import { parseDocument } from "yaml";
import { z } from "zod";
import { type FieldIssue, show, WorkloadError } from "./errors";
import { AWS, AZURE } from "./limits";

const finite = (what: string) =>
  z.number({ error: (iss) => `expected ${what}, got ${show(iss.input)}` }).refine(Number.isFinite, {
    error: `expected ${what}`,
  });
const positive = (what = "a number above 0") =>
  finite(what).refine((n) => n > 0, { error: (iss) => `${show(iss.input)} must be above 0` });
const nonNegative = (what = "a number of 0 or more") =>
  finite(what).refine((n) => n >= 0, { error: (iss) => `${show(iss.input)} must be 0 or more` });
const integer = (what: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  finite(what).refine((n) => Number.isInteger(n) && n >= min && n <= max, {
    error: (iss) => `${show(iss.input)} is not ${what}`,
  });
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (iss) => `${show(iss.input)} is not one of ${values.join(", ")}` });

const HOLD_HELP =
  "{ distribution: constant|exponential|uniform|lognormal } with its parameters " +
  "(constant {value}, exponential {mean}, uniform {min, max}, lognormal {mean, sigma})";

/** A hold-time distribution object: how long a connection stays open. */
export const HoldDistributionSchema = z.union(
  [
    z.strictObject({ distribution: z.literal("constant"), value: nonNegative() }),
    z.strictObject({ distribution: z.literal("exponential"), mean: positive() }),
    z
      .strictObject({ distribution: z.literal("uniform"), min: nonNegative(), max: nonNegative() })
      .refine((u) => u.min <= u.max, { error: "min must not exceed max", path: ["max"] }),
    z.strictObject({ distribution: z.literal("lognormal"), mean: positive(), sigma: nonNegative() }),
  ],
  { error: () => `expected ${HOLD_HELP}` },
);

/** A hold time: a plain number of seconds (constant) or a distribution object. */
export const HoldSchema = z.union(
  [nonNegative("a number of seconds or a distribution object"), HoldDistributionSchema],
  { error: () => `expected seconds, or ${HOLD_HELP}` },
);
/** Hold time as written: a plain number of seconds (constant) or a distribution. */
export type HoldSpec = z.infer<typeof HoldSchema>;

/** A destination: one (address, port, protocol) tuple that connections go to. */
export const DestinationSchema = z.strictObject({
  name: z.string().min(1, { error: "must not be empty" }),
  address: z.string().min(1, { error: "must not be empty" }),
  port: integer("a port from 1 to 65535", 1, 65_535),
  protocol: oneOf(["tcp", "udp"]).default("tcp"),
  peakConnections: integer("a whole number of connections, 0 or more", 0).optional(),
  /**
   * AWS service the destination belongs to. Where the VPC has a gateway endpoint for that service
   * (S3, DynamoDB), its traffic bypasses the NAT gateway and the capacity check leaves it out.
   */
  service: oneOf(["s3", "dynamodb"]).optional(),
});
/** A destination after defaults are applied. */
export type Destination = z.infer<typeof DestinationSchema>;

/** A step change of a traffic rate from `atSeconds` on. */
export const ScheduleStepSchema = z.strictObject({
  atSeconds: nonNegative(),
  multiplier: nonNegative(),
});

/** A traffic stream: Poisson arrivals of new connections to one destination. */
const TrafficObjectSchema = z.strictObject({
  to: z.string().min(1, { error: "must name a destination" }),
  connectionsPerSecond: positive("new connections per second, above 0"),
  holdSeconds: HoldSchema.optional(),
  /**
   * The hold as a distribution object, for callers whose types cannot hold a number-or-object field
   * (the components' `expectedTraffic`, other Pulumi languages). Give `holdSeconds` or `hold`.
   */
  hold: HoldDistributionSchema.optional(),
  close: oneOf(["fin", "rst", "idle"]).default("fin"),
  schedule: z.array(ScheduleStepSchema).optional(),
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
/** A traffic stream after defaults are applied. */
export type Traffic = z.infer<typeof TrafficSchema>;

/** Gateway settings of a workload. */
export const GatewaySchema = z.strictObject({
  ips: integer("a whole number of IPs, 1 or more", 1),
  ipSelection: oneOf(["hash", "pooled"]).optional(),
  idleTimeoutMinutes: integer(
    `a whole number of minutes from ${AZURE.idleTimeoutMinutesMin.value} to ${AZURE.idleTimeoutMinutesMax.value}`,
    AZURE.idleTimeoutMinutesMin.value,
    AZURE.idleTimeoutMinutesMax.value,
  ).optional(),
  portReuseSeconds: z
    .strictObject({
      fin: nonNegative().optional(),
      rst: nonNegative().optional(),
      udp: nonNegative().optional(),
    })
    .optional(),
  perIpDestinationLimit: integer("a whole number of connections, 1 or more", 1).optional(),
});

const RawWorkloadSchema = z.strictObject({
  cloud: oneOf(["aws", "azure"]),
  gateway: GatewaySchema,
  durationSeconds: positive("a number of seconds above 0").default(3600),
  seed: integer("a whole number", 0, 2 ** 32 - 1).default(1),
  destinations: z.array(DestinationSchema).min(1, { error: "needs at least one destination" }),
  traffic: z.array(TrafficSchema).default([]),
});

/** The workload exactly as the file states it, before cloud defaults. */
export type WorkloadInput = z.input<typeof RawWorkloadSchema>;

/** A validated workload with every default filled in. */
export interface Workload {
  readonly cloud: "aws" | "azure";
  readonly gateway: {
    readonly ips: number;
    readonly ipSelection: "hash" | "pooled";
    /** Azure TCP idle timeout in minutes; for AWS the fixed 350 s idle timeout in minutes. */
    readonly idleTimeoutMinutes: number;
    readonly portReuseSeconds: { readonly fin: number; readonly rst: number; readonly udp: number };
    readonly perIpDestinationLimit: number;
  };
  readonly durationSeconds: number;
  readonly seed: number;
  readonly destinations: readonly Destination[];
  readonly traffic: readonly Traffic[];
}

function crossFieldIssues(w: z.infer<typeof RawWorkloadSchema>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const maxIps = w.cloud === "aws" ? AWS.maxIpsPerZonalGateway.value : AZURE.maxPublicIpAddresses.value;
  if (w.gateway.ips > maxIps) {
    issues.push({
      path: "gateway.ips",
      value: w.gateway.ips,
      message:
        w.cloud === "aws"
          ? `${w.gateway.ips} exceeds the ${maxIps} IPs an AWS NAT gateway can hold`
          : `${w.gateway.ips} exceeds the ${maxIps} public IPs an Azure NAT gateway can use`,
    });
  }
  if (w.cloud === "aws" && w.gateway.idleTimeoutMinutes !== undefined) {
    issues.push({
      path: "gateway.idleTimeoutMinutes",
      value: w.gateway.idleTimeoutMinutes,
      message: `AWS NAT gateways have a fixed ${AWS.idleTimeoutSeconds.value} s idle timeout; remove this field`,
    });
  }
  const seen = new Map<string, number>();
  w.destinations.forEach((d, i) => {
    const first = seen.get(d.name);
    if (first !== undefined) {
      issues.push({
        path: `destinations[${i}].name`,
        value: d.name,
        message: `duplicate destination name ${show(d.name)} (also destinations[${first}])`,
      });
    } else seen.set(d.name, i);
  });
  const known = [...seen.keys()];
  w.traffic.forEach((t, i) => {
    if (!seen.has(t.to)) {
      issues.push({
        path: `traffic[${i}].to`,
        value: t.to,
        message: `unknown destination ${show(t.to)} (known: ${known.join(", ")})`,
      });
    }
    let last = -1;
    t.schedule?.forEach((s, j) => {
      if (s.atSeconds <= last) {
        issues.push({
          path: `traffic[${i}].schedule[${j}].atSeconds`,
          value: s.atSeconds,
          message: `${s.atSeconds} must be later than the previous step (${last})`,
        });
      }
      last = s.atSeconds;
    });
  });
  return issues;
}

function pathOf(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

function zodIssues(error: z.ZodError): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const iss of error.issues) {
    if (iss.code === "unrecognized_keys") {
      for (const key of iss.keys) {
        issues.push({
          path: pathOf([...iss.path, key]),
          message: `unknown field ${show(key)} (check its spelling against the workload format)`,
        });
      }
      continue;
    }
    let message = iss.message;
    if (iss.code === "invalid_type" && iss.input === undefined) message = "is required";
    issues.push({ path: pathOf(iss.path) || "(workload)", value: iss.input, message });
  }
  return issues;
}

/** Applies cloud defaults to a schema-valid workload. */
function withDefaults(w: z.infer<typeof RawWorkloadSchema>): Workload {
  const aws = w.cloud === "aws";
  const reuse = w.gateway.portReuseSeconds ?? {};
  return {
    cloud: w.cloud,
    gateway: {
      ips: w.gateway.ips,
      ipSelection: w.gateway.ipSelection ?? (aws ? "hash" : "pooled"),
      idleTimeoutMinutes: aws
        ? AWS.idleTimeoutSeconds.value / 60
        : (w.gateway.idleTimeoutMinutes ?? AZURE.idleTimeoutMinutesDefault.value),
      portReuseSeconds: {
        fin: reuse.fin ?? (aws ? AWS.portReuseSeconds.value : AZURE.portReuseFinSeconds.value),
        rst: reuse.rst ?? (aws ? AWS.portReuseSeconds.value : AZURE.portReuseRstSeconds.value),
        udp: reuse.udp ?? (aws ? AWS.portReuseSeconds.value : AZURE.portReuseUdpSeconds.value),
      },
      perIpDestinationLimit:
        w.gateway.perIpDestinationLimit ??
        (aws ? AWS.connectionsPerIpPerDestination.value : AZURE.connectionsPerIpPerDestination.value),
    },
    durationSeconds: w.durationSeconds,
    seed: w.seed,
    destinations: w.destinations,
    traffic: w.traffic,
  };
}

/**
 * Validates a parsed workload object (from YAML, JSON or code) and fills in defaults.
 *
 * @throws {WorkloadError} listing every problem as `path: message`, naming the value.
 */
export function validateWorkload(data: unknown, source?: string): Workload {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new WorkloadError(
      [
        {
          path: "(workload)",
          value: data,
          message: `expected a mapping with cloud, gateway, destinations, got ${show(data)}`,
        },
      ],
      source,
    );
  }
  const parsed = RawWorkloadSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) throw new WorkloadError(zodIssues(parsed.error), source);
  const cross = crossFieldIssues(parsed.data);
  if (cross.length > 0) throw new WorkloadError(cross, source);
  return withDefaults(parsed.data);
}

/**
 * Parses workload text (YAML or JSON — JSON is YAML) and validates it.
 *
 * @param source file name used to prefix error messages
 * @throws {WorkloadError} on a syntax error (with line and column) or any invalid field.
 */
export function parseWorkload(text: string, source?: string): Workload {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new WorkloadError(
      doc.errors.map((e) => ({
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "(syntax)",
        message: e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, ""),
      })),
      source,
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new WorkloadError([{ path: "(syntax)", message: (e as Error).message }], source);
  }
  return validateWorkload(data, source);
}

/** The simulator's destination/traffic shape, as components take it in `expectedTraffic`. */
export interface ExpectedTraffic {
  /** Destinations, each optionally with a peak-only expectation (`peakConnections`). */
  destinations: WorkloadInput["destinations"];
  /** Rate-based traffic streams; omit for peak-only checks. */
  traffic?: WorkloadInput["traffic"];
  /** Simulated seconds for rate-based traffic. @default 600 */
  durationSeconds?: number;
  /** Random seed. @default 1 */
  seed?: number;
}
