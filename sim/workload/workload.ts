/**
 * The workload format (docs/workload-format.md; contract in docs/architecture.md): schema, parsing from YAML or JSON text, defaults,
 * and errors that name the field path, the value and the rule.
 *
 * @module
 */
import { parseDocument } from "yaml";
import type { z } from "zod";
import { type FieldIssue, show, WorkloadError } from "../../core/errors";
import { AWS, AZURE } from "../../core/limits";
import { PRICES } from "../../core/prices";
import { crossFieldIssues, loadIssues, workIssues } from "./rules";
import { type RawWorkload, RawWorkloadSchema, type Workload } from "./schema";

export * from "./schema";

function pathOf(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

function zodIssues(error: z.ZodError): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const iss of error.issues) {
    if (iss.code === "unrecognized_keys") {
      for (const key of iss.keys) {
        issues.push({
          path: pathOf([...iss.path, key]),
          message: `unknown field ${show(key)} (check its spelling against the workload format)`,
        });
      }
      continue;
    }
    let message = iss.message;
    if (iss.code !== "custom" && iss.input === undefined) message = "is required";
    else if (iss.code === "invalid_type" && message.startsWith("Invalid input")) {
      message = `expected ${iss.expected === "array" ? "a list" : iss.expected === "object" ? "a mapping" : `a ${iss.expected}`}, got ${show(iss.input)}`;
    }
    issues.push({ path: pathOf(iss.path) || "(workload)", value: iss.input, message });
  }
  return issues;
}

/** A price override keyed for the other cloud (e.g. `regionalNatZoneHour` on Azure) is an error. */
function priceIssues(w: RawWorkload): FieldIssue[] {
  const own = Object.keys(PRICES[w.cloud]);
  const cloudName = w.cloud === "aws" ? "an AWS" : "an Azure";
  const other = w.cloud === "aws" ? "azure" : "aws";
  return Object.keys(w.gateway.prices ?? {})
    .filter((k) => !own.includes(k))
    .map((k) => ({
      path: `gateway.prices.${k}`,
      value: w.gateway.prices?.[k],
      message:
        `is not ${cloudName} price` +
        (k in PRICES[other] ? ` (it is a key of the ${other === "aws" ? "AWS" : "Azure"} price table)` : "") +
        `: use one of ${own.join(", ")}`,
    }));
}

/** Applies cloud defaults to a schema-valid workload. */
function withDefaults(w: z.infer<typeof RawWorkloadSchema>): Workload {
  const aws = w.cloud === "aws";
  const reuse = w.gateway.portReuseSeconds ?? {};
  const protocols = new Map(w.destinations.map((d) => [d.name, d.protocol]));
  return {
    cloud: w.cloud,
    gateway: {
      ips: w.gateway.ips,
      ...(w.gateway.sku !== undefined ? { sku: w.gateway.sku } : {}),
      ...(w.gateway.ipsV6 !== undefined ? { ipsV6: w.gateway.ipsV6 } : {}),
      ipSelection: w.gateway.ipSelection ?? (aws ? "hash" : "pooled"),
      idleTimeoutMinutes: aws
        ? AWS.idleTimeoutSeconds.value / 60
        : (w.gateway.idleTimeoutMinutes ?? AZURE.idleTimeoutMinutesDefault.value),
      portReuseSeconds: {
        fin: reuse.fin ?? (aws ? AWS.portReuseSeconds.value : AZURE.portReuseFinSeconds.value),
        rst: reuse.rst ?? (aws ? AWS.portReuseSeconds.value : AZURE.portReuseRstSeconds.value),
        udp: reuse.udp ?? (aws ? AWS.portReuseSeconds.value : AZURE.portReuseUdpSeconds.value),
      },
      perIpDestinationLimit:
        w.gateway.perIpDestinationLimit ??
        (aws ? AWS.connectionsPerIpPerDestination.value : AZURE.connectionsPerIpPerDestination.value),
      ...(w.gateway.prices ? { prices: w.gateway.prices } : {}),
      ...(w.gateway.ipChanges !== undefined ? { ipChanges: w.gateway.ipChanges } : {}),
      ...(w.gateway.drainSeconds !== undefined ? { drainSeconds: w.gateway.drainSeconds } : {}),
    },
    ...(w.gbPerMonth !== undefined ? { gbPerMonth: w.gbPerMonth } : {}),
    durationSeconds: w.durationSeconds,
    ...(w.startsEmpty ? { startsEmpty: true } : {}),
    seed: w.seed,
    destinations: w.destinations,
    traffic: w.traffic.map((t) => ({
      ...t,
      close: t.close ?? (protocols.get(t.to) === "udp" ? "idle" : "fin"),
    })),
  };
}

/**
 * Validates a parsed workload object (from YAML, JSON or code) and fills in defaults.
 *
 * @throws {WorkloadError} listing every problem as `path: message`, naming the value.
 */
export function validateWorkload(data: unknown, source?: string): Workload {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new WorkloadError(
      [
        {
          path: "(workload)",
          value: data,
          message: `expected a mapping with cloud, gateway, destinations, got ${show(data)}`,
        },
      ],
      source,
    );
  }
  // The work bound is decided from the counts alone, before parsing every entry.
  const work = workIssues(entryCounts(data as Record<string, unknown>));
  if (work.length > 0) throw new WorkloadError(work, source);
  const parsed = RawWorkloadSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) throw new WorkloadError(zodIssues(parsed.error), source);
  const cross = [...crossFieldIssues(parsed.data), ...priceIssues(parsed.data)];
  if (cross.length > 0) throw new WorkloadError(cross, source);
  const w = withDefaults(parsed.data);
  const load = loadIssues(w);
  if (load.length > 0) throw new WorkloadError(load, source);
  return w;
}

/** The destinations and traffic streams of unparsed data, as far as they are lists (for the work bound). */
function entryCounts(data: Record<string, unknown>): Parameters<typeof workIssues>[0] {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  return {
    destinations: list(data.destinations),
    traffic: list(data.traffic).map((t) => ({
      schedule: list((t as { schedule?: unknown } | null)?.schedule),
    })),
  };
}

/** Every JSON string, with `:` after it when it is an object key. */
const JSON_STRING = /"(?:[^"\\]|\\.)*"(\s*:)?/g;

function keyCount(v: unknown): number {
  if (v === null || typeof v !== "object") return 0;
  const values = Array.isArray(v) ? v : Object.values(v);
  return (Array.isArray(v) ? 0 : values.length) + values.reduce((n: number, x) => n + keyCount(x), 0);
}

/**
 * A JSON workload read with JSON.parse (a large imported schedule reads in milliseconds, where the
 * YAML parser takes seconds); undefined when the text is not plain JSON or repeats a key in an
 * object, so the YAML path reports the problem with its line and column.
 */
function plainJson(text: string): unknown {
  if (!/^\s*\{/.test(text)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  let keys = 0;
  for (const m of text.matchAll(JSON_STRING)) if (m[1] !== undefined) keys++;
  return keys === keyCount(data) ? data : undefined;
}

/**
 * Parses workload text (YAML or JSON — JSON is YAML) and validates it.
 *
 * @param source file name used to prefix error messages
 * @throws {WorkloadError} on a syntax error (with line and column) or any invalid field.
 */
export function parseWorkload(text: string, source?: string): Workload {
  const json = plainJson(text);
  if (json !== undefined) return validateWorkload(json, source);
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    // Only pathological input gets here, e.g. nesting deep enough to exhaust the parser's stack.
    const why = e instanceof RangeError ? "nesting too deep to read" : (e as Error).message;
    throw new WorkloadError([{ path: "(syntax)", message: `cannot parse the workload: ${why}` }], source);
  }
  if (text.trim() === "") {
    throw new WorkloadError(
      [
        {
          path: "(workload)",
          message: "the file is empty: expected a mapping with cloud, gateway, destinations",
        },
      ],
      source,
    );
  }
  if (doc.errors.length > 0) {
    throw new WorkloadError(
      doc.errors.map((e) => ({
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "(syntax)",
        message: e.message
          .split("\n")[0]
          .replace(/ at line \d+, column \d+:?$/, "")
          .replace(
            /; please use YAML\.parseAllDocuments\(\)/,
            ": a workload file holds one YAML document; remove the --- separator and what follows it",
          ),
      })),
      source,
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const why = e instanceof RangeError ? "nesting too deep to read" : (e as Error).message;
    throw new WorkloadError([{ path: "(syntax)", message: why }], source);
  }
  return validateWorkload(data, source);
}
