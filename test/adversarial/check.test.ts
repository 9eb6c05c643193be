// natcap check as a hostile new user meets it: broken programs, project and stack files, hangs,
// missing dependencies. Each case runs the real CLI on a program folder inside the repository (so it
// resolves @pulumi/pulumi) and asserts the exit code, the error class (in --json), a message naming
// the file or field, and that no stack frame of natcap's own code or of the SDK is printed.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.setConfig({ testTimeout: 300_000, hookTimeout: 900_000 });

const ROOT = path.resolve(__dirname, "../..");
const BASE = path.join(ROOT, ".natcap", "adversarial-check");

interface Case {
  /** What the user did wrong. */
  name: string;
  /** Files of the program folder (path → content); no Pulumi.yaml key means none is written. */
  files: Record<string, string>;
  /** Extra CLI arguments. */
  args?: string[];
  /** Extra environment. */
  env?: Record<string, string>;
  /** Expected exit code. */
  exit: number;
  /** Expected error class in --json (omit for a successful check). */
  errorClass?: string;
  /** Every pattern must appear in the error message (stderr). */
  says: (string | RegExp)[];
}

const YAML = "name: adversarial\nruntime: nodejs\n";
const OK = 'import * as pulumi from "@pulumi/pulumi";\nexport const answer = pulumi.output(42);\n';

const CASES: Case[] = [
  {
    name: "the program throws",
    files: {
      "Pulumi.yaml": YAML,
      "index.ts": 'function build(): never {\n  throw new Error("boom from the program");\n}\nbuild();\n',
    },
    exit: 2,
    errorClass: "ProgramError",
    says: ["Error: boom from the program", /at build \(.*index\.ts:2:9\)/],
  },
  {
    name: "the program has a syntax error",
    files: { "Pulumi.yaml": YAML, "index.ts": "const x = ;\n" },
    exit: 2,
    errorClass: "ProgramError",
    says: ["TSError", /index\.ts\(1,11\): error TS1109/],
  },
  {
    name: "a JavaScript program has a syntax error",
    files: {
      "Pulumi.yaml": "name: adversarial\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n",
      "index.js": "const x = ;\n",
    },
    exit: 2,
    errorClass: "ProgramError",
    says: ["SyntaxError", /index\.js:1/],
  },
  {
    name: "the program imports a package that is not installed",
    files: { "Pulumi.yaml": YAML, "index.ts": 'import "@pulumi/not-installed-anywhere";\n' },
    exit: 2,
    errorClass: "ProgramError",
    says: ["@pulumi/not-installed-anywhere", "npm install @pulumi/not-installed-anywhere"],
  },
  {
    name: "the program imports a local file that does not exist",
    files: { "Pulumi.yaml": YAML, "index.ts": 'import { x } from "./missing";\nconsole.log(x);\n' },
    exit: 2,
    errorClass: "ProgramError",
    says: ["./missing"],
  },
  {
    name: "the program rejects a promise nobody awaits",
    files: {
      "Pulumi.yaml": YAML,
      "index.ts":
        'setTimeout(() => Promise.reject(new RangeError("late rejection")), 10);\nexport const x = new Promise((r) => setTimeout(r, 2000));\n',
    },
    exit: 2,
    errorClass: "ProgramError",
    says: ["RangeError: late rejection"],
  },
  {
    name: "the program calls process.exit before it finishes",
    files: { "Pulumi.yaml": YAML, "index.ts": "process.exit(0);\n" },
    exit: 2,
    errorClass: "ProgramError",
    says: [/exited \(code \d+\) before it finished/],
  },
  {
    name: "the program logs an error",
    files: {
      "Pulumi.yaml": YAML,
      "index.ts": 'import * as pulumi from "@pulumi/pulumi";\npulumi.log.error("region is not allowed");\n',
    },
    exit: 2,
    errorClass: "ProgramError",
    says: ["logged an error", "region is not allowed"],
  },
  {
    name: "the program never finishes and starts a child process",
    files: {
      "Pulumi.yaml": YAML,
      "index.ts":
        'import { spawn } from "node:child_process";\nspawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", "natcap-adversarial-orphan"], { stdio: "ignore" });\nexport const never = new Promise(() => {});\n',
    },
    args: ["--timeout", "4"],
    exit: 2,
    errorClass: "ProgramError",
    says: ["did not finish within 4 s", "--timeout"],
  },
  {
    name: "no Pulumi.yaml",
    files: { "index.ts": OK },
    exit: 2,
    errorClass: "ValidationError",
    says: ["PROGRAM_DIR", "no Pulumi.yaml"],
  },
  {
    name: "Pulumi.yml instead of Pulumi.yaml",
    files: { "Pulumi.yml": YAML, "index.ts": OK },
    exit: 2,
    errorClass: "ValidationError",
    says: ["Pulumi.yml", "rename"],
  },
  {
    name: "Pulumi.yaml is not YAML",
    files: { "Pulumi.yaml": "name: [adversarial\nruntime: nodejs\n", "index.ts": OK },
    exit: 2,
    errorClass: "ValidationError",
    says: [/adversarial-check\/[^/]+\/Pulumi\.yaml: not valid YAML/, /line \d+, column \d+/],
  },
  {
    name: "Pulumi.yaml has no name",
    files: { "Pulumi.yaml": "runtime: nodejs\n", "index.ts": OK },
    exit: 2,
    errorClass: "ValidationError",
    says: [/Pulumi\.yaml: name: is required/],
  },
  {
    name: "Pulumi.yaml is a list",
    files: { "Pulumi.yaml": "- name: x\n", "index.ts": OK },
    exit: 2,
    errorClass: "ValidationError",
    says: [/Pulumi\.yaml: \(document\): must be a YAML mapping/],
  },
  {
    name: "Pulumi.yaml names another runtime",
    files: { "Pulumi.yaml": "name: adversarial\nruntime: python\n", "index.ts": OK },
    exit: 2,
    errorClass: "ValidationError",
    says: [/Pulumi\.yaml: runtime: natcap check runs Node\.js/],
  },
  {
    name: "Pulumi.yaml main points at a missing file",
    files: { "Pulumi.yaml": `${YAML}main: src/app.ts\n`, "index.ts": OK },
    exit: 2,
    errorClass: "ValidationError",
    says: [/Pulumi\.yaml: main: names .*src\/app\.ts, which does not exist/],
  },
  {
    name: "the stack file is not YAML",
    files: { "Pulumi.yaml": YAML, "Pulumi.dev.yaml": "config:\n  aws:region: [us-east-1\n", "index.ts": OK },
    exit: 2,
    errorClass: "ValidationError",
    says: [/Pulumi\.dev\.yaml: not valid YAML/],
  },
  {
    name: "the stack file's config is a list",
    files: { "Pulumi.yaml": YAML, "Pulumi.dev.yaml": "config:\n  - a\n", "index.ts": OK },
    exit: 2,
    errorClass: "ValidationError",
    says: [/Pulumi\.dev\.yaml: config: must be a mapping/],
  },
  {
    name: "--stack names a stack without a file",
    files: { "Pulumi.yaml": YAML, "Pulumi.prod.yaml": "config: {}\n", "index.ts": OK },
    args: ["--stack", "staging"],
    exit: 2,
    errorClass: "ValidationError",
    says: ["--stack", "Pulumi.staging.yaml", "prod"],
  },
  {
    name: "several stack files and no --stack",
    files: {
      "Pulumi.yaml": YAML,
      "Pulumi.prod.yaml": "config: {}\n",
      "Pulumi.test.yaml": "config: {}\n",
      "index.ts": OK,
    },
    exit: 2,
    errorClass: "ValidationError",
    says: ["--stack", "prod, test"],
  },
  {
    name: "tsconfig.json is not JSON",
    files: {
      "Pulumi.yaml": YAML,
      "tsconfig.json": '{ "compilerOptions": { "strict": true, }\n',
      "index.ts": OK,
    },
    env: { PULUMI_NODEJS_TRANSPILE_ONLY: "" },
    exit: 2,
    errorClass: "ProgramError",
    says: [/tsconfig\.json:\d+:\d+: not valid tsconfig JSON/],
  },
  {
    name: "a program inside the package it imports by name, with no rootDir",
    files: {
      "Pulumi.yaml": YAML,
      "index.ts": 'import { aws } from "natcap";\nexport const kind = typeof aws;\n',
    },
    exit: 2,
    errorClass: "ProgramError",
    says: ["TS2209", /Fix: .*compilerOptions\.rootDir/],
  },
  {
    name: "PULUMI_NODEJS_TSCONFIG_PATH names a missing file",
    files: { "Pulumi.yaml": YAML, "index.ts": OK },
    env: { PULUMI_NODEJS_TSCONFIG_PATH: "tsconfig.pulumi.json" },
    exit: 2,
    errorClass: "ProgramError",
    says: ["tsconfig.pulumi.json", "does not exist"],
  },
  {
    name: "a program waiting on a service that never answers",
    files: {
      "Pulumi.yaml": YAML,
      "index.ts": `import * as net from "node:net";
import * as pulumi from "@pulumi/pulumi";

// A directory service that accepts a connection and never answers, and a lookup awaiting its reply.
const silent = net.createServer(() => {}).listen(0);
const reply = new Promise<string>((resolve) => {
  silent.on("listening", () => {
    const socket = net.connect((silent.address() as net.AddressInfo).port);
    socket.on("data", (d) => resolve(d.toString()));
  });
});
const directory = new pulumi.ComponentResource("adversarial:index:Directory", "directory");
class Endpoint extends pulumi.CustomResource {
  constructor(name: string, address: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions) {
    super("adversarial:index:Endpoint", name, { address }, opts);
  }
}
new Endpoint("ldap", reply, { parent: directory });
`,
    },
    // A user may shorten the wait too; the default (60 s) is tested in test/check/stall.test.ts.
    args: ["--stall-timeout", "3"],
    exit: 2,
    errorClass: "ProgramError",
    says: [
      "made no progress for 3 s (no resource registered, no output resolved)",
      'last resource registered: adversarial:index:Directory "directory"',
      'still waiting on: adversarial:index:Endpoint "ldap" (not registered: its inputs are not resolved); input address of adversarial:index:Endpoint "ldap"',
      "--stall-timeout",
    ],
  },
  {
    name: "--stall-timeout is not a number",
    files: { "Pulumi.yaml": YAML, "index.ts": OK },
    args: ["--stall-timeout", "-1"],
    exit: 2,
    says: ["--stall-timeout", '"-1"'],
  },
  {
    name: "--timeout is not a number",
    files: { "Pulumi.yaml": YAML, "index.ts": OK },
    args: ["--timeout", "soon"],
    exit: 2,
    says: ["--timeout", '"soon"'],
  },
  {
    name: "a program that only logs a warning passes and shows it",
    files: {
      "Pulumi.yaml": YAML,
      "Pulumi.only.yaml": "config:\n  adversarial:limit: 3\n",
      "index.ts":
        'import * as pulumi from "@pulumi/pulumi";\nconst limit = new pulumi.Config().requireNumber("limit");\npulumi.log.warn("limit is " + limit);\n',
    },
    exit: 0,
    says: [],
  },
];

function runCli(dir: string, c: Case): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        path.join(ROOT, "node_modules/tsx/dist/cli.mjs"),
        path.join(ROOT, "cli.ts"),
        "check",
        dir,
        ...(c.args ?? []),
      ],
      {
        cwd: ROOT,
        env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "", ...c.env, NO_COLOR: "1" },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the cases a few at a time (each starts Node, a program and maybe a policy pack). */
async function runAll(json: boolean) {
  const results = new Map<string, { code: number | null; stdout: string; stderr: string }>();
  const queue = CASES.map((c, i) => ({ c, i }));
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const dir = path.join(BASE, `case-${next.i}`);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      for (const [f, text] of Object.entries(next.c.files)) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), text);
      }
      const c = { ...next.c, args: [...(next.c.args ?? []), ...(json ? ["--json"] : [])] };
      if (next.c.name.startsWith("a program that only logs")) c.args.push("--stack", "only");
      results.set(next.c.name, await runCli(dir, c));
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return results;
}

let results: Awaited<ReturnType<typeof runAll>>;
beforeAll(async () => {
  results = await runAll(true);
});
afterAll(() => {
  fs.rmSync(BASE, { recursive: true, force: true });
});

/**
 * A stack frame of natcap's code, the SDK, Node's internals or the bootstrap. natcap's folders are
 * matched under the repository root, so a checkout that itself lives under a folder named `check`
 * or `sim` does not turn the user's own frames into internal ones.
 */
const ROOT_PATTERN = ROOT.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const INTERNAL_FRAME = new RegExp(
  `\\n\\s+at .*(${ROOT_PATTERN}/(check|sim|core|cli|dist)/|node_modules|node:internal|\\[eval\\])`,
);

describe("natcap check on broken input", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const r = results.get(c.name);
    expect(r, c.name).toBeDefined();
    const { code, stdout, stderr } = r!;
    expect(code, `${c.name}\n${stderr}`).toBe(c.exit);
    expect(stderr).not.toMatch(INTERNAL_FRAME);
    expect(stderr).not.toMatch(/internal error/);
    for (const s of c.says) expect(stderr).toMatch(s);
    if (c.errorClass) {
      const out = JSON.parse(stdout) as { errorClass: string; exitCode: number; error: string };
      expect(out.errorClass).toBe(c.errorClass);
      expect(out.exitCode).toBe(c.exit);
    } else if (c.exit === 0) {
      const out = JSON.parse(stdout) as { logs: { severity: string; message: string }[]; stack: string };
      expect(out.logs).toContainEqual({ severity: "warning", message: "limit is 3" });
      expect(out.stack).toBe("only");
    }
  });

  it("leaves no process of a stopped program running", () => {
    const ps = spawn("ps", ["-eo", "args"]);
    return new Promise<void>((resolve) => {
      let out = "";
      ps.stdout.on("data", (b: Buffer) => {
        out += b.toString();
      });
      ps.on("exit", () => {
        expect(out).not.toContain("natcap-adversarial-orphan");
        resolve();
      });
    });
  });
});
