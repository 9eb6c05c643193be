/**
 * The component contract both clouds share: planning comes before registration (a refused component
 * registers nothing, not even itself), every planner checks enum arguments the same way, and the
 * gateway-endpoint exclusion of the capacity contract keeps exactly the destinations the NAT gateway
 * carries.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AwsEgressNat, AwsNatGateway, CapacityCheckMode } from "../../components/aws";
import { AzureNatGateway, planAzureNatGateway } from "../../components/azure";
import { withoutGatewayEndpoints } from "../../components/common";
import { CapacityError, ValidationError } from "../../core/errors";
import { GATEWAY_ENDPOINT_SERVICES, splitByGatewayEndpoints } from "../../sim/workload/gatewayEndpoints";
import { base, installMocks, seen, thrown } from "./azure-mocks";

installMocks();

const bogus = "loud" as CapacityCheckMode;

describe("capacityCheck is one of error, warn, off on every component", () => {
  it("Azure: an unknown value is a ValidationError naming capacityCheck, the value and the allowed values", () => {
    const e = thrown(() => new AzureNatGateway("g", { ...base, capacityCheck: bogus }));
    expect(e).toBeInstanceOf(ValidationError);
    const v = e as ValidationError;
    expect(v.issues).toEqual([
      { path: "capacityCheck", value: "loud", message: '"loud" is not one of error, warn, off' },
    ]);
    expect(v.message).toBe('AzureNatGateway "g": capacityCheck: "loud" is not one of error, warn, off');
  });

  it("Azure: an unknown value no longer acts as warn when the expectation does not fit", () => {
    const args = {
      ...base,
      capacityCheck: bogus,
      expectedTraffic: {
        destinations: [{ name: "ldap", address: "203.0.113.10", port: 636, peakConnections: 60_000 }],
      },
    };
    expect(() => planAzureNatGateway("g", args)).toThrow(ValidationError);
    expect(() => planAzureNatGateway("g", { ...args, capacityCheck: CapacityCheckMode.Error })).toThrow(
      CapacityError,
    );
  });

  it.each([
    ["AwsNatGateway", () => new AwsNatGateway("g", { subnetId: "s", capacityCheck: bogus })],
    [
      "AwsEgressNat",
      () =>
        new AwsEgressNat("g", {
          vpcId: "v",
          capacityCheck: bogus,
          zones: [
            {
              availabilityZone: "a",
              publicSubnetId: "s",
              privateRouteTables: [{ key: "k", routeTableId: "r" }],
            },
          ],
        }),
    ],
    ["AzureNatGateway", () => new AzureNatGateway("g", { ...base, capacityCheck: bogus })],
  ])("%s words the error the same way", (cls, build) => {
    const e = thrown(build);
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as Error).message).toBe(`${cls} "g": capacityCheck: "loud" is not one of error, warn, off`);
  });
});

describe("plan first: a refused component registers nothing", () => {
  it.each([
    ["Azure, bad argument", () => new AzureNatGateway("g", { ...base, zone: "east" })],
    ["Azure, limit", () => new AzureNatGateway("g", { ...base, publicIpCount: 17 })],
    [
      "Azure, capacity",
      () =>
        new AzureNatGateway("g", {
          ...base,
          expectedTraffic: {
            destinations: [{ name: "ldap", address: "203.0.113.10", port: 636, peakConnections: 60_000 }],
          },
        }),
    ],
    ["AWS, bad argument", () => new AwsNatGateway("g", { subnetId: "s", ipCount: -1 })],
    [
      "AWS egress, the second zone's gateway does not fit",
      () =>
        new AwsEgressNat("g", {
          vpcId: "v",
          zones: ["a", "b"].map((az) => ({
            availabilityZone: az,
            publicSubnetId: `s-${az}`,
            privateRouteTables: [{ key: az, routeTableId: `r-${az}` }],
            expectedTraffic: {
              destinations: [
                {
                  name: "ldap",
                  address: "203.0.113.10",
                  port: 636,
                  peakConnections: az === "a" ? 10 : 90_000,
                },
              ],
            },
          })),
        }),
    ],
  ])("%s", async (_label, build) => {
    expect(thrown(build)).toBeInstanceOf(Error);
    await new Promise((r) => setTimeout(r, 20));
    expect(seen.registered).toEqual([]);
  });
});

describe("gateway-endpoint exclusion", () => {
  const destination = fc.record({
    name: fc.string({ minLength: 1, maxLength: 4 }),
    service: fc.option(fc.constantFrom(...GATEWAY_ENDPOINT_SERVICES, "other"), { nil: undefined }),
  });
  const input = fc.uniqueArray(destination, { selector: (d) => d.name, maxLength: 8 }).chain((destinations) =>
    fc.record({
      destinations: fc.constant(destinations),
      traffic: fc.array(fc.record({ to: fc.constantFrom("none", ...destinations.map((d) => d.name)) }), {
        maxLength: 8,
      }),
      services: fc.subarray([...GATEWAY_ENDPOINT_SERVICES]),
    }),
  );

  it("property: keeps, in order, exactly the destinations no listed endpoint carries, and only their traffic", () => {
    fc.assert(
      fc.property(input, ({ destinations, traffic, services }) => {
        const split = splitByGatewayEndpoints({ destinations, traffic }, services);
        const listed: readonly string[] = services;
        const carried = (d: { service?: string }) => d.service !== undefined && listed.includes(d.service);
        expect(split.destinations).toEqual(destinations.filter((d) => !carried(d)));
        expect(split.excluded).toEqual(destinations.filter(carried));
        const excludedNames = new Set(split.excluded.map((d) => d.name));
        expect(split.traffic).toEqual(traffic.filter((t) => !excludedNames.has(t.to)));
      }),
    );
  });

  it("the components' expectation filter names what it left out and keeps a malformed expectation as is", () => {
    const expected = {
      destinations: [
        { name: "bucket", address: "52.216.0.10", port: 443, service: "s3" as const },
        { name: "api", address: "203.0.113.5", port: 443 },
      ],
      traffic: [
        { to: "bucket", connectionsPerSecond: 1, holdSeconds: 1 },
        { to: "api", connectionsPerSecond: 1, holdSeconds: 1 },
      ],
    };
    const out = withoutGatewayEndpoints(expected, ["s3"]);
    expect(out.excluded).toEqual(["bucket"]);
    expect(out.expected.destinations.map((d) => d.name)).toEqual(["api"]);
    expect(out.expected.traffic?.map((t) => t.to)).toEqual(["api"]);
    expect(withoutGatewayEndpoints(expected, []).expected).toBe(expected);
    const malformed = { destinations: "none" } as unknown as typeof expected;
    expect(withoutGatewayEndpoints(malformed, ["s3"]).expected).toBe(malformed);
  });
});
