/**
 * Azure network resources created through azure-native's generic `resources.Resource` (e.g. a
 * StandardV2 NAT gateway at Microsoft.Network API version 2025-01-01, which the typed NatGateway of
 * azure-native 3.x cannot express) seen as the typed resources the rules know: the generic
 * resource's `properties` become the props, beside its `sku`, `zones`, `location` and `tags` (the
 * natcap-peak-* expectation tags among them), and the dependencies of `properties` count for each
 * of its keys.
 *
 * @module
 */
import { isType, TYPES } from "./types";

/** Type token of azure-native's generic resource. */
export const GENERIC_RESOURCE = "azure-native:resources:Resource";

const kinds = (): Record<string, string> => ({
  natgateways: TYPES.azureNatGateway,
  publicipaddresses: TYPES.azurePublicIp,
  publicipprefixes: TYPES.azurePublicIpPrefix,
});

/**
 * The typed view of a generic Microsoft.Network resource (type token and props), or undefined when
 * `type` is not a generic resource of a NAT gateway, public IP or public IP prefix.
 */
export function genericNetworkView(
  type: string,
  props: Record<string, unknown>,
): { type: string; props: Record<string, unknown> } | undefined {
  if (!isType(type, GENERIC_RESOURCE)) return undefined;
  const ns = props.resourceProviderNamespace;
  const kind = props.resourceType;
  if (typeof ns !== "string" || ns.toLowerCase() !== "microsoft.network" || typeof kind !== "string")
    return undefined;
  const token = kinds()[kind.toLowerCase()];
  if (!token) return undefined;
  const inner = props.properties && typeof props.properties === "object" ? (props.properties as object) : {};
  const view: Record<string, unknown> = { ...inner };
  for (const k of ["sku", "zones", "location", "id", "apiVersion", "tags"])
    if (props[k] !== undefined) view[k] = props[k];
  return { type: token, props: view };
}

/** Dependencies of a generic resource's `properties`, spread over each key of its view's props. */
export function spreadPropertiesDependencies<T>(
  props: Record<string, unknown>,
  deps: Record<string, T[]>,
): Record<string, T[]> {
  const inner = deps.properties;
  if (!inner) return deps;
  const out = { ...deps };
  for (const k of Object.keys(props)) out[k] = [...(out[k] ?? []), ...inner];
  return out;
}
