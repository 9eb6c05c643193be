import path from "node:path";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import { describe, expect, it } from "vitest";
import pkg from "../../package.json";

// Pulumi's nodejs component provider host infers the schema from the TypeScript sources with this
// analyzer; a union-typed or anonymous argument type makes it throw. Run it as the host does.
describe("Pulumi component schema inference", () => {
  it("infers AwsNatGateway and AwsEgressNat, with enums for every choice", () => {
    const root = path.resolve(__dirname, "../..");
    const result = new Analyzer(root, "natcap", pkg, new Set(["AwsNatGateway", "AwsEgressNat"])).analyze();
    const gw = result.components.AwsNatGateway;
    const egress = result.components.AwsEgressNat;
    expect(gw.inputs.ipKeys).toMatchObject({ type: "array", items: { type: "string" } });
    expect(gw.inputs.expectedTraffic).toMatchObject({ $ref: "#/types/natcap:index:ExpectedTrafficArgs" });
    expect(gw.inputs.connectivityType).toMatchObject({ $ref: "#/types/natcap:index:ConnectivityType" });
    expect(gw.inputs.ipCount.description).toContain("how many new Elastic IPs");
    expect(Object.keys(gw.outputs)).toEqual(
      expect.arrayContaining(["natGatewayId", "publicIps", "capacity"]),
    );
    expect(Object.keys(egress.inputs)).toEqual(
      expect.arrayContaining(["zones", "s3Endpoint", "dynamodbEndpoint"]),
    );
    for (const e of [
      "ConnectivityType",
      "AvailabilityMode",
      "CapacityCheckMode",
      "Protocol",
      "HoldDistribution",
    ]) {
      expect(result.typeDefinitions[e]?.enum?.length, e).toBeGreaterThan(1);
    }
  }, 120_000);
});
