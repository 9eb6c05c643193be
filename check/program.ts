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
import { parseDocument } from "yaml";
import { NatcapError, ValidationError } from "../sim/errors";
import type { AnalyzerResourceInput } from "./pack";
import type {
  ProgramFailure,
  ProgramLog,
  ProgramRecord,
  RecordedResource,
  RunnerOutcome,
  RunnerRequest,
} from "./runner";

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

/** The engine's sentinel for an unknown value. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG = "4dabf18193072939515e22adb298388d";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** A program folder's Pulumi.yaml, read. */
export interface ProgramProject {
  /** Project name. */
  name: string;
  /** Absolute project folder (where Pulumi.yaml is); the program runs with it as working directory. */
  root: string;
  /** Absolute path of the program's entry (Pulumi.yaml `main`, else the project folder). */
  main: string;
  /** False when Pulumi.yaml sets `runtime.options.typescript: false`. */
  typescript: boolean;
  /** Project-level config defaults (`config: { key: { default } }` or `key: value`), as `project:key`. */
  configDefaults: Record<string, string>;
}

function fileError(file: string, field: string, value: unknown, message: string): ValidationError {
  return new ValidationError([{ path: field, value, message }], file);
}

/** Parses a YAML file; a syntax error names the file, line and column. */
function readYamlFile(file: string): unknown {
  const text = fs.readFileSync(file, "utf8");
  const doc = parseDocument(text);
  const err = doc.errors[0];
  if (err) {
    // The library's message ends its first line with "at line L, column C".
    throw new ValidationError([{ path: "", message: `not valid YAML: ${err.message.split("\n")[0]}` }], file);
  }
  return doc.toJS();
}

function configValue(v: unknown): string | undefined {
  if (v && typeof v === "object" && "secure" in v) return undefined;
  return typeof v === "string" ? v : JSON.stringify(v);
}

/**
 * Reads PROGRAM_DIR/Pulumi.yaml.
 *
 * @throws {ValidationError} naming the folder or file when the folder or its Pulumi.yaml is missing,
 *   not YAML, has no name, is not a Node.js project, or its `main` does not exist.
 */
export function readProject(programDir: string): ProgramProject {
  const root = path.resolve(programDir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw fileError("natcap check", "PROGRAM_DIR", programDir, `${root} is not a folder`);
  }
  const file = path.join(root, "Pulumi.yaml");
  const alt = path.join(root, "Pulumi.yml");
  if (!fs.existsSync(file)) {
    throw fileError(
      "natcap check",
      "PROGRAM_DIR",
      programDir,
      fs.existsSync(alt)
        ? `${root} has Pulumi.yml; natcap check reads Pulumi.yaml (rename the file)`
        : `${root} is not a Pulumi program folder (no Pulumi.yaml): give the folder that holds the program's Pulumi.yaml, ` +
            "e.g. one with `name: my-stack` and `runtime: nodejs`",
    );
  }
  const raw = readYamlFile(file);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw fileError(file, "(document)", raw, "must be a YAML mapping with name and runtime");
  }
  const doc = raw as { name?: unknown; main?: unknown; runtime?: unknown; config?: unknown };
  if (typeof doc.name !== "string" || doc.name.trim() === "") {
    throw fileError(file, "name", doc.name, "is required: the project name, e.g. name: my-stack");
  }
  const runtimeObj =
    doc.runtime && typeof doc.runtime === "object" ? (doc.runtime as Record<string, unknown>) : {};
  const runtime = typeof doc.runtime === "string" ? doc.runtime : runtimeObj.name;
  if (runtime !== "nodejs") {
    throw fileError(
      file,
      "runtime",
      runtime,
      "natcap check runs Node.js (TypeScript or JavaScript) programs only: set runtime: nodejs",
    );
  }
  const options = (runtimeObj.options ?? {}) as Record<string, unknown>;
  let main = root;
  if (doc.main !== undefined) {
    if (typeof doc.main !== "string" || doc.main === "")
      throw fileError(file, "main", doc.main, "must be a path relative to the project folder");
    main = path.resolve(root, doc.main);
    if (!fs.existsSync(main)) throw fileError(file, "main", doc.main, `names ${main}, which does not exist`);
  }
  const configDefaults: Record<string, string> = {};
  if (doc.config && typeof doc.config === "object" && !Array.isArray(doc.config)) {
    for (const [k, v] of Object.entries(doc.config as Record<string, unknown>)) {
      const value = v && typeof v === "object" && "default" in v ? (v as { default: unknown }).default : v;
      if (value === undefined || (v && typeof v === "object" && !("default" in v) && !("value" in v)))
        continue;
      const text = configValue(value);
      if (text !== undefined) configDefaults[k.includes(":") ? k : `${doc.name}:${k}`] = text;
    }
  }
  return { name: doc.name, root, main, typescript: options.typescript !== false, configDefaults };
}

/** The stack files (Pulumi.<stack>.yaml) of a program folder, by stack name. */
export function stackFiles(programDir: string): string[] {
  return fs
    .readdirSync(path.resolve(programDir))
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/**
 * The stack to check: `--stack` when given (its file must exist when the folder has any stack file),
 * else `dev` when Pulumi.dev.yaml exists or there is no stack file, else the only stack file.
 *
 * @throws {ValidationError} naming `--stack` when the stack has no file, or when several stack files
 *   exist and none was chosen.
 */
export function selectStack(programDir: string, requested: string | undefined): string {
  const stacks = stackFiles(programDir);
  if (requested !== undefined) {
    if (!/^[A-Za-z0-9_.\-/]+$/.test(requested))
      throw fileError(
        "natcap check",
        "--stack",
        requested,
        `${JSON.stringify(requested)} is not a stack name (letters, digits, - _ . /)`,
      );
    if (stacks.length > 0 && !stacks.includes(requested))
      throw fileError(
        "natcap check",
        "--stack",
        requested,
        `stack ${JSON.stringify(requested)} has no Pulumi.${requested}.yaml in ${programDir}; stacks there: ${stacks.join(", ")} (pass one of them)`,
      );
    return requested;
  }
  if (stacks.length === 0 || stacks.includes("dev")) return "dev";
  if (stacks.length === 1) return stacks[0];
  throw fileError(
    "natcap check",
    "--stack",
    undefined,
    `is required: ${programDir} has several stack files (${stacks.join(", ")}) and no Pulumi.dev.yaml`,
  );
}

/**
 * Stack config from Pulumi.<stack>.yaml as flat `project:key` strings (secure values are left out).
 *
 * @throws {ValidationError} naming the stack file when it is not YAML or its `config` is not a mapping.
 */
export function readStackConfig(programDir: string, project: string, stack: string): Record<string, string> {
  const file = ["yaml", "yml"]
    .map((ext) => path.join(path.resolve(programDir), `Pulumi.${stack}.${ext}`))
    .find((f) => fs.existsSync(f));
  if (!file) return {};
  const raw = readYamlFile(file);
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== "object" || Array.isArray(raw))
    throw fileError(
      file,
      "(document)",
      raw,
      "must be a YAML mapping (e.g. config: { aws:region: us-east-1 })",
    );
  const config = (raw as { config?: unknown }).config;
  if (config === undefined || config === null) return {};
  if (typeof config !== "object" || Array.isArray(config))
    throw fileError(
      file,
      "config",
      config,
      "must be a mapping of keys to values, e.g. aws:region: us-east-1",
    );
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config as Record<string, unknown>)) {
    const text = configValue(v);
    if (text !== undefined) out[k.includes(":") ? k : `${project}:${k}`] = text;
  }
  return out;
}

// Loads the runner — JavaScript when natcap is installed; in natcap's own sources runner.ts, compiled
// on the fly with natcap's TypeScript, so the program's TypeScript registration is the runtime's and
// nothing else — then runs the program.
const BOOTSTRAP = `
const fs = require("fs"), path = require("path"), Module = require("module");
const [runnerFile, requestJson] = process.argv.slice(1);
let runner;
if (runnerFile.endsWith(".ts")) {
  const ts = require(require.resolve("typescript", { paths: [path.dirname(runnerFile)] }));
  const out = ts.transpileModule(fs.readFileSync(runnerFile, "utf8"), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
    fileName: runnerFile,
  }).outputText;
  const m = new Module(runnerFile, module);
  m.filename = runnerFile;
  m.paths = Module._nodeModulePaths(path.dirname(runnerFile));
  m._compile(out, runnerFile);
  runner = m.exports;
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
