/**
 * nat-gateway-capacity [mandatory]: the expected peak connections per destination fit the NAT
 * gateway's capacity under natcap's model (AWS: 55,000 per IP per destination, IP chosen by flow hash
 * so the busiest IP fills first; Azure: 50,000 per IP per destination, pooled).
 *
 * The expectation of a gateway comes from, first match wins:
 * 1. this policy's `expectations` config, keyed by the gateway's resource name or its natcap
 *    component's name;
 * 2. the `expectedTraffic` output of the natcap component that created the gateway;
 * 3. expectation tags on the gateway, `natcap-peak-<name> = <address>:<port>/<tcp|udp>=<peak>`
 *    (sim/workload/tags.ts), which natcap components write and anyone can add to a gateway natcap did not create.
 * 4. a centralised egress design's spokes (policies/lib/centralEgress.ts): the natcap-peak-* tags on
 *    the spokes' Transit Gateway attachments, aggregated per zone and endpoint for the NAT gateway
 *    behind each egress zone; a spoke zone with no NAT gateway behind it is a violation.
 * Gateways without an expectation are not checked. A regional gateway is checked per Availability
 * Zone (capacity is per zone and destination): each zone's addresses against the zone's expectation
 * (config key `<name>/<zone>`, or the component's `zoneExpectedTraffic`), else the gateway's whole
 * expectation; in auto mode against the 32 addresses AWS can add to a zone.
 *
 * A natcap component registers its own assessment with a digest of its inputs; where the digest of
 * what this rule sees (expectation, IP counts, limits, method) equals it, the component's verdict is
 * reused instead of assessed again (policies/lib/capacityReuse.ts). Otherwise — plain resources with
 * tags, config expectations, other counts — the rule assesses by the same cheapest trustworthy
 * method (sim/verdict/method.ts `analyticTrust`).
 *
 * @module
 */
import { z } from "zod";
import { countAzureIps } from "../../core/checks";
import { NatcapError } from "../../core/errors";
import { AWS, AZURE, AzureNatSku } from "../../core/limits";
import { assessCapacity, type GatewayModel } from "../../sim/verdict/capacity";
import { capacityFailure, type FailureFacts, type IpCountSetting } from "../../sim/verdict/capacity-message";
import type { GatewayEndpointServiceName } from "../../sim/workload/gatewayEndpoints";
import { parseExpectationTags } from "../../sim/workload/tags";
import { type ExpectedTraffic, ExpectedTrafficSchema } from "../../sim/workload/workload";
import { awsGateways, regionalZones } from "../lib/aws";
import { type AzureGateway, azureAddresses, azureAddressesV6, azureGateways, gatewaySku } from "../lib/azure";
import { reusableAssessment } from "../lib/capacityReuse";
import { centralEgressView } from "../lib/centralEgress";
import { type Count, containsUnknown, isUnknown, num } from "../lib/props";
import type { Reporter } from "../lib/report";
import { defineStackRule } from "../lib/rule";
import { natcapAncestor, ofType, type Res, TYPES } from "../lib/stack";

/** Config of the policy. */
export const CapacityConfig = z.object({
  expectations: z
    .record(z.string(), ExpectedTrafficSchema)
    .default({})
    .describe(
      "Expected traffic per NAT gateway, keyed by the gateway's resource name (or its natcap component's name): " +
        "{ destinations: [{ name, address, port, protocol, peakConnections }], traffic? }.",
    ),
});

type Source = { expected: ExpectedTraffic; from: string } | { unknown: string } | { invalid: string };

/** An expectation of the config after parsing: tsc checks that it is the simulator's ExpectedTraffic (no cast). */
type ConfiguredExpectation = z.output<typeof ExpectedTrafficSchema>;

function expectationOf(
  gw: Res,
  expectations: Readonly<Record<string, ConfiguredExpectation>>,
  zone?: string,
): Source | undefined {
  const component = natcapAncestor(gw);
  if (zone !== undefined) {
    const perZone = zoneExpectationOf(gw, component, expectations, zone);
    if (perZone) return perZone;
  }
  for (const key of [gw.name, component?.name]) {
    if (key !== undefined && expectations[key] !== undefined) {
      return {
        expected: expectations[key],
        from: `the policy's expectations config ("${key}")`,
      };
    }
  }
  const out = component?.props.expectedTraffic;
  if (component && out !== undefined && out !== null) {
    if (containsUnknown(out))
      return {
        unknown: `the expectedTraffic output of ${component.type.split(":").pop()} "${component.name}"`,
      };
    return {
      expected: out as ExpectedTraffic,
      from: `the expectedTraffic of ${component.type.split(":").pop()} "${component.name}"`,
    };
  }
  const tags = gw.props.tags;
  if (isUnknown(tags)) return { unknown: "the gateway's tags" };
  const { destinations, issues } = parseExpectationTags(tags as Record<string, unknown> | undefined);
  if (issues.length > 0)
    return {
      invalid: issues
        .map((i) => `tag ${i.path.slice(5)}=${JSON.stringify(i.value)}: ${i.message}`)
        .join("; "),
    };
  if (destinations.length > 0)
    return { expected: { destinations }, from: "the gateway's natcap-peak-* tags" };
  return undefined;
}

/**
 * A regional gateway zone's own expectation: the config key `<gateway or component name>/<zone>`,
 * or the zone's entry in the natcap component's `zoneExpectedTraffic` output.
 */
function zoneExpectationOf(
  gw: Res,
  component: Res | undefined,
  expectations: Readonly<Record<string, ConfiguredExpectation>>,
  zone: string,
): Source | undefined {
  for (const key of [gw.name, component?.name]) {
    const k = key === undefined ? undefined : `${key}/${zone}`;
    if (k !== undefined && expectations[k] !== undefined)
      return { expected: expectations[k], from: `the policy's expectations config ("${k}")` };
  }
  const out = component?.props.zoneExpectedTraffic;
  if (component === undefined || out === undefined || out === null) return undefined;
  if (containsUnknown(out)) return { unknown: `the zoneExpectedTraffic output of "${component.name}"` };
  const entry = Array.isArray(out)
    ? (out as { availabilityZone?: unknown; expectedTraffic?: unknown }[]).find(
        (e) => e?.availabilityZone === zone,
      )
    : undefined;
  return entry?.expectedTraffic
    ? {
        expected: entry.expectedTraffic as ExpectedTraffic,
        from: `the expectedTraffic of zone ${zone} of "${component.name}"`,
      }
    : undefined;
}

interface Candidate {
  /** Availability Zone of a regional gateway (capacity is per zone and destination). */
  zone?: string;
  gw: Res;
  model: Omit<GatewayModel, "ips">;
  ips: Count;
  max: number;
  /** IPv6 addresses of an Azure StandardV2 gateway (the SNAT addresses of IPv6 destinations). */
  ipsV6?: Count;
  /** The resource property that holds the IP count, as the fix names it. */
  setting: IpCountSetting;
}

/**
 * The IPv6 address count of an Azure gateway: counted in the stack, or, where that count is not
 * exact during preview, the one the natcap component that created the gateway registered in its
 * capacity summary (the component counted its own arguments).
 */
function ipv6Count(g: AzureGateway): Count {
  const v6 = azureAddressesV6(g);
  if (v6.exact) return { min: v6.total, exact: true, unknowns: [] };
  const summary = natcapAncestor(g.gw)?.props.capacity;
  const registered =
    summary && typeof summary === "object" ? (summary as Record<string, unknown>).ipsV6 : undefined;
  if (typeof registered === "number") return { min: registered, exact: true, unknowns: [] };
  return { min: v6.total, exact: false, unknowns: [...v6.unknowns] };
}

function awsCandidates(stack: readonly Res[], endpoints: GatewayEndpointServiceName[]): Candidate[] {
  const out: Candidate[] = [];
  for (const g of awsGateways(stack)) {
    if (g.regional) {
      out.push(...regionalCandidates(g.gw, endpoints));
      continue;
    }
    if (isUnknown(g.connectivity)) {
      out.push({
        gw: g.gw,
        model: { cloud: "aws" },
        ips: { min: 1, exact: false, unknowns: ["connectivityType"] },
        max: AWS.maxIpsPerZonalGateway.value,
        setting: { name: "the gateway's IPs" },
      });
      continue;
    }
    const ips: Count =
      g.connectivity === "private"
        ? { ...g.privateSecondaries, min: g.privateSecondaries.min + 1 }
        : g.publicIps;
    const max =
      g.connectivity === "private" ? AWS.privateIpsPerGatewayQuota.value : AWS.maxIpsPerZonalGateway.value;
    // The primary (allocationId, or the primary private IP) is not counted by the secondary property.
    const setting: IpCountSetting =
      g.connectivity === "private"
        ? { name: "secondaryPrivateIpAddressCount", notCounted: 1 }
        : { name: "the number of secondaryAllocationIds (or NatGatewayEipAssociations)", notCounted: 1 };
    out.push({ gw: g.gw, model: { cloud: "aws", gatewayEndpoints: endpoints }, ips, max, setting });
  }
  return out;
}

/**
 * One candidate per zone of a regional gateway: manual mode checks each zone's expectation against
 * that zone's addresses; auto mode against the 32 addresses AWS can add to a zone.
 */
function regionalCandidates(gw: Res, endpoints: GatewayEndpointServiceName[]): Candidate[] {
  const max = AWS.regionalIpsPerAz.value;
  const model = { cloud: "aws" as const, gatewayEndpoints: endpoints, maxIps: max };
  const zones = regionalZones(gw);
  if (zones === undefined)
    return [
      {
        gw,
        model,
        ips: { min: max, exact: true, unknowns: [] },
        max,
        setting: { name: "the IPs AWS adds per zone (auto mode)" },
      },
    ];
  if (isUnknown(zones))
    return [
      {
        gw,
        model,
        ips: { min: 1, exact: false, unknowns: ["availabilityZoneAddresses"] },
        max,
        setting: { name: "the allocationIds of each zone in availabilityZoneAddresses" },
      },
    ];
  return zones.map(({ zone, ips }, i) => ({
    gw,
    zone,
    model,
    ips,
    max,
    setting: { name: `the number of availabilityZoneAddresses[${i}].allocationIds` },
  }));
}

function azureCandidates(stack: readonly Res[]): Candidate[] {
  return azureGateways(stack).map((g) => {
    const count = azureAddresses(g);
    const unknowns = [
      ...count.unknownLists,
      ...count.unsizedPrefixes.map((u) => `the prefixLength of "${u.prefix.name}"`),
      ...(count.unmatchedPrefixes > 0 ? ["prefixes not matched to this stack"] : []),
    ];
    const ips = countAzureIps(count.publicIps, count.prefixLengths);
    const idle = num(g.gw.props.idleTimeoutInMinutes);
    const sku = gatewaySku(g.gw);
    const v2 = sku === AzureNatSku.StandardV2;
    const ipsV6 = ipv6Count(g);
    if (isUnknown(sku)) unknowns.push("sku");
    return {
      gw: g.gw,
      model: {
        cloud: "azure",
        ...(typeof idle === "number" ? { idleTimeoutMinutes: idle } : {}),
        // An unknown SKU is checked as StandardV2, the one that can carry every destination.
        ...(v2 || isUnknown(sku) ? { sku: AzureNatSku.StandardV2 } : {}),
        settingNames: {
          sku: "sku.name",
          ipsV6: "the addresses of publicIpAddressesV6 and publicIpPrefixesV6 (prefixes counted whole)",
        },
      },
      ips: { min: ips, exact: unknowns.length === 0, unknowns },
      max: AZURE.maxPublicIpAddresses.value,
      ...(v2 || isUnknown(sku) ? { ipsV6 } : {}),
      setting: {
        name: "the addresses of publicIpAddresses and publicIpPrefixes (prefixes counted whole)",
        v6: { name: "the addresses of publicIpAddressesV6 and publicIpPrefixesV6 (prefixes counted whole)" },
      },
    } satisfies Candidate;
  });
}

function gatewayEndpoints(stack: readonly Res[]): GatewayEndpointServiceName[] {
  const out = new Set<GatewayEndpointServiceName>();
  for (const e of ofType(stack, TYPES.awsVpcEndpoint)) {
    const type = e.props.vpcEndpointType ?? "Gateway";
    const service = e.props.serviceName;
    if (type !== "Gateway" || typeof service !== "string") continue;
    if (service.endsWith(".s3")) out.add("s3");
    if (service.endsWith(".dynamodb")) out.add("dynamodb");
  }
  return [...out];
}

function reportFailure(r: Reporter, c: Candidate, subject: string, report: FailureFacts, from: string) {
  // An inexact count was checked at the most the gateway can hold: say what is known instead.
  const known = c.ips.min - (c.setting.notCounted ?? 0);
  const setting = c.ips.exact ? c.setting : { ...c.setting, current: `at least ${Math.max(0, known)}` };
  const failure = capacityFailure(report, setting, `expected traffic (from ${from})`);
  r.violation(subject, failure.message, failure.fix, c.gw.urn);
}

/** The policy. */
export const natGatewayCapacity = defineStackRule({
  id: "nat-gateway-capacity",
  description:
    "A NAT gateway's expected peak connections per destination must fit its capacity under natcap's model, hash imbalance included.",
  enforcementLevel: "mandatory",
  remediation:
    "Add IPs to the gateway (up to 8 on AWS, 16 on Azure), split the traffic across gateways, or spread it over more " +
    "destination addresses; each destination (IP, port, protocol) gets about 55,000 (AWS) or 50,000 (Azure) " +
    "connections per gateway IP, and under AWS's per-flow hashing the busiest IP fills first. Run `natcap simulate` " +
    "on the expectation for details.",
  url: AWS.connectionsPerIpPerDestination.source,
  config: CapacityConfig,
  check: ({ stack, config: { expectations }, report: r }) => {
    const central = centralEgressView(stack);
    for (const f of central.findings) r.violation(f.subject, f.message, f.fix, f.urn);
    for (const c of [...awsCandidates(stack, gatewayEndpoints(stack)), ...azureCandidates(stack)]) {
      const subject = `NAT gateway "${c.gw.name}"${c.zone === undefined ? "" : ` in ${c.zone}`}`;
      const source = expectationOf(c.gw, expectations, c.zone) ?? central.expectations.get(c.gw);
      if (!source) continue;
      if ("unknown" in source) {
        r.cannotEvaluate(subject, `${source.unknown} unknown`, c.gw.urn);
        continue;
      }
      if ("invalid" in source) {
        r.violation(
          subject,
          `malformed expectation: ${source.invalid}`,
          "write tags as natcap-peak-<name> = <address>:<port>/<tcp|udp>=<peakConnections>",
          c.gw.urn,
        );
        continue;
      }
      try {
        const v6 = c.ipsV6;
        const exact = c.ips.exact && (v6?.exact ?? true);
        // An inexact IPv6 count is at least one address where IPv6 destinations need one.
        const lowV6 = v6 === undefined ? {} : { ipsV6: v6.exact ? v6.min : Math.max(1, v6.min) };
        const lowModel = { ...c.model, ips: Math.max(1, c.ips.min), ...lowV6 } as GatewayModel;
        // The natcap component assessed the same inputs (equal digests): its verdict stands.
        const kept = exact ? reusableAssessment(natcapAncestor(c.gw), source.expected, lowModel) : undefined;
        if (kept) {
          if (!kept.ok) reportFailure(r, c, subject, kept, source.from);
          continue;
        }
        const low = assessCapacity(source.expected, lowModel);
        if (low.ok) continue;
        if (exact) {
          reportFailure(r, c, subject, low, source.from);
          continue;
        }
        const highV6 =
          v6 === undefined ? {} : { ipsV6: v6.exact ? v6.min : AZURE.maxPublicIpv6StandardV2.value };
        const high = assessCapacity(source.expected, {
          ...c.model,
          ips: c.ips.exact ? Math.max(1, c.ips.min) : c.max,
          ...highV6,
        } as GatewayModel);
        if (!high.ok) reportFailure(r, c, subject, high, source.from);
        else {
          const unknown = [...c.ips.unknowns, ...(c.ipsV6?.unknowns ?? [])];
          const needV6 = low.ipsV6Needed !== undefined ? ` and ${low.ipsV6Needed} IPv6 addresses` : "";
          r.cannotEvaluate(
            subject,
            `the expectation needs ${low.ipsNeeded} IPs${needV6}; ${c.ips.min} are known and ${unknown.join(" and ")} unknown`,
            c.gw.urn,
          );
        }
      } catch (e) {
        if (!(e instanceof NatcapError)) throw e;
        r.violation(
          subject,
          `invalid expectation (from ${source.from}): ${e.message}`,
          "correct the expectation so that it matches the workload format",
          c.gw.urn,
        );
      }
    }
  },
});
