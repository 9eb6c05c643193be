/**
 * Starts a Pulumi policy pack the way the Pulumi CLI does and talks to it over the Analyzer gRPC
 * service: `node <@pulumi/pulumi>/cmd/run-policy-pack <engine-address> .` with the pack folder as the
 * working directory, the port read from the first line the pack prints. Loopback only; every wait
 * is bounded; the process is always killed on {@link PolicyPackProcess.close}.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { NatcapError } from "../core/errors";

/** A policy's enforcement level, as the policy SDK and the CLI spell it. */
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** One policy of a pack, as the pack describes it in GetAnalyzerInfo. */
export interface PolicyDescription {
  /** Policy name (the rule id). */
  name: string;
  /** One-line description. */
  description: string;
  /** Default enforcement level. */
  enforcementLevel: EnforcementLevel;
  /** `resource` for per-resource policies, `stack` for stack policies. */
  kind: "resource" | "stack" | "unknown";
  /** JSON Schema of each config property, when the policy takes config. */
  configSchema?: { properties: Record<string, Record<string, unknown>>; required: string[] };
  /** What to change when the policy is violated. */
  remediationSteps: string;
}

/** What GetAnalyzerInfo says about a pack. */
export interface PackInfo {
  /** Pack name, e.g. `natcap-policies`. */
  name: string;
  /** Pack version, e.g. `0.1.0`. */
  version: string;
  /** Every policy, in the pack's order. */
  policies: PolicyDescription[];
}

/** One policy's configuration as sent in Configure: a level and properties. */
export interface PolicyConfig {
  /** Enforcement level (always explicit, as the engine sends it). */
  enforcementLevel: EnforcementLevel;
  /** Config properties (schema defaults already applied). */
  properties: Record<string, unknown>;
}

/** A resource as the engine describes it to an analyzer. */
export interface AnalyzerResourceInput {
  /** Type token, e.g. `aws:ec2/natGateway:NatGateway`. */
  type: string;
  /** Logical name. */
  name: string;
  /** URN. */
  urn: string;
  /** Properties in wire form: unknowns as the engine's sentinel strings. */
  properties: Record<string, unknown>;
  /** Parent URN, if any. */
  parent?: string;
  /** URNs the resource depends on. */
  dependencies?: string[];
  /** URNs each property depends on. */
  propertyDependencies?: Record<string, string[]>;
  /** `protect` option. */
  protect?: boolean;
}

/** A diagnostic (violation) a pack reported. */
export interface Diagnostic {
  /** Policy (rule id). */
  policyName: string;
  /** Pack name. */
  policyPackName: string;
  /** Pack version. */
  policyPackVersion: string;
  /** Policy description. */
  description: string;
  /** Violation message. */
  message: string;
  /** Level of this diagnostic. */
  enforcementLevel: EnforcementLevel;
  /** URN of the resource the diagnostic is about (empty for the whole stack). */
  urn: string;
}

const LEVELS: Record<number, EnforcementLevel> = {
  [analyzerPb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerPb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerPb.EnforcementLevel.DISABLED]: "disabled",
  [analyzerPb.EnforcementLevel.REMEDIATE]: "remediate",
};

function toWireLevel(level: EnforcementLevel): analyzerPb.EnforcementLevel {
  switch (level) {
    case "advisory":
      return analyzerPb.EnforcementLevel.ADVISORY;
    case "mandatory":
      return analyzerPb.EnforcementLevel.MANDATORY;
    case "disabled":
      return analyzerPb.EnforcementLevel.DISABLED;
    case "remediate":
      return analyzerPb.EnforcementLevel.REMEDIATE;
  }
}

/** Options of {@link startPolicyPack}. */
export interface StartOptions {
  /** Longest wait for the pack to print its port, in ms. @default 120000 */
  startTimeoutMs?: number;
  /** Longest wait for one RPC, in ms. @default 120000 */
  callTimeoutMs?: number;
  /** Engine address passed as the first argument (run-policy-pack does not dial it). @default "127.0.0.1:0" */
  engineAddress?: string;
}

/** A running policy pack process and its Analyzer client. */
export interface PolicyPackProcess {
  /** The loopback port the pack listens on. */
  readonly port: number;
  /** Calls GetAnalyzerInfo. */
  info(): Promise<PackInfo>;
  /** Calls ConfigureStack (stack, project, dry-run), as the engine does before analysis. */
  configureStack(stack: string, project: string): Promise<void>;
  /** Calls Configure with one entry per policy. */
  configure(config: Record<string, PolicyConfig>): Promise<void>;
  /** Calls Analyze for one resource. */
  analyze(resource: AnalyzerResourceInput): Promise<Diagnostic[]>;
  /** Calls AnalyzeStack for all resources. */
  analyzeStack(resources: AnalyzerResourceInput[]): Promise<Diagnostic[]>;
  /** Text the pack wrote on stderr so far. */
  stderr(): string;
  /** Closes the client and kills the process. */
  close(): Promise<void>;
}

/** The pack could not be started or an RPC failed. */
export class PolicyPackError extends NatcapError {}

/** Path of `@pulumi/pulumi/cmd/run-policy-pack` as the CLI finds it: resolved from the pack folder. */
export function runPolicyPackPath(packDir: string): string {
  try {
    return path.dirname(require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] }));
  } catch {
    throw new PolicyPackError(
      `policy pack ${JSON.stringify(packDir)}: cannot find @pulumi/pulumi/cmd/run-policy-pack from the pack folder; ` +
        "run npm install in the pack folder (or in a folder above it)",
    );
  }
}

function waitForPort(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      finish(new PolicyPackError(`policy pack did not print its port within ${timeoutMs} ms\n${stderr()}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const nl = out.indexOf("\n");
      if (nl < 0) return;
      const port = Number(out.slice(0, nl).trim());
      if (Number.isInteger(port) && port > 0 && port < 65_536) finish(undefined, port);
      else
        finish(
          new PolicyPackError(`policy pack printed ${JSON.stringify(out.slice(0, nl))} instead of a port`),
        );
    };
    const onExit = (code: number | null) => {
      finish(
        new PolicyPackError(`policy pack exited with code ${code} before it printed its port\n${stderr()}`),
      );
    };
    function finish(err?: Error, port?: number) {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      if (err) reject(err);
      else resolve(port as number);
    }
    child.stdout?.on("data", onData);
    child.on("exit", onExit);
  });
}

/** A generated grpc-js client method, called with metadata and options. */
type UnaryMethod<Req, Res> = (
  req: Req,
  md: grpc.Metadata,
  opts: Partial<grpc.CallOptions>,
  cb: (e: grpc.ServiceError | null, r: Res) => void,
) => unknown;

function unary<Req, Res>(
  method: UnaryMethod<Req, Res>,
  req: Req,
  timeoutMs: number,
  what: string,
  stderr: () => string,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    method(req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (err)
        reject(new PolicyPackError(`${what} failed: ${err.details || err.message}\n${stderr()}`.trimEnd()));
      else resolve(res);
    });
  });
}

function toResourceOptions(r: AnalyzerResourceInput): analyzerPb.AnalyzerResourceOptions {
  const opts = new analyzerPb.AnalyzerResourceOptions();
  opts.setProtect(r.protect ?? false);
  opts.setParent(r.parent ?? "");
  const timeouts = new analyzerPb.AnalyzerResourceOptions.CustomTimeouts();
  opts.setCustomtimeouts(timeouts);
  return opts;
}

function toDiagnostics(res: analyzerPb.AnalyzeResponse): Diagnostic[] {
  return res.getDiagnosticsList().map((d) => ({
    policyName: d.getPolicyname(),
    policyPackName: d.getPolicypackname(),
    policyPackVersion: d.getPolicypackversion(),
    description: d.getDescription(),
    message: d.getMessage(),
    enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? "advisory",
    urn: d.getUrn(),
  }));
}

/** Leaves out undefined values, as the engine does: a property that is not set is absent. */
function defined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : defined(v)));
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = defined(v);
  return out;
}

function struct(value: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(defined(value) as Parameters<typeof Struct.fromJavaScript>[0]);
}

/**
 * Starts the policy pack in `packDir` exactly as the Pulumi CLI does and connects an Analyzer client.
 *
 * @throws {PolicyPackError} when the folder is not a policy pack, the pack does not start in time, or
 *   it prints something other than a port.
 */
export async function startPolicyPack(
  packDir: string,
  options: StartOptions = {},
): Promise<PolicyPackProcess> {
  const dir = path.resolve(packDir);
  if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) {
    throw new PolicyPackError(`policy pack ${JSON.stringify(packDir)}: no PulumiPolicy.yaml in that folder`);
  }
  const script = runPolicyPackPath(dir);
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  const callTimeoutMs = options.callTimeoutMs ?? 120_000;
  const child = spawn(process.execPath, [script, options.engineAddress ?? "127.0.0.1:0", "."], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PULUMI_DRY_RUN: "true", PULUMI_NODEJS_DRY_RUN: "true" },
  });
  let errText = "";
  child.stderr?.on("data", (c: Buffer) => {
    errText += c.toString("utf8");
    if (errText.length > 100_000) errText = errText.slice(-100_000);
  });
  const stderr = () => errText.trim();
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  process.once("exit", kill);
  let port: number;
  try {
    port = await waitForPort(child, startTimeoutMs, stderr);
  } catch (e) {
    kill();
    process.off("exit", kill);
    throw e;
  }
  // Keep draining stdout so the pack never blocks on a full pipe.
  child.stdout?.resume();
  const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": 400 * 1024 * 1024,
    "grpc.max_send_message_length": 400 * 1024 * 1024,
  });
  const call = <Req, Res>(m: UnaryMethod<Req, Res>, req: Req, what: string) =>
    unary(m.bind(client) as typeof m, req, callTimeoutMs, what, stderr);

  return {
    port,
    stderr,
    async info() {
      const res = await call(client.getAnalyzerInfo, new Empty(), "GetAnalyzerInfo");
      return {
        name: res.getName(),
        version: res.getVersion(),
        policies: res.getPoliciesList().map((p) => {
          const schema = p.getConfigschema();
          return {
            name: p.getName(),
            description: p.getDescription(),
            enforcementLevel: LEVELS[p.getEnforcementlevel()] ?? "advisory",
            kind:
              p.getPolicyType() === analyzerPb.PolicyType.POLICY_TYPE_RESOURCE
                ? "resource"
                : p.getPolicyType() === analyzerPb.PolicyType.POLICY_TYPE_STACK
                  ? "stack"
                  : "unknown",
            configSchema: schema
              ? {
                  properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<
                    string,
                    Record<string, unknown>
                  >,
                  required: schema.getRequiredList(),
                }
              : undefined,
            remediationSteps: p.getRemediationSteps(),
          } satisfies PolicyDescription;
        }),
      };
    },
    async configureStack(stack, project) {
      const req = new analyzerPb.AnalyzerStackConfigureRequest();
      req.setStack(stack);
      req.setProject(project);
      req.setDryRun(true);
      await call(client.configureStack, req, "ConfigureStack");
    },
    async configure(config) {
      const req = new analyzerPb.ConfigureAnalyzerRequest();
      const map = req.getPolicyconfigMap();
      for (const [name, c] of Object.entries(config)) {
        const pc = new analyzerPb.PolicyConfig();
        pc.setEnforcementlevel(toWireLevel(c.enforcementLevel));
        pc.setProperties(struct(c.properties));
        map.set(name, pc);
      }
      await call(client.configure, req, "Configure");
    },
    async analyze(r) {
      const req = new analyzerPb.AnalyzeRequest();
      req.setType(r.type);
      req.setName(r.name);
      req.setUrn(r.urn);
      req.setProperties(struct(r.properties));
      req.setOptions(toResourceOptions(r));
      return toDiagnostics(await call(client.analyze, req, `Analyze(${r.type}: ${r.name})`));
    },
    async analyzeStack(resources) {
      const req = new analyzerPb.AnalyzeStackRequest();
      req.setResourcesList(
        resources.map((r) => {
          const ar = new analyzerPb.AnalyzerResource();
          ar.setType(r.type);
          ar.setName(r.name);
          ar.setUrn(r.urn);
          ar.setProperties(struct(r.properties));
          ar.setOptions(toResourceOptions(r));
          ar.setParent(r.parent ?? "");
          ar.setDependenciesList(r.dependencies ?? []);
          const deps = ar.getPropertydependenciesMap();
          for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
            if (urns.length === 0) continue;
            const pd = new analyzerPb.AnalyzerPropertyDependencies();
            pd.setUrnsList(urns);
            deps.set(k, pd);
          }
          return ar;
        }),
      );
      return toDiagnostics(await call(client.analyzeStack, req, "AnalyzeStack"));
    },
    async close() {
      client.close();
      kill();
      process.off("exit", kill);
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 5_000);
          child.once("exit", () => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
  };
}
