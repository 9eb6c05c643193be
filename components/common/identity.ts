/**
 * The names a component goes by: its class name (unique across natcap), the Pulumi type token
 * derived from it, and the prefix every message of an instance starts with. Each component module
 * declares only its class name; the rest comes from here.
 *
 * @module
 */

/**
 * The Pulumi type token of a natcap component: `natcap:index:<ClassName>`. Pulumi's nodejs component
 * provider host only accepts the `index` module and finds classes by class name.
 */
export function typeToken(className: string): string {
  return `natcap:index:${className}`;
}

/**
 * The prefix every message of a component starts with: the class name and the resource name,
 * e.g. `AwsNatGateway "egress"`.
 */
export function componentPrefix(className: string, name: string): string {
  return `${className} "${name}"`;
}
