/**
 * natcap: Pulumi components for NAT gateways with many egress IPs, a SNAT port-exhaustion
 * simulator and a policy pack.
 *
 * @module
 */

export * as aws from "./components/aws";
export { AwsCentralEgress, AwsEgressNat, AwsNatGateway } from "./components/aws";
export * as azure from "./components/azure";
export { AzureNatGateway } from "./components/azure";
export * as limits from "./core/limits";
