/**
 * Writes the sample flow logs of this folder from known traffic (run from the repository root:
 * `npx tsx examples/telemetry/generate.ts`). Same seed, same files.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  awsFlowLogLines,
  azureFlowLogJson,
  CUSTOM_FIELDS,
  generateTraffic,
  type TrafficSpec,
} from "../../telemetry/generate/generate";

/** The known traffic: one gateway IP whose per-IP limit (120) the api destination overflows. */
export const SAMPLE_TRAFFIC: TrafficSpec = {
  durationSeconds: 300,
  seed: 7,
  ips: 1,
  perIpLimit: 120,
  streams: [
    { address: "203.0.113.10", port: 443, connectionsPerSecond: 2, holdSeconds: 15, close: "fin" },
    { address: "203.0.113.20", port: 636, connectionsPerSecond: 0.3, holdSeconds: 60, close: "rst" },
    { address: "198.51.100.53", port: 53, protocol: "udp", connectionsPerSecond: 0.3, holdSeconds: 1 },
  ],
};

const here = __dirname;
const truth = generateTraffic(SAMPLE_TRAFFIC);
for (const dir of ["aws-custom", "aws-default", "azure"]) mkdirSync(join(here, dir), { recursive: true });
// One folder per format: each holds the same traffic, so read one folder at a time.
writeFileSync(
  join(here, "aws-custom", "nat-gateway.log.gz"),
  gzipSync(`${[...awsFlowLogLines(truth, { fields: CUSTOM_FIELDS, shuffleSeed: 7 })].join("\n")}\n`),
);
writeFileSync(
  join(here, "aws-default", "nat-gateway.log.gz"),
  gzipSync(`${[...awsFlowLogLines(truth, { shuffleSeed: 7 })].join("\n")}\n`),
);
writeFileSync(join(here, "azure", "PT1H.json"), azureFlowLogJson(truth));
const failures = truth.filter((c) => c.failed).length;
console.log(`${truth.length} connections, ${failures} port-allocation failures`);
