/**
 * Reading resource properties during preview without tripping over unknowns.
 *
 * The policy SDK hands rules a proxy that throws as soon as an unknown value is read. natcap's rules
 * want the opposite: evaluate what is known (an array of unknown IDs still has a length) and say
 * plainly what is not. {@link plain} copies the properties through the proxy into plain data, with
 * every unknown value replaced by {@link UNKNOWN}.
 *
 * @module
 */
import { UnknownValueError } from "@pulumi/policy";
import { UNKNOWN_SENTINELS } from "../../core/tokens";

/** Marks a value that is not known during preview (a computed output, an ID not yet assigned). */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
/** The type of {@link UNKNOWN}. */
export type Unknown = typeof UNKNOWN;

/** Sentinel strings the Pulumi engine uses for unknown values on the wire (from core/tokens.ts). */
export { UNKNOWN_SENTINELS };

/** True when `v` is {@link UNKNOWN}. */
export function isUnknown(v: unknown): v is Unknown {
  return v === UNKNOWN;
}

function read(obj: Record<string | number, unknown>, key: string): unknown {
  try {
    return obj[key];
  } catch (e) {
    if (e instanceof UnknownValueError || (e as Error)?.name === "UnknownValueError") return UNKNOWN;
    throw e;
  }
}

/**
 * Deep copy of resource properties as plain data; unknown values (proxied or as sentinel strings)
 * become {@link UNKNOWN}.
 */
export function plain(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
  if (value === null || typeof value !== "object" || depth > 32) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(plain(read(value as never, String(i)), depth + 1));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = plain(read(value as never, key), depth + 1);
  return out;
}

/** Plain properties of a resource (see {@link plain}). */
export function plainProps(props: unknown): Record<string, unknown> {
  const p = plain(props);
  return p && typeof p === "object" && !Array.isArray(p) ? (p as Record<string, unknown>) : {};
}

/** The value at a dotted path, {@link UNKNOWN} when any step is unknown, undefined when absent. */
export function at(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split(".")) {
    if (isUnknown(cur)) return UNKNOWN;
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** A count that may be only partly known: at least `min`, exactly `min` when `exact`. */
export interface Count {
  /** Known lower bound. */
  readonly min: number;
  /** True when the count is known exactly. */
  readonly exact: boolean;
  /** What is unknown, for messages (empty when exact). */
  readonly unknowns: readonly string[];
}

/** An exact count. */
export function exact(n: number): Count {
  return { min: n, exact: true, unknowns: [] };
}

/** Adds counts: exact only when every part is. */
export function add(...counts: Count[]): Count {
  return {
    min: counts.reduce((s, c) => s + c.min, 0),
    exact: counts.every((c) => c.exact),
    unknowns: counts.flatMap((c) => c.unknowns),
  };
}

/**
 * Length of a list property: its length when the list is known (its elements may be unknown), 0 when
 * absent, unknown (at least 0) when the whole list is unknown.
 */
export function listLength(value: unknown, what: string): Count {
  if (isUnknown(value)) return { min: 0, exact: false, unknowns: [what] };
  if (Array.isArray(value)) return exact(value.length);
  return exact(0);
}

/** A number property: the number, UNKNOWN, or undefined when absent or not a number. */
export function num(value: unknown): number | Unknown | undefined {
  if (isUnknown(value)) return UNKNOWN;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/** A string property: the string, UNKNOWN, or undefined when absent. */
export function str(value: unknown): string | Unknown | undefined {
  if (isUnknown(value)) return UNKNOWN;
  return typeof value === "string" ? value : undefined;
}

/** True when the value or anything inside it is unknown. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}
