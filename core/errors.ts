/**
 * natcap's error classes. Each kind of failure has one class, so callers (and tests) can tell them
 * apart by `instanceof` rather than by message text. Messages always name the field, the value, the
 * rule and, where there is one, the fix.
 *
 * @module
 */

import { fmt } from "./format";
import type { Limit } from "./limits";

/**
 * One problem with one field of an input: natcap's one issue type. Input parsing, a component's
 * argument checks and the pure limit checks (core/checks.ts, whose `Finding` is an issue that always
 * has a severity and a fix) all report issues; core/issues.ts `raiseIssues` turns them into an error.
 */
export interface Issue {
  /** Dotted path of the field, e.g. `traffic[1].to` or `gateway.ips`. */
  readonly path: string;
  /** The offending value, when there is one. */
  readonly value?: unknown;
  /** The rule the value breaks, as a sentence fragment. */
  readonly message: string;
  /** What to change, when there is a change that would work. */
  readonly fix?: string;
  /** `error` breaks a rule or a hard limit; `warning` is advice or a soft (raisable) quota. @default "error" */
  readonly severity?: "error" | "warning";
  /** The cloud limit behind the issue, when there is one. */
  readonly limit?: Limit;
}

/** One problem with one field of an input (the name input parsers use for {@link Issue}). */
export type FieldIssue = Issue;

/** Base class of every error natcap throws on purpose. The CLI prints its message and exits 2. */
export class NatcapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An input value breaks a rule of the input format (wrong type, out of range, unknown name). */
export class ValidationError extends NatcapError {
  /** Every problem found, in input order. */
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[], prefix?: string) {
    const lines = issues.map(formatIssue);
    const body = lines.length === 1 ? lines[0] : `${lines.length} problems\n  ${lines.join("\n  ")}`;
    super(prefix ? `${prefix}: ${body}` : body);
    this.issues = issues;
  }
}

/** A workload file cannot be read or does not match the workload format. */
export class WorkloadError extends ValidationError {}

/** A requested configuration exceeds a hard cloud limit (e.g. 9 EIPs on a zonal NAT gateway). */
export class LimitError extends NatcapError {
  /** The argument or field that breaks the limit. */
  readonly field: string;
  /** Its value. */
  readonly value: unknown;
  constructor(field: string, value: unknown, message: string) {
    super(message);
    this.field = field;
    this.value = value;
  }
}

/** The simulator predicts port-allocation errors for the expected traffic. */
export class CapacityError extends NatcapError {}

/**
 * What a file-system error code means for a path the user gave, in words (the code kept in
 * parentheses), e.g. "does not exist (ENOENT)". Read after the quoted path in a message.
 */
export function fileProblem(code: string): string {
  if (code === "EISDIR") return "is a folder, not a file (EISDIR)";
  if (code === "ENOENT") return "does not exist (ENOENT)";
  if (code === "EACCES" || code === "EPERM") return `is not accessible (${code})`;
  if (code === "ENOTDIR" || code === "EEXIST")
    return `has a file where a folder should be in its path (${code})`;
  return `cannot be used (${code})`;
}

/** Renders one issue as `path: message`, followed by `; fix: <fix>` when it has a fix. */
export function formatIssue(issue: Issue): string {
  const text = issue.path ? `${issue.path}: ${issue.message}` : issue.message;
  return issue.fix === undefined ? text : `${text}; fix: ${issue.fix}`;
}

/**
 * What is wrong with a number that must be whole, from `min` to `max`: past `max` (whole or not),
 * the bound is what is broken and the message names it with its rule, once; otherwise
 * `<value> is not <what>`. Undefined when the number is fine.
 */
export function wholeNumberProblem(
  value: unknown,
  what: string,
  min: number,
  max: number,
  rule: string,
): string | undefined {
  if (typeof value === "number" && Number.isFinite(value) && value > max)
    return `${show(value)} exceeds ${fmt(max)} (${rule})`;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min)
    return `${show(value)} is not ${what}`;
  return undefined;
}

/** Renders a value for an error message: strings quoted, others as JSON, long values shortened. */
export function show(value: unknown): string {
  let text: string;
  if (typeof value === "string") text = JSON.stringify(value);
  else if (value === undefined) text = "undefined";
  else if (typeof value === "number" && !Number.isFinite(value)) text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * A run would take more work than its budget: the simulated attempts expected exceed the maximum.
 * Raised before any work is done.
 */
export class WorkBudgetError extends NatcapError {
  /** Attempts the workload is expected to simulate. */
  readonly estimate: number;
  /** The budget it exceeds. */
  readonly budget: number;
  /** Ways out, each a sentence fragment naming a setting and a value that would work. */
  readonly fixes: readonly string[];
  constructor(estimate: number, budget: number, durationSeconds: number) {
    const fitting =
      Number.isFinite(estimate) && estimate > 0 ? Math.floor((durationSeconds * budget) / estimate) : 0;
    const fixes = [
      fitting >= 1
        ? `shorten durationSeconds to ${fmt(fitting)} or less`
        : "lower connectionsPerSecond or the schedule multipliers",
      Number.isFinite(estimate) && estimate <= Number.MAX_SAFE_INTEGER
        ? `raise the budget with --max-attempts ${Math.ceil(estimate)} (the run then takes correspondingly long)`
        : "lower the rates: the estimate is past any budget",
      // The analytic path's cost follows schedule steps, not attempts: it answers any such workload.
      'answer it analytically with --method analytic (method: "analytic" in a capacity check)',
    ];
    super(
      `the workload needs about ${fmt(estimate)} simulated connection attempts, more than the budget of ` +
        `${fmt(budget)} (--max-attempts); fix: ${fixes.join(", or ")}`,
    );
    this.estimate = estimate;
    this.budget = budget;
    this.fixes = fixes;
  }
}
