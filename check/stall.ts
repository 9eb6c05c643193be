/**
 * The stall watch of `natcap check`'s runner (check/runner.ts, in the child process): a program that
 * makes no progress — no resource registered, no output resolved — for a while has stalled (a
 * promise on a service that never answers), and is reported with what the Pulumi runtime still
 * waits on. Only Node built-ins and types are imported, like the runner itself.
 *
 * @module
 */
import type { RecordedResource } from "./record";

/**
 * Watches a running program and calls `onStall` once when it has made no progress for `stallMs`.
 * Progress is a change of `snapshot()` (resources registered, outputs and promises of the Pulumi
 * runtime settled) or a tick that came late because the program kept the event loop busy (compiling,
 * computing): only a program that waits on something that never comes stalls.
 *
 * @param tickMs how often to look. @default 1000
 * @returns a function that ends the watch
 */
export function watchProgress(
  stallMs: number,
  snapshot: () => string,
  onStall: (idleMs: number) => void,
  tickMs = 1000,
): () => void {
  const every = Math.min(tickMs, stallMs);
  let seen = snapshot();
  let lastTick = Date.now();
  let lastProgress = lastTick;
  const timer = setInterval(() => {
    const now = Date.now();
    const current = snapshot();
    if (current !== seen || now - lastTick > 2 * every) lastProgress = now;
    seen = current;
    lastTick = now;
    if (now - lastProgress < stallMs) return;
    clearInterval(timer);
    onStall(now - lastProgress);
  }, every);
  // The watch alone never keeps a program alive that has nothing left to do.
  timer.unref();
  return () => clearInterval(timer);
}

/** The Pulumi runtime's promises still pending, by their debug label (`resolveURN(...)`, ...). */
export type PendingPromise = { _debugCtx?: unknown; _debugId?: unknown };

/** The runtime's label of a resource, `resource:NAME[TYPE]`, as `TYPE "NAME"`. */
function resourceLabel(label: string): string {
  const m = /^resource:([^[]+)\[(.+)\]$/.exec(label);
  return m ? `${m[2]} "${m[1]}"` : label;
}

/**
 * The error of a program that made no progress for `idleMs`: the last resource it registered and
 * what the Pulumi runtime still waits on (resources not registered yet, inputs not resolved yet).
 */
export function stalledError(
  idleMs: number,
  resources: readonly RecordedResource[],
  pending: readonly PendingPromise[],
): Error {
  const last = resources.at(-1);
  const labels = pending.map((p) => String(p._debugCtx ?? ""));
  const waiting = [
    ...new Set(
      labels.flatMap((l) => {
        const urn = /^resolveURN\((.+)\)$/.exec(l);
        if (urn) return [`${resourceLabel(urn[1])} (not registered: its inputs are not resolved)`];
        const input = /^serializeProperty\.await\((.+)\)$/.exec(l);
        if (!input) return [];
        const prop = /resource:([^[]+)\[([^\]]+)\]\.([^>]+)/.exec(input[1]);
        return [prop ? `input ${prop[3]} of ${prop[2]} "${prop[1]}"` : `input ${input[1]}`];
      }),
    ),
  ];
  const e = new Error(
    [
      `made no progress for ${Math.floor(idleMs / 1000)} s (no resource registered, no output resolved) and was stopped`,
      last ? `last resource registered: ${last.type} "${last.name}"` : "no resource was registered",
      waiting.length > 0
        ? `still waiting on: ${waiting.slice(0, 5).join("; ")}${waiting.length > 5 ? `; and ${waiting.length - 5} more` : ""}`
        : "still waiting on a promise of the program's own (not a Pulumi resource or output)",
    ].join("\n"),
  );
  e.name = "StalledError";
  e.stack = "";
  return e;
}
