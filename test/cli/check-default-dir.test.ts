import { spawnSync } from "node:child_process";
import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "../..");

describe("natcap check without a program folder", () => {
  it("checks the current folder, and names it when it holds no Pulumi.yaml", () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "natcap-check-cwd-")));
    const r = spawnSync(
      process.execPath,
      [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "cli.ts"), "check"],
      {
        cwd: dir,
        encoding: "utf8",
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${dir} is not a Pulumi program folder (no Pulumi.yaml)`);
    expect(r.stderr).not.toMatch(/missing required argument/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  }, 30_000);
});
