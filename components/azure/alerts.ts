/**
 * The Azure Monitor metric alerts of an Azure NAT gateway, as plain data: SNAT connection failures
 * (SNATConnectionCount with ConnectionState = Failed) and datapath availability.
 *
 * @module
 */
import type { AzureNatAlertsArgs } from "./args";

/** Metric namespace of NAT gateway metrics in Azure Monitor. */
export const NAT_METRIC_NAMESPACE = "Microsoft.Network/natGateways";

/** One static-threshold criterion of a single-resource metric alert (azure-native `MetricCriteriaArgs`). */
export interface AlertCriterion {
  readonly criterionType: "StaticThresholdCriterion";
  readonly name: string;
  readonly metricName: string;
  readonly metricNamespace: string;
  readonly dimensions: { name: string; operator: "Include" | "Exclude"; values: string[] }[];
  readonly operator: "GreaterThan" | "LessThan";
  readonly threshold: number;
  readonly timeAggregation: "Total" | "Average";
}

/** A metric alert to create on the gateway. */
export interface AlertPlan {
  /** Stable key: `snat-failures` or `datapath-availability`. */
  readonly key: "snat-failures" | "datapath-availability";
  /** Pulumi logical name, `<component>-alert-<key>`. */
  readonly logicalName: string;
  /** Description shown in the alert. */
  readonly description: string;
  /** Severity 0–4. */
  readonly severity: number;
  /** ISO 8601 evaluation frequency. */
  readonly evaluationFrequency: string;
  /** ISO 8601 window size. */
  readonly windowSize: string;
  /** The criterion. */
  readonly criterion: AlertCriterion;
}

/** natcap's default alert settings (advice, not cloud limits). */
export const ALERT_DEFAULTS = {
  snatFailureThreshold: 0,
  datapathAvailabilityThreshold: 90,
  evaluationFrequency: "PT1M",
  windowSize: "PT5M",
  severity: 1,
} as const;

/** Plans the two metric alerts of a gateway. */
export function planAlerts(component: string, args: AzureNatAlertsArgs | undefined): AlertPlan[] {
  const a = { ...ALERT_DEFAULTS, ...stripUndefined(args ?? {}) };
  const common = {
    severity: a.severity,
    evaluationFrequency: a.evaluationFrequency,
    windowSize: a.windowSize,
  };
  return [
    {
      key: "snat-failures",
      logicalName: `${component}-alert-snat-failures`,
      description:
        `NAT gateway ${component}: more than ${a.snatFailureThreshold} failed SNAT connections in ${a.windowSize}. ` +
        "Ports to a destination are exhausted: add public IPs or prefixes, shorten the idle timeout, or reuse connections.",
      ...common,
      criterion: {
        criterionType: "StaticThresholdCriterion",
        name: "SnatConnectionFailures",
        metricName: "SNATConnectionCount",
        metricNamespace: NAT_METRIC_NAMESPACE,
        dimensions: [{ name: "ConnectionState", operator: "Include", values: ["Failed"] }],
        operator: "GreaterThan",
        threshold: a.snatFailureThreshold,
        timeAggregation: "Total",
      },
    },
    {
      key: "datapath-availability",
      logicalName: `${component}-alert-datapath-availability`,
      description: `NAT gateway ${component}: datapath availability below ${a.datapathAvailabilityThreshold}% in ${a.windowSize}.`,
      ...common,
      criterion: {
        criterionType: "StaticThresholdCriterion",
        name: "DatapathAvailability",
        metricName: "DatapathAvailability",
        metricNamespace: NAT_METRIC_NAMESPACE,
        dimensions: [],
        operator: "LessThan",
        threshold: a.datapathAvailabilityThreshold,
        timeAggregation: "Average",
      },
    },
  ];
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
