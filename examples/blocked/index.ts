// blocked: what natcap's policy pack is for. Gateways written with plain provider resources (no
// natcap component to stop them at construction) that `pulumi preview --policy-pack` must block:
//
// - aws-nat-gateway-ip-limit: a zonal AWS NAT gateway with 9 Elastic IPs (AWS allows 8);
// - nat-gateway-capacity: a 2-EIP gateway tagged with an expected LDAP peak of 120,000 connections,
//   which 2 × 55,000 (less under per-flow hashing) cannot carry;
// - azure-nat-gateway-ip-limit: an Azure NAT gateway with a /28 and a /30 prefix, 20 addresses (Azure
//   allows 16).
//
//   pulumi preview --policy-pack ../../policies         # fails with the three violations
//   npx natcap check .                                  # exit code 1, no credentials needed
//
// In the natcap repository, `natcap` resolves to the repository itself (package self-reference; run
// `npm run build` first). Your own program installs it instead: `npm install natcap`.
import * as aws from "@pulumi/aws";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import { expectationTags } from "natcap/sim";

const config = new pulumi.Config();
const egressEips = config.getNumber("egressEips") ?? 9;
const ldapPeakConnections = config.getNumber("ldapPeakConnections") ?? 120_000;
const azurePrefixLengths = config.getObject<number[]>("azurePrefixLengths") ?? [28, 30];

const vpc = new aws.ec2.Vpc("main", { cidrBlock: "10.0.0.0/16" });
const subnet = (az: string, cidrBlock: string) =>
  new aws.ec2.Subnet(`public-${az}`, { vpcId: vpc.id, availabilityZone: az, cidrBlock });
const eips = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => new aws.ec2.Eip(`${prefix}-eip-${i + 1}`, { domain: "vpc" }));

// 1. Grown one EIP at a time past the limit of 8 IPv4 addresses per zonal gateway.
const [primary, ...secondaries] = eips("egress", egressEips);
new aws.ec2.NatGateway("egress", {
  subnetId: subnet("us-east-1a", "10.0.0.0/24").id,
  allocationId: primary.allocationId,
  secondaryAllocationIds: secondaries.map((e) => e.allocationId),
});

// 2. Within the limits, but the expected LDAP peak (written as natcap's expectation tags, which any
//    gateway can carry) does not fit 2 IPs.
const [ldapPrimary, ldapSecondary] = eips("ldap", 2);
new aws.ec2.NatGateway("ldap", {
  subnetId: subnet("us-east-1b", "10.0.1.0/24").id,
  allocationId: ldapPrimary.allocationId,
  secondaryAllocationIds: [ldapSecondary.allocationId],
  tags: {
    Name: "ldap",
    ...expectationTags([
      {
        name: "ldap",
        address: "203.0.113.10",
        port: 636,
        protocol: "tcp",
        peakConnections: ldapPeakConnections,
      },
    ]),
  },
});

// 3. Azure counts every address of a prefix: /28 (16) + /30 (4) = 20 addresses, over the 16 allowed.
const rg = new resources.ResourceGroup("egress");
const prefixes = azurePrefixLengths.map(
  (prefixLength) =>
    new network.PublicIPPrefix(`egress-prefix-${prefixLength}`, {
      resourceGroupName: rg.name,
      sku: { name: "Standard" },
      prefixLength,
    }),
);
new network.NatGateway("egress", {
  resourceGroupName: rg.name,
  sku: { name: "Standard" },
  publicIpPrefixes: prefixes.map((p) => ({ id: p.id })),
});
