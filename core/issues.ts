/**
 * Raising issues (core/errors.ts `Issue`), the one way natcap turns them into errors and warnings:
 * input parsers, a component's own argument checks and the pure limit checks (core/checks.ts) all
 * end here.
 *
 * @module
 */
import { type Issue, LimitError, ValidationError } from "./errors";

/**
 * One issue as one line after a subject: `<prefix>: <path> <message>; fix: <fix>`, e.g.
 * `AwsNatGateway "egress": ipCount 9 exceeds the 8 IPv4 addresses a zonal NAT gateway can hold (AWS quota L-5F53652F); fix: ...`.
 * When the message does not start with the value, a colon separates path and message.
 */
export function issueLine(prefix: string, issue: Issue): string {
  const sep = issue.message.startsWith(String(issue.value)) ? " " : ": ";
  const fix = issue.fix === undefined ? "" : `; fix: ${issue.fix}`;
  return `${prefix}: ${issue.path}${sep}${issue.message}${fix}`;
}

/**
 * Acts on issues, the one way natcap raises them: warnings go to `warn`; errors are thrown. When an
 * error is tied to a cloud limit (`limit` set) it throws {@link LimitError} for the first such issue,
 * its message listing every error (one {@link issueLine} each); otherwise {@link ValidationError} with
 * every error issue. Does nothing when there is no error.
 *
 * @param prefix the subject every message starts with, e.g. `AwsNatGateway "egress"`.
 * @param warn where warnings go. @default warnings are not reported (callers that have none)
 */
export function raiseIssues(
  prefix: string,
  issues: readonly Issue[],
  warn?: (message: string) => void,
): void {
  const errors = issues.filter((i) => i.severity !== "warning");
  if (warn) for (const i of issues) if (i.severity === "warning") warn(issueLine(prefix, i));
  if (errors.length === 0) return;
  const limited = errors.find((i) => i.limit !== undefined);
  if (limited) {
    throw new LimitError(limited.path, limited.value, errors.map((i) => issueLine(prefix, i)).join("\n"));
  }
  throw new ValidationError(errors, prefix);
}
