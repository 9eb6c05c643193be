/**
 * What a component does with issues (core/errors.ts, raised by core/issues.ts): errors become exceptions that name the
 * component, the argument, the value, the rule and the fix; warnings go to the Pulumi log. Both
 * component families raise problems through the one function, {@link raiseIssues}, under the names
 * below.
 *
 * @module
 */
import { issueLine, raiseIssues } from "../../core/issues";

/** One finding as one line after the component's prefix (see core/issues.ts `issueLine`). */
export const formatFinding = issueLine;

/** Where a component sends warnings (normally `pulumi.log.warn` with the component as resource). */
export type Warn = (message: string) => void;

/**
 * Acts on the findings of the pure checks: warnings are sent to `warn`; errors are thrown
 * (LimitError when tied to a cloud limit, ValidationError otherwise): core/issues.ts `raiseIssues`.
 */
export const applyFindings: (
  prefix: string,
  findings: Parameters<typeof raiseIssues>[1],
  warn: Warn,
) => void = raiseIssues;

/**
 * Throws a ValidationError for argument problems found by a component's own plan (conflicting or
 * missing arguments), prefixed with the component. Does nothing when `issues` is empty: core/errors.ts
 * `raiseIssues` without a warning sink.
 */
export const failOnIssues: (prefix: string, issues: Parameters<typeof raiseIssues>[1]) => void = raiseIssues;
