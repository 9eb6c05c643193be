/**
 * `natcap check`: runs a Pulumi TypeScript program under Pulumi's mocks runtime in preview mode,
 * starts a policy pack exactly as the Pulumi CLI does and drives it over the Analyzer gRPC service —
 * GetAnalyzerInfo, ConfigureStack, Configure (explicit enforcement levels, `--policy-pack-config`),
 * Analyze per resource, AnalyzeStack — and reports the violations as `pulumi preview` would.
 *
 * It emulates the engine with mocks: computed values are unknown, data sources return canned values,
 * nothing reaches a cloud. It is not a substitute for a real preview.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileProblem, show, ValidationError } from "../core/errors";
import { parsePolicyPackConfig, reconcileConfig } from "./config";
import { startPolicyPack } from "./pack";
import { recordProgram, toAnalyzerResources } from "./program";
import { type CheckResult, withResource } from "./report";

/**
 * The policy pack shipped with natcap: the `policies/` folder next to `check/` in the sources, or
 * two levels up from the compiled `dist/check/`.
 */
export const DEFAULT_POLICY_PACK =
  [path.resolve(__dirname, "..", "policies"), path.resolve(__dirname, "..", "..", "policies")].find((d) =>
    fs.existsSync(path.join(d, "PulumiPolicy.yaml")),
  ) ?? path.resolve(__dirname, "..", "policies");

/** Options of {@link runCheck}. */
export interface CheckOptions {
  /** Policy pack folder. @default the natcap pack */
  policyPack?: string;
  /** Path of a `--policy-pack-config` JSON file. */
  policyPackConfig?: string;
  /** Stack name (selects Pulumi.<stack>.yaml config). @default "dev", or the folder's only stack file */
  stack?: string;
  /** Longest program run, in ms. @default 120000 */
  timeoutMs?: number;
  /** Longest time the program may make no progress, in ms; 0: never. @default 60000 */
  stallTimeoutMs?: number;
}

function readConfigFile(file: string) {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ValidationError(
      [
        {
          path: "--policy-pack-config",
          value: file,
          message: `${show(file)} ${fileProblem((e as NodeJS.ErrnoException).code ?? (e as Error).message)}: give the path of a readable JSON policy config file (the format of pulumi preview --policy-pack-config)`,
        },
      ],
      "natcap check",
    );
  }
  return parsePolicyPackConfig(text, file);
}

/**
 * Checks a program against a policy pack.
 *
 * @throws {ValidationError} (or a subclass) on a bad folder or config file; ProgramError when the
 *   program fails; PolicyPackError when the pack does not start.
 */
export async function runCheck(programDir: string, options: CheckOptions = {}): Promise<CheckResult> {
  const packDir = path.resolve(options.policyPack ?? DEFAULT_POLICY_PACK);
  if (!fs.existsSync(path.join(packDir, "PulumiPolicy.yaml"))) {
    throw new ValidationError(
      [
        {
          path: "--policy-pack",
          value: options.policyPack ?? packDir,
          message: `${show(options.policyPack ?? packDir)} ${fs.existsSync(packDir) ? "is not a policy pack folder (no PulumiPolicy.yaml in it)" : fileProblem("ENOENT")}: give a policy pack folder, or leave --policy-pack out for natcap's own pack`,
        },
      ],
      "natcap check",
    );
  }
  const entries = options.policyPackConfig ? readConfigFile(options.policyPackConfig) : {};
  const record = await recordProgram(programDir, {
    stack: options.stack,
    timeoutMs: options.timeoutMs,
    stallTimeoutMs: options.stallTimeoutMs,
  });
  const { analyze, stack } = toAnalyzerResources(record);
  const pack = await startPolicyPack(packDir);
  try {
    const info = await pack.info();
    const config = reconcileConfig(info, entries, options.policyPackConfig);
    await pack.configureStack(record.stack, record.project);
    await pack.configure(config);
    const diagnostics = [];
    // The engine attaches the analyzed resource's URN to per-resource diagnostics.
    for (const r of analyze)
      diagnostics.push(...(await pack.analyze(r)).map((d) => ({ ...d, urn: d.urn || r.urn })));
    diagnostics.push(...(await pack.analyzeStack(stack)));
    const ds = withResource(diagnostics);
    const mandatory = ds.filter((d) => d.enforcementLevel === "mandatory").length;
    const advisory = ds.filter((d) => d.enforcementLevel === "advisory").length;
    return {
      program: programDir,
      policyPack: { name: info.name, version: info.version, dir: packDir },
      stack: record.stack,
      resources: record.resources.length,
      logs: record.logs ?? [],
      diagnostics: ds,
      mandatory,
      advisory,
      exitCode: mandatory > 0 ? 1 : 0,
    };
  } finally {
    await pack.close();
  }
}
