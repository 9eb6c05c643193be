/**
 * Scanning VPC Flow Logs text files on a worker thread: gunzip, line splitting, parsing and the
 * checks of classify.ts run there (text-scan-worker.ts), while the reader's stateful half
 * (records.ts and the tracker) runs on the calling thread, so a large import keeps both cores busy.
 * Batches come back in file order, exactly as {@link scanTextFile} hands them out, so the
 * reader sees the same records in the same order either way. Their row arrays are moved between
 * the threads, not copied, and given back once used; the worker stops reading while
 * {@link BATCHES_OUT} batches are unused, so memory stays bounded whichever side is faster.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Worker } from "node:worker_threads";
import type { RecordBatch } from "./classify";
import type { TextScan } from "./text-scan";

/**
 * Batches the worker may have handed out and not had back before it stops reading: a lead of some
 * 200,000 records, so the reader's bursts (an epoch taken, flows settled) do not stall the worker.
 * Fewer than the classifier keeps for reuse (`SPARE_BATCHES`, classify.ts).
 */
export const BATCHES_OUT = 48;

/**
 * Files at least this large are scanned on the worker thread (starting one costs some 30 ms; a
 * smaller file is read faster on the calling thread).
 */
export const THREAD_FROM_BYTES = 1 << 20;

/**
 * Chunks read (1 MiB each, `lines.ts`) after which the worker collects its garbage. Every chunk the
 * gunzip stream hands out is a fresh Buffer; a thread that allocates little else is collected only
 * once some 64 MB of them are dead (V8's external-memory limit), and the allocator keeps the pages
 * they held. On 20 M records that cost 40–60 MB of peak RSS (295–315 MB); collecting every 16
 * chunks holds it at 249–262 MB for some 5 % more time (each collection takes a few ms on the
 * worker, while the reader works through the batches it has).
 */
export const COLLECT_EVERY_CHUNKS = 16;

/**
 * V8's `gc()` for the calling thread, or undefined when the runtime will not give it. Without
 * `--expose-gc` it is obtained as jest's leak detector does: the flag exposes `gc` to contexts made
 * while it is set, so one is made and the flag is put back at once (no other context sees it).
 */
export function garbageCollector(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === "function") return exposed;
  try {
    setFlagsFromString("--expose-gc");
    const gc: unknown = runInNewContext("gc");
    return typeof gc === "function" ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  } finally {
    setFlagsFromString("--no-expose-gc");
  }
}

/** What the worker is started with. */
export interface ScanSetup {
  /** Field names of header-less files, space separated. */
  fields: string;
  /** The only interface whose records are kept (undefined: all). */
  interfaceId?: string;
}

/** Messages to the worker: scan a file, or a batch's rows given back. */
export type ToScanWorker =
  | { type: "scan"; file: string; gzip: boolean }
  | { type: "rows"; rows: Float64Array };

/** Messages from the worker: a batch, the end of the file, or an error that stopped it. */
export type FromScanWorker =
  | { type: "batch"; batch: RecordBatch }
  | { type: "end"; scan: TextScan }
  | { type: "error"; message: string };

/** The file the worker runs: compiled, or from source through tsx (development and tests). */
function workerSource(): { code: string } | undefined {
  const js = join(__dirname, "text-scan-worker.js");
  if (existsSync(js)) return { code: `require(${JSON.stringify(js)});` };
  const ts = join(__dirname, "text-scan-worker.ts");
  if (!existsSync(ts)) return undefined;
  try {
    const tsx = createRequire(ts).resolve("tsx/cjs");
    return { code: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(ts)});` };
  } catch {
    return undefined; // source without tsx: scan on the calling thread
  }
}

/** A worker thread scanning text files one at a time. */
export class TextScanThread {
  private readonly worker: Worker;
  /** The scan under way. */
  private current:
    | { onBatch: (b: RecordBatch) => void; resolve: (s: TextScan) => void; reject: (e: Error) => void }
    | undefined;
  private failure: Error | undefined;

  /** A thread for these settings, or undefined when the worker's code cannot be found or started. */
  static start(setup: ScanSetup): TextScanThread | undefined {
    const source = workerSource();
    if (source === undefined) return undefined;
    try {
      return new TextScanThread(source.code, setup);
    } catch {
      return undefined; // e.g. a runtime without worker threads: scan on the calling thread
    }
  }

  private constructor(code: string, setup: ScanSetup) {
    this.worker = new Worker(code, { eval: true, workerData: setup });
    this.worker.on("message", (m: FromScanWorker) => this.receive(m));
    this.worker.on("error", (e) => this.fail(e));
    this.worker.on("exit", (code) =>
      this.fail(new Error(`the flow-log scanning thread stopped (exit code ${code})`)),
    );
  }

  /**
   * Scans `file` on the worker and hands `onBatch` its batches in order (their rows are given back
   * once it returns).
   */
  scan(file: string, gzip: boolean, onBatch: (b: RecordBatch) => void): Promise<TextScan> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.current = { onBatch, resolve, reject };
      this.post({ type: "scan", file, gzip });
    });
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    this.worker.removeAllListeners("exit");
    await this.worker.terminate();
  }

  private post(m: ToScanWorker): void {
    this.worker.postMessage(m, m.type === "rows" ? [m.rows.buffer as ArrayBuffer] : []);
  }

  private receive(m: FromScanWorker): void {
    const c = this.current;
    if (c === undefined) return;
    if (m.type === "batch") {
      try {
        c.onBatch(m.batch);
      } catch (e) {
        this.current = undefined;
        c.reject(e as Error);
        return;
      }
      this.post({ type: "rows", rows: m.batch.rows });
    } else {
      this.current = undefined;
      if (m.type === "end") c.resolve(m.scan);
      else c.reject(new Error(m.message));
    }
  }

  private fail(e: Error): void {
    this.failure = e;
    const c = this.current;
    this.current = undefined;
    c?.reject(e);
  }
}
