/**
 * The `natcap` command. Each subcommand is built by a function returning a commander `Command`;
 * add one with `program.addCommand(...)` in {@link buildProgram}. Commands print results on stdout,
 * set `process.exitCode = 1` when the check finds a problem, and throw a `NatcapError` for bad input
 * (printed on stderr, exit code 2, no stack trace). Usage errors also exit 2.
 *
 * @module
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { SingleBar } from "cli-progress";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { checkCommand } from "./check/command";
import { replayCommand } from "./cli/replay";
import { NatcapError, ValidationError, WorkloadError } from "./sim/errors";
import { renderHtml } from "./sim/html";
import { destinationLoads } from "./sim/load";
import { type ReportFormat, renderJson, renderMarkdown, renderTable, reportNotes } from "./sim/report";
import { runSimulation } from "./sim/simulate";
import { parseWorkload, type Workload } from "./sim/workload";

/** Exit code when a check finds a problem (predicted errors, a mandatory violation). */
export const EXIT_PROBLEM = 1;
/** Exit code for bad input or usage. */
export const EXIT_USAGE = 2;

/** Attempts per second the engine sustains, roughly; runs expected to take over a second show progress. */
const PROGRESS_ATTEMPTS = 4_000_000;

/** Reads and validates a workload file; a file that cannot be read is a WorkloadError naming it. */
export function readWorkload(file: string): Workload {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new WorkloadError(
      [{ path: "(file)", value: file, message: `cannot read the workload file (${code})` }],
      file,
    );
  }
  return parseWorkload(text, file);
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n > 2 ** 32 - 1) {
    throw new InvalidArgumentError(
      `--seed ${JSON.stringify(value)} is not a whole number from 0 to 4294967295.`,
    );
  }
  return n;
}

/**
 * Writes the HTML report, creating its folder if needed.
 *
 * @throws {ValidationError} naming `--report` when the file cannot be written.
 */
export function writeReport(file: string, html: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, html);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new ValidationError(
      [{ path: "--report", value: file, message: `cannot write the report (${code})` }],
      "natcap simulate",
    );
  }
}

/** Options of `natcap simulate`. */
interface SimulateOpts {
  json?: boolean;
  seed?: number;
  format: ReportFormat;
  report?: string;
}

/** `natcap simulate FILE [--json] [--seed N] [--format table|json|markdown] [--report FILE.html]`. */
export function simulateCommand(): Command {
  return new Command("simulate")
    .description("simulate a workload file and predict SNAT port exhaustion per destination")
    .argument("<file>", "workload file (YAML or JSON)")
    .option("--json", "print the JSON result only (same as --format json)")
    .option("--seed <n>", "random seed (overrides the workload's seed)", parseSeed)
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["table", "json", "markdown"])
        .default("table"),
    )
    .option("--report <file>", "also write a self-contained HTML report with charts (e.g. out/report.html)")
    .action((file: string, opts: SimulateOpts) => {
      const workload = readWorkload(file);
      const format: ReportFormat = opts.json ? "json" : opts.format;
      const attempts = destinationLoads(workload).reduce((n, d) => n + d.attempts, 0);
      const bar =
        process.stderr.isTTY && attempts > PROGRESS_ATTEMPTS
          ? new SingleBar({ stream: process.stderr, format: "simulating [{bar}] {percentage}% | ETA {eta}s" })
          : undefined;
      bar?.start(100, 0);
      let run: ReturnType<typeof runSimulation>;
      try {
        run = runSimulation(workload, {
          seed: opts.seed,
          onProgress: bar ? (done) => bar.update(Math.floor(done * 100)) : undefined,
        });
      } finally {
        bar?.stop();
      }
      const { result } = run;
      const notes = reportNotes(workload, result);
      if (opts.report) writeReport(opts.report, renderHtml({ ...run, notes }));
      const text =
        format === "json"
          ? renderJson(result)
          : format === "markdown"
            ? renderMarkdown(result, notes)
            : renderTable(result, notes);
      process.stdout.write(text);
      if (result.verdict !== "ok") process.exitCode = EXIT_PROBLEM;
    });
}

/** The `natcap` program with every subcommand. */
export function buildProgram(): Command {
  const program = new Command("natcap")
    .description("predict and prevent SNAT port exhaustion on cloud NAT gateways")
    .showHelpAfterError();
  program.addCommand(simulateCommand());
  program.addCommand(checkCommand());
  program.addCommand(replayCommand());
  return program;
}

function overrideExits(cmd: Command): void {
  cmd.exitOverride().showHelpAfterError();
  for (const sub of cmd.commands) overrideExits(sub);
}

/** Runs the CLI and resolves to its exit code (0 fine, 1 problem found, 2 bad input or usage). */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  const program = buildProgram();
  overrideExits(program);
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version end with exit code 0; every usage error with 2 (commander printed it).
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (e instanceof NatcapError) {
      process.stderr.write(`natcap: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  return typeof process.exitCode === "number" ? process.exitCode : 0;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`natcap: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
