import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { meanHoldSeconds } from "../../sim/gateway/load";
import type { Workload } from "../../sim/workload/workload";

/** A fresh temporary folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "natcap-telemetry-"));
}

/** Writes lines to `dir/name` (gzip when the name ends in .gz) and returns the path. */
export function writeLines(dir: string, name: string, lines: Iterable<string>): string {
  const path = join(dir, name);
  const text = `${[...lines].join("\n")}\n`;
  writeFileSync(path, name.endsWith(".gz") ? gzipSync(text) : text);
  return path;
}

/** Counts of items by a key. */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

/** A workload's mean hold towards `endpoint`: its streams' mean holds weighted by their rates. */
export function meanHoldTowards(workload: Workload, endpoint: string): number {
  const streams = workload.traffic.filter((s) => s.to === endpoint);
  const rate = streams.reduce((n, s) => n + s.connectionsPerSecond, 0);
  return streams.reduce((n, s) => n + s.connectionsPerSecond * meanHoldSeconds(s.holdSeconds), 0) / rate;
}
