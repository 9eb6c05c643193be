/**
 * The types of the capacity check (sim/verdict/capacity.ts): the gateway model it runs against, the
 * methods that answer, and the report.
 *
 * @module
 */

import type { SimulationResult } from "../result/result";
import type { AddressFamily } from "../workload/address";
import type { GatewayEndpointServiceName } from "../workload/gatewayEndpoints";
import type { ExhaustionReason, MinIpsReason } from "./verdict";

/**
 * How rate-based traffic is checked: `analytic` — the time-varying analytic path (cost follows
 * schedule steps × destinations, not attempts; about a second for a day of traffic); `simulate` —
 * the discrete-event simulator (exact for the model; refused past the default work budget);
 * `auto` — the analytic path, whose answer stands where it is validated (every destination's
 * expected errors clearly below or clearly above the verdict's threshold: sim/verdict/method.ts
 * `analyticTrust`); near the threshold a simulation answers instead when it needs at most
 * {@link AUTO_SIMULATE_MAX_ATTEMPTS} attempts.
 */
export type CapacityMethod = "analytic" | "simulate" | "auto";

/** The methods {@link CapacityMethod} allows, for validation and help texts. */
export const CAPACITY_METHODS: readonly CapacityMethod[] = ["analytic", "simulate", "auto"];

/**
 * Most expected attempts `auto` simulates where the analytic answer is not validated (5,000,000:
 * well under a second of simulation); past it `auto` answers analytically there too.
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
  /** Why that method answered, in words (e.g. the analytic answer is validated for this input). */
  methodReason: string;
  /**
   * Digest of the inputs the verdict depends on (sim/verdict/capacity-input.ts `digestOf`): the policy pack
   * reuses a component's assessment when the digest it computes from what it sees is equal.
   */
  digest: string;
  /** The analytic result, present when the analytic path ran (methods `analytic` and `auto`) and there is rate-based traffic. */
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
