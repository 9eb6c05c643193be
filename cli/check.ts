/**
 * The `natcap check` subcommand: parses the options, runs the check/ library and maps its outcome to
 * the exit-code table (cli/exit-codes.ts). Heavy modules (gRPC, the Pulumi SDK) load inside the action, so
 * other `natcap` commands start fast.
 *
 * @module
 */
import { Command, InvalidArgumentError } from "commander";
import { DEFAULT_STALL_SECONDS } from "../check/record";
import { NatcapError } from "../core/errors";
import { EXIT_OK, EXIT_PROBLEM, EXIT_USAGE } from "./exit-codes";

/** Default of `--timeout`, in seconds (also in check/program.ts; kept here so --help loads nothing). */
const DEFAULT_TIMEOUT_SECONDS = 120;

/** A parser of `flag`'s number of seconds, up to a day; 0 only when it means "no limit". */
function seconds(flag: string, zeroMeansNoLimit: boolean): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\s*\d+(\.\d+)?\s*$/.test(value) || (!zeroMeansNoLimit && !(n > 0)) || n > 86_400) {
      const from = zeroMeansNoLimit ? "0 (no limit)" : "more than 0";
      throw new InvalidArgumentError(
        `${flag} ${JSON.stringify(value)} is not a number of seconds from ${from} to 86400 (e.g. ${flag} 300).`,
      );
    }
    return n;
  };
}

/** Options of `natcap check`. */
interface CheckOpts {
  policyPack?: string;
  policyPackConfig?: string;
  stack?: string;
  json?: boolean;
  timeout: number;
  stallTimeout: number;
}

/**
 * `natcap check PROGRAM_DIR [--policy-pack DIR] [--policy-pack-config FILE] [--stack NAME]
 * [--timeout SECONDS] [--stall-timeout SECONDS] [--json]`.
 */
export function checkCommand(): Command {
  return new Command("check")
    .description(
      "run a Pulumi TypeScript program under Pulumi's mocks (preview mode) and check it with a policy pack " +
        "through the Analyzer protocol; an emulation, not a substitute for a real `pulumi preview`",
    )
    .argument("[program_dir]", "folder with Pulumi.yaml of a Node.js (TypeScript) program", ".")
    .option("--policy-pack <dir>", "policy pack folder (default: natcap's own pack)")
    .option(
      "--policy-pack-config <file>",
      "JSON policy config, in the format of `pulumi preview --policy-pack-config`",
    )
    .option(
      "--stack <name>",
      "stack name; config comes from Pulumi.<name>.yaml (default: dev, or the folder's only stack file)",
    )
    .option(
      "--timeout <seconds>",
      "stop the program (and everything it started) after this many seconds",
      seconds("--timeout", false),
      DEFAULT_TIMEOUT_SECONDS,
    )
    .option(
      "--stall-timeout <seconds>",
      "stop the program when it has made no progress (no resource registered, no output resolved) for this many seconds; 0: never",
      seconds("--stall-timeout", true),
      DEFAULT_STALL_SECONDS,
    )
    .option("--json", "print the result as JSON only")
    .action(async (programDir: string, opts: CheckOpts) => {
      const { runCheck } = await import("../check/index");
      const { renderJson, renderLogs, renderText } = await import("../check/report");
      const { ProgramError, ProgramRejectedError } = await import("../check/program");
      let result: Awaited<ReturnType<typeof runCheck>>;
      try {
        result = await runCheck(programDir, {
          policyPack: opts.policyPack,
          policyPackConfig: opts.policyPackConfig,
          stack: opts.stack,
          timeoutMs: opts.timeout * 1000,
          stallTimeoutMs: opts.stallTimeout * 1000,
        });
      } catch (e) {
        if (!(e instanceof NatcapError)) throw e;
        // A natcap component refused the program (a broken limit, predicted exhaustion): as in a real
        // preview the program fails, and the check has found a problem (1). Anything else the
        // program or its files got wrong is bad input (2).
        const exitCode = e instanceof ProgramRejectedError ? EXIT_PROBLEM : EXIT_USAGE;
        const logs = e instanceof ProgramError || e instanceof ProgramRejectedError ? [...e.logs] : [];
        if (opts.json)
          process.stdout.write(
            `${JSON.stringify({ program: programDir, error: e.message, errorClass: e.name, logs, exitCode }, null, 2)}\n`,
          );
        else if (logs.length > 0) process.stderr.write(`${renderLogs(logs).join("\n")}\n`);
        process.stderr.write(`natcap: ${e.message}\n`);
        process.exitCode = exitCode;
        return;
      }
      process.stdout.write(opts.json ? renderJson(result) : renderText(result));
      if (result.exitCode !== EXIT_OK) process.exitCode = result.exitCode;
    });
}
