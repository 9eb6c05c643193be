/**
 * Child-process side of `natcap check`: runs one Pulumi program under Pulumi's mocks runtime in
 * preview mode and writes every registered resource — type, name, URN, parent, custom or component,
 * inputs in wire form (unknowns as the engine's sentinel strings), dependencies, property
 * dependencies and a component's registered outputs — as JSON to a file.
 *
 * It uses the program's own `@pulumi/pulumi` (resolved from the program folder), registers TypeScript
 * the way the Pulumi Node.js runtime does (the SDK's ts-node and the program's `typescript`, compiler
 * options from the program's tsconfig.json; transpile only), and runs the program inside the root
 * `pulumi:pulumi:Stack` resource, with the project folder as working directory.
 *
 * Only Node built-ins and check/stall.ts are imported here (and types from check/record.ts, erased
 * when compiled): everything Pulumi comes from the program's dependencies.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
// Types only (erased when the runner is compiled on its own): the runner loads no module of natcap's.
import type {
  ProgramFailure,
  ProgramLog,
  ProgramRecord,
  RecordedResource,
  RunnerOutcome,
  RunnerRequest,
  TypeScriptSetup,
} from "./record";
import { type PendingPromise, stalledError, watchProgress } from "./stall";

type Json = Record<string, unknown>;
interface StructLike {
  toJavaScript(): Json;
}
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): StructLike | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
  getProtect(): boolean;
  getProvider(): string;
}
type Callback = (err: Error | null, res?: { getUrn(): string }) => void;
interface Monitor {
  registerResource(req: RegisterRequest, cb: Callback): unknown;
  registerResourceOutputs(
    req: { getUrn(): string; getOutputs(): StructLike | undefined },
    cb: Callback,
  ): unknown;
}

/** Canned results of common data-source invokes, so programs that call them get plausible values. */
const INVOKES: Record<string, Json> = {
  "aws:index/getAvailabilityZones:getAvailabilityZones": {
    names: ["us-east-1a", "us-east-1b", "us-east-1c"],
    zoneIds: ["use1-az1", "use1-az2", "use1-az4"],
    state: "available",
  },
  "aws:index/getRegion:getRegion": { name: "us-east-1", region: "us-east-1", id: "us-east-1" },
  "aws:index/getCallerIdentity:getCallerIdentity": {
    accountId: "123456789012",
    arn: "arn:aws:iam::123456789012:root",
  },
  "azure-native:authorization:getClientConfig": {
    subscriptionId: "00000000-0000-0000-0000-000000000000",
    tenantId: "00000000-0000-0000-0000-000000000000",
  },
};

/** A problem with the project's own files, reported as a ProgramError naming the file. */
export class ProjectFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = "ProjectFileError";
  }
}

function atLeast(version: string, [maj, min]: [number, number]): boolean {
  const [a, b] = version.split(".").map((x) => Number.parseInt(x, 10));
  return a > maj || (a === maj && b >= min);
}

/**
 * Registers TypeScript for `require` as the Pulumi Node.js runtime (`@pulumi/pulumi/cmd/run`) does:
 * the tsconfig named by PULUMI_NODEJS_TSCONFIG_PATH (default `tsconfig.json`, optional), the
 * program's `typescript` (else the SDK's vendored 3.8.3) and ts-node, type-checking unless
 * PULUMI_NODEJS_TRANSPILE_ONLY=true or the tsconfig sets `noCheck`, and the runtime's defaults for
 * that TypeScript — `module`/`moduleResolution` `nodenext` from 4.7 on, else `commonjs`/`node` —
 * under the tsconfig's own compiler options.
 *
 * @throws {ProjectFileError} when the tsconfig cannot be parsed, a named tsconfig is missing, or the
 *   installed TypeScript has no compiler API (TypeScript 7).
 */
export function registerTypeScript(pulumiDir: string, root: string): TypeScriptSetup {
  const tsutils = require(path.join(pulumiDir, "tsutils"));
  const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
  const ts = require(typescriptRequire);
  const version = String(ts.version ?? "");
  if (typeof ts.transpileModule !== "function" || typeof ts.parseConfigFileTextToJson !== "function") {
    const where = require.resolve(typescriptRequire, { paths: [root] });
    throw new ProjectFileError(
      where,
      `typescript ${version} (${where}) has no compiler API, so neither Pulumi's Node.js runtime nor natcap check ` +
        "can compile the program with it (TypeScript 7 ships none; @pulumi/pulumi accepts typescript >=3.8.3 <7). " +
        "Install TypeScript 6 or 5 in the project: npm install --save-dev typescript@6 (or set runtime.options.typescript: false in Pulumi.yaml and run compiled JavaScript)",
    );
  }
  const tsconfig = process.env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json";
  const hasTsconfig = fs.existsSync(tsconfig);
  if (!hasTsconfig && tsconfig !== "tsconfig.json")
    throw new ProjectFileError(
      path.resolve(tsconfig),
      `PULUMI_NODEJS_TSCONFIG_PATH names ${tsconfig}, which does not exist in ${root}`,
    );
  let compilerOptions: Record<string, unknown> = {};
  if (hasTsconfig) {
    const file = path.resolve(tsconfig);
    const parsed = ts.parseConfigFileTextToJson(file, fs.readFileSync(file, "utf8"));
    if (parsed.error) {
      const text = ts.flattenDiagnosticMessageText(parsed.error.messageText, "\n");
      const pos =
        parsed.error.file && parsed.error.start !== undefined
          ? parsed.error.file.getLineAndCharacterOfPosition(parsed.error.start)
          : undefined;
      throw new ProjectFileError(
        file,
        `${file}${pos ? `:${pos.line + 1}:${pos.character + 1}` : ""}: not valid tsconfig JSON: ${text}`,
      );
    }
    compilerOptions = (parsed.config?.compilerOptions ?? {}) as Record<string, unknown>;
  }
  const env = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
  const transpileOnly = env ? env === "true" : (compilerOptions.noCheck as boolean | undefined);
  const nodeNext = atLeast(version, [4, 7]);
  const options = {
    target: "ES2020",
    module: nodeNext ? "nodenext" : "commonjs",
    moduleResolution: nodeNext ? "nodenext" : "node",
    sourceMap: "true",
    ...compilerOptions,
  };
  require(tsnodeRequire).register({
    compiler: typescriptRequire,
    transpileOnly,
    project: tsconfig,
    skipProject: !hasTsconfig,
    compilerOptions: options,
  });
  return { enabled: true, version, compilerOptions: options, transpileOnly: transpileOnly === true };
}

const NATCAP_ERRORS = /^(Natcap|Validation|Workload|Limit|Capacity)Error$/;

/** Keeps the stack frames that point into the program's own files. */
export function ownFrames(stack: string, root: string, exclude: readonly string[]): string[] {
  const inRoot = (l: string) => l.includes(root + path.sep) || l.includes(`file://${root}/`);
  return stack
    .split("\n")
    .filter((l) => /^\s+at /.test(l))
    .filter((l) => inRoot(l) && !l.includes(`${path.sep}node_modules${path.sep}`))
    .filter((l) => !exclude.some((x) => l.includes(x)))
    .map((l) => l.trim());
}

/** Turns anything the program threw into a {@link ProgramFailure}. */
export function describeFailure(e: unknown, root: string, exclude: readonly string[]): ProgramFailure {
  if (!(e instanceof Error)) return { name: "Error", message: `the program threw ${String(e)}`, frames: [] };
  const name = e.name || "Error";
  if (e instanceof ProjectFileError) return { name, message: e.message, frames: [], file: e.file };
  if (NATCAP_ERRORS.test(name)) return { name, message: e.message, frames: [] };
  let message = e.message;
  const stack = String(e.stack ?? "");
  if (name === "TSError") return { name, message: message.replace(/^⨯ /, "").trim(), frames: [] };
  if (name === "SyntaxError") {
    // Node puts "file:line", the line and a caret before the message.
    const head = stack.split(`${name}: ${message}`)[0]?.trim();
    if (head && !/^\s*at /m.test(head)) message = `${head}\n${message}`;
  }
  // "Cannot find module": keep the require stack's lines in the program's own files only.
  message = message
    .split("\n")
    .filter((l) => !/^- /.test(l) || (l.includes(root) && !exclude.some((x) => l.includes(x))))
    .join("\n")
    .replace(/\nRequire stack:$/, "");
  return { name, message, frames: ownFrames(stack, root, exclude) };
}

/** Log severities as the engine's LogRequest numbers them. */
const SEVERITIES: readonly ProgramLog["severity"][] = ["debug", "info", "warning", "error"];

/**
 * An engine for the SDK's `log` and root-resource calls, recording log messages: under mocks the SDK
 * has no engine and prints logs to the console without their resource.
 */
function recordingEngine(logs: ProgramLog[]) {
  let root = "";
  type Req = { getSeverity(): number; getMessage(): string; getUrn(): string };
  return {
    log(req: Req, cb: (err: null, res: object) => void) {
      const severity = SEVERITIES[req.getSeverity()] ?? "info";
      if (severity !== "debug")
        logs.push({ severity, message: req.getMessage(), ...(req.getUrn() ? { urn: req.getUrn() } : {}) });
      cb(null, {});
    },
    setRootResource(req: { getUrn(): string }, cb: (err: null, res: object) => void) {
      root = req.getUrn();
      cb(null, {});
    },
    getRootResource(_req: unknown, cb: (err: null, res: object) => void) {
      cb(null, { getUrn: () => root });
    },
    requirePulumiVersion(_req: unknown, cb: (err: null, res: object) => void) {
      cb(null, {});
    },
    close() {},
  };
}

/**
 * Runs the program and writes a {@link RunnerOutcome}; never throws for the program's own errors (they
 * are written to the outcome, uncaught exceptions and unhandled rejections included).
 */
export async function runProgram(request: RunnerRequest, exclude: readonly string[] = []): Promise<void> {
  const dir = path.resolve(request.dir);
  const logs: ProgramLog[] = [];
  const fail = (e: unknown): never => {
    const outcome: RunnerOutcome = { ok: false, error: describeFailure(e, dir, exclude), logs };
    fs.writeFileSync(request.outFile, JSON.stringify(outcome));
    process.exit(1);
  };
  process.on("uncaughtException", fail);
  process.on("unhandledRejection", fail);
  try {
    process.chdir(dir);
    const pulumiMain = require.resolve("@pulumi/pulumi", { paths: [dir] });
    const pulumiDir = path.dirname(pulumiMain);
    if (request.typescript) registerTypeScript(pulumiDir, dir);
    const pulumi = require(pulumiMain);
    const resources: RecordedResource[] = [];
    const pending = (): PendingPromise[] => {
      try {
        return [...require(path.join(pulumiDir, "runtime", "state")).getStore().leakCandidates];
      } catch {
        return []; // an SDK laid out differently: resources and outputs alone measure progress
      }
    };
    if (request.stallMs > 0)
      watchProgress(
        request.stallMs,
        () => {
          // Which runtime promises are pending (their ids), not only how many: one settled and
          // another started is progress too.
          const ids = pending().reduce((sum, p) => sum + Number(p._debugId ?? 0), 0);
          return `${resources.length} ${resources.filter((r) => r.outputs).length} ${ids}`;
        },
        (idleMs) => fail(stalledError(idleMs, resources, pending())),
      );
    const record = await recordRegistrations(pulumi, pulumiDir, request, logs, resources);
    const errors = logs.filter((l) => l.severity === "error");
    if (errors.length > 0) {
      // A program that logs an error fails its preview, as under the engine.
      const e = new Error(errors.map((l) => l.message).join("\n"));
      e.name = "LoggedError";
      e.stack = "";
      fail(e);
    }
    fs.writeFileSync(
      request.outFile,
      JSON.stringify({ ok: true, record: { ...record, logs } } satisfies RunnerOutcome),
    );
  } catch (e) {
    fail(e);
  }
}

async function recordRegistrations(
  pulumi: Record<string, Record<string, (...a: unknown[]) => unknown>>,
  pulumiDir: string,
  request: RunnerRequest,
  logs: ProgramLog[],
  resources: RecordedResource[],
): Promise<Omit<ProgramRecord, "logs">> {
  const byUrn = new Map<string, RecordedResource>();
  await pulumi.runtime.setMocks(
    {
      newResource: (args: { inputs: Json }) => ({ id: undefined, state: args.inputs }),
      call: (args: { token: string }) => INVOKES[args.token] ?? {},
    },
    request.project,
    request.stack,
    true,
  );
  try {
    const settings = require(path.join(pulumiDir, "runtime", "settings"));
    const engine = recordingEngine(logs);
    settings.getEngine = () => engine;
  } catch {
    // An SDK laid out differently: logs then go to the console, unrecorded.
  }
  pulumi.runtime.setAllConfig(request.config);
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) =>
    register(req, (err, res) => {
      if (!err && res) {
        const deps: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((v, k) => {
          deps[k] = v.getUrnsList();
        });
        const r: RecordedResource = {
          type: req.getType(),
          name: req.getName(),
          urn: res.getUrn(),
          custom: req.getCustom(),
          parent: req.getParent(),
          inputs: req.getObject()?.toJavaScript() ?? {},
          dependencies: req.getDependenciesList(),
          propertyDependencies: deps,
          protect: req.getProtect(),
          provider: req.getProvider(),
        };
        resources.push(r);
        byUrn.set(r.urn, r);
      }
      cb(err, res);
    });
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, cb) => {
    const r = byUrn.get(req.getUrn());
    if (r) r.outputs = req.getOutputs()?.toJavaScript() ?? {};
    return registerOutputs(req, cb);
  };
  await pulumi.runtime.runInPulumiStack(async () => {
    const mod = require(path.resolve(request.dir, request.main));
    // Like the runtime: a module that exports a function is called, and its result is the outputs.
    const value = typeof mod === "function" ? await mod() : mod;
    return value;
  });
  await pulumi.runtime.disconnect();
  return { project: request.project, stack: request.stack, resources };
}
