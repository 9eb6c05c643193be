/**
 * The input side of the capacity check: an expectation and a gateway model become one validated
 * workload (field paths of the caller's own arguments in every error), and a digest of what the
 * verdict depends on. The traffic part of the workload is validated once per distinct expectation
 * and shared across IP counts, so the IPs-needed search, auto-sizing and the policy's low/high
 * checks use one model of the traffic (sim/analytic/transient.ts `withGatewayIps`).
 *
 * @module
 */

import { createHash } from "node:crypto";
import { type FieldIssue, WorkloadError, wholeNumberProblem } from "../../core/errors";
import { fmt } from "../../core/format";
import { AWS, AZURE } from "../../core/limits";
import { withGatewayIps } from "../analytic/transient";
import { DEFAULT_MAX_ATTEMPTS, MAX_IPS } from "../workload/bounds";
import { splitByGatewayEndpoints } from "../workload/gatewayEndpoints";
import {
  type Destination,
  type ExpectedTraffic,
  validateWorkload,
  type Workload,
} from "../workload/workload";
import type { CapacityMethod, GatewayModel } from "./capacity-types";
import { steadyStateWindowSeconds } from "./steady-state";

/**
 * The version of natcap's capacity model that a digest names: natcap's version, then a model
 * revision. A digest made by another model version never matches, so an assessment is reused
 * only by the model that made it. Raise the revision with any change to a verdict.
 */
export const CAPACITY_MODEL_VERSION = "natcap 0.1.0, capacity model 1";

/**
 * A JSON text of `value` with object keys sorted, so equal data gives equal text whatever the key
 * order; undefined when the value has no JSON text (e.g. a circular object).
 */
export function stableKey(value: unknown): string | undefined {
  try {
    return JSON.stringify(value, (_k, v: unknown) =>
      v !== null && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
    );
  } catch {
    return undefined;
  }
}

/** The method that answers: the gateway's, else the expectation's, else `auto`. */
export function effectiveMethod(expected: ExpectedTraffic, gateway: GatewayModel): CapacityMethod {
  return gateway.method ?? expected?.method ?? "auto";
}

const MAX_IPS_RULE = "natcap's bound on the IPs a capacity check is asked about; no NAT gateway holds more";

/** The IP count checks of the gateway model, with the issues they find. */
function ipIssues(gateway: GatewayModel): { issues: FieldIssue[]; v6Valid: boolean } {
  const issues: FieldIssue[] = [];
  const ipsProblem = wholeNumberProblem(
    gateway.ips,
    `a whole number of IPs from 1 to ${fmt(MAX_IPS)}`,
    1,
    MAX_IPS,
    MAX_IPS_RULE,
  );
  if (ipsProblem) issues.push({ path: "ips", value: gateway.ips, message: ipsProblem });
  const v6 = gateway.ipsV6;
  const v6Problem =
    v6 === undefined
      ? undefined
      : wholeNumberProblem(
          v6,
          `a whole number of IPv6 addresses from 0 to ${fmt(MAX_IPS)}`,
          0,
          MAX_IPS,
          MAX_IPS_RULE,
        );
  if (v6Problem) issues.push({ path: "ipsV6", value: v6, message: v6Problem });
  return { issues, v6Valid: v6 !== undefined && v6Problem === undefined };
}

/** Validated traffic kept per distinct (expectation, gateway without its IP counts). */
const validated = new Map<string, Workload>();
/** Most kept (oldest dropped first): one per distinct gateway expectation of a program is plenty. */
const MAX_KEPT = 1024;

/** The workload of `expected` on one IP (the IPv6 count only as none or some), validated. */
function validatedOnOneIp(
  expected: ExpectedTraffic,
  gateway: GatewayModel,
  v6: number | undefined,
  issues: FieldIssue[],
): Workload | undefined {
  const data = {
    cloud: gateway.cloud,
    gateway: {
      ips: 1,
      sku: gateway.sku,
      // Counts past the cloud maximum are allowed here (planning); the SKU rules see at most 1.
      ipsV6: v6 === undefined ? undefined : Math.min(v6, 1),
      ipSelection: gateway.ipSelection,
      idleTimeoutMinutes: gateway.cloud === "azure" ? gateway.idleTimeoutMinutes : undefined,
      portReuseSeconds: gateway.portReuseSeconds,
      perIpDestinationLimit: gateway.perIpDestinationLimit,
    },
    durationSeconds: expected?.durationSeconds ?? 600,
    startsEmpty: expected?.startsEmpty,
    seed: expected?.seed ?? 1,
    destinations: expected?.destinations,
    traffic: expected?.traffic ?? [],
  };
  // Without a window of its own, the check runs long enough for the ports to fill (./steady-state);
  // with `method: simulate` that window is shortened to the work budget.
  const simulateOnly = effectiveMethod(expected, gateway) === "simulate";
  const windowGiven = expected?.durationSeconds !== undefined;
  const key = stableKey({ data, simulateOnly, windowGiven });
  const kept = key === undefined ? undefined : validated.get(key);
  if (kept) return kept;
  try {
    const given = validateWorkload(data);
    const w = windowGiven
      ? given
      : {
          ...given,
          durationSeconds: steadyStateWindowSeconds(given, simulateOnly ? DEFAULT_MAX_ATTEMPTS : undefined),
        };
    if (key !== undefined) {
      if (validated.size >= MAX_KEPT) validated.delete(validated.keys().next().value as string);
      validated.set(key, w);
    }
    return w;
  } catch (e) {
    if (!(e instanceof WorkloadError)) throw e;
    for (const i of e.issues) issues.push(renamedIssue(i, gateway));
    return undefined;
  }
}

/** A workload issue named as the caller's arguments name it (`expectedTraffic.`, `ips`, `sku`). */
function renamedIssue(i: FieldIssue, gateway: GatewayModel): FieldIssue {
  return {
    ...i,
    path: i.path.startsWith("gateway.")
      ? i.path.slice("gateway.".length)
      : i.path === "cloud"
        ? "cloud"
        : `expectedTraffic.${i.path}`,
    message: i.message
      .replace(/\b(destinations|traffic)\[/g, "expectedTraffic.$1[")
      .replace(/\bgateway\.sku\b/g, gateway.settingNames?.sku ?? "sku")
      .replace(/\bgateway\.ipsV6\b/g, gateway.settingNames?.ipsV6 ?? "ipsV6"),
  };
}

/**
 * The validated workload of an expectation on a gateway, with the gateway's IP counts. Workloads
 * of one expectation on gateways that differ only in IP counts share one model of the traffic.
 *
 * @throws {WorkloadError} naming each bad field as the caller's arguments name it
 */
export function toWorkload(expected: ExpectedTraffic, gateway: GatewayModel): Workload {
  const { issues, v6Valid } = ipIssues(gateway);
  const v6 = v6Valid ? (gateway.ipsV6 as number) : undefined;
  const w = validatedOnOneIp(expected, gateway, v6, issues);
  if (issues.length > 0 || !w) throw new WorkloadError(issues);
  return withGatewayIps(w, gateway.ips, v6);
}

/** The workload the check runs on: the gateway-endpoint destinations left out, with their names. */
export interface CheckedWorkload {
  /** The workload without the destinations a gateway endpoint carries (and their traffic). */
  readonly workload: Workload;
  /** The destinations left out, with the service whose endpoint carries each. */
  readonly excluded: readonly Destination[];
  /** Most IPs the gateway can hold (the model's, or the cloud's default). */
  readonly maxIps: number;
  /** Most IPv6 addresses the gateway can hold. */
  readonly maxIpsV6: number;
  /** The method that answers (see {@link effectiveMethod}). */
  readonly method: CapacityMethod;
}

/**
 * The workload {@link assessCapacity} checks: validated, without the destinations a gateway
 * endpoint carries, with the gateway's limits resolved.
 *
 * @throws {WorkloadError} on invalid input
 */
export function checkedWorkload(expected: ExpectedTraffic, gateway: GatewayModel): CheckedWorkload {
  const full = toWorkload(expected, gateway);
  const split = splitByGatewayEndpoints(full, gateway.gatewayEndpoints ?? []);
  const workload =
    split.excluded.length === 0
      ? full
      : { ...full, destinations: split.destinations, traffic: split.traffic ?? [] };
  return {
    workload,
    excluded: split.excluded,
    maxIps:
      gateway.maxIps ??
      (full.cloud === "aws" ? AWS.maxIpsPerZonalGateway.value : AZURE.maxPublicIpAddresses.value),
    maxIpsV6: gateway.maxIpsV6 ?? AZURE.maxPublicIpv6StandardV2.value,
    method: effectiveMethod(expected, gateway),
  };
}

/**
 * A digest of everything a capacity verdict and its words depend on: the model version, the
 * method, the gateway's limits and the checked workload (validated, so equal expectations written
 * differently — defaults left out, keys in another order, the flat hold or the nested one — give
 * one digest). A component registers it with its assessment; the policy pack recomputes it from
 * what it sees and reuses the assessment only when the two are equal.
 */
export function digestOf(c: CheckedWorkload): string {
  const text = stableKey({
    model: CAPACITY_MODEL_VERSION,
    method: c.method,
    maxIps: c.maxIps,
    maxIpsV6: c.maxIpsV6,
    excluded: c.excluded.map((d) => d.name),
    workload: c.workload,
  });
  return createHash("sha256")
    .update(text ?? "")
    .digest("hex");
}

/**
 * {@link digestOf} the workload an expectation on a gateway is checked as.
 *
 * @throws {WorkloadError} on invalid input
 */
export function capacityDigest(expected: ExpectedTraffic, gateway: GatewayModel): string {
  return digestOf(checkedWorkload(expected, gateway));
}
