/**
 * The `natcap` command's entry point (`bin/natcap.js` runs its compiled form): it only starts the
 * program of cli/program.ts. Each subcommand lives in its own file under cli/; the exit codes are in
 * cli/exit-codes.ts. The names below are re-exported for code that imported them from here.
 *
 * @module
 */
import { EXIT_INTERNAL } from "./cli/exit-codes";
import { main } from "./cli/program";

export { EXIT_PROBLEM, EXIT_USAGE } from "./cli/exit-codes";
export { buildProgram, main } from "./cli/program";
export { etaText, readWorkload, simulateCommand } from "./cli/simulate";
export { writeReport } from "./render/report-file";

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`natcap: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = EXIT_INTERNAL;
    },
  );
}
