/**
 * `natcap simulate FILE`: reads a workload, simulates it and prints the result (table, JSON or
 * Markdown), optionally with an HTML report. Exit 0 when no destination is predicted to exhaust its
 * ports, 1 when one is, 2 for bad input (a NatcapError, printed by cli/program.ts).
 *
 * @module
 */
import { readFileSync, statSync } from "node:fs";
import { SingleBar } from "cli-progress";
import { Command, InvalidArgumentError, Option } from "commander";
import { fileProblem, show, WorkloadError } from "../core/errors";
import { fmt } from "../core/format";
import { renderHtml } from "../render/html";
import { type ReportFormat, renderJson, renderMarkdown, renderTable, reportNotes } from "../render/report";
import { writeReport } from "../render/report-file";
import { checkWorkBudget, estimatedAttempts } from "../sim/engine/simulate";
import { runWithMethod, SIMULATE_METHODS, type SimulateMethod } from "../sim/verdict/method";
import { DEFAULT_MAX_ATTEMPTS, MAX_WORKLOAD_BYTES } from "../sim/workload/bounds";
import { workloadWarnings } from "../sim/workload/rules";
import { parseWorkload, type Workload } from "../sim/workload/workload";
import { EXIT_PROBLEM } from "./exit-codes";
import { gbPerMonthOption, type WhatIfFlags, whatIfOption, whatIfPlanFor, withWhatIf } from "./whatif";

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
      [
        {
          path: "(file)",
          value: file,
          message: `${show(file)} ${fileProblem(code)}: give a readable workload file`,
        },
      ],
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

/** Options of `natcap simulate`. */
interface SimulateOpts extends WhatIfFlags {
  json?: boolean;
  seed?: number;
  format: ReportFormat;
  report?: string;
  maxAttempts: number;
  method: SimulateMethod;
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
 * [--max-attempts N] [--method simulate|analytic|auto]`. Work is bounded: the attempts a run needs
 * are estimated first; past the budget `simulate` (the default) refuses (exit 2) before any work,
 * `auto` answers with the analytic path instead, and `analytic` never simulates.
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
    .addOption(
      new Option(
        "--method <method>",
        "simulate (analytic figures beside), analytic (no simulation; cost follows schedule steps), or auto (simulate within --max-attempts, else analytic)",
      )
        .choices(SIMULATE_METHODS)
        .default("simulate"),
    )
    .addOption(whatIfOption())
    .addOption(gbPerMonthOption())
    .action((file: string, opts: SimulateOpts) => {
      const workload = readWorkload(file);
      const format: ReportFormat = opts.json ? "json" : opts.format;
      if (opts.method === "simulate") checkWorkBudget(workload, opts.maxAttempts);
      for (const warning of workloadWarnings(workload)) process.stderr.write(`natcap: warning: ${warning}\n`);
      const attempts = estimatedAttempts(workload);
      const simulates =
        opts.method === "simulate" || (opts.method === "auto" && attempts <= opts.maxAttempts);
      const bar =
        simulates && process.stderr.isTTY && attempts > PROGRESS_ATTEMPTS ? progressBar() : undefined;
      let run: ReturnType<typeof runWithMethod>;
      try {
        run = runWithMethod(workload, opts.method, {
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
