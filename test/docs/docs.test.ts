// The docs state public contracts; these tests keep the pages and the code from drifting apart.
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { simulate } from "../../sim/engine/simulate";
import { validateWorkload } from "../../sim/workload/workload";

const ROOT = resolve(__dirname, "../..");
const read = (file: string) => readFileSync(resolve(ROOT, file), "utf8");

/** The first fenced block of `lang` after `heading` in a Markdown page. */
function blockAfter(page: string, heading: string, lang: string): string {
  const at = page.indexOf(heading);
  expect(at, heading).toBeGreaterThanOrEqual(0);
  const m = new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(page.slice(at));
  expect(m, `${lang} block after ${heading}`).not.toBeNull();
  return m![1];
}

/** Rule ids in the first column of the Markdown table rows of a page (`| \`id\` | ...`). */
function ruleIdsInTables(page: string): string[] {
  return [...page.matchAll(/^\| `([a-z0-9-]+)` +\|/gm)]
    .map((m) => m[1])
    .filter((id) => id.includes("nat-gateway"));
}

const ruleFiles = readdirSync(resolve(ROOT, "policies/rules"))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => f.replace(/\.ts$/, ""))
  .sort();

/** Keys of an object and of its nested objects (first array element for arrays), as dotted paths. */
function shape(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return value.length > 0 ? shape(value[0], `${prefix}[]`) : [`${prefix}[]`];
  if (value === null || typeof value !== "object") return [`${prefix}:${typeof value}`];
  return Object.entries(value).flatMap(([k, v]) => shape(v, prefix ? `${prefix}.${k}` : k));
}

describe("docs/architecture.md", () => {
  const page = read("docs/architecture.md");

  it("lists every rule of the pack, one per file in policies/rules, and no other", () => {
    expect(ruleIdsInTables(page).sort()).toEqual(ruleFiles);
    expect(ruleFiles).toHaveLength(11);
  });

  it.each([
    ["docs/architecture.md", "### JSON result"],
    ["docs/simulator.md", "`--json` prints the result contract"],
  ])("%s shows a JSON result whose every field simulate gives, with the same type", (file, heading) => {
    const documented = JSON.parse(blockAfter(read(file), heading, "json"));
    const w = validateWorkload({
      cloud: "aws",
      gateway: { ips: 2 },
      durationSeconds: 60,
      destinations: [{ name: "ldap", address: "203.0.113.10", port: 636 }],
      traffic: [{ to: "ldap", connectionsPerSecond: 10, holdSeconds: 1 }],
    });
    const actual = new Set(shape(simulate(w)));
    for (const field of shape(documented)) expect(actual, field).toContain(field);
  });

  it("names the type token of every component class", () => {
    for (const cls of ["AwsNatGateway", "AwsEgressNat", "AwsCentralEgress", "AzureNatGateway"])
      expect(page).toContain(`\`${cls}\` (\`natcap:index:${cls}\``);
  });
});

describe("docs/policies.md", () => {
  it("has a row for every rule of the pack, and no other", () => {
    expect(ruleIdsInTables(read("docs/policies.md")).sort()).toEqual(ruleFiles);
  });
});

describe("README.md", () => {
  const readme = read("README.md");

  it("keeps the two set-up commands", () => {
    const setup = blockAfter(readme, "## Set-up", "sh");
    expect(setup).toMatch(/^npm ci && npm start {3}# .*no cloud credentials/m);
    expect(setup).toMatch(/^npm ci && npm test {4}# /m);
  });

  it("indexes every page in docs/", () => {
    for (const f of readdirSync(resolve(ROOT, "docs")).filter((f) => f.endsWith(".md")))
      expect(readme, f).toContain(`](docs/${f})`);
  });
});
