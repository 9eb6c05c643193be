/**
 * The names a component goes by: its class name (unique across natcap), the Pulumi type token
 * derived from it, and the prefix every message of an instance starts with. Each component module
 * declares only its class name; the rest comes from here.
 *
 * @module
 */
import { typeToken } from "../../core/tokens";

/** The Pulumi type token of a natcap component: `natcap:index:<ClassName>` (core/tokens.ts). */
export { typeToken };

/**
 * The prefix every message of a component starts with: the class name and the resource name,
 * e.g. `AwsNatGateway "egress"`.
 */
export function componentPrefix(className: string, name: string): string {
  return `${className} "${name}"`;
}
