import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CASES } from "./cases";
import { natcapInProcess, natcapProcess, STACK_FRAME, tempFile } from "./cli-harness";

function fileOf(input: unknown): string {
  if (typeof input === "string" || input instanceof Uint8Array) return tempFile(input);
  return tempFile(JSON.stringify(input), "json");
}

describe(`natcap simulate on ${CASES.length} adversarial inputs`, () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const r = await natcapInProcess("simulate", fileOf(c.input), ...(c.args ?? []));
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: c.code });
    if (c.stderr) expect(r.stderr).toMatch(c.stderr);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stderr).not.toMatch(/internal error/);
    if (c.code === 2) {
      expect(r.stdout).toBe("");
      // Usage errors are commander's ("error: option ..."); input errors are natcap's.
      expect(r.stderr).toMatch(c.args ? /^(natcap|error): / : /^natcap: /);
    } else {
      expect(r.stdout).toMatch(/^Verdict: (ok|exhausted)/m);
    }
    expect(r.ms).toBeLessThan(5000);
  });
});

describe("natcap simulate as its own process", () => {
  it("refuses a 50 MB file before reading it", () => {
    const file = tempFile(Buffer.alloc(50 * 1024 * 1024, 0x41));
    const r = natcapProcess("simulate", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\(file\): is 52,428,800 bytes, more than natcap's bound of 10,485,760 bytes/);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.ms).toBeLessThan(10_000);
  });
  it("refuses a folder and a device, naming them", () => {
    const folder = join(tempFile("x"), "..", "folder");
    mkdirSync(folder, { recursive: true });
    for (const path of [folder, "/dev/zero"]) {
      const r = natcapProcess("simulate", path);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(path);
      expect(r.stderr).toMatch(/is not a regular file/);
    }
  });
  it("keeps --json stdout pure JSON when it warns on stderr", () => {
    const file = tempFile(
      JSON.stringify({
        cloud: "azure",
        gateway: { ips: 1 },
        durationSeconds: 30,
        destinations: [{ name: "dns", address: "198.51.100.53", port: 53, protocol: "udp" }],
        traffic: [
          {
            to: "dns",
            connectionsPerSecond: 5,
            holdSeconds: 0.1,
            schedule: [{ atSeconds: 30, multiplier: 9 }],
          },
        ],
      }),
      "json",
    );
    const r = natcapProcess("simulate", file, "--json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.warnings).toEqual([
      expect.stringMatching(/schedule\[0\]\.atSeconds: 30 is at or after the end/),
    ]);
    expect(r.stderr).toMatch(/^natcap: warning: traffic\[0\]\.schedule\[0\]\.atSeconds/);
  });
  it("ends a budget refusal within seconds, with exit 2 and no stack", () => {
    const file = tempFile(
      "cloud: aws\ngateway: { ips: 8 }\ndurationSeconds: 31536000\ndestinations: [{ name: a, address: 198.51.100.1, port: 443 }]\n" +
        "traffic: [{ to: a, connectionsPerSecond: 1000, holdSeconds: 1 }]\n",
    );
    const r = natcapProcess("simulate", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/31,536,000,000 simulated connection attempts/);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.ms).toBeLessThan(10_000);
  });
});
