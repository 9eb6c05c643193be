/**
 * Test helpers for the component plugin: the provider exactly as Pulumi's nodejs plugin host builds
 * it (package root, components found in the package's exports, provider name from package.json),
 * and the engine's wire format for construct inputs, deserialized by the provider server's own code.
 */
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConstructRequest } from "@pulumi/pulumi/proto/provider_pb";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental/provider";
import * as server from "@pulumi/pulumi/provider/server";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as natcap from "../../index";
import pkg from "../../package.json";

/** The repository root: the folder `pulumi package add <path>` is given. */
export const ROOT = path.resolve(__dirname, "../..");

/** The component provider the host would start for this package (see cmd/run-plugin/run.js). */
export function hostProvider(): ComponentProvider {
  return new ComponentProvider({
    name: pkg.name,
    dirname: ROOT,
    components: getPulumiComponents(natcap),
  });
}

/** A value another resource produced: it reaches the component as an output value with a dependency. */
export class FromResource {
  /**
   * @param value the resolved value
   * @param urn the producing resource
   * @param outputValue true: an output value (SDKs that support them); false: the plain value with the
   *   dependency listed on the top-level property only (older SDKs); the server wraps it in an Output
   */
  constructor(
    readonly value: unknown,
    readonly urn: string,
    readonly outputValue = true,
  ) {}
}

/** An output of `urn` with value `value`, as a consuming program passes it. */
export const fromResource = (value: unknown, urn: string, outputValue = true) =>
  new FromResource(value, urn, outputValue);

/** The arguments a local TypeScript program would pass: every {@link FromResource} becomes an Output. */
export function localArgs<T>(v: unknown): T {
  if (v instanceof FromResource) return pulumi.output(localArgs(v.value)) as T;
  if (Array.isArray(v)) return v.map((x) => localArgs(x)) as T;
  if (v && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, localArgs(x)])) as T;
  return v as T;
}

function toWire(v: unknown, deps: Set<string>): unknown {
  if (v instanceof FromResource) {
    deps.add(v.urn);
    if (!v.outputValue) return toWire(v.value, deps);
    return {
      [rpc.specialSigKey]: rpc.specialOutputValueSig,
      value: toWire(v.value, deps),
      dependencies: [v.urn],
    };
  }
  if (Array.isArray(v)) return v.map((x) => toWire(x, deps));
  if (v && typeof v === "object")
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, toWire(x, deps)]),
    );
  return v;
}

const deserializeInputs = (
  server as unknown as {
    deserializeInputs(
      inputs: Struct | undefined,
      deps: ReturnType<ConstructRequest["getInputdependenciesMap"]>,
    ): Promise<Record<string, unknown>>;
  }
).deserializeInputs;

/**
 * The inputs as the provider server hands them to `construct`: encoded into a ConstructRequest the way
 * the engine sends it (protobuf Struct, output values, per-property dependencies), then decoded with
 * the server's own `deserializeInputs`.
 */
export async function engineInputs(args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const req = new ConstructRequest();
  const wire: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (value === undefined) continue;
    const deps = new Set<string>();
    wire[key] = toWire(value, deps);
    if (deps.size > 0) {
      const d = new ConstructRequest.PropertyDependencies();
      d.setUrnsList([...deps]);
      req.getInputdependenciesMap().set(key, d);
    }
  }
  req.setInputs(Struct.fromJavaScript(wire as Record<string, never>));
  return deserializeInputs(req.getInputs(), req.getInputdependenciesMap());
}

/** Resource options as the server rebuilds them from a ConstructRequest with no options set. */
export const constructOptions: pulumi.ComponentResourceOptions = {
  aliases: [],
  dependsOn: [],
  protect: false,
  providers: {},
  parent: undefined,
  ignoreChanges: [],
  replaceOnChanges: [],
  retainOnDelete: false,
};
