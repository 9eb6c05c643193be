/**
 * Policy pack configuration the way the Pulumi CLI builds it for Configure: start from each policy's
 * default enforcement level and its schema defaults, apply the `all` key, then each policy's entry of
 * the `--policy-pack-config` JSON file, and validate every policy's properties against its schema.
 *
 * The file format is the CLI's: keys are policy names (or `all`); a value is an enforcement level
 * (`"advisory"`) or an object with an optional `enforcementLevel` and the policy's properties.
 *
 * @module
 */
import { z } from "zod";
import { type FieldIssue, show, ValidationError } from "../core/errors";
import type { EnforcementLevel, PackInfo, PolicyConfig } from "./pack";

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** The `--policy-pack-config` file does not parse or does not match the pack's schemas. */
export class PolicyConfigError extends ValidationError {}

/** One entry of the config file, parsed. */
export interface ConfigEntry {
  /** Enforcement level, when given. */
  enforcementLevel?: EnforcementLevel;
  /** Properties, when given. */
  properties: Record<string, unknown>;
}

function isLevel(v: unknown): v is EnforcementLevel {
  return typeof v === "string" && (LEVELS as readonly string[]).includes(v);
}

/**
 * Parses the text of a `--policy-pack-config` file.
 *
 * @throws {PolicyConfigError} naming the key and the value when the text is not that format.
 */
export function parsePolicyPackConfig(
  text: string,
  source = "--policy-pack-config",
): Record<string, ConfigEntry> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new PolicyConfigError([{ path: "(file)", message: `not JSON: ${(e as Error).message}` }], source);
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    throw new PolicyConfigError(
      [{ path: "(file)", value: data, message: "expected an object keyed by policy name" }],
      source,
    );
  }
  const out: Record<string, ConfigEntry> = {};
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === "string") {
      if (isLevel(value)) out[key] = { enforcementLevel: value, properties: {} };
      else issues.push({ path: key, value, message: `not an enforcement level (${LEVELS.join(", ")})` });
    } else if (value && typeof value === "object" && !Array.isArray(value)) {
      const { enforcementLevel, ...properties } = value as Record<string, unknown>;
      if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
        issues.push({
          path: `${key}.enforcementLevel`,
          value: enforcementLevel,
          message: `not an enforcement level (${LEVELS.join(", ")})`,
        });
        continue;
      }
      out[key] = { ...(enforcementLevel ? { enforcementLevel } : {}), properties };
    } else {
      issues.push({ path: key, value, message: "expected an enforcement level or an object" });
    }
  }
  if (issues.length > 0) throw new PolicyConfigError(issues, source);
  return out;
}

/**
 * The Configure request content for every policy of the pack: levels and properties with schema
 * defaults, overridden by `all` and per-policy entries, validated against each policy's schema.
 *
 * @throws {PolicyConfigError} for an unknown policy name or properties that break a schema.
 */
export function reconcileConfig(
  info: PackInfo,
  entries: Record<string, ConfigEntry> = {},
  source = "--policy-pack-config",
): Record<string, PolicyConfig> {
  const issues: FieldIssue[] = [];
  const known = new Set(info.policies.map((p) => p.name));
  for (const key of Object.keys(entries)) {
    if (key !== "all" && !known.has(key)) {
      issues.push({
        path: key,
        message: `no policy of that name in ${info.name} (known: ${[...known].join(", ")})`,
      });
    }
  }
  const all = entries.all?.enforcementLevel;
  const result: Record<string, PolicyConfig> = {};
  for (const p of info.policies) {
    const properties: Record<string, unknown> = {};
    for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
      if (schema.default !== undefined) properties[k] = structuredClone(schema.default);
    }
    const entry = entries[p.name];
    Object.assign(properties, entry?.properties ?? {});
    const enforcementLevel = entry?.enforcementLevel ?? all ?? p.enforcementLevel;
    if (p.configSchema || Object.keys(properties).length > 0) {
      const schema = z.fromJSONSchema({
        type: "object",
        properties: p.configSchema?.properties ?? {},
        required: p.configSchema?.required ?? [],
        additionalProperties: false,
      } as Parameters<typeof z.fromJSONSchema>[0]);
      const parsed = schema.safeParse(properties);
      if (!parsed.success) {
        for (const iss of parsed.error.issues) {
          const field = iss.path.length ? `${p.name}.${iss.path.join(".")}` : p.name;
          const value = iss.path.reduce<unknown>(
            (v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[String(k)] : undefined),
            properties,
          );
          issues.push({
            path: field,
            value,
            message: iss.code === "unrecognized_keys" ? `unknown properties ${show(iss.keys)}` : iss.message,
          });
        }
      }
    }
    result[p.name] = { enforcementLevel, properties };
  }
  if (issues.length > 0) throw new PolicyConfigError(issues, source);
  return result;
}
