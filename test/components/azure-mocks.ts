/**
 * Test helpers for the Azure component suites: Pulumi mocks that record every registered resource,
 * a captured warning log, and accessors for Outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterEach, beforeAll, beforeEach, expect } from "vitest";
import { type AzureNatGateway, type AzureNatGatewayArgs, resetSubnetRegistry } from "../../components/azure";

/** azure-native type tokens. */
export const T = {
  ip: "azure-native:network:PublicIPAddress",
  prefix: "azure-native:network:PublicIPPrefix",
  nat: "azure-native:network:NatGateway",
  subnet: "azure-native:network:Subnet",
  alert: "azure-native:monitor:MetricAlert",
  generic: "azure-native:resources:Resource",
};

/** One resource the mocks saw. */
export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** What the mocks recorded since the current test began. */
export const seen: { registered: Registered[]; warnings: string[] } = { registered: [], warnings: [] };

/** Common arguments. */
export const base: AzureNatGatewayArgs = { resourceGroupName: "rg", location: "westeurope" };

/** The mock ID of a resource with the given logical name. */
export const idOf = (name: string) => `/subscriptions/s/resourceGroups/rg/x/${name}`;

/** Installs deployment-mode mocks once per file, and resets the records and the subnet registry per test. */
export function installMocks(): void {
  const originalWarn = pulumi.log.warn;
  beforeAll(async () => {
    let n = 0;
    await pulumi.runtime.setMocks(
      {
        newResource(args) {
          seen.registered.push({ type: args.type, name: args.name, inputs: args.inputs });
          n++;
          const state: Record<string, unknown> = { ...args.inputs };
          if (args.type === T.ip) state.ipAddress = `198.51.100.${n % 250}`;
          if (args.type === T.prefix)
            state.ipPrefix = `203.0.113.${(n * 16) % 256}/${args.inputs.prefixLength}`;
          if (args.type === T.nat) state.name = args.inputs.natGatewayName ?? `${args.name}abc`;
          if (args.type === T.generic) {
            // What Azure returns for generic Microsoft.Network resources: allocated addresses in properties.
            const props: Record<string, unknown> = { ...(args.inputs.properties as object) };
            if (args.inputs.resourceType === "publicIPAddresses") props.ipAddress = `198.51.100.${n % 250}`;
            if (args.inputs.resourceType === "publicIPPrefixes")
              props.ipPrefix = `203.0.113.${(n * 16) % 256}/${props.prefixLength}`;
            state.properties = props;
            state.name = args.inputs.resourceName ?? `${args.name}abc`;
          }
          return { id: idOf(args.name), state };
        },
        call: (args) => args.inputs,
      },
      "proj",
      "dev",
    );
  });
  beforeEach(() => {
    seen.registered = [];
    seen.warnings = [];
    resetSubnetRegistry();
    pulumi.log.warn = (msg: string) => {
      seen.warnings.push(msg);
      return Promise.resolve();
    };
  });
  afterEach(() => {
    pulumi.log.warn = originalWarn;
  });
}

/** Resolves an Output (undefined when unknown, as in a preview). */
export async function value<V>(o: pulumi.Output<V>): Promise<V | undefined> {
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's internal promise accessors
  const internal = o as any;
  if (!(await internal.isKnown)) return undefined;
  return internal.promise();
}

/** Whether an Output is known. */
export async function known(o: pulumi.Output<unknown>): Promise<boolean> {
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's internal promise accessors
  return (o as any).isKnown;
}

/** Waits until every child of the component registered. */
export async function settle(gw: AzureNatGateway): Promise<void> {
  await Promise.all([
    known(gw.natGatewayId),
    known(gw.subnetIds),
    known(gw.snatFailureAlertId),
    known(gw.datapathAvailabilityAlertId),
    known(gw.publicIpAddresses),
    known(gw.publicIpPrefixes),
  ]);
}

/** Registered resources of one type. */
export const of = (type: string) => seen.registered.filter((r) => r.type === type);

/** The one registered resource of a type. */
export const one = (type: string) => {
  const found = of(type);
  expect(found).toHaveLength(1);
  return found[0];
};

/** Children of a component with their protect flag (SDK internals, read-only). */
export function children(res: pulumi.Resource): { name: string; protect: boolean }[] {
  // biome-ignore lint/suspicious/noExplicitAny: the SDK keeps children and options on internal fields
  const set: Set<any> = (res as any).__childResources ?? new Set();
  return [...set].map((c) => ({ name: c.__name, protect: c.__protect === true }));
}

/** Builds a component and returns the constructor's exception, if any. */
export function thrown(build: () => unknown): unknown {
  try {
    build();
  } catch (e) {
    return e;
  }
  return undefined;
}
