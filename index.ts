/**
 * natcap: Pulumi components for NAT gateways with many egress IPs, a SNAT port-exhaustion
 * simulator and a policy pack.
 *
 * @module
 */
export * as limits from "./sim/limits";
