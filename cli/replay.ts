/**
 * `natcap replay PATH... --cloud aws|azure --ips N[,M,...]`: reads flow logs, rebuilds the
 * connections and replays them through the gateway model at each IP count. Prints a table (errors
 * per IP count side by side, the failures the logs show beside them), the JSON result contract
 * (`--json`: one object for one IP count, an array in the order given for several) and optionally an
 * HTML report. Exit 0 when no IP count predicts errors, 1 when any does, 2 for bad input.
 *
 * @module
 */
import { existsSync, statSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { ValidationError, WorkloadError } from "../core/errors";
import { fmt } from "../core/format";
import { renderHtml } from "../render/html";
import { metricNames, renderJson, verdictLine } from "../render/report";
import { writeReport } from "../render/report-file";
import type { SimulationResult } from "../sim/result/result";
import { ipsNeededCell } from "../sim/verdict/verdict";
import type { ConnectionTrace } from "../telemetry/reconstruct/connections";
import { type ReplayOptions, type ReplayRun, replayTrace, replayWorkload } from "../telemetry/replay/replay";
import { DEFAULT_MAX_LATENESS_SECONDS } from "../telemetry/sources/aws/records";
import { readConnections } from "../telemetry/sources/read";
import { formatSkipped } from "../telemetry/sources/skips";
import { EXIT_PROBLEM } from "./exit-codes";
import { gbPerMonthOption, replayWhatIfPlan, type WhatIfFlags, whatIfOption, withWhatIf } from "./whatif";

/** Parses a whole number option, naming the option in the error. */
function wholeNumber(option: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(
        `${option} ${JSON.stringify(value)} is not a whole number from ${min} to ${max}.`,
      );
    }
    return n;
  };
}

/** Parses `--ips 1,2,4` into IP counts (each a whole number from 1, each given once). */
export function parseIpCounts(value: string): number[] {
  const parts = value.split(",").map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1)) {
    throw new InvalidArgumentError(
      `--ips ${JSON.stringify(value)} is not a list of whole numbers from 1, e.g. 1,2,4.`,
    );
  }
  const counts = parts.map(Number);
  const twice = counts.find((n, i) => counts.indexOf(n) !== i);
  if (twice !== undefined) {
    // Each count is a whole replay: a repeated one only repeats the work (and bounds the list).
    throw new InvalidArgumentError(
      `--ips ${JSON.stringify(value)} lists ${twice} more than once; give each IP count once.`,
    );
  }
  return counts;
}

/** Parses `--port-reuse-seconds FIN[,RST[,UDP]]`. */
function parseReuse(value: string): { fin?: number; rst?: number; udp?: number } {
  const parts = value.split(",").map((p) => Number(p.trim()));
  if (parts.length > 3 || parts.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new InvalidArgumentError(
      `--port-reuse-seconds ${JSON.stringify(value)} is not FIN[,RST[,UDP]] seconds of 0 or more, e.g. 65,16,65.`,
    );
  }
  return { fin: parts[0], rst: parts[1], udp: parts[2] };
}

/** Options of `natcap replay`. */
interface ReplayOpts {
  cloud: "aws" | "azure";
  ips: number[];
  perIpDestinationLimit?: number;
  portReuseSeconds?: { fin?: number; rst?: number; udp?: number };
  idleTimeoutMinutes?: number;
  interface?: string;
  fields?: string;
  maxLatenessSeconds?: number;
  seed: number;
  json?: boolean;
  report?: string;
}

const OPTION_OF: Record<string, string> = {
  "gateway.ips": "--ips",
  "gateway.perIpDestinationLimit": "--per-ip-destination-limit",
  "gateway.idleTimeoutMinutes": "--idle-timeout-minutes",
};

/** Replays at one IP count; a gateway rule broken by an option is reported under the option's name. */
function replayAt(trace: ConnectionTrace, options: ReplayOptions): ReplayRun {
  try {
    return replayTrace(trace, options);
  } catch (e) {
    if (!(e instanceof WorkloadError)) throw e;
    throw optionError(e);
  }
}

/** A gateway rule broken by an option, reported under the option's name, its fix worded for the option. */
function optionError(e: WorkloadError): ValidationError {
  return new ValidationError(
    e.issues.map((i) => {
      const option = OPTION_OF[i.path] ?? i.path.replace(/^gateway\./, "--");
      return { ...i, path: option, message: i.message.replaceAll(`set ${i.path} to`, `give ${option}`) };
    }),
    "natcap replay",
  );
}

/** The side-by-side table: a row per destination, predicted errors per IP count, observed failures. */
export function renderReplayTable(trace: ConnectionTrace, runs: readonly ReplayRun[]): string {
  const first = runs[0].result;
  const m = metricNames(first.cloud);
  const hasObserved = runs[0].observedFailures.some((n) => n > 0);
  const header = [
    "endpoint",
    "attempts",
    `${m.connections} (peak)`,
    ...(hasObserved ? ["failures in logs"] : []),
    ...runs.map((r) => `${m.errors} @${r.result.ips} IP${r.result.ips === 1 ? "" : "s"}`),
    "IPs needed",
  ];
  const body = first.destinations.map((d, i) => [
    d.endpoint,
    fmt(d.attempts),
    fmt(d.peakConnections),
    ...(hasObserved ? [fmt(runs[0].observedFailures[i])] : []),
    ...runs.map((r) => fmt(r.result.destinations[i].portAllocationErrors)),
    ipsNeededCell(d.minIpsForZeroErrors, d.minIpsReason),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i > 0 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  const observed = runs[0].observedFailures.reduce((a, b) => a + b, 0);
  const out = [
    `natcap replay: ${trace.cloud}, ${fmt(trace.connectionCount ?? trace.connections.length)} connections over ${fmt(trace.durationSeconds)} s of logs from ${trace.files.length} file${trace.files.length === 1 ? "" : "s"} (${first.ipSelection}, seed ${first.seed})`,
    "",
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...body.map(line),
    "",
  ];
  if (hasObserved)
    out.push(
      `Failures in the logs: ${fmt(observed)} (attempts the gateway did not forward${
        trace.cloud === "azure"
          ? "; at the client's NIC they look the same as a destination that never answered"
          : ""
      }).`,
    );
  for (const r of runs) out.push(verdictLine(r.result));
  return `${out.join("\n")}\n`;
}

/** `natcap replay PATH... --cloud aws|azure --ips N[,M,...]` as a commander command. */
export function replayCommand(): Command {
  return new Command("replay")
    .description(
      "replay the connections of flow logs (AWS VPC Flow Logs, Azure VNet or NSG v2 flow logs) through the gateway model at one or more IP counts",
    )
    .argument("<paths...>", "flow-log files or folders (walked recursively)")
    .addOption(
      new Option("--cloud <cloud>", "whose flow logs").choices(["aws", "azure"]).makeOptionMandatory(),
    )
    .requiredOption("--ips <n[,m,...]>", "gateway IP counts to replay with, e.g. 1,2,4", parseIpCounts)
    .option(
      "--per-ip-destination-limit <n>",
      "ports one IP may hold per destination (default: the cloud's, AWS 55000, Azure 50000)",
      wholeNumber("--per-ip-destination-limit", 1),
    )
    .option(
      "--port-reuse-seconds <fin,rst,udp>",
      "reuse hold-downs after close (default: the cloud's)",
      parseReuse,
    )
    .option(
      "--idle-timeout-minutes <n>",
      "Azure TCP idle timeout in minutes (default 4)",
      wholeNumber("--idle-timeout-minutes", 4, 120),
    )
    .option("--interface <eni>", "AWS: the NAT gateway's network interface (default: found from the logs)")
    .option(
      "--fields <names>",
      'AWS: field names of header-less files (CloudWatch Logs exports), e.g. "version account-id ..."',
    )
    .option(
      "--max-lateness-seconds <s>",
      `AWS: how far behind the newest record read a record may end and still be used (default ${DEFAULT_MAX_LATENESS_SECONDS})`,
      wholeNumber("--max-lateness-seconds", 0),
    )
    .option(
      "--seed <n>",
      "seed of the IP choice and of the order within a logged second",
      wholeNumber("--seed", 0, 2 ** 32 - 1),
      1,
    )
    .option("--json", "print the JSON result contract only (an array for several IP counts)")
    .option("--report <file>", "also write an HTML report with charts of the first IP count")
    .addOption(whatIfOption())
    .addOption(gbPerMonthOption())
    .action(async (paths: string[], opts: ReplayOpts & WhatIfFlags) => {
      checkOptions(opts);
      const trace = await readConnections(paths, {
        cloud: opts.cloud,
        interfaceId: opts.interface,
        fields: opts.fields,
        maxLatenessSeconds: opts.maxLatenessSeconds,
        idleTimeoutMinutes: opts.idleTimeoutMinutes,
      });
      for (const line of formatSkipped(trace.skipped)) process.stderr.write(`natcap replay: ${line}\n`);
      for (const w of trace.warnings ?? []) process.stderr.write(`natcap replay: warning: ${w}\n`);
      process.stderr.write(
        `natcap replay: ${fmt(trace.recordsRead)} records read, ${fmt(trace.recordsUsed)} used, ${fmt(trace.connectionCount ?? trace.connections.length)} connections rebuilt\n`,
      );
      const runs = opts.ips.map((ips, i) =>
        replayAt(trace, {
          ips,
          perIpDestinationLimit: opts.perIpDestinationLimit,
          portReuseSeconds: opts.portReuseSeconds,
          idleTimeoutMinutes: opts.idleTimeoutMinutes,
          seed: opts.seed,
          series: i === 0 && opts.report !== undefined,
        }),
      );
      if (opts.report) writeReplayReport(opts.report, runs[0], trace);
      const results: SimulationResult[] = runs.map((r) => r.result);
      const whatIf = replayWhatIfPlan(trace, opts, opts.ips[0], opts);
      const text = opts.json
        ? results.length === 1
          ? renderJson(results[0])
          : `${JSON.stringify(results, null, 2)}\n`
        : renderReplayTable(trace, runs);
      // With several IP counts the JSON stays an array of results; the table already compares IPs.
      process.stdout.write(
        opts.json && results.length > 1
          ? text
          : withWhatIf(text, results[0], opts.json ? "json" : "table", whatIf),
      );
      if (results.some((r) => r.verdict !== "ok")) process.exitCode = EXIT_PROBLEM;
    });
}

/**
 * Checks the gateway options against the cloud's rules before any flow log is read, so that a bad
 * option fails at once, however large the logs, and names the option.
 */
function checkOptions(opts: ReplayOpts): void {
  if (opts.cloud === "aws" && opts.idleTimeoutMinutes !== undefined) {
    throw new ValidationError(
      [
        {
          path: "--idle-timeout-minutes",
          message: `${opts.idleTimeoutMinutes}: AWS NAT gateways have a fixed 350 s idle timeout; remove --idle-timeout-minutes (it applies to --cloud azure)`,
        },
      ],
      "natcap replay",
    );
  }
  if (opts.report !== undefined && existsSync(opts.report) && statSync(opts.report).isDirectory()) {
    throw new ValidationError(
      [
        {
          path: "--report",
          message: `${JSON.stringify(opts.report)} is a folder: give a file path such as out/report.html`,
        },
      ],
      "natcap replay",
    );
  }
  // The gateway alone: no connection, so the check costs nothing.
  const empty: ConnectionTrace = {
    cloud: opts.cloud,
    startEpochSeconds: 0,
    durationSeconds: 1,
    connections: [],
    gatewayIps: [],
    files: [],
    recordsRead: 0,
    recordsUsed: 0,
    skipped: [],
  };
  for (const ips of opts.ips) {
    try {
      replayWorkload(empty, {
        ips,
        perIpDestinationLimit: opts.perIpDestinationLimit,
        portReuseSeconds: opts.portReuseSeconds,
        idleTimeoutMinutes: opts.idleTimeoutMinutes,
        seed: opts.seed,
      });
    } catch (e) {
      if (!(e instanceof WorkloadError)) throw e;
      throw optionError(e);
    }
  }
}

function writeReplayReport(file: string, run: ReplayRun, trace: ConnectionTrace): void {
  const observed = run.observedFailures.reduce((a, b) => a + b, 0);
  const notes = [
    `Replay of ${fmt(trace.connectionCount ?? trace.connections.length)} connections rebuilt from ${trace.files.length} flow-log file${trace.files.length === 1 ? "" : "s"} (${fmt(trace.durationSeconds)} s).`,
    ...(observed > 0
      ? [
          `The logs show ${fmt(observed)} failed attempts; the model predicts ${fmt(run.result.totals.portAllocationErrors)}.`,
        ]
      : []),
  ];
  const html = renderHtml({ result: run.result, series: run.series!, notes, title: "natcap replay" });
  writeReport(file, html, "natcap replay");
}
