import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { AzureNatGateway, type AzureNatGatewayArgs } from "../../components/azure";
import { LimitError, ValidationError } from "../../core/errors";
import { base, installMocks } from "./azure-mocks";

installMocks();

describe("AzureNatGateway validation errors, by class", () => {
  const cases: [string, Partial<AzureNatGatewayArgs>, new (...a: never[]) => Error, RegExp][] = [
    [
      "17 addresses",
      { publicIpCount: 1, publicIpPrefixes: [{ key: "a", prefixLength: 28 }] },
      LimitError,
      /17 public IPv4/,
    ],
    [
      "prefix /27",
      { publicIpPrefixes: [{ key: "a", prefixLength: 27 }] },
      LimitError,
      /publicIpPrefixes\[0\]/,
    ],
    [
      "existing prefix /32",
      { existingPublicIpPrefixes: [{ id: "/p", prefixLength: 32 }] },
      LimitError,
      /existingPublicIpPrefixes\[0\]\.prefixLength/,
    ],
    ["idle timeout 121", { idleTimeoutInMinutes: 121 }, LimitError, /idleTimeoutInMinutes.*4–120/],
    ["idle timeout 3", { idleTimeoutInMinutes: 3 }, LimitError, /outside/],
    ["no addresses", { publicIpCount: 0 }, ValidationError, /at least one public IP/],
    ["negative count", { publicIpCount: -1 }, ValidationError, /publicIpCount/],
    [
      "count and keys disagree",
      { publicIpCount: 3, publicIps: [{ key: "a" }] },
      ValidationError,
      /does not match/,
    ],
    ["duplicate IP key", { publicIps: [{ key: "a" }, { key: "a" }] }, ValidationError, /publicIps\[1\]\.key/],
    ["bad IP key", { publicIps: [{ key: "a b" }] }, ValidationError, /not a valid key/],
    [
      "duplicate prefix key",
      {
        publicIpPrefixes: [
          { key: "p", prefixLength: 31 },
          { key: "p", prefixLength: 31 },
        ],
      },
      ValidationError,
      /publicIpPrefixes\[1\]\.key/,
    ],
    ["two zones", { zone: "1,2" }, ValidationError, /one zone or none/],
    ["alert severity", { alerts: { severity: 7 } }, ValidationError, /alerts\.severity/],
    [
      "availability threshold",
      { alerts: { datapathAvailabilityThreshold: 150 } },
      ValidationError,
      /percentage/,
    ],
    [
      "GatewaySubnet",
      {
        subnets: [
          { key: "gw", name: "GatewaySubnet", virtualNetworkName: "v", addressPrefixes: ["10.0.0.0/27"] },
        ],
      },
      ValidationError,
      /GatewaySubnet/,
    ],
    [
      "gatewaysubnet by key",
      { subnets: [{ key: "gatewaysubnet", virtualNetworkName: "v", addressPrefixes: ["10.0.0.0/27"] }] },
      ValidationError,
      /VPN and ExpressRoute/,
    ],
    [
      "two VNets",
      {
        subnets: [
          { key: "a", virtualNetworkName: "v1", addressPrefixes: ["10.0.0.0/24"] },
          { key: "b", virtualNetworkName: "v2", addressPrefixes: ["10.1.0.0/24"] },
        ],
      },
      ValidationError,
      /different virtual network/,
    ],
    [
      "same subnet twice",
      {
        subnets: [
          { key: "a", name: "s", virtualNetworkName: "v", addressPrefixes: ["10.0.0.0/24"] },
          { key: "b", name: "S", virtualNetworkName: "V", addressPrefixes: ["10.0.0.0/24"] },
        ],
      },
      ValidationError,
      /same subnet/,
    ],
    [
      "no address prefixes",
      { subnets: [{ key: "a", virtualNetworkName: "v", addressPrefixes: [] }] },
      ValidationError,
      /at least one address prefix/,
    ],
  ];
  it.each(cases)("%s", (_label, extra, cls, pattern) => {
    let caught: unknown;
    try {
      new AzureNatGateway("bad", { ...base, ...extra } as AzureNatGatewayArgs);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(cls);
    const message = (caught as Error).message;
    expect(message).toMatch(/^AzureNatGateway "bad": /);
    expect(message).toMatch(pattern);
  });

  it("rejects a subnet given to two gateways in the program", () => {
    const subnet = { key: "app", virtualNetworkName: "vnet", addressPrefixes: ["10.0.1.0/24"] };
    new AzureNatGateway("first", { ...base, subnets: [subnet] });
    expect(() => new AzureNatGateway("second", { ...base, subnets: [subnet] })).toThrow(ValidationError);
    expect(() => new AzureNatGateway("third", { ...base, subnets: [subnet] })).toThrow(
      /already associated with AzureNatGateway "first"/,
    );
  });

  it("checks subnets whose VNet name is an Output once it is known", async () => {
    new AzureNatGateway("one", {
      ...base,
      subnets: [{ key: "app", virtualNetworkName: pulumi.output("vnet"), addressPrefixes: ["10.0.1.0/24"] }],
    });
    const second = new AzureNatGateway("two", {
      ...base,
      subnets: [{ key: "app", virtualNetworkName: pulumi.output("vnet"), addressPrefixes: ["10.0.1.0/24"] }],
    });
    // The deployment fails on the subnet's input; under mocks that surfaces as an unhandled rejection.
    const previous = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const reasons: unknown[] = [];
    const failure = await new Promise<unknown>((resolve) => {
      process.on("unhandledRejection", (reason) => {
        reasons.push(reason);
        resolve(reason);
      });
    });
    await new Promise((r) => setTimeout(r, 300));
    process.removeAllListeners("unhandledRejection");
    for (const l of previous) process.on("unhandledRejection", l);
    expect(reasons.every((r) => r instanceof ValidationError)).toBe(true);
    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as Error).message).toMatch(/already associated with AzureNatGateway "one"/);
    expect(second).toBeDefined();
  });
});
