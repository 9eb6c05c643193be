import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolicyConfigError } from "../../check/config";
import { type Pack, startPack } from "./harness";
import pinned from "./rule-metadata.json";

/** What GetAnalyzerInfo tells of a policy, in the shape both the pack client and the pin share. */
function advertised(p: {
  name: string;
  kind: string;
  enforcementLevel: string;
  description: string;
  remediationSteps: string;
  configSchema?: { properties: object };
}) {
  const { name, kind, enforcementLevel, description, remediationSteps } = p;
  return { name, kind, enforcementLevel, description, remediationSteps, config: p.configSchema?.properties };
}

let pack: Pack;
beforeAll(async () => {
  pack = await startPack();
});
afterAll(async () => {
  await pack?.process.close();
});

describe("natcap-policies pack", () => {
  it("has exactly the rule ids and default enforcement levels of docs/architecture.md", () => {
    const levels = Object.fromEntries(pack.info.policies.map((p) => [p.name, p.enforcementLevel]));
    expect(pack.info.name).toBe("natcap-policies");
    expect(pack.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(levels).toEqual({
      "aws-nat-gateway-ip-limit": "mandatory",
      "aws-nat-gateway-ip-quota": "advisory",
      "aws-nat-gateway-private-ip-limit": "mandatory",
      "aws-nat-gateway-subnet-free-addresses": "mandatory",
      "aws-nat-gateway-eip-association-conflict": "mandatory",
      "azure-nat-gateway-ip-limit": "mandatory",
      "azure-nat-gateway-public-ip-sku": "mandatory",
      "azure-nat-gateway-idle-timeout": "mandatory",
      "azure-nat-gateway-long-idle-timeout": "advisory",
      "azure-nat-gateway-subnet-rules": "mandatory",
      "nat-gateway-capacity": "mandatory",
    });
  });

  it("advertises exactly the pinned metadata and config schemas, in the pack's order", () => {
    // test/policies/rule-metadata.json pins what each rule declares (rules.test.ts checks the URLs,
    // which GetAnalyzerInfo carries but the pack client does not read).
    expect(pack.info.policies.map(advertised)).toEqual(pinned.map(advertised));
  });

  it("gives every rule a description and remediation steps", () => {
    for (const p of pack.info.policies) {
      expect(p.description.length, p.name).toBeGreaterThan(20);
      expect(p.remediationSteps.length, p.name).toBeGreaterThan(20);
    }
  });

  it("declares config schemas with defaults for the tunables", () => {
    const schema = (name: string) =>
      pack.info.policies.find((p) => p.name === name)?.configSchema?.properties;
    expect(schema("aws-nat-gateway-ip-quota")?.quota?.default).toBe(2);
    expect(schema("aws-nat-gateway-private-ip-limit")?.quota?.default).toBe(8);
    expect(schema("azure-nat-gateway-long-idle-timeout")?.maxMinutes?.default).toBe(4);
    expect(schema("nat-gateway-capacity")?.expectations).toBeDefined();
    expect(schema("aws-nat-gateway-subnet-free-addresses")?.subnetCidrs).toBeDefined();
  });

  it("rejects config that breaks a policy's schema, naming the policy and field", async () => {
    await expect(
      pack.check([], { "aws-nat-gateway-ip-quota": { properties: { quota: 0 } } }),
    ).rejects.toThrow(PolicyConfigError);
    await expect(
      pack.check([], { "no-such-policy": { enforcementLevel: "advisory", properties: {} } }),
    ).rejects.toThrow(/no-such-policy: no policy of that name/);
  });

  describe("nat-gateway-capacity config schema carries the workload's bounds", () => {
    const expectation = (extra: object) => ({
      "nat-gateway-capacity": {
        properties: {
          expectations: {
            egress: {
              destinations: [{ name: "api", address: "198.51.100.7", port: 443, peakConnections: 10 }],
              ...extra,
            },
          },
        },
      },
    });
    const fields = () => {
      const p = pack.info.policies.find((x) => x.name === "nat-gateway-capacity");
      const expectations = p?.configSchema?.properties?.expectations as {
        additionalProperties: { properties: Record<string, Record<string, unknown>> };
      };
      return expectations.additionalProperties.properties;
    };

    it("advertises durationSeconds above 0 and seed as a whole number from 0 to 2^32 - 1", () => {
      expect(fields().durationSeconds).toMatchObject({ type: "number", exclusiveMinimum: 0 });
      expect(fields().seed).toMatchObject({ type: "integer", minimum: 0, maximum: 2 ** 32 - 1 });
    });

    it.each([
      [{ durationSeconds: 0 }, "durationSeconds"],
      [{ durationSeconds: -5 }, "durationSeconds"],
      [{ seed: 1.5 }, "seed"],
      [{ seed: -1 }, "seed"],
      [{ seed: 2 ** 32 }, "seed"],
    ])("refuses %j, naming the field", async (extra, field) => {
      const attempt = pack.check([], expectation(extra));
      await expect(attempt).rejects.toThrow(PolicyConfigError);
      await expect(attempt).rejects.toThrow(`nat-gateway-capacity.expectations.egress.${field}`);
    });

    it("accepts the smallest valid values", async () => {
      await expect(pack.check([], expectation({ durationSeconds: 0.5, seed: 0 }))).resolves.toEqual([]);
      await expect(pack.check([], expectation({ seed: 2 ** 32 - 1 }))).resolves.toEqual([]);
    });
  });

  it("disables a policy through config", async () => {
    const { T, res } = await import("./harness");
    const gw = res(T.nat, "egress", {
      allocationId: "eipalloc-1",
      subnetId: "subnet-1",
      secondaryAllocationIds: Array(8).fill("x"),
    });
    const on = await pack.check([gw]);
    const off = await pack.check([gw], {
      "aws-nat-gateway-ip-limit": { enforcementLevel: "disabled", properties: {} },
    });
    expect(on.some((d) => d.policyName === "aws-nat-gateway-ip-limit")).toBe(true);
    expect(off.some((d) => d.policyName === "aws-nat-gateway-ip-limit")).toBe(false);
  });
});
