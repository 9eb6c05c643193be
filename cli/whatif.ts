/**
 * The `--what-if` option shared by `natcap simulate` and `natcap replay`: after the usual output, a
 * what-if table (sim/sizing/whatif.ts) of IPs → expected errors, headroom and monthly cost. With `--json`,
 * the plan is added to the result object as `whatIf` (the contract's other keys are unchanged).
 *
 * @module
 */
import { InvalidArgumentError, Option } from "commander";
import { parse } from "yaml";
import type { ReportFormat } from "../render/report";
import { renderWhatIfMarkdown, renderWhatIfTable } from "../render/whatif-report";
import type { SimulationResult } from "../sim/result/result";
import { planWhatIf, type WhatIfPlan } from "../sim/sizing/whatif";
import { validateWorkload, type Workload } from "../sim/workload/workload";
import type { ConnectionTrace } from "../telemetry/reconstruct/connections";
import type { ReplayOptions } from "../telemetry/replay/replay";
import { aggregateTrace } from "../telemetry/sinks/aggregate";
import { buildWorkload } from "../telemetry/sinks/workload-writer";

/** The `--what-if` option. */
export function whatIfOption(): Option {
  return new Option(
    "--what-if",
    "also print a what-if table: IPs from 1 to the maximum → expected errors, headroom, monthly cost",
  );
}

/** Parses `--gb-per-month`: GB processed per month for the cost column. */
function gbPerMonth(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError(
      `--gb-per-month ${JSON.stringify(value)} is not a number of GB, 0 or more (e.g. 500).`,
    );
  }
  return n;
}

/** The `--gb-per-month` option (overrides the workload's `gbPerMonth`). */
export function gbPerMonthOption(): Option {
  return new Option("--gb-per-month <gb>", "GB processed per month for the what-if cost column").argParser(
    gbPerMonth,
  );
}

/** Options the what-if output reads. */
export interface WhatIfFlags {
  /** Print the what-if table. */
  whatIf?: boolean;
  /** GB processed per month. */
  gbPerMonth?: number;
}

/** The plan when `--what-if` is given, else undefined. */
export function whatIfPlanFor(workload: Workload, flags: WhatIfFlags): WhatIfPlan | undefined {
  return flags.whatIf ? planWhatIf(workload, { gbPerMonth: flags.gbPerMonth }) : undefined;
}

/**
 * The command's output with the what-if plan: JSON gets a `whatIf` key, a table or Markdown gets
 * the what-if table after the report.
 */
export function withWhatIf(
  text: string,
  result: SimulationResult,
  format: ReportFormat,
  plan: WhatIfPlan | undefined,
): string {
  if (!plan) return text;
  if (format === "json") return `${JSON.stringify({ ...result, whatIf: plan }, null, 2)}\n`;
  return `${text}\n${format === "markdown" ? renderWhatIfMarkdown(plan) : renderWhatIfTable(plan)}`;
}

/**
 * The what-if plan of a replayed trace: the trace is turned into a workload as `natcap import`
 * writes it (fitted rates and holds per endpoint, `gbPerMonth` from the bytes carried), on the
 * replay's gateway (`ips` IPs and the options the logs cannot show), then planned.
 *
 * @param gateway the replay's gateway options @default the cloud's
 */
export function replayWhatIfPlan(
  trace: ConnectionTrace,
  flags: WhatIfFlags,
  ips: number,
  gateway: Pick<ReplayOptions, "perIpDestinationLimit" | "portReuseSeconds" | "idleTimeoutMinutes"> = {},
): WhatIfPlan | undefined {
  if (!flags.whatIf) return undefined;
  const { yaml } = buildWorkload(aggregateTrace(trace), { ips });
  const input = parse(yaml) as { gateway: Record<string, unknown> };
  input.gateway = {
    ...input.gateway,
    perIpDestinationLimit: gateway.perIpDestinationLimit,
    portReuseSeconds: gateway.portReuseSeconds,
    idleTimeoutMinutes: trace.cloud === "azure" ? gateway.idleTimeoutMinutes : undefined,
  };
  return planWhatIf(validateWorkload(input, "replay"), { gbPerMonth: flags.gbPerMonth });
}
