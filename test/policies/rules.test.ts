/**
 * The pack's rule files and scaffold, without starting the pack: every file under policies/rules/ is
 * listed in policies/index.ts, is named by its rule id, states its id and level in its header, and
 * declares exactly the pinned metadata (test/policies/rule-metadata.json, which the gRPC test in
 * pack.test.ts also compares with what the running pack advertises). The scaffold's binding — type
 * test, typed config with defaults, plain properties, stack snapshot, reporter — is checked with
 * small rules defined here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineResourceRule, defineStackRule } from "../../policies/lib/rule";
import { TYPES } from "../../policies/lib/stack";
import pinned from "./rule-metadata.json";

const POLICIES = path.resolve(__dirname, "../../policies");
const RULES = path.join(POLICIES, "rules");
const ruleFiles = fs
  .readdirSync(RULES)
  .filter((f) => f.endsWith(".ts"))
  .map((f) => f.slice(0, -3))
  .sort();

type Policy = ResourceValidationPolicy | StackValidationPolicy;

/** The policy objects a rule file exports. */
async function policiesOf(file: string): Promise<Policy[]> {
  const mod = (await import(path.join(RULES, `${file}.ts`))) as Record<string, unknown>;
  return Object.values(mod).filter(
    (v): v is Policy => !!v && typeof v === "object" && "name" in v && "enforcementLevel" in v,
  );
}

describe("rule files", () => {
  it("are all listed, by import, in policies/index.ts and in its policies array", () => {
    const index = fs.readFileSync(path.join(POLICIES, "index.ts"), "utf8");
    const imported = [...index.matchAll(/import \{ (\w+) \} from "\.\/rules\/([\w-]+)";/g)];
    expect(imported.map((m) => m[2]).sort()).toEqual(ruleFiles);
    const list = /policies: \[([^\]]*)\]/.exec(index)?.[1] ?? "";
    for (const [, name] of imported) expect(list, name).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it.each(ruleFiles)(
    "%s exports one policy named by the file, with a header giving id and level",
    async (file) => {
      const policies = await policiesOf(file);
      expect(policies.map((p) => p.name)).toEqual([file]);
      const header = fs.readFileSync(path.join(RULES, `${file}.ts`), "utf8").split("\n", 2)[1];
      expect(header).toBe(` * ${file} [${policies[0].enforcementLevel}]:${header.split("]:")[1]}`);
    },
  );

  it("declare exactly the pinned metadata: ids, levels, descriptions, remediation, URLs, config schemas", async () => {
    const actual = [];
    for (const file of ruleFiles) {
      for (const p of await policiesOf(file)) {
        actual.push({
          name: p.name,
          kind: "validateStack" in p ? "stack" : "resource",
          enforcementLevel: p.enforcementLevel,
          description: p.description,
          remediationSteps: p.remediationSteps,
          url: p.url,
          ...(p.configSchema ? { configSchema: JSON.parse(JSON.stringify(p.configSchema)) } : {}),
        });
      }
    }
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(actual.sort(byName)).toEqual([...pinned].sort(byName));
  });
});

/** Calls a resource policy as the SDK would for one resource; returns what it reported. */
function runResource(policy: ResourceValidationPolicy, type: string, props: object, config?: object) {
  const out: unknown[] = [];
  const args = { type, name: "gw", urn: `urn:pulumi:s::p::${type}::gw`, props, getConfig: () => config };
  const validate = policy.validateResource as (a: ResourceValidationArgs, r: ReportViolation) => void;
  validate(args as unknown as ResourceValidationArgs, ((m: unknown) => out.push(m)) as ReportViolation);
  return out;
}

const Limit = z.object({ max: z.number().int().min(1).default(4).describe("Largest allowed value.") });

const tooBig = defineResourceRule({
  id: "test-too-big",
  description: "A test rule: size must not exceed the configured maximum.",
  enforcementLevel: "mandatory",
  remediation: "Lower size.",
  url: "https://example.com/too-big",
  config: Limit,
  resourceTypes: [TYPES.azureNatGateway],
  check: ({ resource, config, report }) => {
    const size = resource.props.size;
    if (typeof size === "number" && size > config.max)
      report.violation(`gateway "${resource.name}"`, `size ${size} exceeds ${config.max}`, "lower size");
  },
});

describe("defineResourceRule", () => {
  it("advertises the metadata under the SDK's names and the zod config as JSON Schema", () => {
    expect(tooBig).toMatchObject({
      name: "test-too-big",
      enforcementLevel: "mandatory",
      remediationSteps: "Lower size.",
      url: "https://example.com/too-big",
      configSchema: {
        properties: {
          max: { type: "integer", minimum: 1, default: 4, description: "Largest allowed value." },
        },
      },
    });
  });

  it("runs the check only for its resource types, azure-native versioned modules included", () => {
    expect(runResource(tooBig, "aws:ec2/natGateway:NatGateway", { size: 9 })).toEqual([]);
    expect(runResource(tooBig, TYPES.azureNatGateway, { size: 9 })).toHaveLength(1);
    expect(runResource(tooBig, "azure-native:network/v20240501:NatGateway", { size: 9 })).toHaveLength(1);
  });

  it("passes the config with its defaults filled in, and the given values", () => {
    expect(runResource(tooBig, TYPES.azureNatGateway, { size: 5 })).toEqual([
      'gateway "gw": size 5 exceeds 4\nFix: lower size',
    ]);
    expect(runResource(tooBig, TYPES.azureNatGateway, { size: 5 }, { max: 5 })).toEqual([]);
  });

  it("rejects config that breaks the schema, naming the rule and the field", () => {
    expect(() => runResource(tooBig, TYPES.azureNatGateway, { size: 1 }, { max: 0 })).toThrow(
      /^test-too-big config: max: /,
    );
  });

  it("leaves configSchema out for a rule without config, and gives its check an empty config", () => {
    let seen: unknown;
    const bare = defineResourceRule({
      id: "test-bare",
      description: "A test rule without config.",
      enforcementLevel: "advisory",
      remediation: "None.",
      url: "https://example.com/bare",
      check: ({ config }) => {
        seen = config;
      },
    });
    expect("configSchema" in bare).toBe(false);
    runResource(bare, "any:type:Here", {}, { ignored: true });
    expect(seen).toEqual({});
  });
});

describe("defineStackRule", () => {
  it("gives the check the stack snapshot with parents and property dependencies resolved", () => {
    const parent = { type: "natcap:index:AwsNatGateway", name: "egress", urn: "urn:c", props: {} };
    const eip = { type: TYPES.awsEip, name: "eip", urn: "urn:e", props: { id: "eipalloc-1" } };
    const gw = {
      type: TYPES.awsNatGateway,
      name: "gw",
      urn: "urn:g",
      props: { allocationId: "eipalloc-1" },
      parent,
      propertyDependencies: { allocationId: [eip] },
    };
    const reported: unknown[] = [];
    const rule = defineStackRule({
      id: "test-stack",
      description: "A test stack rule: gateways name their component and EIP.",
      enforcementLevel: "advisory",
      remediation: "None.",
      url: "https://example.com/stack",
      check: ({ stack, report }) => {
        for (const r of stack.filter((x) => x.type === TYPES.awsNatGateway)) {
          const deps = r.propertyDependencies.allocationId.map((d) => d.name).join(",");
          report.cannotEvaluate(`NAT gateway "${r.name}"`, `parent ${r.parent?.name}, EIP ${deps}`, r.urn);
        }
      },
    });
    const resources = [parent, eip, gw] as unknown as PolicyResource[];
    const validate = rule.validateStack as (a: StackValidationArgs, r: ReportViolation) => void;
    validate(
      { resources, getConfig: () => undefined } as unknown as StackValidationArgs,
      ((m: unknown) => reported.push(m)) as ReportViolation,
    );
    expect(reported).toEqual([
      expect.objectContaining({
        urn: "urn:g",
        enforcementLevel: "advisory",
        message: expect.stringMatching(
          /^A test stack rule: gateways name their component and EIP\.\nNAT gateway "gw": cannot be evaluated during preview: parent egress, EIP eip\. /,
        ),
      }),
    ]);
  });
});
