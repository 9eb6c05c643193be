/**
 * Input files for the flow-log readers: paths expanded (directories walked recursively, in name
 * order), the file kind told by its first bytes (gzip, Parquet, JSON, text), and text read as lines
 * in a stream of byte chunks split with `indexOf`, so memory follows the chunk size, never the file size.
 *
 * @module
 */
import { closeSync, createReadStream, openSync, readdirSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import type { TransformOptions } from "node:stream";
import { createGunzip, type ZlibOptions } from "node:zlib";
import { FlowLogError } from "./skips";

/** Expands paths into files: a directory contributes every file below it, sorted by path. */
export function expandPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (path: string, given: boolean) => {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      if (given)
        throw new FlowLogError(
          `cannot read ${JSON.stringify(path)} (${code}): give a flow-log file or folder`,
        );
      return;
    }
    if (!isDir) {
      out.push(path);
      return;
    }
    const names = readdirSync(path).sort();
    for (const name of names) if (!name.startsWith(".")) walk(join(path, name), false);
  };
  for (const p of paths) walk(p, true);
  return out;
}

/** What a file holds, told by its first bytes. */
export type FileKind = "gzip" | "parquet" | "json" | "text" | "empty";

/** Reads the first bytes of a file and tells its kind (gzip magic 1f 8b, Parquet magic `PAR1`). */
export function fileKind(file: string): FileKind {
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(64);
    const n = readSync(fd, head, 0, head.length, 0);
    if (n === 0) return "empty";
    if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "gzip";
    if (n >= 4 && head.toString("latin1", 0, 4) === "PAR1") return "parquet";
    const text = head.toString("latin1", 0, n).trimStart();
    return text.startsWith("{") || text.startsWith("[") ? "json" : "text";
  } finally {
    closeSync(fd);
  }
}

/** Outcome of reading a file's lines. */
export interface LinesRead {
  /** Lines delivered. */
  readonly lines: number;
  /** Set when the stream broke off (e.g. a truncated gzip): the reason; the lines before it were delivered. */
  readonly brokenOff?: string;
}

/**
 * Chunk size of the file stream and of the gunzip output: large chunks keep the per-chunk overhead
 * small, and 1 MiB (rather than 256 KiB) keeps the parser from waiting on decompression at each
 * compressed chunk's start. Buffers are allocated untouched, so a small file costs no more.
 */
const CHUNK_BYTES = 1 << 20;

/**
 * Bytes the gunzip stream may decompress ahead of the lines taken (its readable buffer): with the
 * stream's default it stops after each chunk until that chunk is taken, so decompressing (on a
 * libuv thread) and parsing take turns instead of overlapping.
 */
const AHEAD_BYTES = 4 * CHUNK_BYTES;

/** Called with each line as a byte range `bytes[start, end)` (no `\r\n`) and its 1-based line number. */
export type OnLine = (bytes: Buffer, start: number, end: number, lineNo: number) => void;

/**
 * Splits a byte stream into lines, chunk by chunk: lines inside a chunk are handed out in place
 * (no copy), and only the unfinished line at a chunk's end is copied and joined with the next
 * chunk's first line, so a line split anywhere across chunks comes out whole. A `\r` before the
 * `\n` is dropped; empty lines are skipped but counted for line numbers. {@link LineSplitter.end}
 * hands out a last line without a newline.
 */
export class LineSplitter {
  /** The unfinished line carried from earlier chunks (a copy), or undefined. */
  private carry: Buffer | undefined;
  private lineNo = 0;
  /** Lines handed out (not counting empty lines). */
  lines = 0;

  constructor(private readonly onLine: OnLine) {}

  private emit(bytes: Buffer, start: number, end: number): void {
    this.lineNo++;
    const e = end > start && bytes[end - 1] === 13 ? end - 1 : end;
    if (e === start) return;
    this.lines++;
    this.onLine(bytes, start, e, this.lineNo);
  }

  /** Hands out every line the chunk completes. */
  push(chunk: Buffer): void {
    let from = 0;
    if (this.carry !== undefined) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return;
      }
      const line = Buffer.concat([this.carry, chunk.subarray(0, nl)]);
      this.carry = undefined;
      this.emit(line, 0, line.length);
      from = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(10, from);
      if (nl < 0) break;
      this.emit(chunk, from, nl);
      from = nl + 1;
    }
    // Copy the unfinished line so that the chunk is not kept alive by a view of it.
    if (from < chunk.length) this.carry = Buffer.from(chunk.subarray(from));
  }

  /** Hands out the last line when the input did not end with a newline (complete in a whole file). */
  end(): void {
    const rest = this.carry;
    this.carry = undefined;
    if (rest !== undefined) this.emit(rest, 0, rest.length);
  }
}

/**
 * Calls `onLine` for every line of a text file, gunzipping it when it is gzip (several gzip members
 * are read as one stream). Lines are byte ranges of the stream's own buffers (see
 * {@link LineSplitter}): callers parse them in place, so no string is made per line. Flow logs are
 * ASCII; a caller that needs text decodes it as Latin-1.
 *
 * @param afterChunk called after each chunk's lines; reading waits for the promise it returns, if any
 *   (so a consumer that falls behind holds the reading back)
 */
export async function forEachLine(
  file: string,
  gzip: boolean,
  onLine: OnLine,
  afterChunk?: () => Promise<void> | undefined,
): Promise<LinesRead> {
  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  // zlib passes stream options on to its Transform, though ZlibOptions does not list them.
  const options: ZlibOptions & TransformOptions = {
    chunkSize: CHUNK_BYTES,
    readableHighWaterMark: AHEAD_BYTES,
  };
  const stream = gzip ? raw.pipe(createGunzip(options)) : raw;
  const splitter = new LineSplitter(onLine);
  try {
    for await (const chunk of stream) {
      splitter.push(chunk as Buffer);
      const wait = afterChunk?.();
      if (wait !== undefined) await wait;
    }
  } catch (e) {
    raw.destroy();
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === "Z_BUF_ERROR" || /unexpected end/i.test((e as Error).message)
        ? "truncated gzip (the file ends mid-stream)"
        : `unreadable ${gzip ? "gzip" : "file"} (${code ?? (e as Error).message})`;
    return { lines: splitter.lines, brokenOff: reason };
  }
  splitter.end();
  return { lines: splitter.lines };
}
