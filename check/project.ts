/**
 * The files of a Pulumi program folder that `natcap check` reads before it runs anything: Pulumi.yaml
 * (name, runtime, main, TypeScript option, config defaults) and the stack files
 * (Pulumi.<stack>.yaml), and which stack to use. Every error names the file or the flag.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { ValidationError } from "../core/errors";

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
