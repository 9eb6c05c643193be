/**
 * Capacity planner used by the components (at construction) and the policy pack (at preview): given
 * expected traffic and a gateway, does every destination fit, and how many IPs would it need?
 * Peak-only expectations are analytic (binomial tail of per-flow hashing); rate-based traffic is
 * simulated.
 *
 * @module
 */
import { HASH_OVERFLOW_TARGET, hashUsableCapacity, ipsNeededForPeak } from "./analytic";
import { type FieldIssue, show, WorkloadError } from "./errors";
import { AWS, AZURE } from "./limits";
import { destinationLoads, endpointOf, perIpLimit } from "./load";
import type { SimulationResult } from "./result";
import { simulate } from "./simulate";
import { type ExpectedTraffic, validateWorkload, type Workload } from "./workload";

/** The gateway a capacity check runs against. */
export interface GatewayModel {
  /** Which cloud's NAT gateway model applies. */
  cloud: "aws" | "azure";
  /** Public IPs (or private IPs for a private AWS NAT gateway). */
  ips: number;
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
  /**
   * AWS services with a gateway endpoint in the VPC: destinations tagged with one of them bypass the
   * NAT gateway and are left out of the check. @default []
   */
  gatewayEndpoints?: ("s3" | "dynamodb")[];
}

/** Verdict for one destination. */
export interface DestinationCapacity {
  /** Destination name. */
  name: string;
  /** `address:port/protocol`, e.g. `203.0.113.10:636/tcp`. */
  endpoint: string;
  /** `peakConnections` given, or the simulated peak ports held (whichever is larger when both). */
  predictedPeak: number;
  /** Usable capacity with the given IPs under the model. */
  capacity: number;
  /** Fewest IPs with no predicted errors (may exceed the cloud maximum). */
  ipsNeeded: number;
  /** Simulated port-allocation errors (0 for peak-only). */
  portAllocationErrors: number;
  /** True when the destination fits with the given IPs. */
  ok: boolean;
  /** One sentence naming the destination, predicted peak, capacity and IPs needed. */
  message: string;
}

/** Result of {@link assessCapacity}. */
export interface CapacityReport {
  /** True when every destination fits and no gateway-wide limit is broken. */
  ok: boolean;
  /** IPs the gateway has. */
  ips: number;
  /** Fewest IPs with which everything fits (may exceed {@link CapacityReport.maxIps}). */
  ipsNeeded: number;
  /** Most IPs the gateway can hold. */
  maxIps: number;
  /** One entry per destination that goes through the gateway, in input order. */
  destinations: DestinationCapacity[];
  /** The simulation result, present when rate-based traffic was simulated. */
  result?: SimulationResult;
  /** Explanations, e.g. why IPs × limit is not reachable under per-flow hashing. */
  notes: string[];
}

/** Formats a whole number with thousands separators (locale-independent). */
export function fmt(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

const plural = (n: number, word: string) => `${fmt(n)} ${word}${n === 1 ? "" : "s"}`;

function toWorkload(expected: ExpectedTraffic, gateway: GatewayModel): Workload {
  const issues: FieldIssue[] = [];
  if (!Number.isInteger(gateway.ips) || gateway.ips < 1) {
    issues.push({
      path: "ips",
      value: gateway.ips,
      message: `${show(gateway.ips)} is not a whole number of IPs, 1 or more`,
    });
  }
  const data = {
    cloud: gateway.cloud,
    gateway: {
      ips: 1,
      ipSelection: gateway.ipSelection,
      idleTimeoutMinutes: gateway.cloud === "azure" ? gateway.idleTimeoutMinutes : undefined,
      portReuseSeconds: gateway.portReuseSeconds,
      perIpDestinationLimit: gateway.perIpDestinationLimit,
    },
    durationSeconds: expected?.durationSeconds ?? 600,
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
        path: i.path.startsWith("gateway.") ? i.path.slice("gateway.".length) : `expectedTraffic.${i.path}`,
      });
    }
  }
  if (issues.length > 0 || !w) throw new WorkloadError(issues);
  return { ...w, gateway: { ...w.gateway, ips: gateway.ips } };
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

function hashWords(w: Workload): string {
  return w.gateway.ipSelection === "hash" ? "under per-flow hashing" : "with pooled IPs";
}

/**
 * Checks expected traffic against a gateway: per destination the predicted peak, the usable
 * capacity with the gateway's IPs, and the IPs needed. Peak-only expectations (`peakConnections`)
 * are analytic and fast; rate-based traffic is simulated (`report.result`).
 *
 * @throws {WorkloadError} on invalid input; paths of expected-traffic fields start with `expectedTraffic.`
 */
export function assessCapacity(expected: ExpectedTraffic, gateway: GatewayModel): CapacityReport {
  const full = toWorkload(expected, gateway);
  const bypass = new Set(gateway.gatewayEndpoints ?? []);
  const notes: string[] = [];
  const skipped = full.destinations.filter((d) => d.service && bypass.has(d.service));
  for (const d of skipped) {
    notes.push(
      `${d.name} (${endpointOf(d)}) goes through the VPC's ${d.service} gateway endpoint, not the NAT gateway; left out.`,
    );
  }
  const w: Workload = {
    ...full,
    destinations: full.destinations.filter((d) => !skipped.includes(d)),
    traffic: full.traffic.filter((t) => !skipped.some((d) => d.name === t.to)),
  };
  const k = w.gateway.ips;
  const limit = perIpLimit(w);
  const sel = w.gateway.ipSelection;
  const maxIps =
    gateway.maxIps ??
    (w.cloud === "aws" ? AWS.maxIpsPerZonalGateway.value : AZURE.maxPublicIpAddresses.value);
  const peakCapacity = sel === "hash" ? hashUsableCapacity(k, limit) : k * limit;
  const loads = destinationLoads(w);
  const result = w.traffic.length > 0 && w.destinations.length > 0 ? simulate(w) : undefined;

  const destinations = w.destinations.map((d, i): DestinationCapacity => {
    const endpoint = endpointOf(d);
    let predictedPeak = 0;
    let ipsNeeded = 1;
    let errors = 0;
    let capacity = peakCapacity;
    const parts: string[] = [];
    if (d.peakConnections !== undefined) {
      predictedPeak = d.peakConnections;
      ipsNeeded = ipsNeededForPeak(d.peakConnections, limit, sel);
      parts.push(`expected peak ${plural(d.peakConnections, "connection")}`);
    }
    const r = result?.destinations.find((x) => x.name === d.name);
    if (loads[i].hasTraffic && r) {
      predictedPeak = Math.max(predictedPeak, r.peakPortsHeld);
      ipsNeeded = Math.max(ipsNeeded, r.minIpsForZeroErrors);
      errors = r.portAllocationErrors;
      capacity = r.capacity;
      parts.push(
        `simulated peak ${plural(r.peakPortsHeld, "port")} held (open plus reuse hold-down), ` +
          `${plural(errors, "port-allocation error")}`,
      );
    }
    const ok = ipsNeeded <= k && errors === 0;
    const what = parts.length > 0 ? parts.join("; ") : "no expected traffic";
    const ipWord = k === 1 ? "1 IP" : `${k} IPs`;
    const cap =
      capacity === k * limit
        ? `${ipWord} hold ${fmt(capacity)} ports for it (${fmt(limit)} per IP, ${w.gateway.ipSelection})`
        : `${ipWord} carry ${fmt(capacity)} ${hashWords(w)} (${fmt(limit)} per IP)`;
    const message = ok
      ? `${d.name} (${endpoint}) fits: ${what}; ${cap}; needs ${plural(ipsNeeded, "IP")}`
      : `${d.name} (${endpoint}) does not fit: ${what}; ${cap}; needs ${plural(ipsNeeded, "IP")}` +
        (ipsNeeded > maxIps
          ? `, more than the ${maxIps} one gateway can hold: split the traffic across gateways`
          : "");
    return {
      name: d.name,
      endpoint,
      predictedPeak,
      capacity,
      ipsNeeded,
      portAllocationErrors: errors,
      ok,
      message,
    };
  });

  const ipsNeeded = destinations.reduce((m, d) => Math.max(m, d.ipsNeeded), 1);
  let ok = destinations.every((d) => d.ok);

  if (sel === "hash" && w.destinations.some((d) => d.peakConnections !== undefined)) {
    notes.push(...hashNotes(k, limit, maxIps));
  }

  if (w.cloud === "azure") {
    // A SNAT port serves different destinations at once, so an IP's 64,512 ports bound each
    // destination (perIpLimit) but not their sum; the gateway-wide cap is on open connections.
    const total =
      w.destinations.reduce((s, d) => s + (d.peakConnections ?? 0), 0) +
      (result?.totals.peakConnections ?? 0);
    if (total > AZURE.totalConnections.value) {
      ok = false;
      notes.push(
        `Connections across all destinations peak at ${fmt(total)}, more than the ${fmt(AZURE.totalConnections.value)} ` +
          `one Azure NAT gateway supports in total; more IPs do not help: split the subnets across gateways.`,
      );
    }
  }
  return { ok, ips: k, ipsNeeded, maxIps, destinations, ...(result ? { result } : {}), notes };
}
