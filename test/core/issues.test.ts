import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkAwsZonalIps, checkAzureIps, type Finding } from "../../core/checks";
import { type Issue, LimitError, ValidationError } from "../../core/errors";
import { issueLine, raiseIssues } from "../../core/issues";
import { AWS } from "../../core/limits";

const issue = fc.record(
  {
    path: fc.string({ maxLength: 12 }),
    value: fc.oneof(fc.integer(), fc.string({ maxLength: 8 })),
    message: fc.string({ minLength: 1, maxLength: 30 }),
    fix: fc.string({ minLength: 1, maxLength: 20 }),
    severity: fc.constantFrom("error" as const, "warning" as const),
  },
  { requiredKeys: ["path", "message"] },
);

function thrown(f: () => void): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("one issue type, one raise function", () => {
  it("a finding of the pure checks is an issue: path, value, message, fix, severity", () => {
    const [f] = checkAzureIps(1, [20]);
    const asIssue: Issue = f;
    expect(asIssue).toMatchObject({ path: "publicIpPrefixes[0].prefixLength", value: 20, severity: "error" });
    expect(typeof asIssue.fix).toBe("string");
  });

  it("errors without a limit throw a ValidationError worded as `path: message; fix: fix`, warnings go to warn", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 10 }),
        fc.array(issue, { maxLength: 5 }),
        (prefix, issues) => {
          const warned: string[] = [];
          const e = thrown(() => raiseIssues(prefix, issues, (m) => warned.push(m)));
          const errors = issues.filter((i) => i.severity !== "warning");
          expect(warned).toEqual(
            issues.filter((i) => i.severity === "warning").map((i) => issueLine(prefix, i)),
          );
          if (errors.length === 0) {
            expect(e).toBeUndefined();
            return;
          }
          // The wording the components used before issues and findings were one type.
          const before = new ValidationError(
            errors.map((i) => ({
              path: i.path,
              value: i.value,
              message: i.fix === undefined ? i.message : `${i.message}; fix: ${i.fix}`,
            })),
            prefix,
          );
          expect(e).toBeInstanceOf(ValidationError);
          expect((e as Error).message).toBe(before.message);
        },
      ),
    );
  });

  it("an error tied to a cloud limit throws a LimitError naming its field, listing every error", () => {
    const findings: Finding[] = checkAwsZonalIps(9);
    expect(findings.some((f) => f.limit !== undefined)).toBe(true);
    const e = thrown(() => raiseIssues('AwsNatGateway "egress"', findings, () => {}));
    expect(e).toBeInstanceOf(LimitError);
    expect((e as LimitError).field).toBe("ipCount");
    expect((e as Error).message).toBe(
      findings
        .filter((f) => f.severity === "error")
        .map((f) => `AwsNatGateway "egress": ${f.path} ${f.message}; fix: ${f.fix}`)
        .join("\n"),
    );
    expect((e as Error).message).toContain(String(AWS.maxIpsPerZonalGateway.value));
  });
});
