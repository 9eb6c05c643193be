/**
 * The `natcap` command. Each subcommand is built by a function returning a commander `Command`;
 * add one with `program.addCommand(...)` in {@link buildProgram}. Commands print results on stdout,
 * set `process.exitCode = 1` when the check finds a problem, and throw a `NatcapError` for bad input
 * (printed on stderr, exit code 2, no stack trace). Usage errors also exit 2.
 *
 * @module
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { SingleBar } from "cli-progress";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { checkCommand } from "./check/command";
import { importCommand } from "./cli/import";
import { replayCommand } from "./cli/replay";
import { gbPerMonthOption, type WhatIfFlags, whatIfOption, whatIfPlanFor, withWhatIf } from "./cli/whatif";
import { DEFAULT_MAX_ATTEMPTS, MAX_WORKLOAD_BYTES } from "./sim/bounds";
import { NatcapError, ValidationError, WorkloadError } from "./sim/errors";
import { fmt } from "./sim/format";
import { renderHtml } from "./sim/html";
import { type ReportFormat, renderJson, renderMarkdown, renderTable, reportNotes } from "./sim/report";
import { checkWorkBudget, estimatedAttempts, runSimulation } from "./sim/simulate";
import { parseWorkload, type Workload } from "./sim/workload";
import { workloadWarnings } from "./sim/workload-rules";

/** Exit code when a check finds a problem (predicted errors, a mandatory violation). */
export const EXIT_PROBLEM = 1;
/** Exit code for bad input or usage. */
export const EXIT_USAGE = 2;

/** Attempts per second the engine sustains, roughly; runs expected to take over a second show progress. */
const PROGRESS_ATTEMPTS = 4_000_000;

/**
 * Reads and validates a workload file; a file that cannot be read, is not a regular file or is
 * larger than {@link MAX_WORKLOAD_BYTES} (checked before reading) is a WorkloadError naming it.
 */
export function readWorkload(file: string): Workload {
  let text: string;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) {
      throw new WorkloadError(
        [
          {
            path: "(file)",
            value: file,
            message: "is not a regular file: give the path of a YAML or JSON workload file",
          },
        ],
        file,
      );
    }
    if (stat.size > MAX_WORKLOAD_BYTES) {
      throw new WorkloadError(
        [
          {
            path: "(file)",
            value: file,
            message: `is ${fmt(stat.size)} bytes, more than natcap's bound of ${fmt(MAX_WORKLOAD_BYTES)} bytes (10 MB) for a workload file; a workload lists destinations and traffic streams, not individual connections`,
          },
        ],
        file,
      );
    }
    text = readFileSync(file, "utf8");
  } catch (e) {
    if (e instanceof WorkloadError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new WorkloadError(
      [{ path: "(file)", value: file, message: `cannot read the workload file (${code})` }],
      file,
    );
  }
  return parseWorkload(text, file);
}

function parseMaxAttempts(value: string): number {
  const n = Number(value.replace(/_/g, ""));
  if (!/^\s*[\d_]+(e\d+)?\s*$/i.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(
      `--max-attempts ${JSON.stringify(value)} is not a whole number from 1 to ${Number.MAX_SAFE_INTEGER} (e.g. 5000000000).`,
    );
  }
  return n;
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
interface SimulateOpts extends WhatIfFlags {
  json?: boolean;
  seed?: number;
  format: ReportFormat;
  report?: string;
  maxAttempts: number;
}

/** `42s`, `3m05s`: a duration in seconds for the progress bar. */
function clock(seconds: number): string {
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/**
 * The progress bar's ETA: the wall time spent so far, scaled by the share of simulated time still to
 * run (`done` from 0 to 1). `...` until there is a share to scale by.
 */
export function etaText(done: number, elapsedSeconds: number): string {
  if (!(done > 0) || !(elapsedSeconds >= 0)) return "...";
  return clock((elapsedSeconds * Math.max(0, 1 - done)) / done);
}

/** A progress bar on stderr whose ETA comes from the share of simulated time done and the wall time spent. */
function progressBar(): { update: (done: number) => void; stop: () => void } {
  const bar = new SingleBar({
    stream: process.stderr,
    format: "simulating [{bar}] {percentage}% | elapsed {elapsedText} | ETA {etaText}",
  });
  const started = Date.now();
  bar.start(100, 0, { elapsedText: "0s", etaText: "..." });
  return {
    update(done) {
      const elapsed = (Date.now() - started) / 1000;
      bar.update(Math.floor(done * 100), { elapsedText: clock(elapsed), etaText: etaText(done, elapsed) });
    },
    stop: () => bar.stop(),
  };
}

/**
 * `natcap simulate FILE [--json] [--seed N] [--format table|json|markdown] [--report FILE.html]
 * [--max-attempts N]`. Work is bounded: the attempts a run needs are estimated first and a run past
 * the budget is refused (exit 2) before any work.
 */
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
    .option(
      "--max-attempts <n>",
      `most simulated connection attempts to run; a workload expected to need more is refused before any work`,
      parseMaxAttempts,
      DEFAULT_MAX_ATTEMPTS,
    )
    .addOption(whatIfOption())
    .addOption(gbPerMonthOption())
    .action((file: string, opts: SimulateOpts) => {
      const workload = readWorkload(file);
      const format: ReportFormat = opts.json ? "json" : opts.format;
      checkWorkBudget(workload, opts.maxAttempts);
      for (const warning of workloadWarnings(workload)) process.stderr.write(`natcap: warning: ${warning}\n`);
      const attempts = estimatedAttempts(workload);
      const bar = process.stderr.isTTY && attempts > PROGRESS_ATTEMPTS ? progressBar() : undefined;
      let run: ReturnType<typeof runSimulation>;
      try {
        run = runSimulation(workload, {
          seed: opts.seed,
          maxAttempts: opts.maxAttempts,
          onProgress: bar?.update,
        });
      } finally {
        bar?.stop();
      }
      const { result } = run;
      const notes = reportNotes(workload, result);
      const whatIf = whatIfPlanFor(workload, opts);
      if (opts.report) writeReport(opts.report, renderHtml({ ...run, notes, whatIf }));
      const text =
        format === "json"
          ? renderJson(result)
          : format === "markdown"
            ? renderMarkdown(result, notes)
            : renderTable(result, notes);
      process.stdout.write(withWhatIf(text, result, format, whatIf));
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
  program.addCommand(importCommand());
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
  // Commands report a found problem through process.exitCode; start clean so that an earlier run in
  // the same process (tests, embedding) cannot leak its code into this one, and restore it after.
  const outer = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
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
  } finally {
    process.exitCode = outer;
  }
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
