/**
 * Compile-time checks that the component-facing copies of the capacity contract match the
 * simulator's definitions. Pulumi's component schema inference needs plain, union-free interfaces
 * declared in the component sources, so the argument and output types of the capacity check are
 * declared there; these checks make `tsc` fail when a copy drifts from the simulator (sim/workload/workload.ts,
 * sim/verdict/capacity.ts, sim/workload/gatewayEndpoints.ts). Nothing here runs.
 *
 * @module
 */

import type { z } from "zod";
import type { CapacityReport, DestinationCapacity, GatewayModel } from "../../sim/verdict/capacity";
import type { GatewayEndpointServiceName } from "../../sim/workload/gatewayEndpoints";
import type { ExpectedTraffic, HoldDistributionSchema, WorkloadInput } from "../../sim/workload/workload";
import type { CapacityMethod, CapacitySummary, DestinationSummary } from "./capacity";
import type {
  CloseKind,
  ExpectedDestinationArgs,
  ExpectedStreamArgs,
  ExpectedTrafficArgs,
  GatewayEndpointService,
  HoldArgs,
  HoldDistribution,
  Protocol,
} from "./expectation";

/** True when A and B are the same type (not merely assignable either way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when T is `true`. */
type Assert<T extends true> = T;

type SimDestination = ExpectedTraffic["destinations"][number];
type SimStream = NonNullable<ExpectedTraffic["traffic"]>[number];
type SimHold = NonNullable<SimStream["hold"]>;
type WorkloadDestination = WorkloadInput["destinations"][number];
type WorkloadStream = NonNullable<WorkloadInput["traffic"]>[number];

/**
 * The checks, each a type that only compiles when its condition holds. Exported so the compiler
 * keeps them; not part of the package's API.
 */
export type CapacityContractChecks = [
  // The expectation argument (every field but the flat `hold`) is assignable to the simulator's type.
  Assert<ExpectedDestinationArgs extends SimDestination ? true : false>,
  Assert<Omit<ExpectedStreamArgs, "hold"> extends Omit<SimStream, "hold"> ? true : false>,
  Assert<
    Omit<ExpectedTrafficArgs, "destinations" | "traffic"> extends Omit<
      ExpectedTraffic,
      "destinations" | "traffic"
    >
      ? true
      : false
  >,
  // One vocabulary: a workload file's destination and traffic entry have exactly the component's
  // fields, and an entry written as documented (holdSeconds a number, hold a distribution) is a
  // component entry as it is, so one copied from a workload file compiles.
  Assert<Equal<keyof WorkloadDestination, keyof ExpectedDestinationArgs>>,
  Assert<Equal<keyof WorkloadStream, keyof ExpectedStreamArgs>>,
  Assert<WorkloadDestination extends ExpectedDestinationArgs ? true : false>,
  Assert<
    Omit<WorkloadStream, "holdSeconds"> & { holdSeconds?: number } extends ExpectedStreamArgs ? true : false
  >,
  // The flat hold is the simulator's flat hold, and it can express every distribution the schema accepts.
  Assert<Equal<HoldArgs, SimHold>>,
  Assert<z.input<typeof HoldDistributionSchema> extends HoldArgs ? true : false>,
  // The whole argument is assignable to the simulator's expectation (toExpectedTraffic needs no cast).
  Assert<ExpectedTrafficArgs extends ExpectedTraffic ? true : false>,
  Assert<Equal<HoldDistribution, SimHold["distribution"]>>,
  // The enums list exactly the simulator's values.
  Assert<Equal<CapacityMethod, NonNullable<GatewayModel["method"]>>>,
  Assert<Equal<Protocol, NonNullable<SimDestination["protocol"]>>>,
  Assert<Equal<CloseKind, NonNullable<SimStream["close"]>>>,
  Assert<Equal<GatewayEndpointService, NonNullable<SimDestination["service"]>>>,
  Assert<Equal<GatewayEndpointService, GatewayEndpointServiceName>>,
  Assert<Equal<GatewayEndpointService, NonNullable<GatewayModel["gatewayEndpoints"]>[number]>>,
  // The summary output is the simulator's report: the same destination fields, the same totals.
  // (Reason codes are plain strings in the outputs: schema inference refuses union types.)
  Assert<
    Equal<
      Omit<DestinationSummary, "reasons" | "addressFamily">,
      Omit<DestinationCapacity, "reasons" | "addressFamily">
    >
  >,
  Assert<DestinationCapacity["reasons"] extends DestinationSummary["reasons"] ? true : false>,
  Assert<DestinationCapacity["addressFamily"] extends DestinationSummary["addressFamily"] ? true : false>,
  Assert<
    Equal<
      Omit<
        CapacitySummary,
        | "mode"
        | "autoSized"
        | "autoSizedV6"
        | "excluded"
        | "destinations"
        | "reasons"
        | "ipsV6NeededReason"
        | "method"
      >,
      // `analytic` and `result` (the figures) are not component outputs; `method` is a plain string there.
      Omit<
        CapacityReport,
        "result" | "analytic" | "method" | "destinations" | "reasons" | "ipsV6NeededReason"
      >
    >
  >,
  Assert<CapacityReport["method"] extends CapacitySummary["method"] ? true : false>,
  Assert<CapacityReport["reasons"] extends CapacitySummary["reasons"] ? true : false>,
  Assert<CapacityReport["ipsV6NeededReason"] extends CapacitySummary["ipsV6NeededReason"] ? true : false>,
];
