/**
 * Policy config schemas written once with zod: the JSON Schema the pack declares to the engine (which
 * validates `--policy-pack-config` and fills in defaults) and the parser a rule reads its config with.
 *
 * @module
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { z } from "zod";

/** JSON Schema (draft 7) of each property of a zod object, for a policy's `configSchema`. */
export function configSchema(shape: z.ZodObject): PolicyConfigSchema {
  const json = z.toJSONSchema(shape, { target: "draft-7", io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, Record<string, unknown>>;
  };
  const properties: PolicyConfigSchema["properties"] = {};
  for (const [key, value] of Object.entries(json.properties ?? {})) {
    const { $schema: _drop, ...rest } = value;
    properties[key] = rest as PolicyConfigSchema["properties"][string];
  }
  return { properties };
}

/**
 * Reads a policy's config with its zod schema (defaults filled in).
 *
 * @throws {Error} naming the policy and the field when the config does not match the schema.
 */
export function readConfig<T extends z.ZodObject>(policy: string, shape: T, config: unknown): z.output<T> {
  const parsed = shape.safeParse(config ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`${policy} config: ${issue.path.join(".") || "(config)"}: ${issue.message}`);
}
