/**
 * Resource-option defaults shared by the components.
 *
 * @module
 */
import type * as pulumi from "@pulumi/pulumi";

/**
 * Whether public IPs are protected when the user does not say: yes. Partners allow-list egress IPs;
 * deleting or replacing one by accident is an outage. Users opt out with `protectIps: false`.
 */
export const DEFAULT_PROTECT_IPS = true;

/**
 * Options for a child resource that holds a public IP (an EIP, an Azure public IP or prefix):
 * parented to the component and protected unless `protectIps` is `false`.
 */
export function ipResourceOptions(
  parent: pulumi.Resource,
  protectIps: boolean | undefined,
): pulumi.CustomResourceOptions {
  return { parent, protect: protectIps ?? DEFAULT_PROTECT_IPS };
}

/** Options for any other child resource: parented to the component. */
export function childOptions(parent: pulumi.Resource): pulumi.CustomResourceOptions {
  return { parent };
}
