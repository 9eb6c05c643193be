/**
 * Runs a Pulumi TypeScript program for `natcap check`: in a child process (fresh runtime state, a
 * bounded wait, killed on timeout) under Pulumi's mocks in preview mode, and turns the recorded
 * registrations into the resources an engine would hand an analyzer.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NatcapError } from "../core/errors";
import {
  OUTPUT_VALUE_SIGNATURE,
  RESOURCE_REFERENCE_SIGNATURE,
  SPECIAL_SIGNATURE_KEY,
  UNKNOWN_SENTINEL,
} from "../core/tokens";
import type { AnalyzerResourceInput } from "./pack";
import { readProject, readStackConfig, selectStack } from "./project";
import {
  DEFAULT_STALL_SECONDS,
  type ProgramFailure,
  type ProgramLog,
  type ProgramRecord,
  type RecordedResource,
  type RunnerOutcome,
  type RunnerRequest,
} from "./record";

/** The program could not be run (it threw, did not compile, or did not finish in time). */
export class ProgramError extends NatcapError {
  /** What the program logged before it failed. */
  readonly logs: readonly ProgramLog[];
  constructor(message: string, logs: readonly ProgramLog[] = []) {
    super(message);
    this.logs = logs;
  }
}

/**
 * The program stopped because a natcap component refused it at construction: a broken cloud limit
 * (LimitError) or predicted port exhaustion (CapacityError). The check found a problem: exit code 1,
 * like a mandatory policy violation.
 */
export class ProgramRejectedError extends NatcapError {
  /** What the program logged before it was refused. */
  readonly logs: readonly ProgramLog[];
  constructor(message: string, logs: readonly ProgramLog[] = []) {
    super(message);
    this.logs = logs;
  }
}

/** The engine's sentinel for an unknown value (re-exported from core/tokens.ts). */
export { UNKNOWN_SENTINEL };

const SIG = SPECIAL_SIGNATURE_KEY;
const RESOURCE_SIG = RESOURCE_REFERENCE_SIGNATURE;
const OUTPUT_SIG = OUTPUT_VALUE_SIGNATURE;

export {
  type ProgramProject,
  readProject,
  readStackConfig,
  selectStack,
  stackFiles,
} from "./project";

// Loads the runner — JavaScript when natcap is installed; in natcap's own sources runner.ts and the
// modules it imports, compiled on the fly with natcap's TypeScript only while the runner loads, so the
// program's TypeScript registration is the runtime's and nothing else — then runs the program.
const BOOTSTRAP = `
const fs = require("fs"), path = require("path");
const [runnerFile, requestJson] = process.argv.slice(1);
let runner;
if (runnerFile.endsWith(".ts")) {
  const ts = require(require.resolve("typescript", { paths: [path.dirname(runnerFile)] }));
  require.extensions[".ts"] = (m, file) => {
    const out = ts.transpileModule(fs.readFileSync(file, "utf8"), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
      fileName: file,
    }).outputText;
    m._compile(out, file);
  };
  try {
    runner = require(runnerFile);
  } finally {
    delete require.extensions[".ts"];
  }
} else {
  runner = require(runnerFile);
}
runner.runProgram(JSON.parse(requestJson), [path.dirname(runnerFile), "[eval]"]).then(() => process.exit(0));
`;

/** Options of {@link recordProgram}. */
export interface RecordOptions {
  /** Stack name. @default "dev" when Pulumi.dev.yaml exists or no stack file does, else the only stack */
  stack?: string;
  /** Longest run, in ms. @default 120000 */
  timeoutMs?: number;
  /** Longest time without progress (no resource registered, no output resolved), in ms; 0: never. @default 60000 */
  stallTimeoutMs?: number;
}

/** The default of `--timeout`, in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 120;

/** Ends the child and everything it started (it leads its own process group). */
function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}

function failureMessage(programDir: string, f: ProgramFailure): string {
  const head =
    f.name === "ProjectFileError"
      ? `program ${programDir}: ${f.message}`
      : f.name === "LoggedError"
        ? `program ${programDir} logged an error (pulumi.log.error), which fails a preview:\n${f.message}`
        : f.name === "StalledError"
          ? `program ${programDir} ${f.message}\nFix: look for a promise that never settles (a call to a service that never answers: give it a timeout), or allow a longer wait with --stall-timeout SECONDS (0: none)`
          : `program ${programDir} failed: ${f.name}: ${f.message}`;
  const hint = /Cannot find module '([^']+)'/.exec(f.message);
  const fix =
    hint && !hint[1].startsWith(".")
      ? `\nFix: install the program's dependencies in ${programDir} (npm install ${hint[1]
          .split("/")
          .slice(0, hint[1].startsWith("@") ? 2 : 1)
          .join("/")})`
      : /Cannot use import statement outside a module|Unexpected token 'export'/.test(f.message)
        ? "\nFix: the program is loaded as CommonJS; remove a tsconfig `module` setting that emits ES modules (es2015..esnext), or use nodenext"
        : /error TS5\d{3}/.test(f.message)
          ? "\nFix: the TypeScript compiler refuses a compiler option: correct it in the program's tsconfig.json (or remove the file to use the runtime's defaults)"
          : /error TS2209/.test(f.message)
            ? "\nFix: the program lies inside the package it imports by name, so TypeScript needs the program's source root: set compilerOptions.rootDir (\".\") in the program's tsconfig.json (pulumi preview needs it too)"
            : "";
  return [head, ...f.frames.map((l) => `    ${l}`)].join("\n") + fix;
}

/**
 * Runs the program in a child process (its own process group, killed with everything it started
 * when it runs out of time) and returns what it registered and logged.
 *
 * @throws {ProgramRejectedError} when a natcap component refused the program (LimitError,
 *   CapacityError); {@link ProgramError} when the program throws, does not compile, logs an error,
 *   exits early or runs out of time (the program's own message and frames, never natcap's);
 *   ValidationError when Pulumi.yaml or the stack file is broken (naming the file).
 */
export async function recordProgram(programDir: string, options: RecordOptions = {}): Promise<ProgramRecord> {
  const project = readProject(programDir);
  const stack = selectStack(programDir, options.stack);
  const config = { ...project.configDefaults, ...readStackConfig(programDir, project.name, stack) };
  try {
    require.resolve("@pulumi/pulumi", { paths: [project.root] });
  } catch {
    throw new ProgramError(
      `program ${programDir}: cannot find @pulumi/pulumi from ${project.root}\nFix: install the program's dependencies first (npm install @pulumi/pulumi, or npm install when package.json lists them)`,
    );
  }
  const runner = path.join(__dirname, `runner${path.extname(__filename)}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "natcap-check-"));
  const out = path.join(tmp, "outcome.json");
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1000;
  const request: RunnerRequest = {
    dir: project.root,
    main: project.main,
    outFile: out,
    project: project.name,
    stack,
    config,
    typescript: project.typescript,
    stallMs: options.stallTimeoutMs ?? DEFAULT_STALL_SECONDS * 1000,
  };
  const child = spawn(process.execPath, ["-e", BOOTSTRAP, runner, JSON.stringify(request)], {
    cwd: project.root,
    stdio: ["ignore", "pipe", "pipe"],
    detached: process.platform !== "win32",
    env: { ...process.env, PULUMI_NODEJS_DRY_RUN: "true", PULUMI_DRY_RUN: "true" },
  });
  const stop = () => killTree(child);
  // The child leads its own process group, so a Ctrl-C or kill of natcap does not reach it: stop it.
  const onSignal = (signal: NodeJS.Signals) => {
    stop();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.on("exit", stop);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    let stderr = "";
    let stdout = "";
    child.stderr?.on("data", (c: Buffer) => {
      stderr = (stderr + c.toString("utf8")).slice(-20_000);
    });
    child.stdout?.on("data", (c: Buffer) => {
      stdout = (stdout + c.toString("utf8")).slice(-20_000);
    });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        stop();
        resolve(null);
      }, timeoutMs);
      child.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    if (code === null)
      throw new ProgramError(
        `program ${programDir} did not finish within ${timeoutMs / 1000} s and was stopped (with every process it started)\n` +
          "Fix: look for a promise that never settles or a loop in the program, or allow more time with --timeout SECONDS",
      );
    const outcome = fs.existsSync(out)
      ? (JSON.parse(fs.readFileSync(out, "utf8")) as RunnerOutcome)
      : undefined;
    if (outcome?.ok) return outcome.record;
    if (outcome && !outcome.ok) {
      const f = outcome.error;
      if (/^(Natcap|Validation|Workload|Limit|Capacity)Error$/.test(f.name)) {
        const rejected = f.name === "LimitError" || f.name === "CapacityError";
        const Err = rejected ? ProgramRejectedError : ProgramError;
        throw new Err(`program ${programDir} stopped at construction: ${f.name}: ${f.message}`, outcome.logs);
      }
      throw new ProgramError(failureMessage(programDir, f), outcome.logs);
    }
    const text = (stderr.trim() || stdout.trim())
      .split("\n")
      .filter((l) => !/^\s+at /.test(l))
      .slice(0, 20)
      .join("\n");
    throw new ProgramError(
      `program ${programDir} exited (code ${code}) before it finished${text ? `:\n${text}` : " (does it call process.exit?)"}`,
    );
  } finally {
    process.off("exit", stop);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Wire values as the engine sends them to an analyzer: resource references become the resource's ID
 * (unknown when not assigned yet; a component's URN), output values their plain value (unknown when
 * not known); secrets and unknown sentinels pass through.
 */
export function toAnalyzerValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toAnalyzerValue);
  if (!value || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  if (obj[SIG] === RESOURCE_SIG) {
    if (typeof obj.id === "string") return obj.id === "" ? UNKNOWN_SENTINEL : obj.id;
    return obj.urn;
  }
  if (obj[SIG] === OUTPUT_SIG) return "value" in obj ? toAnalyzerValue(obj.value) : UNKNOWN_SENTINEL;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = toAnalyzerValue(v);
  return out;
}

/**
 * The analyzer's view of each recorded resource: inputs for Analyze; for AnalyzeStack the engine's
 * outputs — a custom resource's inputs (computed outputs are unknown in preview and absent here), a
 * component's registered outputs.
 */
export function toAnalyzerResources(record: ProgramRecord): {
  analyze: AnalyzerResourceInput[];
  stack: AnalyzerResourceInput[];
} {
  const base = (r: RecordedResource, properties: Record<string, unknown>): AnalyzerResourceInput => ({
    type: r.type,
    name: r.name,
    urn: r.urn,
    properties: toAnalyzerValue(properties) as Record<string, unknown>,
    parent: r.parent || undefined,
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
    protect: r.protect,
  });
  return {
    analyze: record.resources.map((r) => base(r, r.inputs)),
    stack: record.resources.map((r) => base(r, r.custom ? r.inputs : (r.outputs ?? {}))),
  };
}
