import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { main } from "../../cli";

/** What one CLI run printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `natcap ARGS` in this process, capturing stdout and stderr. */
export async function natcapInProcess(...args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const capture = (sink: string[]) =>
    ((chunk: string | Uint8Array) => {
      sink.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  const started = Date.now();
  let code: number;
  try {
    code = await main(["node", "natcap", ...args]);
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
  }
  return { code, stdout: out.join(""), stderr: err.join(""), ms: Date.now() - started };
}

const root = resolve(__dirname, "../..");

/** Runs `natcap ARGS` as its own process (`node --import tsx cli.ts`), as a user would. */
export function natcapProcess(...args: string[]): CliRun {
  const started = Date.now();
  const r = spawnSync(process.execPath, ["--import", "tsx", "cli.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

const dir = mkdtempSync(join(tmpdir(), "natcap-adversarial-"));
let counter = 0;

/** Writes text (or bytes) to a fresh file in a temporary folder and returns its path. */
export function tempFile(content: string | Uint8Array, ext = "yaml"): string {
  const p = join(dir, `w${counter++}.${ext}`);
  writeFileSync(p, content);
  return p;
}

/** A line that looks like a JavaScript stack frame. */
export const STACK_FRAME = /^\s+at .+/m;
