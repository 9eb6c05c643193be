/**
 * How the rules report. A broken limit is a violation at the policy's own enforcement level, worded
 * from the same {@link Finding} the components throw. A value unknown during preview is never a
 * silent pass: the rule reports "cannot be evaluated during preview", as an advisory diagnostic of
 * the same policy — the convention the policy SDK itself follows when a rule reads an unknown value —
 * so that a preview is not blocked by what only the deployment can tell, yet the gap is visible.
 *
 * @module
 */
import type { ReportViolation } from "@pulumi/policy";
import type { Finding } from "../../core/checks";

/** Reporting helpers bound to one policy and one call. */
export interface Reporter {
  /** Reports a violation at the policy's level: `subject: message` and the fix. */
  violation(subject: string, message: string, fix: string, urn?: string): void;
  /** Reports a finding from core/checks at the policy's level. */
  finding(subject: string, finding: Finding, urn?: string): void;
  /** Reports, as advisory, that the rule cannot be evaluated during preview, and why. */
  cannotEvaluate(subject: string, why: string, urn?: string): void;
}

/** Text of a violation message: what is wrong, then what to change. */
export function violationText(subject: string, message: string, fix: string): string {
  return `${subject}: ${message}\nFix: ${fix}`;
}

/** Text of the advisory "cannot be evaluated during preview" message. */
export function cannotEvaluateText(subject: string, why: string): string {
  return (
    `${subject}: cannot be evaluated during preview: ${why}. ` +
    "natcap checks what is known now; this check runs again when the values are known (pulumi up, or the next preview)"
  );
}

/** Binds the reporting helpers to a policy's description and `reportViolation`. */
export function reporter(description: string, report: ReportViolation): Reporter {
  return {
    violation(subject, message, fix, urn) {
      report(violationText(subject, message, fix), urn);
    },
    finding(subject, f, urn) {
      // Every message names the property it is about, even when the shared check's wording does not.
      const named =
        f.path && !f.message.includes(f.path)
          ? `${f.message} (${f.path} = ${JSON.stringify(f.value)})`
          : f.message;
      report(violationText(subject, named, f.fix), urn);
    },
    cannotEvaluate(subject, why, urn) {
      // The policy SDK accepts a policy-info object here and takes its enforcement level for this one
      // diagnostic (server.js makeReportViolationFun); its typings only declare the string form.
      const info = {
        message: `${description}\n${cannotEvaluateText(subject, why)}`,
        urn,
        enforcementLevel: "advisory",
      };
      (report as unknown as (info: object) => void)(info);
    },
  };
}
