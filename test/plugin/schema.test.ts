import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import * as natcap from "../../index";
import { hostProvider, ROOT } from "./host";

// The schema other languages get is inferred from the TypeScript sources by the host's
// ComponentProvider. The expectation here is read independently from the same sources with the
// TypeScript parser: every documented property of the args interfaces (inputs) and of the component
// classes (outputs), with the type its declaration spells. Compared both ways, so a property missing
// from either side, a wrong type or a lost description fails.

interface Prop {
  name: string;
  optional: boolean;
  doc: string;
  type: ts.TypeNode;
}

const SOURCES = [
  "components/aws/args.ts",
  "components/aws/centralArgs.ts",
  "components/aws/centralEgress.ts",
  "components/aws/regionalZones.ts",
  "components/azure/args.ts",
  "components/common/expectation.ts",
  "components/common/capacity.ts",
  "components/aws/natGateway.ts",
  "components/aws/egressNat.ts",
  "components/azure/natGateway.ts",
];

/** Interfaces and classes of the sources, by name, with their documented properties. */
const declared = new Map<string, Prop[]>();
for (const file of SOURCES) {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  source.forEachChild((node) => {
    if (!(ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) || !node.name) return;
    const props: Prop[] = [];
    for (const m of node.members) {
      if (!(ts.isPropertySignature(m) || ts.isPropertyDeclaration(m)) || !m.type) continue;
      const jsDoc = (m as unknown as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
      props.push({
        name: m.name.getText(source),
        optional: m.questionToken !== undefined,
        doc: jsDoc.map((d) => ts.getTextOfJSDocComment(d.comment) ?? "").join("\n"),
        type: m.type,
      });
    }
    declared.set(node.name.text, props);
  });
}

const COMPONENTS = {
  AwsNatGateway: "AwsNatGatewayArgs",
  AwsEgressNat: "AwsEgressNatArgs",
  AwsCentralEgress: "AwsCentralEgressArgs",
  AzureNatGateway: "AzureNatGatewayArgs",
} as const;

/** The choices exported as `as const` objects: the schema must list exactly their values. */
const ENUMS: Record<string, Record<string, string>> = {
  Protocol: natcap.aws.Protocol,
  GatewayEndpointService: natcap.aws.GatewayEndpointService,
  CloseKind: natcap.aws.CloseKind,
  HoldDistribution: natcap.aws.HoldDistribution,
  CapacityCheckMode: natcap.aws.CapacityCheckMode,
  CapacityMethod: natcap.aws.CapacityMethod,
  ConnectivityType: natcap.aws.ConnectivityType,
  AvailabilityMode: natcap.aws.AvailabilityMode,
  AzureNatGatewaySku: natcap.azure.AzureNatGatewaySku,
};

const isInput = (node: ts.TypeNode) =>
  ts.isTypeReferenceNode(node) && node.typeName.getText() === "pulumi.Input";

type SchemaProp = Record<string, unknown> & { plain?: boolean; description?: string };

/**
 * What the schema should say for a declared TypeScript type (without the top level's `plain`). In
 * inputs, array items and map values not wrapped in `pulumi.Input` are plain.
 */
function expected(node: ts.TypeNode, inputs: boolean): Record<string, unknown> {
  const inner = (n: ts.TypeNode) => ({
    ...expected(n, inputs),
    ...(inputs && !isInput(n) ? { plain: true } : {}),
  });
  if (node.kind === ts.SyntaxKind.StringKeyword) return { type: "string" };
  if (node.kind === ts.SyntaxKind.NumberKeyword) return { type: "number" };
  if (node.kind === ts.SyntaxKind.BooleanKeyword) return { type: "boolean" };
  if (ts.isArrayTypeNode(node)) return { type: "array", items: inner(node.elementType) };
  if (ts.isUnionTypeNode(node)) {
    const defined = node.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword);
    expect(defined, node.getText()).toHaveLength(1);
    return expected(defined[0], inputs);
  }
  if (ts.isTypeLiteralNode(node)) {
    const [index] = node.members;
    if (!index || !ts.isIndexSignatureDeclaration(index) || !index.type) throw new Error(node.getText());
    return { type: "object", additionalProperties: inner(index.type) };
  }
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText();
    const args = node.typeArguments ?? [];
    if (name === "pulumi.Input" || name === "pulumi.Output") return expected(args[0], inputs);
    if (name === "Record") return { type: "object", additionalProperties: inner(args[1]) };
    if (name.startsWith("aws.")) {
      const cls = name.split(".").pop();
      return {
        $ref: expect.stringMatching(new RegExp(`^/aws/v[0-9.]+/schema.json#/resources/aws:.*:${cls}$`)),
      };
    }
    return { $ref: `#/types/natcap:index:${name}` };
  }
  throw new Error(`no expectation for ${node.getText()}`);
}

/** Compares one declared property list with the schema's properties of the same owner. */
function compare(owner: string, props: Prop[], actual: Record<string, SchemaProp>, inputs: boolean) {
  const documented = props.filter((p) => p.doc !== "");
  expect(documented.length, `${owner} has documented properties`).toBeGreaterThan(0);
  expect(Object.keys(actual).sort(), owner).toEqual(documented.map((p) => p.name).sort());
  for (const p of documented) {
    const got = actual[p.name];
    const where = `${owner}.${p.name}`;
    expect(got.description, where).toBe(p.doc);
    const { plain, description, optional, ...type } = got;
    expect(type, where).toEqual(expected(p.type, inputs));
    if (inputs) expect(plain === true, `${where} plain`).toBe(!isInput(p.type));
  }
}

let schema: {
  name: string;
  resources: Record<string, Record<string, unknown>>;
  types: Record<
    string,
    { type: string; properties?: Record<string, SchemaProp>; enum?: { value: string }[] }
  >;
};

beforeAll(async () => {
  schema = JSON.parse(await hostProvider().getSchema());
}, 120_000);

describe("component plugin: inferred schema", () => {
  it("names the package natcap and has exactly its components under the index module", () => {
    expect(schema.name).toBe("natcap");
    expect(Object.keys(schema.resources).sort()).toEqual(
      Object.keys(COMPONENTS)
        .map((c) => `natcap:index:${c}`)
        .sort(),
    );
  });

  it.each(Object.entries(COMPONENTS))(
    "%s: every input with its type, plainness and description",
    (cls, argsName) => {
      const resource = schema.resources[`natcap:index:${cls}`] as {
        inputProperties: Record<string, SchemaProp>;
        requiredInputs?: string[];
        description?: string;
      };
      const props = declared.get(argsName) ?? [];
      compare(argsName, props, resource.inputProperties, true);
      expect((resource.requiredInputs ?? []).sort()).toEqual(
        props
          .filter((p) => !p.optional)
          .map((p) => p.name)
          .sort(),
      );
      expect(resource.description).toMatch(/NAT gateway/);
    },
  );

  it.each(Object.keys(COMPONENTS))(
    "%s: every public property is an output with its type and description",
    (cls) => {
      const resource = schema.resources[`natcap:index:${cls}`] as { properties: Record<string, SchemaProp> };
      compare(cls, declared.get(cls) ?? [], resource.properties, false);
    },
  );

  it("describes every nested argument and result type like its interface", () => {
    const objects = Object.entries(schema.types).filter(([, t]) => t.type === "object");
    expect(objects.length).toBeGreaterThan(10);
    for (const [token, t] of objects) {
      const name = token.replace("natcap:index:", "");
      expect(declared.has(name), `${name} is declared in the component sources`).toBe(true);
      // A type first reached from the args is an input type (plain unless wrapped in pulumi.Input).
      const inputs = Object.values(t.properties ?? {}).some((p) => p.plain === true);
      compare(name, declared.get(name) ?? [], t.properties ?? {}, inputs);
    }
  });

  it("turns every choice into a named enum with exactly the values TypeScript accepts", () => {
    const enums = Object.entries(schema.types).filter(([, t]) => t.enum);
    expect(enums.map(([token]) => token.replace("natcap:index:", "")).sort()).toEqual(
      Object.keys(ENUMS).sort(),
    );
    for (const [token, t] of enums) {
      const values = Object.values(ENUMS[token.replace("natcap:index:", "")]);
      expect(t.enum?.map((e) => e.value).sort(), token).toEqual([...values].sort());
    }
  });

  it("has no untyped values and no dangling type references", () => {
    const text = JSON.stringify(schema);
    expect(text).not.toContain("pulumi.json#/Any");
    for (const [, ref] of text.matchAll(/"\$ref":"#\/types\/([^"]+)"/g)) {
      expect(schema.types[ref], ref).toBeDefined();
    }
  });
});
