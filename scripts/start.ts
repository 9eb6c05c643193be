/**
 * `npm start`: natcap's main job on the embedded default, with no credentials and no network.
 *
 * 1. Finds the default example: the `main` of the root Pulumi.yaml (examples/aws-zonal-egress).
 * 2. Runs it under Pulumi's mocks runtime and checks it with natcap's policy pack over the Analyzer
 *    protocol, as `natcap check` does (with the example's policy-config.json when it has one).
 * 3. Simulates the expected traffic each natcap gateway of the program declared, with the IPs the
 *    component gave it.
 * 4. Prints a preview-like summary (resources, policy results, a per-destination capacity table) and
 *    writes the HTML report of the first gateway.
 * 5. Prints the first gateway's what-if table (IPs → expected errors, headroom, monthly cost), also in
 *    the HTML report.
 *
 * Usage: `npm start` (builds first), or `tsx scripts/start.ts [--out FILE.html]` after `npm run build`.
 * Exit code 0 when the check passes and no gateway is predicted to exhaust its ports, 1 otherwise,
 * 2 on bad input.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runCheck } from "../check/index";
import { readProject, recordProgram } from "../check/program";
import { renderText } from "../check/report";
import { EXIT_INTERNAL, EXIT_OK, EXIT_PROBLEM, EXIT_USAGE } from "../cli/exit-codes";
import { NatcapError } from "../core/errors";
import { renderHtml } from "../render/html";
import { reportNotes } from "../render/report";
import { writeReport } from "../render/report-file";
import { renderWhatIfTable } from "../render/whatif-report";
import { runSimulation } from "../sim/engine/simulate";
import { planWhatIf } from "../sim/sizing/whatif";
import { declaredGateways, renderSummary } from "./summary";

/** The repository root (the folder with the root Pulumi.yaml). */
export const ROOT = path.resolve(__dirname, "..");

/** Options of {@link start}. */
export interface StartOptions {
  /** HTML report file. @default "out/report.html" under the repository root */
  reportFile?: string;
  /** Where the summary goes. @default process.stdout */
  write?: (text: string) => void;
}

/** Runs the main job and resolves to its exit code. */
export async function start(options: StartOptions = {}): Promise<number> {
  const write = options.write ?? ((t: string) => process.stdout.write(t));
  const reportFile = options.reportFile ?? path.join(ROOT, "out", "report.html");
  const example = readProject(ROOT).main;
  const program = path.relative(process.cwd(), example) || ".";
  const config = path.join(example, "policy-config.json");
  const [record, check] = await Promise.all([
    recordProgram(example),
    runCheck(example, { policyPackConfig: fs.existsSync(config) ? config : undefined }),
  ]);
  const gateways = declaredGateways(record).map((gateway) => ({
    gateway,
    run: runSimulation(gateway.workload),
  }));
  const first = gateways[0];
  const whatIf = first ? planWhatIf(first.gateway.workload) : undefined;
  if (first) {
    const notes = reportNotes(first.gateway.workload, first.run.result);
    writeReport(
      reportFile,
      renderHtml({ ...first.run, notes, whatIf, title: `natcap report: ${first.gateway.names.join(", ")}` }),
    );
  }
  write(
    renderSummary({
      program,
      record,
      check,
      policyText: renderText(check),
      gateways: gateways.map((g) => ({ gateway: g.gateway, result: g.run.result })),
      reportFile: first ? path.relative(process.cwd(), reportFile) : "(none: no gateway declared traffic)",
    }),
  );
  if (whatIf) write(`\n${first?.gateway.names.join(", ")}: ${renderWhatIfTable(whatIf)}`);
  write(
    "\nTelemetry: sample flow logs in examples/telemetry; try `natcap replay examples/telemetry/aws-custom --cloud aws --ips 1,2 --per-ip-destination-limit 120` (docs/telemetry.md).\n",
  );
  const exhausted = gateways.some((g) => g.run.result.verdict !== "ok");
  return check.exitCode !== EXIT_OK || exhausted ? EXIT_PROBLEM : EXIT_OK;
}

function parseArgs(argv: readonly string[]): StartOptions {
  const i = argv.indexOf("--out");
  return i >= 0 && argv[i + 1] ? { reportFile: path.resolve(argv[i + 1]) } : {};
}

if (require.main === module) {
  start(parseArgs(process.argv.slice(2))).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      if (e instanceof NatcapError) {
        process.stderr.write(`natcap: ${e.message}\n`);
        process.exitCode = EXIT_USAGE;
      } else {
        process.stderr.write(`natcap: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
        process.exitCode = EXIT_INTERNAL;
      }
    },
  );
}
