/**
 * The `natcap` program: wires one subcommand per file of cli/ and turns what a command throws into
 * an exit code from the one table (cli/exit-codes.ts). Commands print results on stdout, set
 * `process.exitCode` to {@link EXIT_PROBLEM} when the check finds a problem, and throw a `NatcapError`
 * for bad input (printed on stderr, {@link EXIT_USAGE}, no stack trace). Usage errors also exit 2.
 * Add a command with `program.addCommand(...)` in {@link buildProgram}.
 *
 * @module
 */
import { Command, CommanderError } from "commander";
import { NatcapError } from "../core/errors";
import { checkCommand } from "./check";
import { EXIT_OK, EXIT_PROBLEM, EXIT_USAGE } from "./exit-codes";
import { importCommand } from "./import";
import { replayCommand } from "./replay";
import { simulateCommand } from "./simulate";

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

/**
 * Runs the CLI and resolves to its exit code ({@link EXIT_OK} fine, {@link EXIT_PROBLEM} problem
 * found, {@link EXIT_USAGE} bad input or usage). Anything else thrown is a bug and rejects.
 *
 * @param argv the process arguments (node, script, then the command's). @default process.argv
 */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  const program = buildProgram();
  overrideExits(program);
  // Commands report a found problem through process.exitCode; start clean so that an earlier run in
  // the same process (tests, embedding) cannot leak its code into this one, and restore it after.
  const outer = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version end with exit code 0; every usage error with 2 (commander printed it).
      return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
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
