/**
 * The layer rules of natcap's sources, read from the import statements of every module: what each
 * layer may import, and no import cycles among natcap's own modules. See docs/architecture.md.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");

/** The layers, and which of natcap's layers each may import (besides itself). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  core: [],
  sim: ["core"],
  render: ["core", "sim"],
  telemetry: ["core", "sim"],
  components: ["core", "sim"],
  policies: ["core", "sim"],
  check: ["core"],
  cli: ["core", "sim", "render", "telemetry", "check", "cli"],
};
/**
 * Package entry points: they gather exports and belong to no layer. `natcap/sim` (sim/index.ts)
 * re-exports the renderers beside the simulator, so its entry may import render/; no module of a
 * layer imports an entry.
 */
const ENTRIES: Record<string, readonly string[]> = {
  "index.ts": ["core", "sim", "components"],
  "sim/index.ts": ["core", "sim", "render"],
};
/** Layers laid out by concept: every module lies in a folder named for what it holds. */
const FOLDERED = ["sim", "telemetry", "render"];
/** Modules a folder of sim/, telemetry/ or render/ may hold, at most (its list fits on a screen). */
const MAX_FOLDER_MODULES = 12;
/**
 * Arrows inside a layer: folders a folder never imports. The analytic path is closed forms, not
 * events; the workload format and the gateway model sit below the paths that run them; the
 * telemetry pipeline's stages import only the stages before them and the connection types.
 */
const MUST_NOT_IMPORT: Record<string, readonly string[]> = {
  "sim/workload": ["sim/engine", "sim/analytic", "sim/sizing", "sim/result"],
  "sim/gateway": ["sim/verdict", "sim/sizing", "sim/result"],
  "sim/analytic": ["sim/engine", "sim/sizing"],
  "sim/engine": ["sim/sizing"],
  "sim/result": ["sim/engine", "sim/analytic", "sim/sizing"],
  "telemetry/reconstruct": ["telemetry/sources", "telemetry/sinks", "telemetry/replay", "telemetry/generate"],
  "telemetry/sources": ["telemetry/replay", "telemetry/generate", "telemetry/queries"],
  "telemetry/sinks": ["telemetry/sources", "telemetry/replay", "telemetry/generate", "telemetry/queries"],
  "telemetry/replay": ["telemetry/sources", "telemetry/generate", "telemetry/queries"],
  "telemetry/queries": ["telemetry/sources", "telemetry/sinks", "telemetry/replay"],
};
/** Layers that may import the Pulumi SDKs (`@pulumi/*`). */
const PULUMI_LAYERS = new Set(["components", "policies"]);
/**
 * check/ drives a policy pack over the Analyzer gRPC protocol, so it may import the protocol's
 * generated stubs (`@pulumi/pulumi/proto/...`), never the SDK itself.
 */
const PROTOCOL_STUBS = /^@pulumi\/pulumi\/proto\//;
const LAYERS = Object.keys(MAY_IMPORT);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) {
      if (e.name !== "node_modules" && e.name !== "dist") out.push(...sourceFiles(rel));
    } else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(rel);
  }
  return out;
}

/** Module specifiers a file imports: static and type imports, re-exports, `import()` and `require()`. */
function importSpecifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const specs: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) specs.push(m[1]);
  return specs;
}

/** The repository file a relative specifier names, or undefined for a package. */
function resolveLocal(from: string, spec: string): string | undefined {
  if (spec === "natcap/sim") return "sim/index.ts";
  if (spec === "natcap") return "index.ts";
  if (!spec.startsWith(".")) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
    const full = path.join(ROOT, candidate);
    if (fs.existsSync(full) && fs.statSync(full).isFile()) return candidate;
  }
  throw new Error(`${from}: cannot resolve ${JSON.stringify(spec)}`);
}

const layerOf = (file: string) =>
  file in ENTRIES ? "entry" : file === "cli.ts" ? "cli" : file.split("/")[0];
const inFolder = (file: string, folder: string) => file.startsWith(`${folder}/`);

const files = [...LAYERS.flatMap(sourceFiles), "cli.ts", "index.ts"];
const graph = new Map<string, { local: string[]; packages: string[] }>();
for (const file of files) {
  const specs = importSpecifiers(fs.readFileSync(path.join(ROOT, file), "utf8"));
  const local: string[] = [];
  const packages: string[] = [];
  for (const spec of specs) {
    const target = resolveLocal(file, spec);
    if (target) local.push(target);
    else packages.push(spec);
  }
  graph.set(file, { local, packages });
}

/** Every import cycle among the given modules, each as the path that closes it (DFS, three colours). */
function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

describe("layers", () => {
  it("finds the modules of every layer", () => {
    for (const layer of LAYERS)
      expect(
        files.some((f) => layerOf(f) === layer),
        layer,
      ).toBe(true);
    expect(graph.get("cli.ts")?.local).toContain("cli/program.ts");
  });

  it.each(LAYERS)("%s imports only the layers below it", (layer) => {
    const allowed = new Set([layer, ...MAY_IMPORT[layer]]);
    const wrong: string[] = [];
    for (const [file, { local, packages }] of graph) {
      if (layerOf(file) !== layer) continue;
      for (const target of local) if (!allowed.has(layerOf(target))) wrong.push(`${file} -> ${target}`);
      for (const pkg of packages) {
        const stub = layer === "check" && PROTOCOL_STUBS.test(pkg);
        if (pkg.startsWith("@pulumi/") && !PULUMI_LAYERS.has(layer) && !stub) wrong.push(`${file} -> ${pkg}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each(Object.keys(ENTRIES))("the package entry %s imports only the layers it exports", (entry) => {
    const allowed = new Set(ENTRIES[entry]);
    const local = graph.get(entry)?.local ?? [];
    expect(local.length).toBeGreaterThan(0);
    expect(local.filter((t) => !allowed.has(layerOf(t)))).toEqual([]);
  });

  it("no module imports a package entry", () => {
    const wrong = [...graph].flatMap(([file, { local }]) =>
      layerOf(file) === "entry" ? [] : local.filter((t) => t in ENTRIES).map((t) => `${file} -> ${t}`),
    );
    expect(wrong).toEqual([]);
  });

  it("sim/ and telemetry/ keep every module in a folder named for what it holds, a dozen at most", () => {
    const loose = files.filter((f) => ["sim", "telemetry"].includes(layerOf(f)) && f.split("/").length < 3);
    expect(loose).toEqual([]);
    const perFolder = new Map<string, number>();
    for (const f of files.filter((f) => FOLDERED.includes(layerOf(f)))) {
      const dir = path.posix.dirname(f);
      perFolder.set(dir, (perFolder.get(dir) ?? 0) + 1);
    }
    expect([...perFolder].filter(([, n]) => n > MAX_FOLDER_MODULES)).toEqual([]);
  });

  it.each(Object.keys(MUST_NOT_IMPORT))("%s imports none of the folders it sits below", (folder) => {
    const banned = MUST_NOT_IMPORT[folder];
    for (const f of [folder, ...banned])
      expect(
        files.some((file) => inFolder(file, f)),
        f,
      ).toBe(true);
    const wrong: string[] = [];
    for (const [file, { local }] of graph) {
      if (!inFolder(file, folder)) continue;
      for (const target of local)
        if (banned.some((b) => inFolder(target, b))) wrong.push(`${file} -> ${target}`);
    }
    expect(wrong).toEqual([]);
  });

  it("check/ is a library: no CLI framework in it", () => {
    const wrong = [...graph].filter(
      ([f, { packages }]) => layerOf(f) === "check" && packages.includes("commander"),
    );
    expect(wrong.map(([f]) => f)).toEqual([]);
  });

  it("has no import cycle among natcap's modules", () => {
    const edges = new Map([...graph].map(([file, { local }]) => [file, local.filter((t) => graph.has(t))]));
    expect(findCycles(edges).map((c) => c.join(" -> "))).toEqual([]);
  });

  it("the cycle finder finds a cycle, and none in a tree", () => {
    const cyclic = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    expect(findCycles(cyclic)).toEqual([["a", "b", "c", "a"]]);
    expect(
      findCycles(
        new Map([
          ["a", ["b", "c"]],
          ["b", ["c"]],
          ["c", []],
        ]),
      ),
    ).toEqual([]);
  });

  it("reads every kind of import statement", () => {
    const text = [
      'import { a } from "./a";',
      'import type { B } from "./b";',
      "import {\n  c,\n  d,\n} from './c';",
      'export * as e from "./e";',
      'import "./side";',
      'const f = await import("./f");',
      'const g = require("./g");',
      '/** import { x } from "./comment"; */',
    ].join("\n");
    expect(importSpecifiers(text)).toEqual(["./a", "./b", "./c", "./e", "./side", "./f", "./g"]);
  });
});
