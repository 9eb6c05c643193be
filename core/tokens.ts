/**
 * Names on the wire, defined once: natcap's component class names and their Pulumi type tokens, and
 * the Pulumi engine's markers for values not known during preview. Components, the policy pack, the
 * `natcap check` emulation and the scripts all read them from here.
 *
 * @module
 */

/**
 * natcap's component class names. Pulumi's nodejs component provider host (multi-language use) finds
 * classes by class name in the `index` module, so each name is unique across natcap.
 */
export const COMPONENT_CLASS = {
  /** One AWS NAT gateway with many egress IPs. */
  awsNatGateway: "AwsNatGateway",
  /** One AWS NAT gateway per Availability Zone. */
  awsEgressNat: "AwsEgressNat",
  /** One Azure NAT gateway with public IPs and prefixes. */
  azureNatGateway: "AzureNatGateway",
  /** An egress VPC with one NAT gateway per zone, reached by spoke VPCs through a Transit Gateway. */
  awsCentralEgress: "AwsCentralEgress",
} as const;

/** A natcap component class name. */
export type ComponentClassName = (typeof COMPONENT_CLASS)[keyof typeof COMPONENT_CLASS];

/** A Pulumi type token of a natcap component. */
export type TypeToken<C extends string = string> = `natcap:index:${C}`;

/**
 * The Pulumi type token of a natcap component: `natcap:index:<ClassName>`. Pulumi's nodejs component
 * provider host only accepts the `index` module and finds classes by class name.
 */
export function typeToken<C extends string>(className: C): TypeToken<C> {
  return `natcap:index:${className}`;
}

/** Type tokens of natcap's components (stable: stacks' URNs contain them). */
export const TYPE_TOKEN = {
  /** `natcap:index:AwsNatGateway`. */
  awsNatGateway: typeToken(COMPONENT_CLASS.awsNatGateway),
  /** `natcap:index:AwsEgressNat`. */
  awsEgressNat: typeToken(COMPONENT_CLASS.awsEgressNat),
  /** `natcap:index:AzureNatGateway`. */
  azureNatGateway: typeToken(COMPONENT_CLASS.azureNatGateway),
  /** `natcap:index:AwsCentralEgress`. */
  awsCentralEgress: typeToken(COMPONENT_CLASS.awsCentralEgress),
} as const;

/** Every natcap component type token. */
export const NATCAP_TYPE_TOKENS: readonly string[] = Object.values(TYPE_TOKEN);

/**
 * The engine's sentinel string for an unknown value (a computed output during preview); also the
 * sentinel of an unknown string.
 */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Every sentinel string the Pulumi engine uses on the wire for an unknown value, one per kind. */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  UNKNOWN_SENTINEL, // string (also the generic unknown)
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/**
 * The engine's marker keys for special values in serialized properties: an object whose
 * {@link SPECIAL_SIGNATURE_KEY} holds {@link RESOURCE_REFERENCE_SIGNATURE} is a resource reference,
 * one holding {@link OUTPUT_VALUE_SIGNATURE} an output value (known or not).
 */
export const SPECIAL_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
/** Signature of a serialized resource reference. */
export const RESOURCE_REFERENCE_SIGNATURE = "5cf8f73096256a8f31e491e813e4eb8e";
/** Signature of a serialized output value. */
export const OUTPUT_VALUE_SIGNATURE = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
