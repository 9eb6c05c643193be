// The pure parts of running a program: which stack, which config, how the program's error is told.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readProject, readStackConfig, selectStack } from "../../check/program";
import { describeFailure, ownFrames } from "../../check/runner";
import { ValidationError } from "../../core/errors";

let tmp: string;
const folder = (name: string, files: Record<string, string>) => {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  return dir;
};
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "natcap-program-files-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("selectStack", () => {
  it.each([
    ["no stack file, no --stack", [], undefined, "dev"],
    ["no stack file, --stack prod", [], "prod", "prod"],
    ["dev among others", ["dev", "prod"], undefined, "dev"],
    ["the only stack file", ["prod"], undefined, "prod"],
    ["--stack with its file", ["dev", "prod"], "prod", "prod"],
  ] as const)("%s", (_, stacks, requested, expected) => {
    const dir = folder(
      `s-${stacks.join("-")}-${requested}`,
      Object.fromEntries(stacks.map((s) => [`Pulumi.${s}.yaml`, "config: {}\n"])),
    );
    expect(selectStack(dir, requested)).toBe(expected);
  });
  it("refuses a --stack without a file, naming it and the stacks there", () => {
    const dir = folder("wrong", { "Pulumi.prod.yaml": "", "Pulumi.test.yaml": "" });
    expect(() => selectStack(dir, "staging")).toThrow(ValidationError);
    expect(() => selectStack(dir, "staging")).toThrow(
      /--stack: stack "staging" has no Pulumi\.staging\.yaml .*prod, test/,
    );
    expect(() => selectStack(dir, undefined)).toThrow(/--stack: is required: .*prod, test/);
  });
});

describe("config", () => {
  it("merges Pulumi.yaml defaults under the stack's values, namespaced by the project, without secrets", () => {
    const dir = folder("config", {
      "Pulumi.yaml": "name: app\nruntime: nodejs\nconfig:\n  ips:\n    default: 2\n  region: eu\n",
      "Pulumi.dev.yaml": "config:\n  app:ips: 3\n  aws:region: us-east-1\n  app:token:\n    secure: AAAA\n",
    });
    const project = readProject(dir);
    expect(project.configDefaults).toEqual({ "app:ips": "2", "app:region": "eu" });
    expect(readStackConfig(dir, "app", "dev")).toEqual({ "app:ips": "3", "aws:region": "us-east-1" });
  });
  it("reads runtime.options.typescript", () => {
    const dir = folder("js", {
      "Pulumi.yaml": "name: js\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n",
    });
    expect(readProject(dir).typescript).toBe(false);
  });
});

describe("the program's own error", () => {
  const root = "/home/me/infra";
  const stack = [
    "Error: boom",
    `    at build (${root}/index.ts:3:9)`,
    `    at Object.<anonymous> (${root}/node_modules/@pulumi/pulumi/runtime/stack.js:1:1)`,
    "    at /opt/natcap/dist/check/runner.js:200:5",
    "    at Module._compile (node:internal/modules/cjs/loader:1:1)",
    `    at main (${root}/lib/main.ts:10:2)`,
  ].join("\n");
  it("keeps only frames in the program's files", () => {
    expect(ownFrames(stack, root, ["/opt/natcap/dist/check"])).toEqual([
      `at build (${root}/index.ts:3:9)`,
      `at main (${root}/lib/main.ts:10:2)`,
    ]);
  });
  it("drops natcap's and the bootstrap's lines from a require stack", () => {
    const e = new Error(
      `Cannot find module '@pulumi/gcp'\nRequire stack:\n- ${root}/index.ts\n- /opt/natcap/dist/check/runner.js\n- [eval]`,
    );
    const f = describeFailure(e, root, ["/opt/natcap/dist/check", "[eval]"]);
    expect(f.message).toBe(`Cannot find module '@pulumi/gcp'\nRequire stack:\n- ${root}/index.ts`);
  });
  it("tells natcap's own errors by name, without frames", () => {
    const e = new Error('AwsNatGateway "egress": ipCount 9 exceeds ...');
    e.name = "LimitError";
    expect(describeFailure(e, root, [])).toEqual({ name: "LimitError", message: e.message, frames: [] });
  });
  it("describes a thrown non-error", () => {
    expect(describeFailure("just a string", root, []).message).toBe("the program threw just a string");
  });
});
