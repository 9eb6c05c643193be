// Every shell command of README.md and docs/*.md, run as written in a fresh copy of the working tree
// (tracked and new files, node_modules linked, built once; `natcap` on PATH as an installed package
// puts it), with no PULUMI_NODEJS_TRANSPILE_ONLY or other variable a user would not set, and the exit
// code the text states. The conventions are in ./commands.ts; commands not run are listed as skipped.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DocCommand, pageCommands, pageFiles, shellComment } from "./commands";

const ROOT = path.resolve(__dirname, "../..");
const PAGES = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).map((f) => `docs/${f}`)]
  .filter((p) => p.endsWith(".md"))
  .sort();
/** How many pages run at once (each in its own copy). */
const PARALLEL = 2;
/** Longest run of one block. */
const BLOCK_TIMEOUT_MS = 600_000;

const texts = new Map(PAGES.map((p) => [p, fs.readFileSync(path.join(ROOT, p), "utf8")]));
const commands = PAGES.flatMap((p) => pageCommands(p, texts.get(p) ?? ""));
const toRun = commands.filter((c) => !c.notRun);

interface Outcome {
  code: number | undefined;
  output: string;
}
const outcomes = new Map<DocCommand, Outcome>();
let tmp: string;

/** The environment of a user's shell: none of npm's, vitest's or the runtime's test switches. */
function userEnv(bin: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(npm_|VITEST|NODE_OPTIONS$|PULUMI_NODEJS_TRANSPILE_ONLY$|PULUMI_NODEJS_TSCONFIG_PATH$)/.test(k))
      env[k] = v;
  return { ...env, PATH: `${bin}${path.delimiter}${env.PATH ?? ""}`, NO_COLOR: "1" };
}

/** A copy of the working tree: tracked files and new ones not ignored, node_modules linked. */
function copyWorkingTree(to: string): void {
  const ls = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (ls.status !== 0) throw new Error(`git ls-files failed: ${ls.stderr}`);
  for (const f of ls.stdout.split("\0").filter(Boolean)) {
    const from = path.join(ROOT, f);
    if (!fs.existsSync(from) || fs.statSync(from).isDirectory()) continue; // deleted, or a submodule
    fs.mkdirSync(path.dirname(path.join(to, f)), { recursive: true });
    fs.copyFileSync(from, path.join(to, f));
  }
  fs.symlinkSync(fs.realpathSync(path.join(ROOT, "node_modules")), path.join(to, "node_modules"));
}

/** Runs a block's commands in one shell, each one's output and exit code captured apart. */
function runBlock(dir: string, bin: string, block: DocCommand[]): Promise<void> {
  const out = fs.mkdtempSync(path.join(tmp, "out-"));
  const script = block
    .map(
      (c, i) =>
        `{ ${c.text}\n} >${JSON.stringify(`${out}/${i}.log`)} 2>&1 </dev/null; echo $? >${JSON.stringify(`${out}/${i}.rc`)}`,
    )
    .join("\n");
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", script], {
      cwd: dir,
      env: userEnv(bin),
      stdio: "ignore",
      detached: true,
    });
    const timer = setTimeout(() => process.kill(-(child.pid ?? 0), "SIGKILL"), BLOCK_TIMEOUT_MS);
    child.on("exit", () => {
      clearTimeout(timer);
      block.forEach((c, i) => {
        const rc = path.join(out, `${i}.rc`);
        const log = path.join(out, `${i}.log`);
        outcomes.set(c, {
          code: fs.existsSync(rc) ? Number(fs.readFileSync(rc, "utf8")) : undefined,
          output: fs.existsSync(log)
            ? fs.readFileSync(log, "utf8")
            : "(not reached: the block stopped or ran out of time)",
        });
      });
      resolve();
    });
  });
}

/** Runs one page's blocks, in order, in its own copy of the built tree. */
async function runPage(base: string, page: string): Promise<void> {
  const dir = path.join(tmp, page.replace(/[/.]/g, "-"));
  fs.cpSync(base, dir, { recursive: true, verbatimSymlinks: true });
  const bin = path.join(tmp, `bin-${path.basename(dir)}`);
  fs.mkdirSync(bin);
  // `natcap` as `npm install -g` or a linked package puts it on PATH: this copy's bin/natcap.js.
  fs.writeFileSync(
    path.join(bin, "natcap"),
    `#!/bin/sh\nexec node ${JSON.stringify(path.join(dir, "bin", "natcap.js"))} "$@"\n`,
    {
      mode: 0o755,
    },
  );
  const mine = toRun.filter((c) => c.page === page);
  for (const b of [...new Set(mine.map((c) => c.block))])
    await runBlock(
      dir,
      bin,
      mine.filter((c) => c.block === b),
    );
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "natcap-docs-"));
  const base = path.join(tmp, "clone");
  copyWorkingTree(base);
  for (const f of PAGES.flatMap((p) => pageFiles(p, texts.get(p) ?? ""))) {
    fs.mkdirSync(path.dirname(path.join(base, f.path)), { recursive: true });
    fs.writeFileSync(path.join(base, f.path), f.content);
  }
  const build = spawnSync("npm", ["run", "-s", "build"], { cwd: base, env: userEnv(""), encoding: "utf8" });
  if (build.status !== 0)
    throw new Error(`npm run build failed in the copy:\n${build.stdout}${build.stderr}`);
  const queue = [...new Set(toRun.map((c) => c.page))];
  const worker = async () => {
    for (let page = queue.shift(); page; page = queue.shift()) await runPage(base, page);
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}, 1_800_000);

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const title = (c: DocCommand) => `${c.page}:${c.line} \`${c.text.split("\n")[0].trim()}\``;

describe("every documented shell command, run as written in a fresh copy", () => {
  it("finds the commands of README.md and docs/*.md", () => {
    expect(toRun.length).toBeGreaterThan(10);
    expect(new Set(toRun.map((c) => c.page))).toContain("README.md");
  });

  it.each(toRun.map((c) => [title(c), c] as const))("%s", (_, c) => {
    const o = outcomes.get(c);
    expect(o, "not run").toBeDefined();
    expect(o?.code, `${c.text}\n--- output (exit ${c.exit} stated) ---\n${o?.output.slice(-3000)}`).toBe(
      c.exit,
    );
  });

  // Listed, not run: each says why in the page itself.
  for (const c of commands.filter((x) => x.notRun)) it.skip(`${title(c)}: not run: ${c.notRun}`, () => {});
});

describe("the docs test's reading of a page", () => {
  it("reads exit codes, markers, continuations, heredocs and named files", () => {
    const page = [
      "```sh",
      "# not needed here",
      "natcap simulate w.yaml   # table; exit 1: exhausted",
      "echo '# not a comment' \\",
      "  more",
      "cat > a.ts <<'TS'",
      "# inside the heredoc",
      "TS",
      "pulumi preview",
      "npm install natcap   # not run by the docs test: needs the registry",
      "# not run by the docs test: a cloud account",
      "natcap check .",
      "```",
      "```yaml",
      "# w.yaml",
      "cloud: aws",
      "```",
    ].join("\n");
    const cs = pageCommands("p.md", page);
    expect(cs.map((c) => [c.line, c.exit, c.notRun ?? ""])).toEqual([
      [3, 1, ""],
      [4, 0, ""],
      [6, 0, ""],
      [9, 0, "the Pulumi CLI (no CLI and no cloud account in tests)"],
      [10, 0, "needs the registry"],
      [12, 0, "a cloud account"],
    ]);
    expect(cs[1].text).toBe("echo '# not a comment' \\\n  more");
    expect(cs[2].text).toBe("cat > a.ts <<'TS'\n# inside the heredoc\nTS");
    expect(pageFiles("p.md", page)).toEqual([{ page: "p.md", path: "w.yaml", content: "cloud: aws\n" }]);
    expect(shellComment("printf 'a # b' # c")).toBe("c");
  });

  it("refuses an unmarked install or test run, and a marker without its reason", () => {
    expect(() => pageCommands("p.md", "```sh\nnpm ci && npm test\n```\n")).toThrow(/p\.md:2: .*mark it/);
    expect(() => pageCommands("p.md", "```sh\nnpm install x   # not run by the docs test\n```\n")).toThrow(
      /needs its reason/,
    );
  });
});
