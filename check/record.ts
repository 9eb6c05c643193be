/**
 * What `natcap check`'s runner (check/runner.ts, in a child process) records of a Pulumi program and
 * hands back: each resource registration, the program's logs, and its own error when it fails. Types
 * (and one default) only: the runner imports types alone from here, so it can be compiled on its own.
 *
 * @module
 */

/** One resource registration as recorded from the mock monitor. */
export interface RecordedResource {
  /** Type token. */
  type: string;
  /** Logical name. */
  name: string;
  /** URN the mock monitor assigned. */
  urn: string;
  /** True for a custom (provider) resource, false for a component. */
  custom: boolean;
  /** Parent URN ("" for none). */
  parent: string;
  /** Inputs in wire form. */
  inputs: Record<string, unknown>;
  /** Registered outputs (components; stack outputs for the root stack). */
  outputs?: Record<string, unknown>;
  /** URNs the resource depends on. */
  dependencies: string[];
  /** URNs each input property depends on. */
  propertyDependencies: Record<string, string[]>;
  /** `protect` option. */
  protect: boolean;
  /** Provider reference (`urn::id`), if any. */
  provider: string;
}

/** What the runner writes. */
export interface ProgramRecord {
  /** Project name. */
  project: string;
  /** Stack name. */
  stack: string;
  /** Every registration, in order. */
  resources: RecordedResource[];
  /** Every `pulumi.log` message but debug, in order. */
  logs: ProgramLog[];
}

/** How the program's TypeScript is compiled, as the Pulumi Node.js runtime would for this project. */
export interface TypeScriptSetup {
  /** False when Pulumi.yaml sets `runtime.options.typescript: false` (the program is JavaScript). */
  enabled: boolean;
  /** Version of the `typescript` the program resolves (Pulumi's vendored 3.8.3 when it has none). */
  version?: string;
  /** Compiler options handed to ts-node (defaults for this TypeScript, then the project's tsconfig). */
  compilerOptions?: Record<string, unknown>;
  /** False when the program is type-checked as it loads (the runtime's default). */
  transpileOnly?: boolean;
}

/** What the parent hands the runner. */
export interface RunnerRequest {
  /** Project folder (working directory of the program). */
  dir: string;
  /** Program entry (file or folder). */
  main: string;
  /** Where the runner writes its {@link RunnerOutcome}. */
  outFile: string;
  /** Project name. */
  project: string;
  /** Stack name. */
  stack: string;
  /** Flat stack config (`project:key` → string). */
  config: Record<string, string>;
  /** False when Pulumi.yaml turns the runtime's TypeScript support off. */
  typescript: boolean;
  /** Stop the program after this long without progress, in ms (0: never). */
  stallMs: number;
}

/** The default of `natcap check --stall-timeout`, in seconds: a program idle this long has stalled. */
export const DEFAULT_STALL_SECONDS = 60;

/** What the runner writes: the record, or the program's own error; logs either way. */
export type RunnerOutcome =
  | { ok: true; record: ProgramRecord }
  | { ok: false; error: ProgramFailure; logs: ProgramLog[] };

/** The program's own error, with natcap's and the SDK's frames removed. */
export interface ProgramFailure {
  /** Error class name (`Error`, `TSError`, `SyntaxError`, `ValidationError`, ...). */
  name: string;
  /** Message (for TypeScript errors, the compiler's diagnostics with file and line). */
  message: string;
  /** Stack frames in the program's own files (none under node_modules, none of natcap's). */
  frames: string[];
  /** A file the error is about, when it is about one (tsconfig, a module that failed to load). */
  file?: string;
}

/** One `pulumi.log` message of the program or a component. */
export interface ProgramLog {
  /** `debug`, `info`, `warning` or `error`. */
  severity: "debug" | "info" | "warning" | "error";
  /** The message. */
  message: string;
  /** URN of the resource the message is about, when there is one. */
  urn?: string;
}
