/**
 * The stack as the rules see it: every resource with plain properties (unknowns marked), its parent
 * and the resources each property depends on, plus the lookups the NAT rules share — "which
 * resources point at this gateway through property P".
 *
 * A reference from resource A to resource B is recognised two ways: through A's property
 * dependencies (how Pulumi records `natGatewayId: gateway.id`, and the only way during preview, when
 * IDs are unknown), or by a known ID string equal to B's `id`.
 *
 * @module
 */
import type { PolicyResource } from "@pulumi/policy";
import { NATCAP_TYPE_TOKENS } from "../../core/tokens";
import { genericNetworkView, spreadPropertiesDependencies } from "./azureGeneric";
import { isUnknown, plainProps, UNKNOWN, type Unknown } from "./props";
import { isType } from "./types";

export { isType, TYPES } from "./types";

/** natcap's own component types (their outputs carry the expected traffic). */
export const NATCAP_COMPONENTS: ReadonlySet<string> = new Set(NATCAP_TYPE_TOKENS);

/** A resource of the stack with plain properties and resolved links. */
export interface Res {
  /** Type token. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** URN (violations are reported against it). */
  readonly urn: string;
  /** Plain properties; unknown values are UNKNOWN. */
  readonly props: Record<string, unknown>;
  /** Parent resource, when it is in the stack. */
  parent?: Res;
  /** Resources each top-level property depends on. */
  readonly propertyDependencies: Record<string, Res[]>;
}

/** Builds the stack view from the policy SDK's resources. */
export function snapshot(resources: readonly PolicyResource[]): Res[] {
  const byUrn = new Map<string, Res>();
  const out: Res[] = resources.map((r) => {
    const props = plainProps(r.props);
    // A generic azure-native Resource of a NAT gateway, public IP or prefix is seen as the typed one.
    const view = genericNetworkView(r.type, props);
    const res: Res = {
      type: view?.type ?? r.type,
      name: r.name,
      urn: r.urn,
      props: view?.props ?? props,
      propertyDependencies: {},
    };
    byUrn.set(r.urn, res);
    return res;
  });
  resources.forEach((r, i) => {
    const res = out[i];
    if (r.parent) res.parent = byUrn.get(r.parent.urn);
    for (const [k, deps] of Object.entries(r.propertyDependencies ?? {})) {
      res.propertyDependencies[k] = deps.map((d) => byUrn.get(d.urn)).filter((d): d is Res => !!d);
    }
    if (res.type !== r.type)
      Object.assign(
        res.propertyDependencies,
        spreadPropertiesDependencies(res.props, res.propertyDependencies),
      );
  });
  return out;
}

/** Resources of one type (see {@link isType}). */
export function ofType(stack: readonly Res[], token: string): Res[] {
  return stack.filter((r) => isType(r.type, token));
}

/** The ID string a reference value carries: a string ID, `{ id }` (Azure SubResource), or UNKNOWN. */
export function refId(value: unknown): string | Unknown | undefined {
  if (isUnknown(value)) return UNKNOWN;
  if (typeof value === "string") return value;
  if (value && typeof value === "object") {
    const id = (value as Record<string, unknown>).id;
    if (isUnknown(id)) return UNKNOWN;
    if (typeof id === "string") return id;
  }
  return undefined;
}

/** A resource's own ID when the stack knows it (after deployment), else undefined. */
export function ownId(r: Res): string | undefined {
  const id = r.props.id;
  return typeof id === "string" && id !== "" ? id : undefined;
}

/**
 * Resolves what `source.props[property]` points at among `candidates`.
 *
 * @returns the target resource; `"unknown"` when the reference is unknown and no dependency
 *   identifies it; `"external"` when it is a known ID of a resource outside the stack; undefined when
 *   the property is absent.
 */
export function resolveRef(
  source: Res,
  property: string,
  value: unknown,
  candidates: readonly Res[],
): Res | "unknown" | "external" | undefined {
  const id = refId(value);
  if (id === undefined) return undefined;
  if (typeof id === "string") {
    const byId = candidates.find((c) => ownId(c) === id);
    if (byId) return byId;
  }
  const deps = (source.propertyDependencies[property] ?? []).filter((d) => candidates.includes(d));
  if (deps.length === 1) return deps[0];
  return id === UNKNOWN || deps.length > 1 ? "unknown" : "external";
}

/**
 * Resolves each element of a list of references (e.g. an Azure gateway's `publicIpPrefixes`). Known
 * IDs are matched first; the property's dependencies account for the other elements when there are
 * exactly as many of them as elements left. `unresolved` counts elements not identified (IDs unknown
 * during preview, or resources outside the stack).
 */
export function resolveRefList(
  source: Res,
  property: string,
  candidates: readonly Res[],
): { targets: Res[]; unresolved: number; listUnknown: boolean } {
  const value = source.props[property];
  if (isUnknown(value)) return { targets: [], unresolved: 0, listUnknown: true };
  if (!Array.isArray(value)) return { targets: [], unresolved: 0, listUnknown: false };
  const targets: Res[] = [];
  for (const el of value) {
    const id = refId(el);
    const byId = typeof id === "string" ? candidates.find((c) => ownId(c) === id) : undefined;
    if (byId) targets.push(byId);
  }
  const remaining = value.length - targets.length;
  const spare = (source.propertyDependencies[property] ?? []).filter(
    (d) => candidates.includes(d) && !targets.includes(d),
  );
  if (remaining > 0 && spare.length === remaining)
    return { targets: [...targets, ...spare], unresolved: 0, listUnknown: false };
  return { targets, unresolved: remaining, listUnknown: false };
}

/** Resources of `type` whose `property` points at `target` (or may, when unknown). */
export function pointingAt(
  stack: readonly Res[],
  type: string,
  property: string,
  target: Res,
  targetCandidates: readonly Res[],
): { sure: Res[]; maybe: Res[] } {
  const sure: Res[] = [];
  const maybe: Res[] = [];
  for (const r of ofType(stack, type)) {
    const t = resolveRef(r, property, r.props[property], targetCandidates);
    if (t === target) sure.push(r);
    else if (t === "unknown") maybe.push(r);
  }
  return { sure, maybe };
}

/** The natcap component a resource belongs to (its nearest natcap ancestor), if any. */
export function natcapAncestor(r: Res): Res | undefined {
  for (let p = r.parent; p; p = p.parent) if (NATCAP_COMPONENTS.has(p.type)) return p;
  return undefined;
}

/** `type: name` label of a resource, as `pulumi preview` prints it. */
export function label(r: Res): string {
  return `${r.type}: ${r.name}`;
}
