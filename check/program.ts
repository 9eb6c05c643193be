/**
 * Runs a Pulumi TypeScript program for `natcap check`: in a child process (fresh runtime state, a
 * bounded wait, killed on timeout) under Pulumi's mocks in preview mode, and turns the recorded
 * registrations into the resources an engine would hand an analyzer.
 *
 * @module
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { NatcapError, ValidationError } from "../sim/errors";
import type { AnalyzerResourceInput } from "./pack";
import type { ProgramRecord, RecordedResource } from "./runner";

/** The program could not be run (it threw, or did not finish in time). */
export class ProgramError extends NatcapError {}

/**
 * The program stopped because a natcap component refused it at construction: a broken cloud limit
 * (LimitError) or predicted port exhaustion (CapacityError). The check found a problem: exit code 1,
 * like a mandatory policy violation.
 */
export class ProgramRejectedError extends NatcapError {}

/** Prefix of the one line the child writes when the program threw a natcap error. */
const NATCAP_ERROR_LINE = "natcap-error:";

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
}

/**
 * Reads PROGRAM_DIR/Pulumi.yaml.
 *
 * @throws {ValidationError} when the folder or its Pulumi.yaml is missing or has no name.
 */
export function readProject(programDir: string): ProgramProject {
  const root = path.resolve(programDir);
  const file = path.join(root, "Pulumi.yaml");
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new ValidationError(
      [
        {
          path: "PROGRAM_DIR",
          value: programDir,
          message: "is not a Pulumi program folder (no Pulumi.yaml)",
        },
      ],
      "natcap check",
    );
  }
  const doc = (parseYaml(text) ?? {}) as { name?: unknown; main?: unknown; runtime?: unknown };
  if (typeof doc.name !== "string" || doc.name === "") {
    throw new ValidationError([{ path: "Pulumi.yaml name", value: doc.name, message: "is required" }], file);
  }
  const runtime = typeof doc.runtime === "string" ? doc.runtime : (doc.runtime as { name?: unknown })?.name;
  if (runtime !== "nodejs") {
    throw new ValidationError(
      [
        {
          path: "Pulumi.yaml runtime",
          value: runtime,
          message: "natcap check runs Node.js (TypeScript) programs only",
        },
      ],
      file,
    );
  }
  const main = typeof doc.main === "string" ? path.resolve(root, doc.main) : root;
  return { name: doc.name, root, main };
}

/** Stack config from Pulumi.<stack>.yaml as flat `project:key` strings (secure values are left out). */
export function readStackConfig(programDir: string, project: string, stack: string): Record<string, string> {
  const file = path.join(path.resolve(programDir), `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) return {};
  const doc = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc.config ?? {})) {
    if (v && typeof v === "object" && "secure" in v) continue;
    const key = k.includes(":") ? k : `${project}:${k}`;
    out[key] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return out;
}

// Registers TypeScript the way the Pulumi Node.js runtime does, then loads the runner (TypeScript
// in the natcap repository, JavaScript when installed) and runs the program.
const BOOTSTRAP = `
const path = require("path");
const [runner, dir, main, out, project, stack, config] = process.argv.slice(1);
process.chdir(dir);
if (runner.endsWith(".ts")) {
  const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi", { paths: [dir] }));
  const tsutils = require(path.join(pulumiDir, "tsutils"));
  const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
  const opts = tsutils.loadTypeScriptCompilerOptions("tsconfig.json");
  require(tsnodeRequire).register({
    transpileOnly: true, typeCheck: false, skipProject: !require("fs").existsSync("tsconfig.json"),
    compiler: typescriptRequire,
    compilerOptions: { target: "ES2020", moduleResolution: "node", ...opts, module: "commonjs" },
  });
}
require(runner).runProgram(dir, main, out, project, stack, JSON.parse(config)).then(
  () => process.exit(0),
  (e) => {
    // natcap's own errors carry the whole story in their message: no stack trace.
    if (e && typeof e.name === "string" && /^(Natcap|Validation|Workload|Limit|Capacity)Error$/.test(e.name)) {
      process.stderr.write(${JSON.stringify(NATCAP_ERROR_LINE)} + JSON.stringify({ name: e.name, message: e.message }) + "\\n");
    } else {
      process.stderr.write(String((e && e.stack) || e) + "\\n");
    }
    process.exit(1);
  },
);
`;

/** Options of {@link recordProgram}. */
export interface RecordOptions {
  /** Stack name. @default "dev" */
  stack?: string;
  /** Longest run, in ms. @default 300000 */
  timeoutMs?: number;
}

/**
 * Runs the program in a child process and returns what it registered.
 *
 * @throws {ProgramError} when the program throws or runs out of time (its stderr is in the message).
 */
export async function recordProgram(programDir: string, options: RecordOptions = {}): Promise<ProgramRecord> {
  const project = readProject(programDir);
  const stack = options.stack ?? "dev";
  const config = readStackConfig(programDir, project.name, stack);
  try {
    require.resolve("@pulumi/pulumi", { paths: [project.root] });
  } catch {
    throw new ProgramError(
      `program ${programDir}: cannot find @pulumi/pulumi from ${project.root}; install the program's dependencies (npm install) first`,
    );
  }
  const runner = path.join(__dirname, `runner${path.extname(__filename)}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "natcap-check-"));
  const out = path.join(tmp, "record.json");
  const timeoutMs = options.timeoutMs ?? 300_000;
  try {
    const child = spawn(
      process.execPath,
      ["-e", BOOTSTRAP, runner, project.root, project.main, out, project.name, stack, JSON.stringify(config)],
      {
        cwd: project.root,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, PULUMI_NODEJS_DRY_RUN: "true", PULUMI_DRY_RUN: "true" },
      },
    );
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
        child.kill("SIGKILL");
        resolve(null);
      }, timeoutMs);
      child.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    if (code === null) throw new ProgramError(`program ${programDir} did not finish within ${timeoutMs} ms`);
    if (code !== 0 || !fs.existsSync(out)) {
      const marked = stderr.split("\n").find((l) => l.startsWith(NATCAP_ERROR_LINE));
      if (marked) {
        const e = JSON.parse(marked.slice(NATCAP_ERROR_LINE.length)) as { name: string; message: string };
        const rejected = e.name === "LimitError" || e.name === "CapacityError";
        const Err = rejected ? ProgramRejectedError : ProgramError;
        throw new Err(`program ${programDir} stopped at construction: ${e.name}: ${e.message}`);
      }
      const text = (stderr.trim() || stdout.trim()).split("\n").slice(0, 20).join("\n");
      throw new ProgramError(`program ${programDir} failed under the mocks runtime:\n${text}`);
    }
    return JSON.parse(fs.readFileSync(out, "utf8")) as ProgramRecord;
  } finally {
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
