/**
 * Renders `natcap check` results like the policy section of `pulumi preview`:
 *
 * ```
 * Policy Violations:
 *     [mandatory]  natcap-policies v0.1.0  aws-nat-gateway-ip-limit (aws:ec2/natGateway:NatGateway: egress)
 *     A zonal AWS NAT gateway holds at most 8 IPv4 addresses ...
 * ```
 *
 * @module
 */
import type { Diagnostic, EnforcementLevel } from "./pack";
import type { ProgramLog } from "./record";

/** One diagnostic with the resource it is about. */
export interface CheckDiagnostic extends Diagnostic {
  /** Type token of the resource ("" for the whole stack). */
  resourceType: string;
  /** Logical name of the resource ("" for the whole stack). */
  resourceName: string;
}

/** The result of `natcap check`. */
export interface CheckResult {
  /** Program folder checked. */
  program: string;
  /** Pack name and version. */
  policyPack: { name: string; version: string; dir: string };
  /** Stack whose config the program ran with. */
  stack: string;
  /** Resources the program registered. */
  resources: number;
  /**
   * What the program and the components logged (`pulumi.log.info/warn/error`: quota and idle-timeout
   * warnings, `capacityCheck: warn`), in order; `urn` names the resource a message is about.
   */
  logs: ProgramLog[];
  /** Every diagnostic, in the engine's order: per-resource ones first, then stack ones. */
  diagnostics: CheckDiagnostic[];
  /** Count of mandatory diagnostics. */
  mandatory: number;
  /** Count of advisory diagnostics. */
  advisory: number;
  /** 1 when any diagnostic is mandatory, else 0. */
  exitCode: 0 | 1;
}

/** Type and name of a URN (`urn:pulumi:stack::project::parent$type::name`). */
export function parseUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  if (parts.length < 4) return { type: "", name: "" };
  const qualified = parts[2];
  return { type: qualified.split("$").pop() ?? qualified, name: parts.slice(3).join("::") };
}

/** Adds resource type and name to diagnostics. */
export function withResource(ds: readonly Diagnostic[]): CheckDiagnostic[] {
  return ds.map((d) => {
    const { type, name } = parseUrn(d.urn);
    return { ...d, resourceType: type, resourceName: name };
  });
}

/** The header line of one diagnostic. */
export function headline(d: CheckDiagnostic): string {
  const where = d.resourceType ? ` (${d.resourceType}: ${d.resourceName})` : "";
  return `[${d.enforcementLevel}]  ${d.policyPackName} v${d.policyPackVersion}  ${d.policyName}${where}`;
}

const ORDER: Record<EnforcementLevel, number> = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 };

/** The program's log messages as `pulumi preview` prints its diagnostics section. */
export function renderLogs(logs: readonly ProgramLog[]): string[] {
  if (logs.length === 0) return [];
  const lines = ["Diagnostics:"];
  for (const l of logs) {
    const { type, name } = parseUrn(l.urn ?? "");
    lines.push(`  ${type ? `${type} (${name})` : "program"}:`);
    for (const [i, m] of l.message.split("\n").entries())
      lines.push(`    ${i === 0 ? `${l.severity}: ` : ""}${m}`);
  }
  lines.push("");
  return lines;
}

/** Plain-text report. */
export function renderText(result: CheckResult): string {
  const lines: string[] = renderLogs(result.logs);
  const sorted = [...result.diagnostics].sort(
    (a, b) => ORDER[a.enforcementLevel] - ORDER[b.enforcementLevel],
  );
  if (sorted.length > 0) {
    lines.push("Policy Violations:");
    for (const d of sorted) {
      lines.push(`    ${headline(d)}`);
      for (const l of d.message.split("\n")) lines.push(`    ${l}`);
      lines.push("");
    }
  } else {
    lines.push(`No policy violations (${result.policyPack.name} v${result.policyPack.version}).`, "");
  }
  lines.push(
    `${result.resources} resources checked: ${result.mandatory} mandatory, ${result.advisory} advisory.`,
    "natcap check emulates the Pulumi engine with Pulumi's mocks runtime (a preview with every computed value " +
      "unknown); it is not a substitute for `pulumi preview --policy-pack` against your cloud account.",
  );
  return `${lines.join("\n")}\n`;
}

/** JSON report (stdout, nothing else). */
export function renderJson(result: CheckResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
