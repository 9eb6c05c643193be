/**
 * Input files for the flow-log readers: paths expanded (directories walked recursively, in name
 * order), the file kind told by its first bytes (gzip, Parquet, JSON, text), and text read as lines
 * in a stream: chunks split with `indexOf`, so memory follows the chunk size, never the file size.
 *
 * @module
 */
import { closeSync, createReadStream, openSync, readdirSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { createGunzip } from "node:zlib";
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

/** Chunk size of the file stream: large chunks keep the per-chunk overhead small. */
const CHUNK_BYTES = 1 << 16;

/**
 * Calls `onLine` for every line of a text file, gunzipping it when it is gzip (several gzip members
 * are read as one stream). The line is `text.slice(start, end)`; callers read it in place, so no
 * string is made per line. A `\r` before the `\n` is dropped; empty lines are skipped but counted
 * for line numbers. Text is decoded as Latin-1: flow logs are ASCII.
 */
export async function forEachLine(
  file: string,
  gzip: boolean,
  onLine: (text: string, start: number, end: number, lineNo: number) => void,
): Promise<LinesRead> {
  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  const stream = gzip ? raw.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : raw;
  let rest = "";
  let lineNo = 0;
  let lines = 0;
  const emit = (text: string, start: number, end: number) => {
    lineNo++;
    const e = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (e === start) return;
    lines++;
    onLine(text, start, e, lineNo);
  };
  try {
    for await (const chunk of stream) {
      const text = rest + (chunk as Buffer).toString("latin1");
      let from = 0;
      for (;;) {
        const nl = text.indexOf("\n", from);
        if (nl < 0) break;
        emit(text, from, nl);
        from = nl + 1;
      }
      // Copy the unfinished line so that the chunk is not kept alive by a slice of it.
      rest = from < text.length ? Buffer.from(text.slice(from), "latin1").toString("latin1") : "";
    }
  } catch (e) {
    raw.destroy();
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === "Z_BUF_ERROR" || /unexpected end/i.test((e as Error).message)
        ? "truncated gzip (the file ends mid-stream)"
        : `unreadable ${gzip ? "gzip" : "file"} (${code ?? (e as Error).message})`;
    return { lines, brokenOff: reason };
  }
  // A last line without a newline is complete in a whole file.
  if (rest.length > 0) emit(rest, 0, rest.length);
  return { lines };
}
