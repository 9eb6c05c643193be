/**
 * `natcap/sim`: the simulator and the checks without any Pulumi dependency. Parse or validate a
 * workload, simulate it, assess expected traffic against a gateway, render reports, and read the
 * cloud limits and the pure checks the components and the policy pack share (those live in core/ and
 * are re-exported here unchanged).
 *
 * ```ts
 * import { parseWorkload, runSimulation, renderHtml } from "natcap/sim";
 * const run = runSimulation(parseWorkload(text, "workload.yaml"));
 * ```
 *
 * @module
 */

export * as checks from "../core/checks";
export {
  CapacityError,
  type FieldIssue,
  type Issue,
  LimitError,
  NatcapError,
  ValidationError,
  WorkBudgetError,
  WorkloadError,
} from "../core/errors";
export { issueLine, raiseIssues } from "../core/issues";
export * as limits from "../core/limits";
export { type AnalyticRun, analyzeWorkload, analyzeWorkloadDetailed } from "./analyze";
export * as bounds from "./bounds";
export {
  type AssessOptions,
  AUTO_SIMULATE_MAX_ATTEMPTS,
  assessCapacity,
  type CapacityMethod,
  type CapacityReport,
  type DestinationCapacity,
  type GatewayModel,
} from "./capacity";
export {
  type CapacityFailure,
  capacityFailure,
  capacityFix,
  type FailureFacts,
  type FixFacts,
  type IpCountSetting,
} from "./capacity-message";
export { type HtmlReportInput, renderHtml } from "./html";
export { type MethodRun, runWithMethod, type SimulateMethod } from "./method";
export { type ReportFormat, renderJson, renderMarkdown, renderTable, reportNotes } from "./report";
export type { DestinationResult, SimulationResult, Totals } from "./result";
export type { DestinationSeries, SimulationSeries } from "./series";
export {
  checkWorkBudget,
  estimatedAttempts,
  runSimulation,
  type SimulateOptions,
  type SimulationRun,
  simulate,
} from "./simulate";
export { expectationTags, PEAK_TAG_PREFIX, parseExpectationTags } from "./tags";
export {
  type DestinationVerdict,
  destinationVerdict,
  type ExhaustionReason,
  type GatewayVerdict,
  gatewayVerdict,
  ipsNeededWords,
  type MinIpsReason,
  verdictFix,
} from "./verdict";
export {
  type CentralCost,
  type CentralWhatIfInput,
  type CentralWhatIfPlan,
  centralCost,
  planCentralWhatIf,
  renderCentralHtml,
  renderCentralWhatIfTable,
} from "./whatif-central";
export {
  type Destination,
  type ExpectedTraffic,
  ExpectedTrafficSchema,
  type FlatHold,
  parseWorkload,
  type Traffic,
  validateWorkload,
  type Workload,
  type WorkloadInput,
} from "./workload";
export { workloadWarnings } from "./workload-rules";
