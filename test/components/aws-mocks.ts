/**
 * Pulumi mocks for the AWS component tests: records every registered resource with its inputs, and
 * returns provider-like outputs (allocation IDs, public IPs) unless running as a preview, where
 * computed outputs stay unknown.
 */
import * as pulumi from "@pulumi/pulumi";

/** AWS resource types the components create. */
export const T = {
  gateway: "natcap:index:AwsNatGateway",
  egress: "natcap:index:AwsEgressNat",
  nat: "aws:ec2/natGateway:NatGateway",
  eip: "aws:ec2/eip:Eip",
  assoc: "aws:ec2/natGatewayEipAssociation:NatGatewayEipAssociation",
  route: "aws:ec2/route:Route",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
} as const;

/** One registration seen by the mocks. */
export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** Everything registered since the last {@link useMocks}. */
export let registered: Registered[] = [];

let installed: boolean | undefined;

/**
 * Clears the record of registrations; installs the mocks the first time (preview: computed outputs
 * stay unknown). The mocks are installed once per file: replacing them while outputs of earlier
 * tests are still being registered would lose those registrations.
 */
export async function useMocks(preview = false): Promise<void> {
  registered = [];
  if (installed !== undefined) {
    if (installed !== preview) throw new Error("use one preview mode per test file");
    return;
  }
  installed = preview;
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        const state: Record<string, unknown> = { ...args.inputs };
        if (!preview) {
          if (args.type === T.eip) {
            state.allocationId = `eipalloc-${args.name}`;
            state.publicIp = `ip-of-${args.name}`;
          }
          if (args.type === T.nat) {
            state.publicIp = "198.51.100.1";
            state.privateIp = "10.0.0.10";
            state.secondaryPrivateIpAddresses = [];
          }
          if (args.type === T.alarm) state.arn = `arn:aws:cloudwatch:us-east-1:1:alarm:${args.name}`;
        }
        const id = preview ? undefined : args.type === T.eip ? `eipalloc-${args.name}` : `${args.name}-id`;
        return { id, state };
      },
      call: (args) =>
        args.token === "aws:index/getRegion:getRegion" ? { region: "us-east-1" } : args.inputs,
    },
    "proj",
    "dev",
    preview,
  );
}

/** Resolves an Output (undefined when unknown, as in a preview). */
export async function value<T>(o: pulumi.Output<T>): Promise<T | undefined> {
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's internal promise accessors
  const internal = o as any;
  if (!(await internal.isKnown)) return undefined;
  return internal.promise();
}

/** Waits until the given resources are registered and returns their URNs. */
export async function urnsOf(resources: readonly pulumi.Resource[]): Promise<string[]> {
  return Promise.all(resources.map((r) => value(r.urn) as Promise<string>));
}

/** Registrations of one type. */
export function ofType(type: string): Registered[] {
  return registered.filter((r) => r.type === type);
}
