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
export { type HtmlReportInput, renderHtml } from "../render/html";
export { type ReportFormat, renderJson, renderMarkdown, renderTable, reportNotes } from "../render/report";
export { renderCentralHtml, renderCentralWhatIfTable } from "../render/whatif-central";
export { type AnalyticRun, analyzeWorkload, analyzeWorkloadDetailed } from "./analytic/analyze";
export {
  checkWorkBudget,
  estimatedAttempts,
  runSimulation,
  type SimulateOptions,
  type SimulationRun,
  simulate,
} from "./engine/simulate";
export type { DestinationResult, SimulationResult, Totals } from "./result/result";
export type { DestinationSeries, SimulationSeries } from "./result/series";
export {
  type CentralCost,
  type CentralWhatIfInput,
  type CentralWhatIfPlan,
  centralCost,
  planCentralWhatIf,
} from "./sizing/central";
export {
  type AssessOptions,
  AUTO_SIMULATE_MAX_ATTEMPTS,
  assessCapacity,
  type CapacityMethod,
  type CapacityReport,
  type DestinationCapacity,
  type GatewayModel,
} from "./verdict/capacity";
export {
  type CapacityFailure,
  capacityFailure,
  capacityFix,
  type FailureFacts,
  type FixFacts,
  type IpCountSetting,
} from "./verdict/capacity-message";
export { type MethodRun, runWithMethod, type SimulateMethod } from "./verdict/method";
export {
  type DestinationVerdict,
  destinationVerdict,
  type ExhaustionReason,
  type GatewayVerdict,
  gatewayVerdict,
  ipsNeededWords,
  type MinIpsReason,
  verdictFix,
} from "./verdict/verdict";
export * as bounds from "./workload/bounds";
export { workloadWarnings } from "./workload/rules";
export { expectationTags, PEAK_TAG_PREFIX, parseExpectationTags } from "./workload/tags";
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
} from "./workload/workload";
