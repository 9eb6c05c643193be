/**
 * Writes a rendered report (the HTML of render/html.ts) to a file, creating its folder. Shared by
 * every command and script that writes a report, so the error for a file that cannot be written is
 * the same everywhere.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileProblem, show, ValidationError } from "../core/errors";

/**
 * Writes the HTML report, creating its folder if needed.
 *
 * @param command the command named in the error. @default "natcap simulate"
 * @throws {ValidationError} naming `--report` when the file cannot be written.
 */
export function writeReport(file: string, html: string, command = "natcap simulate"): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, html);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new ValidationError(
      [
        {
          path: "--report",
          value: file,
          message: `${show(file)} ${fileProblem(code)}: cannot write the report there; give a file path such as out/report.html`,
        },
      ],
      command,
    );
  }
}
