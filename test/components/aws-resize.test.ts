import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { AwsNatGateway, type AwsNatGatewayArgs } from "../../components/aws";
import { ofType, type Registered, registered, T, urnsOf, useMocks } from "./aws-mocks";

beforeEach(async () => {
  vi.spyOn(pulumi.log, "warn").mockImplementation(async () => {});
  await useMocks();
});

interface Step {
  urns: Map<string, string>; // logical name + type → URN
  byUrn: Map<string, Registered>;
}

/** Builds the gateway with the given arguments and returns what it registered, by URN. */
async function deploy(args: AwsNatGatewayArgs): Promise<Step> {
  registered.length = 0;
  const gw = new AwsNatGateway("egress", args);
  const resources = [
    gw.natGateway,
    ...Object.values(gw.eips),
    ...Object.values(gw.associations),
    ...Object.values(gw.routes),
  ];
  const urns = await urnsOf(resources);
  const byUrn = new Map<string, Registered>();
  const snapshot = [...registered];
  for (const urn of urns) {
    const name = urn.slice(urn.lastIndexOf("::") + 2);
    const type = urn.slice(urn.lastIndexOf("$") + 1, urn.lastIndexOf("::"));
    const reg = snapshot.find((r) => r.name === name && r.type === type);
    if (reg) byUrn.set(urn, reg);
  }
  return { urns: new Map(urns.map((u) => [u, u])), byUrn };
}

const common: AwsNatGatewayArgs = {
  subnetId: "subnet-1",
  eipQuota: 8,
  routeTables: [{ key: "private", routeTableId: "rtb-1" }],
  portAllocationAlarm: false,
};

/** Asserts the step from `a` to `b` kept the gateway and every EIP present in both untouched. */
function expectUntouched(a: Step, b: Step): void {
  const gatewayUrn = "urn:pulumi:dev::proj::natcap:index:AwsNatGateway$aws:ec2/natGateway:NatGateway::egress";
  expect(a.byUrn.get(gatewayUrn)?.inputs).toBeDefined();
  expect(b.byUrn.get(gatewayUrn)?.inputs).toEqual(a.byUrn.get(gatewayUrn)?.inputs);
  for (const [urn, reg] of a.byUrn) {
    if (!b.byUrn.has(urn)) continue;
    expect(b.byUrn.get(urn)?.inputs, urn).toEqual(reg.inputs);
  }
}

/** EIP keys present in a step. */
const eipKeys = (s: Step) =>
  [...s.byUrn.values()].filter((r) => r.type === T.eip).map((r) => r.name.replace("egress-eip-", ""));

describe("resizing never renames or replaces the gateway or an existing EIP", () => {
  it("property: random add/remove sequences of keyed secondary IPs", async () => {
    const keyArb = fc.constantFrom("b", "c", "d", "e", "f", "g", "h", "partner-x", "partner-y");
    const opArb = fc.record({ add: fc.boolean(), key: keyArb });
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 6 }), async (ops) => {
        let secondaries: string[] = [];
        let prev = await deploy({ ...common, ipKeys: ["primary"] });
        for (const op of ops) {
          if (op.add && !secondaries.includes(op.key) && secondaries.length < 7)
            secondaries = [...secondaries, op.key];
          else if (!op.add) secondaries = secondaries.filter((k) => k !== op.key);
          // Order of the list must not matter either: shuffle by reversing every other step.
          const listed = ops.indexOf(op) % 2 === 0 ? secondaries : [...secondaries].reverse();
          const next = await deploy({ ...common, ipKeys: ["primary", ...listed] });
          expectUntouched(prev, next);
          expect(eipKeys(next).sort()).toEqual(["primary", ...secondaries].sort());
          expect(
            ofType(T.assoc)
              .map((a) => a.name)
              .sort(),
          ).toEqual(secondaries.map((k) => `egress-eip-${k}`).sort());
          prev = next;
        }
      }),
      { numRuns: 15 },
    );
  });

  it("property: growing or shrinking ipCount only adds or removes the highest keys", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 2, maxLength: 5 }),
        async (counts) => {
          let prev = await deploy({ ...common, ipCount: counts[0] });
          for (const n of counts.slice(1)) {
            const next = await deploy({ ...common, ipCount: n });
            expectUntouched(prev, next);
            expect(eipKeys(next).sort()).toEqual(Array.from({ length: n }, (_, i) => String(i + 1)).sort());
            prev = next;
          }
        },
      ),
      { numRuns: 10 },
    );
  });

  it("can fail: moving the primary key does change the gateway's inputs", async () => {
    const a = await deploy({ ...common, ipKeys: ["primary", "b"] });
    const b = await deploy({ ...common, ipKeys: ["b", "primary"] });
    expect(() => expectUntouched(a, b)).toThrow();
  });
});
