/**
 * The worker thread of {@link TextScanThread} (text-scan-thread.ts): scans each VPC Flow Logs text
 * file it is sent with {@link scanTextFile} and posts the batches back, their row arrays moved;
 * reading waits while {@link BATCHES_OUT} batches have not come back, and the thread collects its
 * garbage every {@link COLLECT_EVERY_CHUNKS} chunks read.
 *
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { RecordClassifier } from "./classify";
import { parseFormat } from "./format";
import { scanTextFile } from "./text-scan";
import {
  BATCHES_OUT,
  COLLECT_EVERY_CHUNKS,
  type FromScanWorker,
  garbageCollector,
  type ScanSetup,
  type ToScanWorker,
} from "./text-scan-thread";

const port = parentPort;
if (port === null) throw new Error("text-scan-worker runs as a worker thread");
const setup = workerData as ScanSetup;
const classifier = new RecordClassifier(setup.interfaceId);
const fallback = parseFormat(setup.fields);

const collect = garbageCollector();
/** Chunks read, for {@link COLLECT_EVERY_CHUNKS}. */
let chunks = 0;
/** Batches posted and not given back. */
let out = 0;
/** Wakes the reading once a batch comes back. */
let wake: (() => void) | undefined;

function post(m: FromScanWorker): void {
  port?.postMessage(m, m.type === "batch" ? [m.batch.rows.buffer as ArrayBuffer] : []);
}

async function scan(file: string, gzip: boolean): Promise<void> {
  try {
    const scanned = await scanTextFile(
      file,
      gzip,
      fallback,
      classifier,
      (batch) => {
        out++;
        post({ type: "batch", batch });
        return false; // moved to the reader; it comes back as a "rows" message
      },
      () => {
        if (++chunks % COLLECT_EVERY_CHUNKS === 0) collect?.();
        return out < BATCHES_OUT ? undefined : new Promise<void>((resolve) => (wake = resolve));
      },
    );
    post({ type: "end", scan: scanned });
  } catch (e) {
    post({ type: "error", message: (e as Error).stack ?? String(e) });
  }
}

port.on("message", (m: ToScanWorker) => {
  if (m.type === "rows") {
    classifier.recycle(m.rows);
    out--;
    if (out < BATCHES_OUT) {
      const w = wake;
      wake = undefined;
      w?.();
    }
  } else void scan(m.file, m.gzip);
});
