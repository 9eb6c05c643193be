/**
 * natcap-policies: a Pulumi policy pack that blocks `pulumi preview` when a stack breaks an AWS or
 * Azure NAT gateway limit or is predicted to exhaust SNAT ports. Every rule is listed here, by hand
 * (nothing registers itself); rules live one per file in rules/, named by their id, each its metadata
 * and a check built with lib/rule.ts, and call the same pure checks in sim/ as natcap's components.
 * Adding a rule: docs/policies-writing-rules.md.
 *
 * @module
 */
import { PolicyPack } from "@pulumi/policy";
import { awsNatGatewayEipAssociationConflict } from "./rules/aws-nat-gateway-eip-association-conflict";
import { awsNatGatewayIpLimit } from "./rules/aws-nat-gateway-ip-limit";
import { awsNatGatewayIpQuota } from "./rules/aws-nat-gateway-ip-quota";
import { awsNatGatewayPrivateIpLimit } from "./rules/aws-nat-gateway-private-ip-limit";
import { awsNatGatewaySubnetFreeAddresses } from "./rules/aws-nat-gateway-subnet-free-addresses";
import { azureNatGatewayIdleTimeout } from "./rules/azure-nat-gateway-idle-timeout";
import { azureNatGatewayIpLimit } from "./rules/azure-nat-gateway-ip-limit";
import { azureNatGatewayLongIdleTimeout } from "./rules/azure-nat-gateway-long-idle-timeout";
import { azureNatGatewayPublicIpSku } from "./rules/azure-nat-gateway-public-ip-sku";
import { azureNatGatewaySubnetRules } from "./rules/azure-nat-gateway-subnet-rules";
import { natGatewayCapacity } from "./rules/nat-gateway-capacity";

new PolicyPack("natcap-policies", {
  description: "NAT gateway limits and SNAT port-exhaustion checks for AWS and Azure (natcap).",
  policies: [
    awsNatGatewayIpLimit,
    awsNatGatewayIpQuota,
    awsNatGatewayPrivateIpLimit,
    awsNatGatewaySubnetFreeAddresses,
    awsNatGatewayEipAssociationConflict,
    azureNatGatewayIpLimit,
    azureNatGatewayPublicIpSku,
    azureNatGatewayIdleTimeout,
    azureNatGatewayLongIdleTimeout,
    azureNatGatewaySubnetRules,
    natGatewayCapacity,
  ],
});
