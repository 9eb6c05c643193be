// Answers that used to mislead a new user, each kept as a case: a sum reported without the inputs
// that make it, and (further down) the other answers that must name what the user wrote.

import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { ExpectedStreamArgs, ExpectedTrafficArgs } from "../../components/common/expectation";
import { CapacityError, LimitError, ValidationError } from "../../core/errors";
import { AwsNatGateway, AzureNatGateway } from "../../index";
import type { WorkloadInput } from "../../sim/workload/workload";
import { type Build, type ComponentCase, countingMocks, refusalSuite, thrown } from "./component-harness";

countingMocks("answers");

const aws =
  (args: Record<string, unknown>): Build =>
  () =>
    new AwsNatGateway("egress", { subnetId: "subnet-1", ...args } as never);
const azure =
  (args: Record<string, unknown>): Build =>
  () =>
    new AzureNatGateway("egress", { resourceGroupName: "rg", location: "westeurope", ...args } as never);
const allocations = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: `byoip-${i + 1}`, allocationId: `eipalloc-${i + 1}` }));
const ipIds = (n: number) =>
  Array.from({ length: n }, (_, i) => `/subscriptions/s/publicIPAddresses/ip-${i + 1}`);

const CASES: ComponentCase[] = [
  {
    name: "AWS existingIps 7 + ipCount 2: both inputs and their sum",
    build: aws({ existingIps: allocations(7), ipCount: 2, eipQuota: 8 }),
    fixed: aws({ existingIps: allocations(7), ipCount: 1, eipQuota: 8 }),
    error: LimitError,
    says: ["ipCount 2 + existingIps 7 = 9 exceeds the 8 IPv4 addresses"],
  },
  {
    name: "AWS existingIps 6 + ipKeys 3: both inputs and their sum",
    build: aws({ existingIps: allocations(6), ipKeys: ["a", "b", "c"], eipQuota: 8 }),
    error: LimitError,
    says: ["ipKeys 3 + existingIps 6 = 9 exceeds the 8"],
  },
  {
    name: "Azure publicIpCount 10 + existingPublicIpIds 7: both inputs",
    build: azure({ publicIpCount: 10, existingPublicIpIds: ipIds(7) }),
    fixed: azure({ publicIpCount: 9, existingPublicIpIds: ipIds(7) }),
    error: LimitError,
    says: ["17 public IPv4 addresses (publicIpCount 10 + existingPublicIpIds 7) exceed the 16"],
  },
];

refusalSuite("answers that name every input of a sum", CASES);

describe("one vocabulary for a workload file and a component", () => {
  // The README's workload, as a user copies it into a program: its entries are component entries.
  const workload = parse(`
cloud: aws
gateway: { ips: 2 }
destinations:
  - { name: ldap, address: 203.0.113.10, port: 636, peakConnections: 90000, peakDurationSeconds: 3600, peakHoldSeconds: 60 }
traffic:
  - to: ldap
    connectionsPerSecond: 400
    hold: { distribution: exponential, mean: 60 }
`) as WorkloadInput;

  it("a workload's destinations and traffic type-check and construct as expectedTraffic", () => {
    // Compile-time: the documented workload fields are the component's (tsc checks this file).
    const stream: ExpectedStreamArgs = {
      to: "ldap",
      connectionsPerSecond: 400,
      hold: { distribution: "exponential", mean: 60 },
    };
    const expected: ExpectedTrafficArgs = {
      destinations: workload.destinations,
      traffic: [stream],
    };
    expect(thrown(aws({ ipCount: 8, eipQuota: 8, expectedTraffic: expected }))).toBeUndefined();
  });

  it("a sustained peak is judged as one in a component, as in the workload", () => {
    const e = thrown(aws({ ipCount: 1, expectedTraffic: { destinations: workload.destinations } }));
    expect(e).toBeInstanceOf(CapacityError);
    expect((e as Error).message).toMatch(
      /expected peak 90,000 connections held for 3,600 s with connections living 60 s/,
    );
  });
});

describe("a Pulumi Output in expectedTraffic", () => {
  it("is refused in one line that names the field and why a plain value is needed", () => {
    const expectedTraffic = {
      destinations: [{ name: "db", address: pulumi.output("203.0.113.10"), port: 5432 }],
      traffic: [{ to: "db", connectionsPerSecond: 10, holdSeconds: 5 }],
    };
    for (const build of [aws({ expectedTraffic }), azure({ expectedTraffic })]) {
      const e = thrown(build);
      expect(e).toBeInstanceOf(ValidationError);
      const message = (e as Error).message;
      expect(message.split("\n")).toHaveLength(1);
      expect(message).toMatch(
        /expectedTraffic\.destinations\[0\]\.address: is a Pulumi Output .* give a plain value known then/,
      );
      expect(message).not.toMatch(/toJSON|must not be empty/);
    }
  });
});
