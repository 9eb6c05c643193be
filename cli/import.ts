/**
 * `natcap import`: flow logs (or a query's aggregated result) → a workload file, the printed queries
 * that aggregate where the logs live, and gateway metrics as a cross-check of a model.
 *
 * ```
 * natcap import aws-flow-logs PATH... [-o workload.yaml] [--interval 60] [--top 20] [--ips N]
 * natcap import aws-flow-logs --print-query athena|logs-insights [--interface eni-…]
 * natcap import azure-flow-logs PATH... [-o workload.yaml]      (VNet v4 or NSG v2; --print-query kql)
 * natcap import aggregated FILE.csv [-o workload.yaml] [--cloud aws|azure] [--interval 60]
 * natcap import cloudwatch-metrics FILE.json (--workload FILE | --result FILE.json) [--json]
 * natcap import azure-metrics FILE.json (--workload FILE | --result FILE.json) [--json]
 * ```
 *
 * @module
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { fileProblem, show, ValidationError } from "../core/errors";
import { AWS, AZURE } from "../core/limits";
import { simulate } from "../sim/engine/simulate";
import { parseWorkload } from "../sim/workload/workload";
import { printedQuery, type QueryKind } from "../telemetry/queries/queries";
import { DEFAULT_INTERVAL_SECONDS, type TraceAggregate } from "../telemetry/sinks/aggregate";
import { buildWorkload, DEFAULT_MAX_SCHEDULE_STEPS, DEFAULT_TOP } from "../telemetry/sinks/workload-writer";
import { readAggregatedCsv } from "../telemetry/sources/aggregated/csv";
import { DEFAULT_MAX_LATENESS_SECONDS } from "../telemetry/sources/aws/records";
import {
  type Calibration,
  calibrate,
  type RecordedMetrics,
  readAzureMetrics,
  readCloudWatchMetrics,
  readResult,
} from "../telemetry/sources/metrics/metrics";
import { aggregateFlowLogs } from "../telemetry/sources/read";

function wholeNumber(flag: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(
        `${flag} ${JSON.stringify(value)} is not a whole number of ${min} or more.`,
      );
    }
    return n;
  };
}

function epochSeconds(flag: string) {
  return (value: string): number => {
    if (/^\d+$/.test(value.trim())) return Number(value);
    const ms = Date.parse(value);
    if (!Number.isFinite(ms)) {
      throw new InvalidArgumentError(
        `${flag} ${JSON.stringify(value)} is not Unix seconds or an ISO date-time (e.g. 2026-11-20T10:00:00Z).`,
      );
    }
    return Math.floor(ms / 1000);
  };
}

/** Options shared by the workload-writing sub-commands. */
interface WriteOpts {
  output?: string;
  interval: number;
  top: number;
  maxSteps: number;
  ips?: number;
}

/** Options of the query printer. */
interface QueryOpts {
  printQuery?: QueryKind;
  interface?: string;
  table?: string;
  from?: number;
  to?: number;
  idleTimeout?: number;
}

function withWriteOptions(cmd: Command): Command {
  return cmd
    .option("-o, --output <file>", "write the workload here (default: stdout)")
    .option(
      "--interval <seconds>",
      "aggregation interval (the logs' or the query's)",
      wholeNumber("--interval", 1),
      DEFAULT_INTERVAL_SECONDS,
    )
    .option(
      "--top <n>",
      "keep the n busiest destinations by peak concurrency (0 keeps all)",
      wholeNumber("--top", 0),
      DEFAULT_TOP,
    )
    .option(
      "--max-steps <n>",
      "most schedule steps per traffic stream",
      wholeNumber("--max-steps", 1),
      DEFAULT_MAX_SCHEDULE_STEPS,
    )
    .option(
      "--ips <n>",
      "gateway.ips to write (default: the gateway IPs seen, at least 1)",
      wholeNumber("--ips", 1),
    );
}

function withQueryOptions(cmd: Command, kinds: readonly QueryKind[]): Command {
  return cmd
    .addOption(
      new Option(
        "--print-query <kind>",
        "print the query that aggregates where the logs live, and exit",
      ).choices([...kinds]),
    )
    .option("--table <name>", "Athena table of the flow logs (with --print-query athena)", "vpc_flow_logs")
    .option(
      "--from <time>",
      "with --print-query: first record start (Unix seconds or ISO)",
      epochSeconds("--from"),
    )
    .option(
      "--to <time>",
      "with --print-query: records starting from here are left out",
      epochSeconds("--to"),
    )
    .option(
      "--idle-timeout <seconds>",
      "with --print-query: gap that splits a 5-tuple into two connections",
      wholeNumber("--idle-timeout", 1),
    );
}

/** Writes the workload (or prints it) and a short summary on stderr. */
function emit(agg: TraceAggregate, opts: WriteOpts, command: string): void {
  const maxIps = agg.cloud === "aws" ? AWS.maxIpsPerZonalGateway.value : AZURE.maxPublicIpAddresses.value;
  if (opts.ips !== undefined && opts.ips > maxIps) {
    throw new ValidationError(
      [
        {
          path: "--ips",
          message: `${opts.ips} exceeds the ${maxIps} IPs ${agg.cloud === "aws" ? "an AWS" : "an Azure"} NAT gateway can hold; give --ips ${maxIps} or fewer`,
        },
      ],
      command,
    );
  }
  const built = buildWorkload(agg, {
    top: opts.top,
    maxScheduleSteps: opts.maxSteps,
    ips: opts.ips,
    command,
  });
  for (const s of agg.provenance.skipped) {
    process.stderr.write(`natcap: skipped ${s.count}: ${s.reason} (first at ${s.firstAt})\n`);
  }
  for (const w of agg.provenance.warnings ?? []) process.stderr.write(`natcap: warning: ${w}\n`);
  if (opts.output) {
    try {
      mkdirSync(dirname(opts.output), { recursive: true });
      writeFileSync(opts.output, built.yaml);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new ValidationError(
        [
          {
            path: "--output",
            value: opts.output,
            message: `${show(opts.output)} ${fileProblem(code)}: cannot write the workload there; give a file path`,
          },
        ],
        command,
      );
    }
    const n = built.workload.destinations.length;
    process.stderr.write(
      `natcap: wrote ${opts.output}: ${n} destination${n === 1 ? "" : "s"}, ${built.workload.traffic.length} traffic stream${built.workload.traffic.length === 1 ? "" : "s"}, ${built.workload.durationSeconds} s\n`,
    );
  } else {
    process.stdout.write(built.yaml);
  }
}

function readText(file: string, command: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new ValidationError(
      [{ path: "(file)", value: file, message: `${show(file)} ${fileProblem(code)}: give a readable file` }],
      command,
    );
  }
}

function readJson(file: string, command: string): unknown {
  const text = readText(file, command);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ValidationError([{ path: file, message: `is not JSON (${(e as Error).message})` }], command);
  }
}

function flowLogsCommand(cloud: "aws" | "azure"): Command {
  const name = `${cloud}-flow-logs`;
  const kinds: readonly QueryKind[] = cloud === "aws" ? ["athena", "logs-insights"] : ["kql"];
  let cmd = new Command(name)
    .description(
      cloud === "aws"
        ? "build a workload from a NAT gateway's VPC Flow Logs (S3 text or gzip, Parquet, CloudWatch Logs exports)"
        : "build a workload from Azure VNet flow logs (flowLogVersion 4 JSON) or NSG flow logs (version 2)",
    )
    .argument("[paths...]", "flow-log files or directories");
  if (cloud === "aws") {
    cmd = cmd
      .option("--interface <eni>", "the NAT gateway's network interface (default: found in the logs)")
      .option("--fields <list>", "field names of header-less records (CloudWatch Logs exports)")
      .option(
        "--max-lateness-seconds <s>",
        "how far behind the newest record read a record may end and still be used (files overlap, records come in no order)",
        wholeNumber("--max-lateness-seconds", 0),
        DEFAULT_MAX_LATENESS_SECONDS,
      );
  }
  withQueryOptions(withWriteOptions(cmd), kinds);
  return cmd.action(
    async (
      paths: string[],
      opts: WriteOpts & QueryOpts & { fields?: string; maxLatenessSeconds?: number },
    ) => {
      if (opts.printQuery) {
        process.stdout.write(
          printedQuery(opts.printQuery, {
            intervalSeconds: opts.interval,
            interfaceId: opts.interface,
            table: opts.table,
            fromEpochSeconds: opts.from,
            toEpochSeconds: opts.to,
            idleTimeoutSeconds: opts.idleTimeout,
          }),
        );
        return;
      }
      if (paths.length === 0) {
        throw new ValidationError(
          [
            {
              path: "PATH",
              message: `give flow-log files or directories (or --print-query ${kinds.join("|")})`,
            },
          ],
          `natcap import ${name}`,
        );
      }
      const agg = await aggregateFlowLogs(
        paths,
        {
          cloud,
          interfaceId: opts.interface,
          fields: opts.fields,
          maxLatenessSeconds: opts.maxLatenessSeconds,
        },
        opts.interval,
      );
      emit(agg, opts, `natcap import ${name}`);
    },
  );
}

function aggregatedCommand(): Command {
  const cmd = new Command("aggregated")
    .description("build a workload from the CSV result of a printed query (--print-query)")
    .argument("<file>", "the query's result as CSV (columns in docs/telemetry.md)")
    .addOption(
      new Option("--cloud <cloud>", "the cloud the logs come from").choices(["aws", "azure"]).default("aws"),
    );
  withWriteOptions(cmd);
  return cmd.action((file: string, opts: WriteOpts & { cloud: "aws" | "azure" }) => {
    const text = readText(file, "natcap import aggregated");
    const agg = readAggregatedCsv(text, file, { cloud: opts.cloud, intervalSeconds: opts.interval });
    emit(agg, opts, "natcap import aggregated");
  });
}

/** Renders a calibration as text. */
export function renderCalibration(c: Calibration): string {
  const rows = c.rows.map(
    (r) =>
      `  ${r.figure.padEnd(24)} recorded ${String(Number(r.recorded.toPrecision(6))).padStart(10)}  model ${String(Number(r.model.toPrecision(6))).padStart(10)}  ${r.differencePercent === undefined ? "" : `${r.differencePercent >= 0 ? "+" : ""}${r.differencePercent.toFixed(1)}%`}`,
  );
  return `${c.lines[0]}\n\n${rows.join("\n")}\n\n${c.lines.slice(1).join("\n")}\n`;
}

function metricsCommand(kind: "cloudwatch-metrics" | "azure-metrics"): Command {
  return new Command(kind)
    .description(
      kind === "cloudwatch-metrics"
        ? "compare a NAT gateway's CloudWatch metrics (aws cloudwatch get-metric-data JSON) with a model"
        : "compare an Azure NAT gateway's metrics (az monitor metrics list JSON) with a model",
    )
    .argument("<file>", "the metrics JSON")
    .option("--workload <file>", "a workload to simulate over the same window")
    .option("--result <file>", "a JSON result (natcap simulate --json or natcap replay --json)")
    .option("--json", "print the calibration as JSON")
    .action((file: string, opts: { workload?: string; result?: string; json?: boolean }) => {
      const command = `natcap import ${kind}`;
      if (!opts.workload === !opts.result) {
        throw new ValidationError(
          [
            {
              path: "--workload/--result",
              message: "give exactly one: a workload file to simulate or a JSON result to compare",
            },
          ],
          command,
        );
      }
      const data = readJson(file, command);
      const recorded: RecordedMetrics =
        kind === "cloudwatch-metrics" ? readCloudWatchMetrics(data, file) : readAzureMetrics(data, file);
      const result = opts.workload
        ? simulate(parseWorkload(readText(opts.workload, command), opts.workload))
        : readResult(readJson(opts.result!, command), opts.result!);
      const c = calibrate(recorded, result);
      process.stdout.write(opts.json ? `${JSON.stringify(c, null, 2)}\n` : renderCalibration(c));
    });
}

/** `natcap import` with its sub-commands. */
export function importCommand(): Command {
  return new Command("import")
    .description("turn telemetry (flow logs, query results, gateway metrics) into workloads and calibration")
    .addCommand(flowLogsCommand("aws"))
    .addCommand(flowLogsCommand("azure"))
    .addCommand(aggregatedCommand())
    .addCommand(metricsCommand("cloudwatch-metrics"))
    .addCommand(metricsCommand("azure-metrics"));
}
