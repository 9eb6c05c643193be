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
 * Only Node built-ins are imported here: everything Pulumi comes from the program's dependencies.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";

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
}

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

/**
 * Registers TypeScript for `require` as the Pulumi Node.js runtime does, unless already registered
 * (the bootstrap that loads this file from source registers it first, with the same settings).
 */
export function registerTypeScript(pulumiDir: string): void {
  if (require.extensions[".ts"]) return;
  const tsutils = require(path.join(pulumiDir, "tsutils"));
  const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
  const tsconfig = "tsconfig.json";
  const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsconfig);
  require(tsnodeRequire).register({
    transpileOnly: true,
    typeCheck: false,
    skipProject: !fs.existsSync(tsconfig),
    compiler: typescriptRequire,
    compilerOptions: {
      target: "ES2020",
      module: "commonjs",
      moduleResolution: "node",
      ...compilerOptions,
      // The program runs as CommonJS under require(), whatever its tsconfig emits for a build.
      ...(String(compilerOptions.module ?? "")
        .toLowerCase()
        .startsWith("es")
        ? { module: "commonjs" }
        : {}),
    },
  });
}

/** Runs the program and writes the record. */
export async function runProgram(
  programDir: string,
  main: string,
  outFile: string,
  project: string,
  stack: string,
  config: Record<string, string>,
): Promise<void> {
  const dir = path.resolve(programDir);
  process.chdir(dir);
  const pulumiMain = require.resolve("@pulumi/pulumi", { paths: [dir] });
  const pulumiDir = path.dirname(pulumiMain);
  registerTypeScript(pulumiDir);
  const pulumi = require(pulumiMain);
  const resources: RecordedResource[] = [];
  const byUrn = new Map<string, RecordedResource>();
  await pulumi.runtime.setMocks(
    {
      newResource: (args: { inputs: Json }) => ({ id: undefined, state: args.inputs }),
      call: (args: { token: string }) => INVOKES[args.token] ?? {},
    },
    project,
    stack,
    true,
  );
  pulumi.runtime.setAllConfig(config);
  const monitor = pulumi.runtime.getMonitor() as Monitor;
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
    const mod = require(path.resolve(dir, main));
    const value = typeof mod === "function" ? await mod() : mod;
    return value;
  });
  await pulumi.runtime.disconnect();
  const record: ProgramRecord = { project, stack, resources };
  fs.writeFileSync(outFile, JSON.stringify(record));
}
