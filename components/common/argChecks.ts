/**
 * Argument checks every planner uses: a value that must be one of an enum's values, and an argument
 * given where it does not apply. Each returns field issues (empty when fine) for the planner to
 * collect and throw together as one ValidationError.
 *
 * @module
 */
import { type FieldIssue, show } from "../../core/errors";

/**
 * Issues when `value` is given and is not one of the values of `choices` (an `as const` enum object):
 * names the field, the value and every allowed value, e.g.
 * `capacityCheck: "loud" is not one of error, warn, off`.
 */
export function enumIssues(field: string, value: unknown, choices: Record<string, string>): FieldIssue[] {
  const allowed = Object.values(choices);
  if (value === undefined || (typeof value === "string" && allowed.includes(value))) return [];
  const meant =
    typeof value === "string"
      ? allowed.find((a) => a.toLowerCase() === value.trim().toLowerCase())
      : undefined;
  const hint = meant === undefined ? "" : ` (names are case-sensitive: write ${meant})`;
  return [{ path: field, value, message: `${show(value)} is not one of ${allowed.join(", ")}${hint}` }];
}

/** An issue for an argument that does not apply here; a list value is shown by its length. */
export function notAllowed(field: string, value: unknown, why: string): FieldIssue {
  return { path: field, value: Array.isArray(value) ? `[${value.length} items]` : value, message: why };
}
