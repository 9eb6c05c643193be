/**
 * One VPC Flow Logs text file (gzip or plain) read into {@link RecordBatch}es: its header line
 * (field names in any order) or, without one, the fields given; CloudWatch Logs exports' ISO
 * timestamp before each record dropped; each record checked by a {@link RecordClassifier}.
 *
 * @module
 */
import { forEachLine } from "../lines";
import type { RecordBatch, RecordClassifier } from "./classify";
import { looksLikeHeader, parseFormat, type RecordFormat } from "./format";

/** What scanning a file leaves besides its batches. */
export interface TextScan {
  /** Set when the stream broke off (e.g. a truncated gzip): why, and the line it broke off at. */
  brokenOff?: { reason: string; line: number };
}

/**
 * Reads `file` and hands `onBatch` its records batch by batch. A batch's rows are given back to
 * `c` once `onBatch` returns, unless it returns false (it kept them).
 *
 * @param fallback the format of header-less files (parsed from the fields given)
 * @param afterChunk see {@link forEachLine}: lets whoever takes the batches hold the reading back
 */
export async function scanTextFile(
  file: string,
  gzip: boolean,
  fallback: RecordFormat,
  c: RecordClassifier,
  onBatch: (batch: RecordBatch) => boolean,
  afterChunk?: () => Promise<void> | undefined,
): Promise<TextScan> {
  let format: RecordFormat | undefined;
  let stamped = false;
  let unusable = false;
  const hand = (b: RecordBatch) => {
    if (onBatch(b)) c.recycle(b.rows);
  };
  const read = await forEachLine(
    file,
    gzip,
    (bytes, from, to, lineNo) => {
      if (format === undefined) {
        const line = bytes.toString("latin1", from, to);
        if (looksLikeHeader(line)) {
          format = parseFormat(line);
          for (const f of format.unknown)
            c.skip(`unknown header field ${JSON.stringify(f)} (column ignored)`, lineNo);
          // not a record: the skip above is not counted as read
          if (format.missing.length > 0) unusable = true;
          return;
        }
        format = fallback;
        // CloudWatch Logs exports to S3 put the event's ISO timestamp before each record.
        stamped = /^\d{4}-\d\d-\d\dT\S+ /.test(line);
      }
      if (stamped) {
        const sp = bytes.indexOf(32, from);
        if (sp >= 0 && sp < to) from = sp + 1;
      }
      if (unusable) c.skipUnread(`format lacks ${format.missing.join(", ")}`, lineNo);
      else c.record(bytes, from, to, format.index, lineNo);
      if (c.full) hand(c.take());
    },
    afterChunk,
  );
  hand(c.take());
  return read.brokenOff ? { brokenOff: { reason: read.brokenOff, line: read.lines + 1 } } : {};
}
