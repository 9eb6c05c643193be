/**
 * VPC Flow Logs delivered to S3 as Parquet: read with hyparquet (pure JavaScript), one row group at
 * a time, each row turned into the text record of the same fields (Parquet column names use `_` for
 * the text format's `-`, e.g. `log_status`). Memory follows one row group (AWS writes row groups of
 * a few MB), not the file.
 *
 * @module
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { AsyncBuffer } from "hyparquet";
import type { LinesRead } from "../lines";

/** A Parquet file as hyparquet reads it: byte ranges read on demand. */
function fileBuffer(fd: number): AsyncBuffer {
  return {
    byteLength: fstatSync(fd).size,
    slice(start: number, end?: number): ArrayBuffer {
      const to = end ?? fstatSync(fd).size;
      const buf = Buffer.alloc(to - start);
      readSync(fd, buf, 0, buf.length, start);
      return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) as ArrayBuffer;
    },
  };
}

function text(value: unknown): string {
  if (value === null || value === undefined) return "-";
  return String(value);
}

/**
 * Calls `onHeader` with the field names (text-format spelling) and then `onRecord` with each row as
 * a text record (fields in the header's order, `-` for a null). The row number counts from 1.
 */
export async function forEachParquetRecord(
  file: string,
  onHeader: (fields: string) => void,
  onRecord: (record: string, rowNo: number) => void,
): Promise<LinesRead> {
  const { parquetMetadataAsync, parquetReadObjects, parquetSchema } = await import("hyparquet");
  const fd = openSync(file, "r");
  let rows = 0;
  try {
    const buffer = fileBuffer(fd);
    const metadata = await parquetMetadataAsync(buffer);
    const columns = parquetSchema(metadata).children.map((c) => c.element.name);
    onHeader(columns.map((c) => c.replace(/_/g, "-")).join(" "));
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      const rowEnd = rowStart + Number(group.num_rows);
      const objects = await parquetReadObjects({ file: buffer, metadata, columns, rowStart, rowEnd });
      for (const row of objects) {
        rows++;
        onRecord(columns.map((c) => text(row[c])).join(" "), rows);
      }
      rowStart = rowEnd;
    }
  } catch (e) {
    return { lines: rows, brokenOff: `unreadable Parquet file (${(e as Error).message.slice(0, 80)})` };
  } finally {
    closeSync(fd);
  }
  return { lines: rows };
}
