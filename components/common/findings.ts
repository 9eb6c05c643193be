/**
 * Turns findings of the pure checks (sim/checks.ts) into what a component does with them: errors
 * become exceptions that name the component, the argument, the value, the rule and the fix; warnings
 * go to the Pulumi log. Both component families format problems the same way.
 *
 * @module
 */
import type { Finding } from "../../core/checks";
import { type FieldIssue, LimitError, ValidationError } from "../../core/errors";

/**
 * One finding as one line: `<prefix>: <field> <message>; fix: <fix>`, e.g.
 * `AwsNatGateway "egress": ipCount 9 exceeds the 8 IPv4 addresses a zonal NAT gateway can hold (AWS quota L-5F53652F); fix: ...`.
 * When the message does not start with the value, a colon separates field and message.
 */
export function formatFinding(prefix: string, finding: Finding): string {
  const startsWithValue = finding.message.startsWith(String(finding.value));
  const sep = startsWithValue ? " " : ": ";
  return `${prefix}: ${finding.field}${sep}${finding.message}; fix: ${finding.fix}`;
}

/** Where a component sends warnings (normally `pulumi.log.warn` with the component as resource). */
export type Warn = (message: string) => void;

/**
 * Acts on the findings of the pure checks: warnings are sent to `warn`; errors are thrown.
 * An error finding tied to a cloud limit (`finding.limit` set) throws {@link LimitError} (the first
 * such finding; the message lists every error); other errors (an invalid value, not a limit) throw
 * {@link ValidationError} with one issue per finding.
 */
export function applyFindings(prefix: string, findings: readonly Finding[], warn: Warn): void {
  const errors = findings.filter((f) => f.severity === "error");
  for (const f of findings) if (f.severity === "warning") warn(formatFinding(prefix, f));
  if (errors.length === 0) return;
  const limited = errors.find((f) => f.limit !== undefined);
  if (limited) {
    const message = errors.map((f) => formatFinding(prefix, f)).join("\n");
    throw new LimitError(limited.field, limited.value, message);
  }
  throw new ValidationError(
    errors.map((f) => ({ path: f.field, value: f.value, message: `${f.message}; fix: ${f.fix}` })),
    prefix,
  );
}

/**
 * Throws a {@link ValidationError} for argument problems found by a component's own plan (conflicting
 * or missing arguments), prefixed with the component. Does nothing when `issues` is empty.
 */
export function failOnIssues(prefix: string, issues: readonly FieldIssue[]): void {
  if (issues.length > 0) throw new ValidationError(issues, prefix);
}
