/**
 * Test harness: starts the policy pack as the Pulumi CLI does and drives it over gRPC, as the engine
 * does during a preview — Configure (explicit levels, schema defaults), Analyze per resource, then
 * AnalyzeStack.
 */
import * as path from "node:path";
import { type ConfigEntry, reconcileConfig } from "../../check/config";
import {
  type AnalyzerResourceInput,
  type Diagnostic,
  type PackInfo,
  type PolicyPackProcess,
  startPolicyPack,
} from "../../check/pack";
import { UNKNOWN_SENTINEL } from "../../core/tokens";

/** The engine's sentinel for an unknown value. */
export const UNKNOWN = UNKNOWN_SENTINEL;

/** Folder of the repository's policy pack. */
export const PACK_DIR = path.resolve(__dirname, "../../policies");

/** A resource for a test stack. */
export interface TestResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
  parent?: string;
  propertyDependencies?: Record<string, string[]>;
}

/** URN of a test resource. */
export function urn(type: string, name: string): string {
  return `urn:pulumi:test::natcap::${type}::${name}`;
}

/** A resource description (its URN is derived from type and name). */
export function res(
  type: string,
  name: string,
  props: Record<string, unknown>,
  deps: Record<string, TestResource[]> = {},
  parent?: TestResource,
): TestResource {
  const propertyDependencies: Record<string, string[]> = {};
  for (const [k, list] of Object.entries(deps))
    propertyDependencies[k] = list.map((d) => urn(d.type, d.name));
  return {
    type,
    name,
    props,
    propertyDependencies,
    parent: parent ? urn(parent.type, parent.name) : undefined,
  };
}

/**
 * A generic Microsoft.Network resource at API 2025-01-01 (e.g. a StandardV2 NAT gateway or public
 * IP), as azure-native's `resources.Resource` sends it to the pack.
 */
export function genericNetworkResource(
  resourceType: string,
  name: string,
  properties: Record<string, unknown>,
  sku: unknown,
  deps: Record<string, TestResource[]> = {},
  extra: Record<string, unknown> = {},
): TestResource {
  return res(
    "azure-native:resources:Resource",
    name,
    {
      resourceProviderNamespace: "Microsoft.Network",
      resourceType,
      apiVersion: "2025-01-01",
      parentResourcePath: "",
      resourceGroupName: "rg",
      resourceName: name,
      location: "westeurope",
      sku: { name: sku },
      properties,
      ...extra,
    },
    deps,
  );
}

/** A started pack with its info. */
export interface Pack {
  process: PolicyPackProcess;
  info: PackInfo;
  /** Configures the pack, analyzes each resource and the stack; returns every diagnostic. */
  check(resources: TestResource[], config?: Record<string, ConfigEntry>): Promise<Diagnostic[]>;
}

/** Starts the repository's pack. */
export async function startPack(): Promise<Pack> {
  const process = await startPolicyPack(PACK_DIR);
  const info = await process.info();
  await process.configureStack("test", "natcap");
  return {
    process,
    info,
    async check(resources, config = {}) {
      await process.configure(reconcileConfig(info, config));
      const inputs: AnalyzerResourceInput[] = resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: urn(r.type, r.name),
        properties: r.props,
        parent: r.parent,
        dependencies: [...new Set(Object.values(r.propertyDependencies ?? {}).flat())],
        propertyDependencies: r.propertyDependencies,
      }));
      const out: Diagnostic[] = [];
      for (const i of inputs) out.push(...(await process.analyze(i)));
      out.push(...(await process.analyzeStack(inputs)));
      return out;
    },
  };
}

/** Diagnostics of one policy. */
export function of(ds: Diagnostic[], policy: string): Diagnostic[] {
  return ds.filter((d) => d.policyName === policy);
}

/** Diagnostics of one policy that are "cannot be evaluated during preview" advisories. */
export function unknowns(ds: Diagnostic[], policy: string): Diagnostic[] {
  return of(ds, policy).filter((d) => d.message.includes("cannot be evaluated during preview"));
}

/** Violations (not the preview advisories) of one policy. */
export function violations(ds: Diagnostic[], policy: string): Diagnostic[] {
  return of(ds, policy).filter((d) => !d.message.includes("cannot be evaluated during preview"));
}

/** Type tokens used in tests. */
export const T = {
  nat: "aws:ec2/natGateway:NatGateway",
  eip: "aws:ec2/eip:Eip",
  assoc: "aws:ec2/natGatewayEipAssociation:NatGatewayEipAssociation",
  subnet: "aws:ec2/subnet:Subnet",
  eni: "aws:ec2/networkInterface:NetworkInterface",
  vpce: "aws:ec2/vpcEndpoint:VpcEndpoint",
  azNat: "azure-native:network:NatGateway",
  azIp: "azure-native:network:PublicIPAddress",
  azPrefix: "azure-native:network:PublicIPPrefix",
  azSubnet: "azure-native:network:Subnet",
  azVnet: "azure-native:network:VirtualNetwork",
};
