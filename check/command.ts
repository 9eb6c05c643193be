/**
 * The `natcap check` subcommand. Heavy modules (gRPC, the Pulumi SDK) load inside the action, so
 * other `natcap` commands start fast.
 *
 * @module
 */
import { Command } from "commander";

/** `natcap check PROGRAM_DIR [--policy-pack DIR] [--policy-pack-config FILE] [--json]`. */
export function checkCommand(): Command {
  return new Command("check")
    .description(
      "run a Pulumi TypeScript program under Pulumi's mocks (preview mode) and check it with a policy pack " +
        "through the Analyzer protocol; an emulation, not a substitute for a real `pulumi preview`",
    )
    .argument("<program_dir>", "folder with Pulumi.yaml of a Node.js (TypeScript) program")
    .option("--policy-pack <dir>", "policy pack folder (default: natcap's own pack)")
    .option(
      "--policy-pack-config <file>",
      "JSON policy config, in the format of `pulumi preview --policy-pack-config`",
    )
    .option("--stack <name>", "stack name; config comes from Pulumi.<name>.yaml", "dev")
    .option("--json", "print the result as JSON only")
    .action(
      async (
        programDir: string,
        opts: { policyPack?: string; policyPackConfig?: string; stack: string; json?: boolean },
      ) => {
        const { runCheck } = await import("./index");
        const { renderJson, renderText } = await import("./report");
        const { ProgramRejectedError } = await import("./program");
        let result: Awaited<ReturnType<typeof runCheck>>;
        try {
          result = await runCheck(programDir, {
            policyPack: opts.policyPack,
            policyPackConfig: opts.policyPackConfig,
            stack: opts.stack,
          });
        } catch (e) {
          // A natcap component refused the program (a broken limit, predicted exhaustion): as in a
          // real preview the program fails, and the check has found a problem.
          if (!(e instanceof ProgramRejectedError)) throw e;
          if (opts.json)
            process.stdout.write(
              `${JSON.stringify({ program: programDir, error: e.message, exitCode: 1 }, null, 2)}\n`,
            );
          process.stderr.write(`natcap: ${e.message}\n`);
          process.exitCode = 1;
          return;
        }
        process.stdout.write(opts.json ? renderJson(result) : renderText(result));
        if (result.exitCode !== 0) process.exitCode = result.exitCode;
      },
    );
}
