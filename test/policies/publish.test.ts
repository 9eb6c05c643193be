import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcileConfig } from "../../check/config";
import { type PolicyPackProcess, startPolicyPack } from "../../check/pack";
import { PACK_DIR, T, UNKNOWN, urn } from "./harness";

// What `pulumi policy publish` uploads is `npm pack` of the pack folder: its prepack script builds
// dist/ (the pack and the sim modules it uses), and `files` keeps main.js, dist/ and PulumiPolicy.yaml.
// This stages exactly that, without the TypeScript sources, and starts it as the CLI would.
const ROOT = path.resolve(PACK_DIR, "..");
let stage: string;
let pack: PolicyPackProcess;

beforeAll(async () => {
  fs.mkdirSync(path.join(ROOT, ".natcap"), { recursive: true });
  stage = fs.mkdtempSync(path.join(ROOT, ".natcap", "published-pack-"));
  const manifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
  const tsc = spawnSync(
    process.execPath,
    [
      path.join(ROOT, "node_modules/typescript/bin/tsc"),
      "-p",
      path.join(PACK_DIR, "tsconfig.publish.json"),
      "--outDir",
      path.join(stage, "dist"),
    ],
    { encoding: "utf8", timeout: 120_000 },
  );
  expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
  for (const f of manifest.files as string[]) {
    if (f.endsWith("/")) continue;
    fs.copyFileSync(path.join(PACK_DIR, f), path.join(stage, f));
  }
  fs.copyFileSync(path.join(PACK_DIR, "package.json"), path.join(stage, "package.json"));
  pack = await startPolicyPack(stage);
});
afterAll(async () => {
  await pack?.close();
  if (stage) fs.rmSync(stage, { recursive: true, force: true });
});

describe("the published pack", () => {
  it("declares main.js, the build output and PulumiPolicy.yaml as its files, built before packing", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
    expect(manifest.main).toBe("main.js");
    expect(manifest.files).toEqual(expect.arrayContaining(["main.js", "dist/", "PulumiPolicy.yaml"]));
    expect(manifest.scripts.prepack).toMatch(/build/);
    expect(fs.existsSync(path.join(stage, "index.ts"))).toBe(false);
  });

  it("runs from compiled JavaScript alone, with the same rules, and finds violations", async () => {
    const info = await pack.info();
    expect(info.name).toBe("natcap-policies");
    expect(info.policies).toHaveLength(11);
    await pack.configure(reconcileConfig(info));
    const gw = {
      type: T.azNat,
      name: "egress",
      urn: urn(T.azNat, "egress"),
      properties: { idleTimeoutInMinutes: 200, publicIpAddresses: [{ id: UNKNOWN }] },
    };
    const ds = await pack.analyze(gw);
    expect(ds.map((d) => d.policyName)).toContain("azure-nat-gateway-idle-timeout");
    const stack = await pack.analyzeStack([gw]);
    expect(stack.map((d) => d.policyName)).toContain("azure-nat-gateway-public-ip-sku");
  });
});
