/**
 * The rule scaffold: a rule file is its metadata and one `check` function.
 *
 * {@link defineResourceRule} and {@link defineStackRule} turn that pair into the policy object the
 * policy SDK runs (`ResourceValidationPolicy` / `StackValidationPolicy`), and bind, once per call,
 * what every rule needs so that no rule binds it itself:
 * - the reporter ({@link Reporter}: violation, finding, and the advisory "cannot be evaluated during
 *   preview"), tied to the rule's description and the call's `reportViolation`;
 * - the typed config, parsed with the rule's zod schema (defaults filled in); the pack advertises the
 *   JSON Schema derived from the same zod schema, so the engine validates what the rule reads;
 * - for resource rules, the type test and the resource's plain properties (unknowns marked);
 * - for stack rules, the stack snapshot (plain properties, parents and property dependencies).
 *
 * A new rule copies an existing file under policies/rules/, fills in the metadata, writes `check`,
 * and is added by hand to the list in policies/index.ts (docs/policies-writing-rules.md).
 *
 * @module
 */
import type { EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { z } from "zod";
import { configSchema, readConfig } from "./config";
import { plainProps } from "./props";
import { type Reporter, reporter } from "./report";
import { isType, type Res, snapshot } from "./stack";

/** The metadata every rule declares; the pack advertises it to the engine as it is written. */
export interface RuleMetadata<C extends z.ZodObject | undefined = undefined> {
  /** The rule id: the policy's name, stable, kebab-case, the same as the rule's file name. */
  readonly id: string;
  /** One sentence: what the rule requires. Also the first line of its "cannot evaluate" advisories. */
  readonly description: string;
  /** Default enforcement level; a hard cloud limit is `mandatory`, advice is `advisory`. */
  readonly enforcementLevel: EnforcementLevel;
  /** What to change when the rule is violated (the policy's `remediationSteps`). */
  readonly remediation: string;
  /** Where the limit the rule checks is documented (usually the `source` of a sim/limits entry). */
  readonly url: string;
  /**
   * The rule's config as a zod object whose every field has a default. The pack advertises its JSON
   * Schema and `check` receives the parsed value.
   * @default undefined (the rule takes no config; `check` gets `{}`)
   */
  readonly config?: C;
}

/** The parsed config a rule's `check` receives: the zod output, or `{}` for a rule without config. */
export type RuleConfig<C extends z.ZodObject | undefined> = C extends z.ZodObject
  ? z.output<C>
  : Record<string, never>;

/** The resource a resource rule is called for, with plain properties. */
export interface CheckedResource {
  /** Type token, e.g. `azure-native:network:NatGateway`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** URN. */
  readonly urn: string;
  /** Plain properties; values unknown during preview are `UNKNOWN` (policies/lib/props.ts). */
  readonly props: Record<string, unknown>;
}

/** What a resource rule's `check` receives for one resource. */
export interface ResourceRuleContext<C extends z.ZodObject | undefined> {
  /** The resource, already known to be of one of the rule's `resourceTypes`. */
  readonly resource: CheckedResource;
  /** The rule's parsed config. */
  readonly config: RuleConfig<C>;
  /** Reports against this resource (leave the `urn` argument out). */
  readonly report: Reporter;
}

/** What a stack rule's `check` receives for one stack. */
export interface StackRuleContext<C extends z.ZodObject | undefined> {
  /** Every resource of the stack, with plain properties and resolved parents and dependencies. */
  readonly stack: readonly Res[];
  /** The rule's parsed config. */
  readonly config: RuleConfig<C>;
  /** Reports against the resource whose URN is given. */
  readonly report: Reporter;
}

/** A resource rule: metadata, the types it applies to, and its check. */
export interface ResourceRuleDefinition<C extends z.ZodObject | undefined = undefined>
  extends RuleMetadata<C> {
  /**
   * Type tokens the rule applies to (policies/lib/stack.ts `TYPES`; azure-native's versioned
   * modules match too). Other resources are skipped before `check` runs.
   * @default undefined (every resource)
   */
  readonly resourceTypes?: readonly string[];
  /** Checks one resource and reports through `ctx.report`; returns nothing. */
  readonly check: (ctx: ResourceRuleContext<C>) => void;
}

/** A stack rule: metadata and its check. */
export interface StackRuleDefinition<C extends z.ZodObject | undefined = undefined> extends RuleMetadata<C> {
  /** Checks the whole stack and reports through `ctx.report`; returns nothing. */
  readonly check: (ctx: StackRuleContext<C>) => void;
}

/** The policy fields both kinds share, from the metadata. */
function policyFields(rule: RuleMetadata<z.ZodObject | undefined>) {
  return {
    name: rule.id,
    description: rule.description,
    enforcementLevel: rule.enforcementLevel,
    remediationSteps: rule.remediation,
    url: rule.url,
    ...(rule.config ? { configSchema: configSchema(rule.config) } : {}),
  };
}

/** Parses the config a call carries with the rule's schema (`{}` when the rule takes none). */
function parseConfig<C extends z.ZodObject | undefined>(rule: RuleMetadata<C>, raw: unknown): RuleConfig<C> {
  return (rule.config ? readConfig(rule.id, rule.config, raw) : {}) as RuleConfig<C>;
}

/**
 * A per-resource policy from a rule's metadata and check: the engine calls it for every resource;
 * `check` runs only for the rule's `resourceTypes`, with the plain properties, typed config and a
 * bound reporter.
 */
export function defineResourceRule<C extends z.ZodObject | undefined = undefined>(
  rule: ResourceRuleDefinition<C>,
): ResourceValidationPolicy {
  return {
    ...policyFields(rule),
    validateResource: (args, reportViolation) => {
      if (rule.resourceTypes && !rule.resourceTypes.some((t) => isType(args.type, t))) return;
      rule.check({
        resource: { type: args.type, name: args.name, urn: args.urn, props: plainProps(args.props) },
        config: parseConfig(rule, args.getConfig()),
        report: reporter(rule.description, reportViolation),
      });
    },
  };
}

/**
 * A stack policy from a rule's metadata and check: the engine calls it once per stack; `check` gets
 * the stack snapshot, typed config and a bound reporter.
 */
export function defineStackRule<C extends z.ZodObject | undefined = undefined>(
  rule: StackRuleDefinition<C>,
): StackValidationPolicy {
  return {
    ...policyFields(rule),
    validateStack: (args, reportViolation) => {
      const config = parseConfig(rule, args.getConfig());
      rule.check({
        stack: snapshot(args.resources),
        config,
        report: reporter(rule.description, reportViolation),
      });
    },
  };
}
