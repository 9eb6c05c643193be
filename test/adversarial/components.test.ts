// natcap's components given absurd and invalid arguments, in-process under Pulumi's mocks. Every case
// must throw at construction, before any resource is registered, an error of the right class whose
// message names the component, the argument and the value, and says what to do instead; and the
// fix it proposes must itself be accepted.
import { expect, it } from "vitest";
import { CapacityError, LimitError, NatcapError, ValidationError, WorkloadError } from "../../core/errors";
import { AwsEgressNat, AwsNatGateway, AzureNatGateway } from "../../index";
import { type Build, type ComponentCase, countingMocks, refusalSuite } from "./component-harness";

countingMocks("adversarial");

const ldap = { name: "ldap", address: "203.0.113.10", port: 636 };
const aws =
  (args: Record<string, unknown>): Build =>
  () =>
    new AwsNatGateway("egress", { subnetId: "subnet-1", ...args } as never);
const azure =
  (args: Record<string, unknown>): Build =>
  () =>
    new AzureNatGateway("egress", { resourceGroupName: "rg", location: "westeurope", ...args } as never);
const egress =
  (args: Record<string, unknown>): Build =>
  () =>
    new AwsEgressNat("egress", { vpcId: "vpc-1", ...args } as never);

const CASES: ComponentCase[] = [
  {
    name: "AWS ipCount 9",
    build: aws({ ipCount: 9 }),
    fixed: aws({ ipCount: 8, eipQuota: 8 }),
    error: LimitError,
    says: ['AwsNatGateway "egress"', "ipCount", "9"],
  },
  {
    name: "AWS ipCount 0",
    build: aws({ ipCount: 0 }),
    fixed: aws({ ipCount: 1 }),
    error: ValidationError,
    says: ["ipCount", "0"],
  },
  { name: "AWS ipCount -1", build: aws({ ipCount: -1 }), error: ValidationError, says: ["ipCount", "-1"] },
  { name: "AWS ipCount 2.5", build: aws({ ipCount: 2.5 }), error: ValidationError, says: ["ipCount", "2.5"] },
  {
    name: "AWS ipCount NaN",
    build: aws({ ipCount: Number.NaN }),
    error: ValidationError,
    says: ["ipCount", "NaN"],
  },
  {
    name: "AWS ipCount a string",
    build: aws({ ipCount: "3" }),
    error: ValidationError,
    says: ["ipCount", '"3"'],
  },
  {
    name: "AWS ipCount past MAX_SAFE_INTEGER",
    build: aws({ ipCount: 2 ** 60 }),
    error: NatcapError,
    says: ["ipCount"],
  },
  {
    name: "AWS duplicate ipKeys",
    build: aws({ ipCount: 2, ipKeys: ["a", "a"] }),
    fixed: aws({ ipCount: 2, ipKeys: ["a", "b"] }),
    error: ValidationError,
    says: ["ipKeys", '"a"'],
  },
  {
    name: "AWS eipQuota 0",
    build: aws({ ipCount: 1, eipQuota: 0 }),
    error: ValidationError,
    says: ["eipQuota", "0"],
  },
  {
    name: "AWS eipQuota 99",
    build: aws({ ipCount: 1, eipQuota: 99 }),
    error: ValidationError,
    says: ["eipQuota", "99"],
  },
  {
    name: "AWS privateIpQuota on a public gateway",
    build: aws({ ipCount: 1, privateIpQuota: 4 }),
    error: ValidationError,
    says: ["privateIpQuota"],
  },
  {
    name: "AWS private secondary count 40",
    build: aws({ connectivityType: "private", secondaryPrivateIpAddressCount: 40 }),
    error: NatcapError,
    says: ["secondaryPrivateIpAddressCount", "40"],
  },
  {
    name: "AWS unknown capacityCheck mode",
    build: aws({ ipCount: 1, capacityCheck: "sometimes" }),
    error: ValidationError,
    says: ["capacityCheck", '"sometimes"'],
  },
  {
    name: "AWS expected traffic far beyond 8 IPs",
    build: aws({
      ipCount: 8,
      eipQuota: 8,
      expectedTraffic: { destinations: [{ ...ldap, peakConnections: 5_000_000 }] },
    }),
    error: CapacityError,
    says: ['AwsNatGateway "egress"', "ldap"],
  },
  {
    name: "AWS expected traffic with a negative peak",
    build: aws({ ipCount: 1, expectedTraffic: { destinations: [{ ...ldap, peakConnections: -5 }] } }),
    error: NatcapError,
    says: ["peakConnections", "-5"],
  },
  {
    name: "AWS expected traffic to port 70000",
    build: aws({
      ipCount: 1,
      expectedTraffic: { destinations: [{ ...ldap, port: 70_000, peakConnections: 10 }] },
    }),
    error: NatcapError,
    says: ["port", "70000"],
  },
  {
    name: "AWS expected traffic to an empty address",
    build: aws({
      ipCount: 1,
      expectedTraffic: { destinations: [{ ...ldap, address: "", peakConnections: 10 }] },
    }),
    error: NatcapError,
    says: ["address"],
  },
  {
    name: "AWS expected traffic with Infinity peak",
    build: aws({
      ipCount: 1,
      expectedTraffic: { destinations: [{ ...ldap, peakConnections: Number.POSITIVE_INFINITY }] },
    }),
    error: NatcapError,
    says: ["peakConnections"],
  },
  {
    name: "AWS unknown connectivityType",
    build: aws({ connectivityType: "semi-private" }),
    error: ValidationError,
    says: ["connectivityType", '"semi-private"'],
  },
  {
    name: "Azure 17 public IPs",
    build: azure({ publicIpCount: 17 }),
    fixed: azure({ publicIpCount: 16 }),
    error: LimitError,
    says: ['AzureNatGateway "egress"', "17", "16"],
  },
  {
    name: "Azure publicIpCount -2",
    build: azure({ publicIpCount: -2 }),
    error: ValidationError,
    says: ["publicIpCount", "-2"],
  },
  {
    name: "Azure idle timeout 3 minutes",
    build: azure({ publicIpCount: 1, idleTimeoutInMinutes: 3 }),
    fixed: azure({ publicIpCount: 1, idleTimeoutInMinutes: 4 }),
    error: NatcapError,
    says: ["idleTimeoutInMinutes", "3"],
  },
  {
    name: "Azure idle timeout 10,000 minutes",
    build: azure({ publicIpCount: 1, idleTimeoutInMinutes: 10_000 }),
    error: NatcapError,
    says: ["idleTimeoutInMinutes", "10000"],
  },
  {
    name: "Azure expected traffic beyond 16 IPs",
    build: azure({
      publicIpCount: 16,
      expectedTraffic: { destinations: [{ ...ldap, peakConnections: 10_000_000 }] },
    }),
    error: CapacityError,
    says: ['AzureNatGateway "egress"', "ldap"],
  },
  {
    name: "AWS egress NAT ipCount 12 per zone",
    build: egress({
      zones: [
        {
          availabilityZone: "us-east-1a",
          publicSubnetId: "subnet-a",
          privateRouteTables: [{ key: "app", routeTableId: "rtb-1" }],
        },
      ],
      ipCount: 12,
    }),
    error: NatcapError,
    says: ["ipCount", "12"],
  },
];

refusalSuite("components refuse absurd arguments at construction", CASES, () => {
  it("keeps workload errors a kind of validation error", () => {
    expect(new WorkloadError([{ path: "x", message: "y" }])).toBeInstanceOf(ValidationError);
  });
});
