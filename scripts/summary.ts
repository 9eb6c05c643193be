/**
 * Pure parts of `npm start`: which natcap gateways a recorded program declared (with their expected
 * traffic and IP count), the workload to simulate for each, and the preview-like text summary.
 *
 * @module
 */

import type { ProgramRecord, RecordedResource } from "../check/record";
import type { CheckResult } from "../check/report";
import { type ExpectedTrafficArgs, toExpectedTraffic } from "../components/common/expectation";
import { fmt } from "../core/format";
import { TYPE_TOKEN } from "../core/tokens";
import type { SimulationResult } from "../sim/result/result";
import { validateWorkload, type Workload } from "../sim/workload/workload";

/** Simulated seconds when an expectation does not say, as the components' capacity check uses. */
export const DEFAULT_DURATION_SECONDS = 600;

/** A natcap gateway component of the program, with what its capacity check saw. */
export interface DeclaredGateway {
  /** Component names that share this expectation and IP count (e.g. one per Availability Zone). */
  names: string[];
  /** Component type token, e.g. `natcap:index:AwsNatGateway`. */
  type: string;
  /** Which cloud's model applies. */
  cloud: "aws" | "azure";
  /** IPs the component gave the gateway. */
  ips: number;
  /** The workload to simulate: the component's expectation against its IPs. */
  workload: Workload;
}

const CLOUD_OF: Record<string, "aws" | "azure"> = {
  [TYPE_TOKEN.awsNatGateway]: "aws",
  [TYPE_TOKEN.azureNatGateway]: "azure",
};

function plain(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The natcap gateway components of a recorded program that registered an expectation and a capacity
 * result, grouped when the expectation and IP count are the same (per-zone gateways of AwsEgressNat).
 *
 * @throws {WorkloadError} when a registered expectation is not a valid workload (paths name the field).
 */
export function declaredGateways(record: ProgramRecord): DeclaredGateway[] {
  const groups = new Map<string, DeclaredGateway>();
  for (const r of record.resources) {
    const cloud = CLOUD_OF[r.type];
    const expected = r.outputs?.expectedTraffic;
    const capacity = r.outputs?.capacity;
    if (!cloud || !plain(expected) || !plain(capacity) || typeof capacity.ips !== "number") continue;
    const ips = capacity.ips;
    const traffic = toExpectedTraffic(expected as unknown as ExpectedTrafficArgs);
    const key = JSON.stringify([r.type, ips, traffic]);
    const found = groups.get(key);
    if (found) {
      found.names.push(r.name);
      continue;
    }
    const workload = validateWorkload(
      {
        cloud,
        gateway: { ips, ...idleTimeout(r) },
        durationSeconds: DEFAULT_DURATION_SECONDS,
        ...traffic,
      },
      `${r.type.split(":").pop()} "${r.name}"`,
    );
    groups.set(key, { names: [r.name], type: r.type, cloud, ips, workload });
  }
  return [...groups.values()];
}

function idleTimeout(r: RecordedResource): { idleTimeoutMinutes?: number } {
  const v = r.inputs?.idleTimeoutInMinutes ?? r.outputs?.idleTimeoutInMinutes;
  return typeof v === "number" ? { idleTimeoutMinutes: v } : {};
}

/** Resource counts by type, most frequent first (then by type), like the steps of a preview. */
export function resourceCounts(record: ProgramRecord): { type: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const r of record.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts.entries()]
    .map(([type, count]) => ({ type, count }))
    .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i <= 1 || i === r.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ")
      .trimEnd(),
  );
}

/** Per-destination capacity rows of one simulated gateway. */
export function capacityRows(result: SimulationResult): string[] {
  const rows = [["destination", "endpoint", "peak", "capacity", "IPs needed", "errors", "verdict"]];
  for (const d of result.destinations) {
    const errors = d.portAllocationErrors;
    const short = d.minIpsForZeroErrors > result.ips;
    rows.push([
      d.name,
      d.endpoint,
      fmt(Math.max(d.peakConnections, d.peakPortsHeld)),
      fmt(d.capacity),
      String(d.minIpsForZeroErrors),
      fmt(errors),
      errors > 0 || short ? "EXHAUSTED" : "ok",
    ]);
  }
  return table(rows);
}

/** Input of {@link renderSummary}. */
export interface SummaryInput {
  /** Program folder, as shown to the user. */
  program: string;
  /** The recorded program. */
  record: ProgramRecord;
  /** The policy check result. */
  check: CheckResult;
  /** The policy section, as `natcap check` prints it. */
  policyText: string;
  /** Each declared gateway with its simulation result. */
  gateways: { gateway: DeclaredGateway; result: SimulationResult }[];
  /** Where the HTML report was written. */
  reportFile: string;
}

/** The preview-like summary `npm start` prints. */
export function renderSummary(s: SummaryInput): string {
  const out: string[] = [];
  out.push(
    `Previewing ${s.record.project}/${s.record.stack} (${s.program}) under Pulumi's mocks runtime: no credentials, no cloud.`,
    "",
    "Resources:",
    `    + ${s.record.resources.length} to create`,
  );
  for (const { type, count } of resourceCounts(s.record))
    out.push(`      ${String(count).padStart(3)} × ${type}`);
  out.push("", `Policies (${s.check.policyPack.name} v${s.check.policyPack.version}):`);
  for (const l of s.policyText.trimEnd().split("\n")) out.push(l ? `    ${l}` : "");
  out.push("", "Capacity (simulated per destination):");
  if (s.gateways.length === 0) out.push("    no natcap gateway declared an expectedTraffic");
  for (const { gateway: g, result } of s.gateways) {
    out.push(
      "",
      `    ${g.names.join(", ")}: ${g.cloud.toUpperCase()}, ${g.ips} IP${g.ips === 1 ? "" : "s"} each, ` +
        `${result.ipSelection}, ${fmt(result.durationSeconds)} s simulated (seed ${result.seed}): ${result.verdict}`,
    );
    for (const row of capacityRows(result)) out.push(`      ${row}`);
  }
  out.push("", `HTML report: ${s.reportFile}`);
  return `${out.join("\n")}\n`;
}
