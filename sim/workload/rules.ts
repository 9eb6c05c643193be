/**
 * Rules of a workload that span fields: IP counts per cloud, one destination per endpoint (a port
 * inventory belongs to an address, port and protocol, never to a name), UDP closes, schedules, the
 * per-IP port range, sustained-peak fields, and natcap's bound on the load of one destination.
 *
 * @module
 */

import { type FieldIssue, show } from "../../core/errors";
import { fmt } from "../../core/format";
import { AWS, AZURE } from "../../core/limits";
import { destinationLoads } from "../gateway/load";
import { v6Words } from "../verdict/capacity-message";
import { addressFamily, endpointKey, endpointText, ipv6DestinationProblem } from "./address";
import { MAX_ANALYTIC_WORK, MAX_PORTS_HELD_PER_DESTINATION, MAX_SCHEDULE_STEPS } from "./bounds";
import type { RawWorkload, Workload } from "./schema";

/** Ports one IP has for one destination: AWS ports 1024-65535, Azure SNAT ports per IP. */
export function portsPerIp(cloud: "aws" | "azure"): number {
  return cloud === "aws" ? AWS.portsPerIp.value : AZURE.snatPortsPerIp.value;
}

function gatewayIssues(w: RawWorkload): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const maxIps = w.cloud === "aws" ? AWS.maxIpsPerZonalGateway.value : AZURE.maxPublicIpAddresses.value;
  if (w.gateway.ips > maxIps) {
    issues.push({
      path: "gateway.ips",
      value: w.gateway.ips,
      message:
        w.cloud === "aws"
          ? `${fmt(w.gateway.ips)} exceeds the ${maxIps} IPs an AWS NAT gateway can hold; set gateway.ips to ${maxIps} or fewer`
          : `${fmt(w.gateway.ips)} exceeds the ${maxIps} public IPs an Azure NAT gateway can use; set gateway.ips to ${maxIps} or fewer`,
    });
  }
  issues.push(...ipv6GatewayIssues(w), ...ipChangeIssues(w, maxIps));
  if (w.cloud === "aws" && w.gateway.idleTimeoutMinutes !== undefined) {
    issues.push({
      path: "gateway.idleTimeoutMinutes",
      value: w.gateway.idleTimeoutMinutes,
      message: `AWS NAT gateways have a fixed ${AWS.idleTimeoutSeconds.value} s idle timeout; remove this field`,
    });
  }
  const limit = w.gateway.perIpDestinationLimit;
  const ports = portsPerIp(w.cloud);
  if (limit !== undefined && limit > ports) {
    issues.push({
      path: "gateway.perIpDestinationLimit",
      value: limit,
      message:
        `${fmt(limit)} exceeds the ${fmt(ports)} ports one ${w.cloud === "aws" ? "AWS NAT gateway IP has (ports 1024-65535)" : "Azure NAT gateway IP has (SNAT ports per IP)"}: ` +
        `a port number is 16 bits; set it to ${fmt(ports)} or less`,
    });
  }
  return issues;
}

/**
 * `gateway.ipChanges` and `gateway.drainSeconds`: steps in time order inside the run, each a change
 * of the IPv4 count within the cloud's bound; removals and a drain only on AWS (how an Azure NAT
 * gateway treats the connections of a public IP taken off it is not documented, so natcap does not
 * guess).
 */
function ipChangeIssues(w: RawWorkload, maxIps: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { drainSeconds, ipChanges } = w.gateway;
  if (w.cloud === "azure" && drainSeconds !== undefined) {
    issues.push({
      path: "gateway.drainSeconds",
      value: drainSeconds,
      message:
        "is AWS's connection drain of a removed IP (MaxDrainDurationSeconds); an Azure NAT gateway has no such setting: remove gateway.drainSeconds",
    });
  }
  let before = w.gateway.ips;
  let last = 0;
  let removedAt: number | undefined;
  const drain = drainSeconds ?? AWS.defaultDrainSeconds.value;
  const end = w.durationSeconds ?? 3600;
  ipChanges?.forEach((step, j) => {
    const path = `gateway.ipChanges[${j}]`;
    if (step.atSeconds <= last) {
      issues.push({
        path: `${path}.atSeconds`,
        value: step.atSeconds,
        message: `${fmt(step.atSeconds)} must be later than ${j === 0 ? "the start of the run (0; the IPs at the start are gateway.ips)" : `the previous step (${fmt(last)})`}; list steps in time order`,
      });
    } else if (step.atSeconds >= end) {
      issues.push({
        path: `${path}.atSeconds`,
        value: step.atSeconds,
        message: `${fmt(step.atSeconds)} is at or after the end of the run (durationSeconds ${fmt(end)}), so the change never applies; lower atSeconds or raise durationSeconds`,
      });
    }
    // AWS: "While disassociating is in progress, you cannot associate/disassociate additional EIPs
    // while the connections are being drained" (DisassociateNatGatewayAddress).
    if (w.cloud === "aws" && j > 0 && removedAt !== undefined && step.atSeconds < removedAt + drain) {
      issues.push({
        path: `${path}.atSeconds`,
        value: step.atSeconds,
        message:
          `${fmt(step.atSeconds)} falls within the drain of the removal at ${fmt(removedAt)} s (drainSeconds ${fmt(drain)}): ` +
          `AWS accepts no other association or disassociation while a removed IP drains; move the step to ${fmt(removedAt + drain)} s or later, or shorten gateway.drainSeconds`,
      });
    }
    last = Math.max(last, step.atSeconds);
    if (step.ips > maxIps) {
      issues.push({
        path: `${path}.ips`,
        value: step.ips,
        message: `${fmt(step.ips)} exceeds the ${maxIps} IPs ${w.cloud === "aws" ? "an AWS NAT gateway can hold" : "an Azure NAT gateway can use"}; set it to ${maxIps} or fewer`,
      });
    } else if (step.ips === before) {
      issues.push({
        path: `${path}.ips`,
        value: step.ips,
        message: `${fmt(step.ips)} is the IP count already in place (${j === 0 ? "gateway.ips" : `gateway.ipChanges[${j - 1}].ips`}), so the step changes nothing; remove it`,
      });
    } else if (step.ips < before && w.cloud === "azure") {
      issues.push({
        path: `${path}.ips`,
        value: step.ips,
        message:
          `${fmt(step.ips)} removes ${fmt(before - step.ips)} IP(s) from ${fmt(before)}: what an Azure NAT gateway does with the connections of a public IP taken off it is not documented, ` +
          "so natcap does not model it; only additions are modelled on Azure (the new IP's ports join the pool from then on)",
      });
    }
    if (step.ips < before) removedAt = step.atSeconds;
    before = step.ips;
  });
  return issues;
}

/** `gateway.sku` and `gateway.ipsV6`: a SKU is Azure's; IPv6 addresses need StandardV2, at most 16. */
function ipv6GatewayIssues(w: RawWorkload): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { sku, ipsV6 } = w.gateway;
  const maxV6 = AZURE.maxPublicIpv6StandardV2.value;
  if (w.cloud === "aws" && sku !== undefined) {
    issues.push({
      path: "gateway.sku",
      value: sku,
      message: `${show(sku)} is an Azure NAT gateway SKU; AWS NAT gateways have none: remove gateway.sku`,
    });
  }
  if (ipsV6 === undefined || ipsV6 === 0) return issues;
  if (w.cloud === "aws") {
    issues.push({
      path: "gateway.ipsV6",
      value: ipsV6,
      message: `${v6Words(ipsV6)}, but an AWS NAT gateway translates IPv4 only (IPv6 egress goes through an egress-only internet gateway): remove gateway.ipsV6`,
    });
  } else if (sku !== "StandardV2") {
    issues.push({
      path: "gateway.ipsV6",
      value: ipsV6,
      message: `${v6Words(ipsV6)}, but a ${sku ?? "Standard"} Azure NAT gateway takes none (IPv6 needs StandardV2): set gateway.sku: StandardV2, or remove gateway.ipsV6`,
    });
  } else if (ipsV6 > maxV6) {
    issues.push({
      path: "gateway.ipsV6",
      value: ipsV6,
      message: `${fmt(ipsV6)} exceeds the ${maxV6} public IPv6 addresses a StandardV2 NAT gateway can use; set gateway.ipsV6 to ${maxV6} or fewer`,
    });
  }
  return issues;
}

function destinationIssues(w: RawWorkload): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const names = new Map<string, number>();
  const endpoints = new Map<string, number>();
  w.destinations.forEach((d, i) => {
    const first = names.get(d.name);
    if (first !== undefined) {
      issues.push({
        path: `destinations[${i}].name`,
        value: d.name,
        message: `duplicate destination name ${show(d.name)} (also destinations[${first}]); give each destination its own name`,
      });
    } else names.set(d.name, i);
    if (addressFamily(d.address) === "ipv6") {
      const problem = ipv6DestinationProblem(d.address, {
        cloud: w.cloud,
        sku: w.gateway.sku,
        ipsV6: w.gateway.ipsV6,
      });
      if (problem) issues.push({ path: `destinations[${i}].address`, value: d.address, message: problem });
    }
    const key = endpointKey(d);
    const same = endpoints.get(key);
    if (same !== undefined) {
      issues.push({
        path: `destinations[${i}].address`,
        value: d.address,
        message:
          `${show(d.name)} is ${endpointText(d)}, the endpoint of destinations[${same}] ${show(w.destinations[same].name)} too: ` +
          "both share one port inventory (a NAT gateway counts ports per address, port and protocol, not per name); " +
          `make them one destination and point several traffic streams at it (traffic[].to: ${show(w.destinations[same].name)})`,
      });
    } else endpoints.set(key, i);
    const hasDuration = d.peakDurationSeconds !== undefined;
    const hasHold = d.peakHoldSeconds !== undefined;
    if (hasDuration !== hasHold) {
      const missing = hasDuration ? "peakHoldSeconds" : "peakDurationSeconds";
      issues.push({
        path: `destinations[${i}].${missing}`,
        message: `is required with ${hasDuration ? "peakDurationSeconds" : "peakHoldSeconds"}: give both (a sustained peak) or neither (one instant)`,
      });
    }
    if ((hasDuration || hasHold) && d.peakConnections === undefined) {
      issues.push({
        path: `destinations[${i}].peakConnections`,
        message:
          "is required with peakDurationSeconds and peakHoldSeconds (how many connections the peak holds)",
      });
    }
  });
  return issues;
}

function trafficIssues(w: RawWorkload): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const byName = new Map(w.destinations.map((d) => [d.name, d]));
  const known = [...byName.keys()];
  let steps = 0;
  w.traffic.forEach((t, i) => {
    const before = steps;
    steps += t.schedule?.length ?? 0;
    if (steps > MAX_SCHEDULE_STEPS && before <= MAX_SCHEDULE_STEPS) {
      issues.push({
        path: `traffic[${i}].schedule`,
        message:
          `brings the workload to ${fmt(steps)} schedule steps, more than natcap's bound of ${fmt(MAX_SCHEDULE_STEPS)} across all traffic streams; ` +
          "merge steps or describe the pattern with fewer, longer steps",
      });
    }
    const d = byName.get(t.to);
    if (!d) {
      issues.push({
        path: `traffic[${i}].to`,
        value: t.to,
        message: `unknown destination ${show(t.to)} (known: ${known
          .slice(0, 20)
          .map((n) => (n.length > 40 ? `${n.slice(0, 37)}...` : n))
          .join(", ")}${known.length > 20 ? ", ..." : ""})`,
      });
    } else if (d.protocol === "udp" && (t.close === "fin" || t.close === "rst")) {
      issues.push({
        path: `traffic[${i}].close`,
        value: t.close,
        message:
          `${show(t.close)} does not apply to UDP destination ${show(d.name)}: UDP has no FIN or RST: a NAT gateway ends a UDP flow only at its idle timeout; ` +
          "remove close or set close: idle",
      });
    }
    let last = -1;
    t.schedule?.forEach((s, j) => {
      if (s.atSeconds <= last) {
        issues.push({
          path: `traffic[${i}].schedule[${j}].atSeconds`,
          value: s.atSeconds,
          message: `${fmt(s.atSeconds)} must be later than the previous step (${fmt(last)}); list steps in time order`,
        });
      }
      last = s.atSeconds;
    });
  });
  return issues;
}

/**
 * The workload past natcap's work bound ({@link MAX_ANALYTIC_WORK}: a unit per destination, traffic
 * stream and schedule step), as one issue naming each count and the fix; checked on the counts
 * before any entry is parsed, so a huge workload is refused at once.
 */
export function workIssues(w: {
  readonly destinations: readonly unknown[];
  readonly traffic: readonly { readonly schedule?: readonly unknown[] }[];
}): FieldIssue[] {
  const steps = w.traffic.reduce((n, t) => n + (t.schedule?.length ?? 0), 0);
  const work = w.destinations.length + w.traffic.length + steps;
  if (work <= MAX_ANALYTIC_WORK) return [];
  return [
    {
      path: "destinations",
      value: w.destinations.length,
      message:
        `with ${fmt(w.traffic.length)} traffic streams and ${fmt(steps)} schedule steps, ${fmt(w.destinations.length)} destinations ` +
        `make ${fmt(work)} units of work (one per destination, stream and step), more than natcap's bound of ${fmt(MAX_ANALYTIC_WORK)} ` +
        "(every answer within seconds); split the workload by destination into several files, or merge streams and steps",
    },
  ];
}

/** Cross-field problems of a schema-valid workload, in input order. */
export function crossFieldIssues(w: RawWorkload): FieldIssue[] {
  return [...gatewayIssues(w), ...destinationIssues(w), ...trafficIssues(w)];
}

/**
 * Destinations whose traffic could hold more ports than natcap's bound
 * ({@link MAX_PORTS_HELD_PER_DESTINATION}), counted fill-aware: ports held never exceed the attempts
 * the run makes, so a 1 ms burst at 1,000,000/s (1,000 attempts) is accepted whatever its steady
 * state would be. No NAT gateway comes near the bound, and planning past it is unbounded work.
 */
export function loadIssues(w: Workload): FieldIssue[] {
  const issues: FieldIssue[] = [];
  destinationLoads(w).forEach((load, i) => {
    const held = Math.min(load.peakOffered, load.attempts);
    if (!(held <= MAX_PORTS_HELD_PER_DESTINATION)) {
      const first = w.traffic.findIndex((t) => t.to === load.name);
      issues.push({
        path: `traffic[${first}].connectionsPerSecond`,
        value: w.traffic[first]?.connectionsPerSecond,
        message:
          `traffic to destinations[${i}] ${show(load.name)} would hold about ${fmt(held)} ports at its peak ` +
          `(the smaller of rate × multiplier × seconds each port is held, ${fmt(load.peakOffered)}, and the run's ${fmt(load.attempts)} attempts), ` +
          `past natcap's bound of ${fmt(MAX_PORTS_HELD_PER_DESTINATION)} per destination ` +
          "and far past what any NAT gateway holds for one endpoint; lower connectionsPerSecond, the schedule multipliers or the hold",
      });
    }
  });
  return issues;
}

/**
 * Warnings about a valid workload that do not stop a run: schedule steps at or after the end of the
 * run never apply.
 */
export function workloadWarnings(w: Workload): string[] {
  const warnings: string[] = [];
  w.traffic.forEach((t, i) => {
    t.schedule?.forEach((s, j) => {
      if (s.atSeconds >= w.durationSeconds) {
        warnings.push(
          `traffic[${i}].schedule[${j}].atSeconds: ${fmt(s.atSeconds)} is at or after the end of the run ` +
            `(durationSeconds ${fmt(w.durationSeconds)}), so the step never applies; lower atSeconds or raise durationSeconds`,
        );
      }
    });
  });
  return warnings;
}
