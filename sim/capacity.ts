/**
 * Capacity planner used by the components (at construction) and the policy pack (at preview): given
 * expected traffic and a gateway, does every destination fit, and how many IPs would it need?
 * Peak expectations are analytic (one instant: binomial tail of per-flow hashing; a sustained peak:
 * Erlang-B over its duration). Rate-based traffic is answered by the method chosen
 * ({@link CapacityMethod}): the time-varying analytic path (sim/analyze.ts), the simulator, or
 * `auto` — analytic for every workload plus a simulation where it is cheap
 * ({@link AUTO_SIMULATE_MAX_ATTEMPTS}); when both run, the simulation's verdict wins (it is exact
 * for the model, the analytic path an approximation). Either way the verdicts come from ./verdict,
 * so this report never disagrees with `natcap simulate --method` on the same input.
 *
 * @module
 */

import { type FieldIssue, show, WorkloadError, wholeNumberProblem } from "../core/errors";
import { fmt, plural, verb } from "../core/format";
import { AWS, AZURE } from "../core/limits";
import { type AddressFamily, addressFamily } from "./address";
import { HASH_OVERFLOW_TARGET, hashUsableCapacity } from "./analytic";
import { type AnalyticRun, analyzeWorkloadDetailed } from "./analyze";
import { DEFAULT_MAX_ATTEMPTS, MAX_IPS } from "./bounds";
import { capacityFix, v6Words } from "./capacity-message";
import { type GatewayEndpointServiceName, splitByGatewayEndpoints } from "./gatewayEndpoints";
import { destinationIps, endpointOf, ipsV6Of, perIpLimit } from "./load";
import type { DestinationResult, SimulationResult } from "./result";
import { estimatedAttempts, simulate } from "./simulate";
import { steadyStateWindowSeconds, steadyStateWords } from "./steady-state";
import {
  type ExhaustionReason,
  type GatewayVerdict,
  ipsNeededWords,
  type MinIpsReason,
  reasonOfIps,
} from "./verdict";
import { type Destination, type ExpectedTraffic, validateWorkload, type Workload } from "./workload";

/**
 * How rate-based traffic is checked: `analytic` — the time-varying analytic path (cost follows
 * schedule steps × destinations, not attempts; about a second for a day of traffic); `simulate` —
 * the discrete-event simulator (exact for the model; refused past the default work budget);
 * `auto` — analytic for every workload, plus a simulation when it needs at most
 * {@link AUTO_SIMULATE_MAX_ATTEMPTS} attempts, in which case the simulation's verdict wins.
 */
export type CapacityMethod = "analytic" | "simulate" | "auto";

/** The methods {@link CapacityMethod} allows, for validation and help texts. */
export const CAPACITY_METHODS: readonly CapacityMethod[] = ["analytic", "simulate", "auto"];

/**
 * Most expected attempts `auto` also simulates (5,000,000: well under a second of simulation);
 * past it `auto` answers analytically.
 */
export const AUTO_SIMULATE_MAX_ATTEMPTS = 5_000_000;

/** Options of {@link assessCapacity}. */
export interface AssessOptions {
  /** Most expected attempts `auto` simulates. @default AUTO_SIMULATE_MAX_ATTEMPTS */
  autoSimulateMaxAttempts?: number;
}

/** The gateway a capacity check runs against. */
export interface GatewayModel {
  /** Which cloud's NAT gateway model applies. */
  cloud: "aws" | "azure";
  /** Public IPs (or private IPs for a private AWS NAT gateway); on Azure, the IPv4 addresses. */
  ips: number;
  /**
   * Azure NAT gateway SKU: `StandardV2` takes IPv6 addresses (`ipsV6`) and so IPv6 destinations.
   * Azure only. @default "Standard"
   */
  sku?: "Standard" | "StandardV2";
  /**
   * IPv6 addresses of an Azure StandardV2 gateway: the SNAT ports of IPv6 destinations come from
   * them (IPv4 destinations' from `ips`). @default 0
   */
  ipsV6?: number;
  /** How a flow's IP is chosen. @default "hash" on AWS, "pooled" on Azure */
  ipSelection?: "hash" | "pooled";
  /** TCP idle timeout in minutes (Azure only; AWS is fixed at 350 s). @default 4 */
  idleTimeoutMinutes?: number;
  /** Hold-down after close before a port is reused to the same destination. @default AWS 60/60/60, Azure 65/16/65 */
  portReuseSeconds?: { fin?: number; rst?: number; udp?: number };
  /** Concurrent connections per IP to one destination. @default 55000 on AWS, 50000 on Azure */
  perIpDestinationLimit?: number;
  /** Most IPs the gateway can hold, for the report. @default 8 on AWS (zonal), 16 on Azure */
  maxIps?: number;
  /** Most IPv6 addresses the gateway can hold, for the report. @default 16 (Azure StandardV2) */
  maxIpsV6?: number;
  /**
   * AWS services with a gateway endpoint in the VPC: destinations tagged with one of them bypass the
   * NAT gateway and are left out of the check. @default []
   */
  gatewayEndpoints?: GatewayEndpointServiceName[];
  /** How rate-based traffic is checked; overrides `expectedTraffic.method`. @default "auto" */
  method?: CapacityMethod;
  /**
   * How messages name the caller's own settings of the SKU and the IPv6 address count (e.g. a
   * component's `sku` and `publicIpV6Count`). @default `sku` and `ipsV6`
   */
  settingNames?: { sku?: string; ipsV6?: string };
}

/** Verdict for one destination. */
export interface DestinationCapacity {
  /** Destination name. */
  name: string;
  /** `address:port/protocol`, e.g. `203.0.113.10:636/tcp`; IPv6 in brackets, `[2001:db8::1]:443/tcp`. */
  endpoint: string;
  /** `ipv6` for an IPv6 destination (its ports come from the IPv6 addresses), else `ipv4`. */
  addressFamily: AddressFamily;
  /** IPs whose ports serve the destination: the gateway's IPv6 addresses for an IPv6 destination, else its IPv4 ones. */
  ips: number;
  /** `peakConnections` given, or the simulated peak ports held (whichever is larger when both). */
  predictedPeak: number;
  /** Usable capacity with the given IPs (of its family) under the model. */
  capacity: number;
  /** Fewest IPs (of its family: IPv6 addresses for an IPv6 destination) with no predicted errors (may exceed the cloud maximum). */
  ipsNeeded: number;
  /** Port-allocation errors: simulated, or expected and rounded when the analytic path decided (0 for peak-only). */
  portAllocationErrors: number;
  /** Why it does not fit (empty when ok). */
  reasons: ExhaustionReason[];
  /** True when the destination fits with the given IPs. */
  ok: boolean;
  /** One sentence naming the destination, predicted peak, capacity and IPs needed. */
  message: string;
}

/** Result of {@link assessCapacity}. */
export interface CapacityReport {
  /** True when every destination fits and no gateway-wide limit is broken. */
  ok: boolean;
  /** IPs the gateway has (on Azure, IPv4 addresses). */
  ips: number;
  /** Fewest IPs with which every IPv4 destination fits (may exceed {@link CapacityReport.maxIps}). */
  ipsNeeded: number;
  /** Most IPs the gateway can hold. */
  maxIps: number;
  /** IPv6 addresses the gateway has, when it carries IPv6 destinations or was given some. */
  ipsV6?: number;
  /** Fewest IPv6 addresses with which every IPv6 destination fits; absent without IPv6 destinations. */
  ipsV6Needed?: number;
  /** What `ipsV6Needed` means (`fits`, `beyond-search`, `gateway-cap`); absent without IPv6 destinations. */
  ipsV6NeededReason?: MinIpsReason;
  /** Most IPv6 addresses the gateway can hold (16 on StandardV2), with `ipsV6`. */
  maxIpsV6?: number;
  /** One entry per destination that goes through the gateway, in input order. */
  destinations: DestinationCapacity[];
  /** The result that decided (simulated or analytic, see `method`), present when there is rate-based traffic. */
  result?: SimulationResult;
  /** Which method produced the verdict: `simulate` when a simulation ran, else `analytic`. */
  method: "analytic" | "simulate";
  /** The analytic result, present when the analytic path ran (methods `analytic` and `auto`) and there is traffic. */
  analytic?: SimulationResult;
  /** Explanations, e.g. why IPs × limit is not reachable under per-flow hashing. */
  notes: string[];
  /** Why the gateway does not fit (empty when ok); from the one verdict function. */
  reasons: ExhaustionReason[];
  /** False when a gateway-wide limit fails (Azure's 2,000,000 connections): more IPs do not help. */
  moreIpsHelp: boolean;
  /** The fix when not ok, naming `ips` and a value that would work (empty when ok). */
  fix: string;
}

const MAX_IPS_RULE = "natcap's bound on the IPs a capacity check is asked about; no NAT gateway holds more";

function toWorkload(expected: ExpectedTraffic, gateway: GatewayModel): Workload {
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
  const v6Valid = v6 !== undefined && v6Problem === undefined;
  if (v6Problem) issues.push({ path: "ipsV6", value: v6, message: v6Problem });
  const data = {
    cloud: gateway.cloud,
    gateway: {
      ips: 1,
      sku: gateway.sku,
      // Counts past the cloud maximum are allowed here (planning); the SKU rules see at most 1.
      ipsV6: v6Valid ? Math.min(v6, 1) : undefined,
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
  let w: Workload | undefined;
  try {
    w = validateWorkload(data);
  } catch (e) {
    if (!(e instanceof WorkloadError)) throw e;
    for (const i of e.issues) {
      issues.push({
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
      });
    }
  }
  if (issues.length > 0 || !w) throw new WorkloadError(issues);
  // Without a window of its own, the check runs long enough for the ports to fill (./steady-state).
  const simulateOnly = (gateway.method ?? expected?.method) === "simulate";
  return {
    ...w,
    ...(expected?.durationSeconds === undefined
      ? { durationSeconds: steadyStateWindowSeconds(w, simulateOnly ? DEFAULT_MAX_ATTEMPTS : undefined) }
      : {}),
    gateway: { ...w.gateway, ips: gateway.ips, ...(v6Valid ? { ipsV6: v6 } : {}) },
  };
}

/**
 * Explains why `IPs × limit` is not reachable under per-flow hashing, with the concurrent flows the
 * given IPs (and the cloud maximum) carry at under 1% risk that one IP exceeds its limit.
 */
export function hashNotes(ips: number, limit: number, maxIps: number): string[] {
  const n = Math.max(ips, 2);
  const notes = [
    `Under per-flow hashing a flow's IP is chosen by hash with no fallback, so the busiest IP fills first: ` +
      `${n} × ${fmt(limit)} = ${fmt(n * limit)} is not reachable; ${n} IPs carry about ${fmt(hashUsableCapacity(n, limit))} ` +
      `concurrent connections to one destination with under ${HASH_OVERFLOW_TARGET * 100}% risk that one IP exceeds ${fmt(limit)}.`,
  ];
  if (maxIps !== n) {
    notes.push(
      `At the maximum of ${maxIps} IPs: ${maxIps} × ${fmt(limit)} = ${fmt(maxIps * limit)} is not reachable; ` +
        `about ${fmt(hashUsableCapacity(maxIps, limit))} is.`,
    );
  }
  return notes;
}

/** The note that says a peak expectation without duration is checked as one instant. */
export const INSTANT_PEAK_NOTE =
  "A peakConnections expectation without peakDurationSeconds is checked as one instant; give peakDurationSeconds and " +
  "peakHoldSeconds to check a sustained peak (an instant allows under 1% risk that one IP overflows at that moment; a " +
  "sustained peak re-draws the hash continuously and overflows more often).";

function peakWords(d: Destination, r: DestinationResult): string | undefined {
  if (d.peakConnections === undefined) return undefined;
  const base = `expected peak ${plural(d.peakConnections, "connection")}`;
  if (d.peakDurationSeconds === undefined || d.peakHoldSeconds === undefined)
    return `${base} (checked as one instant)`;
  return (
    `${base} held for ${fmt(d.peakDurationSeconds)} s with connections living ${fmt(d.peakHoldSeconds)} s ` +
    `(about ${(r.peakExpectedErrors ?? 0).toPrecision(3)} expected port-allocation errors)`
  );
}

function destinationCapacity(
  w: Workload,
  d: Destination,
  r: DestinationResult,
  hasTraffic: boolean,
  maxIps: number,
  method: "analytic" | "simulate",
): DestinationCapacity {
  const family = addressFamily(d.address);
  const k = destinationIps(w, d);
  const limit = perIpLimit(w);
  const sel = w.gateway.ipSelection;
  const parts: string[] = [];
  const peak = peakWords(d, r);
  if (peak) parts.push(peak);
  if (hasTraffic) {
    parts.push(
      `${method === "simulate" ? "simulated" : "analytic"} peak ${plural(r.peakPortsHeld, "port")} held (open plus reuse hold-down), ` +
        `${plural(r.portAllocationErrors, `${method === "simulate" ? "" : "expected "}port-allocation error`)}`,
    );
  }
  if (r.steadyState)
    parts.push(steadyStateWords(r.steadyState, r.steadyState.expectedErrors, w.durationSeconds));
  const capacity = hasTraffic || sel === "pooled" ? r.capacity : hashUsableCapacity(k, limit);
  const ipWord = family === "ipv6" ? v6Words(k) : `${plural(k, "IP")}`;
  const cap =
    capacity === k * limit
      ? `${ipWord} ${verb(k, "holds", "hold")} ${fmt(capacity)} ports for it (${fmt(limit)} per IP, ${sel})`
      : `${ipWord} ${verb(k, "carries", "carry")} ${fmt(capacity)} under per-flow hashing (${fmt(limit)} per IP)`;
  const ok = r.verdict === "ok";
  const what = parts.length > 0 ? parts.join("; ") : "no expected traffic";
  const need = r.minIpsForZeroErrors;
  const reason = r.minIpsReason;
  const needWords =
    family === "ipv6" && reasonOfIps(need, reason) === "fits" ? v6Words(need) : ipsNeededWords(need, reason);
  const beyond =
    reason === "gateway-cap"
      ? ": the gateway-wide connection cap is what fails, so split the subnets across gateways"
      : need > maxIps
        ? `, more than the ${maxIps} one gateway can hold: split the traffic across gateways`
        : "";
  const message = ok
    ? `${d.name} (${r.endpoint}) fits: ${what}; ${cap}; needs ${family === "ipv6" ? v6Words(need) : plural(need, "IP")}`
    : `${d.name} (${r.endpoint}) does not fit: ${what}; ${cap}; needs ${needWords}${beyond}`;
  return {
    name: d.name,
    endpoint: r.endpoint,
    addressFamily: family,
    ips: k,
    predictedPeak: Math.max(d.peakConnections ?? 0, hasTraffic ? r.peakPortsHeld : 0),
    capacity,
    ipsNeeded: need,
    portAllocationErrors: r.portAllocationErrors,
    reasons: [...r.reasons],
    ok,
    message,
  };
}

/**
 * Checks expected traffic against a gateway: per destination the predicted peak, the usable
 * capacity with the gateway's IPs, and the IPs needed. Peak expectations (`peakConnections`, with
 * `peakDurationSeconds` and `peakHoldSeconds` for a sustained peak) are analytic and fast;
 * rate-based traffic is checked by `gateway.method ?? expected.method ?? "auto"`
 * ({@link CapacityMethod}); `report.method` says which produced the verdict. `ok`, `ipsNeeded` and
 * every destination's `ok` come from the same verdict function as `natcap simulate`.
 *
 * @throws {WorkloadError} on invalid input; paths of expected-traffic fields start with `expectedTraffic.`
 * @throws {WorkBudgetError} with method `simulate`, when the traffic would take more than the default budget of simulated attempts
 */
export function assessCapacity(
  expected: ExpectedTraffic,
  gateway: GatewayModel,
  options: AssessOptions = {},
): CapacityReport {
  const method = gateway.method ?? expected?.method ?? "auto";
  if (!CAPACITY_METHODS.includes(method)) {
    const path = gateway.method !== undefined ? "method" : "expectedTraffic.method";
    throw new WorkloadError([
      { path, value: method, message: `${show(method)} is not a method: use analytic, simulate or auto` },
    ]);
  }
  const full = toWorkload(expected, gateway);
  const split = splitByGatewayEndpoints(full, gateway.gatewayEndpoints ?? []);
  const notes = split.excluded.map(
    (d) =>
      `${d.name} (${endpointOf(d)}) goes through the VPC's ${d.service} gateway endpoint, not the NAT gateway; left out.`,
  );
  const w: Workload = { ...full, destinations: split.destinations, traffic: split.traffic ?? [] };
  const k = w.gateway.ips;
  const limit = perIpLimit(w);
  const maxIps =
    gateway.maxIps ??
    (w.cloud === "aws" ? AWS.maxIpsPerZonalGateway.value : AZURE.maxPublicIpAddresses.value);
  const maxIpsV6 = gateway.maxIpsV6 ?? AZURE.maxPublicIpv6StandardV2.value;
  const hasV6 = w.destinations.some((d) => addressFamily(d.address) === "ipv6");
  const v6Fields =
    hasV6 || gateway.ipsV6 !== undefined ? { ipsV6: ipsV6Of(w), maxIpsV6 } : ({} as Record<string, never>);
  if (w.destinations.length === 0) {
    return {
      ok: true,
      ips: k,
      ipsNeeded: 1,
      maxIps,
      ...v6Fields,
      destinations: [],
      method: method === "analytic" ? "analytic" : "simulate",
      notes,
      reasons: [],
      moreIpsHelp: true,
      fix: "",
    };
  }
  const analytic: AnalyticRun | undefined = method === "simulate" ? undefined : analyzeWorkloadDetailed(w);
  const cheap = estimatedAttempts(w) <= (options.autoSimulateMaxAttempts ?? AUTO_SIMULATE_MAX_ATTEMPTS);
  // Only the result is needed here, not the charts' time series.
  const simulated =
    method === "simulate" || (method === "auto" && cheap) ? simulate(w, { samples: 1 }) : undefined;
  // One verdict: the simulation's when it ran (exact for the model), else the analytic one.
  const result = simulated ?? (analytic as AnalyticRun).result;
  const used = simulated ? "simulate" : "analytic";
  const destinations = w.destinations.map((d, i) =>
    destinationCapacity(
      w,
      d,
      result.destinations[i],
      w.traffic.some((t) => t.to === d.name),
      addressFamily(d.address) === "ipv6" ? maxIpsV6 : maxIps,
      used,
    ),
  );
  const peaks = w.destinations.filter((d) => d.peakConnections !== undefined);
  if (peaks.some((d) => d.peakDurationSeconds === undefined)) notes.push(INSTANT_PEAK_NOTE);
  if (w.gateway.ipSelection === "hash" && peaks.length > 0) notes.push(...hashNotes(k, limit, maxIps));
  if (hasV6) {
    notes.push(
      `IPv6 destinations take their SNAT ports from the gateway's ${v6Words(ipsV6Of(w))} (${fmt(limit)} per address per destination), ` +
        `IPv4 destinations from its ${`${fmt(k)} IPv4 address${k === 1 ? "" : "es"}`}; both count toward the ${fmt(AZURE.totalConnections.value)} connections one gateway supports in total.`,
    );
  }
  const gv: GatewayVerdict = {
    ok: result.verdict === "ok",
    reasons: result.reasons,
    ipsNeeded: result.ipsNeeded,
    ipsNeededReason: result.ipsNeededReason ?? "fits",
    ...(result.ipsV6Needed !== undefined
      ? { ipsV6Needed: result.ipsV6Needed, ipsV6NeededReason: result.ipsV6NeededReason ?? "fits" }
      : {}),
    moreIpsHelp: result.moreIpsHelp,
    totalConnections: result.gatewayConnections,
    totalConnectionsCap: AZURE.totalConnections.value,
  };
  if (!result.moreIpsHelp) {
    const reach =
      result.gatewayConnections > AZURE.totalConnections.value
        ? `peak at ${fmt(result.gatewayConnections)}, more than the ${fmt(AZURE.totalConnections.value)}`
        : `reach the ${fmt(AZURE.totalConnections.value)}`;
    notes.push(
      `Connections across all destinations ${reach} one Azure NAT gateway supports in total; more IPs do not help: split the subnets across gateways.`,
    );
  }
  const fix = capacityFix(
    { ...gv, ips: k, maxIps, ...(hasV6 ? { ipsV6: ipsV6Of(w), maxIpsV6 } : {}) },
    { name: "ips", v6: { name: gateway.settingNames?.ipsV6 ?? "ipsV6" } },
  );
  return {
    ok: gv.ok,
    ips: k,
    ipsNeeded: result.ipsNeeded,
    maxIps,
    ...v6Fields,
    ...(gv.ipsV6Needed !== undefined
      ? { ipsV6Needed: gv.ipsV6Needed, ipsV6NeededReason: gv.ipsV6NeededReason }
      : {}),
    destinations,
    ...(w.traffic.length > 0 ? { result } : {}),
    method: used,
    ...(analytic && w.traffic.length > 0 ? { analytic: analytic.result } : {}),
    notes,
    reasons: [...result.reasons],
    moreIpsHelp: result.moreIpsHelp,
    fix,
  };
}
