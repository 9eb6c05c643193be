/**
 * Type tokens of the provider resources the rules read, and the type comparison that treats
 * azure-native's versioned modules as the same type. A leaf module: the stack view (./stack) and the
 * generic-resource view (./azureGeneric) both read it.
 *
 * @module
 */

/** Type tokens of the resources the rules read. */
export const TYPES = {
  awsNatGateway: "aws:ec2/natGateway:NatGateway",
  awsEip: "aws:ec2/eip:Eip",
  awsEipAssociation: "aws:ec2/natGatewayEipAssociation:NatGatewayEipAssociation",
  awsSubnet: "aws:ec2/subnet:Subnet",
  awsNetworkInterface: "aws:ec2/networkInterface:NetworkInterface",
  awsInstance: "aws:ec2/instance:Instance",
  awsVpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  azureNatGateway: "azure-native:network:NatGateway",
  azurePublicIp: "azure-native:network:PublicIPAddress",
  azurePublicIpPrefix: "azure-native:network:PublicIPPrefix",
  azureSubnet: "azure-native:network:Subnet",
  azureVirtualNetwork: "azure-native:network:VirtualNetwork",
} as const;

/**
 * True when `type` is the given type token; azure-native's versioned modules
 * (`azure-native:network/v20240501:NatGateway`) count as the same type.
 */
export function isType(type: string, token: string): boolean {
  if (type === token) return true;
  if (!token.startsWith("azure-native:")) return false;
  const [, mod, name] = token.split(":");
  const m = /^azure-native:([^:/]+)\/v[0-9a-z]+:([^:]+)$/.exec(type);
  return !!m && m[1] === mod && m[2] === name;
}
