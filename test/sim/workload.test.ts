import { describe, expect, it } from "vitest";
import { WorkloadError } from "../../core/errors";
import { parseWorkload } from "../../sim/workload/workload";

const base = `cloud: aws
gateway: { ips: 2 }
destinations:
  - { name: ldap, address: 203.0.113.10, port: 636 }
  - { name: api, address: 198.51.100.7, port: 443 }
traffic:
  - { to: ldap, connectionsPerSecond: 900, holdSeconds: 5 }
`;

function errorOf(text: string): WorkloadError {
  try {
    parseWorkload(text);
  } catch (e) {
    if (e instanceof WorkloadError) return e;
    throw e;
  }
  throw new Error("expected a WorkloadError");
}

describe("workload defaults", () => {
  it("fills AWS defaults", () => {
    const w = parseWorkload(base);
    expect(w.gateway).toMatchObject({ ipSelection: "hash", perIpDestinationLimit: 55_000 });
    expect(w.gateway.portReuseSeconds).toEqual({ fin: 60, rst: 60, udp: 60 });
    expect(w.traffic[0].close).toBe("fin");
    expect(w.destinations[0].protocol).toBe("tcp");
  });
  it("fills Azure defaults", () => {
    const w = parseWorkload(base.replace("aws", "azure"));
    expect(w.gateway).toMatchObject({
      ipSelection: "pooled",
      perIpDestinationLimit: 50_000,
      idleTimeoutMinutes: 4,
    });
    expect(w.gateway.portReuseSeconds).toEqual({ fin: 65, rst: 16, udp: 65 });
  });
  it("reads JSON as well as YAML", () => {
    const w = parseWorkload(
      JSON.stringify({
        cloud: "azure",
        gateway: { ips: 16 },
        destinations: [{ name: "a", address: "x", port: 1 }],
      }),
    );
    expect(w.gateway.ips).toBe(16);
  });
});

describe("workload errors name the field, the value and the rule", () => {
  it("unknown destination", () => {
    const e = errorOf(base.replace("to: ldap", "to: ldapp"));
    expect(e.issues[0]).toMatchObject({ path: "traffic[0].to", value: "ldapp" });
    expect(e.message).toContain('traffic[0].to: unknown destination "ldapp" (known: ldap, api)');
  });
  it("too many IPs for the cloud", () => {
    expect(errorOf(base.replace("ips: 2", "ips: 9")).message).toContain(
      "gateway.ips: 9 exceeds the 8 IPs an AWS NAT gateway can hold",
    );
    expect(() => parseWorkload(base.replace("ips: 2", "ips: 16").replace("aws", "azure"))).not.toThrow();
    expect(errorOf(base.replace("ips: 2", "ips: 17").replace("aws", "azure")).issues[0].path).toBe(
      "gateway.ips",
    );
  });
  it("idle timeout on AWS is rejected", () => {
    expect(errorOf(base.replace("ips: 2", "ips: 2, idleTimeoutMinutes: 10")).issues[0].path).toBe(
      "gateway.idleTimeoutMinutes",
    );
  });
  it("unknown fields are named", () => {
    expect(errorOf(base.replace("ips: 2", "ips: 2, ipz: 3")).message).toContain(
      'gateway.ipz: unknown field "ipz"',
    );
  });
  it("syntax errors carry a line", () => {
    expect(errorOf("cloud: [").message).toMatch(/line 1/);
  });
});

describe("traffic[].hold, the distribution-only alternative to holdSeconds", () => {
  const withHold = (hold: string) => base.replace("holdSeconds: 5", hold);
  it("is read into holdSeconds", () => {
    const w = parseWorkload(withHold("hold: { distribution: exponential, mean: 5 }"));
    expect(w.traffic[0].holdSeconds).toEqual({ distribution: "exponential", mean: 5 });
    expect(w.traffic[0]).not.toHaveProperty("hold");
  });
  it("takes no plain number", () => {
    expect(errorOf(withHold("hold: 5")).issues[0].path).toBe("traffic[0].hold");
  });
  it("cannot be given with holdSeconds", () => {
    const e = errorOf(withHold("holdSeconds: 5, hold: { distribution: constant, value: 5 }"));
    expect(e.issues[0]).toMatchObject({ path: "traffic[0].hold" });
    expect(e.message).toContain("either holdSeconds or hold");
  });
  it("one of the two is required", () => {
    const e = errorOf(withHold("close: fin"));
    expect(e.issues[0].path).toBe("traffic[0].holdSeconds");
    expect(e.message).toContain("is required");
  });
});
