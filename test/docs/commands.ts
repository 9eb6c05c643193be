/**
 * The shell commands the documentation shows, as the docs test runs them: every line of a ```sh,
 * ```bash or ```shell block of README.md and docs/*.md, with the exit code its comment states and
 * whether it is run. The conventions (also in docs/architecture.md, "What is tested how"):
 *
 * - a comment on a command saying `exit N` states its exit code; otherwise it must exit 0;
 * - `# not run by the docs test: WHY` marks what cannot run in a fresh clone, visibly and with the
 *   reason: on a command's line, that command; on a line of its own, every command after it in the
 *   block. Pulumi CLI commands are never run (no CLI, no cloud account in tests);
 * - a command that installs packages or runs the test suite must be marked: it would change the
 *   shared `node_modules` or run the docs test inside itself;
 * - a fenced block whose first line is a comment naming a file (`# workload.yaml`) is that file:
 *   it is written into the clone before any command runs.
 *
 * @module
 */

/** One command of a page, as written. */
export interface DocCommand {
  /** Page, relative to the repository root (`README.md`, `docs/check.md`). */
  page: string;
  /** 1-based line of the command in the page. */
  line: number;
  /** Index of its block in the page (commands of one block run in one shell, in order). */
  block: number;
  /** The command as written: its lines joined, heredoc bodies and continuation lines included. */
  text: string;
  /** The exit code the text states. @default 0 */
  exit: number;
  /** Why it is not run, when it is not. */
  notRun?: string;
}

/** A file a page shows under its name. */
export interface DocFile {
  page: string;
  path: string;
  content: string;
}

const SHELL_BLOCK = /^```(sh|bash|shell)\n([\s\S]*?)^```/gm;
const ANY_BLOCK = /^```[\w-]*\n([\s\S]*?)^```/gm;
const MARKER = /not run by the docs test(?::\s*(.*))?$/;
const PULUMI = /(^|[;&|(]\s*)pulumi\s/;
const MUST_MARK = /(^|[;&|(]\s*)npm\s+(ci|install|i|uninstall|update|link|test)\b/;

/** The comment of a shell line: the text after the first ` #` outside quotes, or undefined. */
export function shellComment(line: string): string | undefined {
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = "";
      else if (c === "\\" && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "\\") i++;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(i + 1).trim();
  }
  return undefined;
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split("\n").length;
}

/**
 * The commands of a page's shell blocks, in order.
 *
 * @throws {Error} for a marker without its reason, or a command that installs packages or runs the
 *   tests without a marker (naming the page and line)
 */
export function pageCommands(page: string, text: string): DocCommand[] {
  const out: DocCommand[] = [];
  let block = 0;
  for (const m of text.matchAll(SHELL_BLOCK)) {
    const first = lineOf(text, m.index) + 1;
    const lines = m[2].replace(/\n$/, "").split("\n");
    let blockNotRun: string | undefined;
    for (let i = 0; i < lines.length; i++) {
      const start = i;
      const own = lines[i].trim();
      if (own === "") continue;
      const where = `${page}:${first + start}`;
      if (own.startsWith("#")) {
        const marker = MARKER.exec(own);
        if (marker) blockNotRun = reasonOf(marker, where);
        continue;
      }
      // Continuation lines and heredoc bodies belong to the command.
      const parts = [lines[i]];
      while (/\\$/.test(lines[i]) && i + 1 < lines.length) parts.push(lines[++i]);
      const heredoc = /<<-?\s*['"]?(\w+)['"]?/.exec(parts.join("\n"));
      if (heredoc) while (i + 1 < lines.length && lines[i].trim() !== heredoc[1]) parts.push(lines[++i]);
      const comment = shellComment(parts[0]) ?? "";
      const marker = MARKER.exec(comment);
      const command = parts.join("\n");
      const notRun = marker
        ? reasonOf(marker, where)
        : (blockNotRun ??
          (PULUMI.test(command) ? "the Pulumi CLI (no CLI and no cloud account in tests)" : undefined));
      if (!notRun && MUST_MARK.test(command))
        throw new Error(
          `${where}: \`${parts[0].trim()}\` installs packages or runs the test suite: mark it "# not run by the docs test: WHY"`,
        );
      const exit = /\bexit (\d+)\b/.exec(comment);
      out.push({ page, line: first + start, block, text: command, exit: exit ? Number(exit[1]) : 0, notRun });
    }
    block++;
  }
  return out;
}

function reasonOf(marker: RegExpExecArray, where: string): string {
  const reason = marker[1]?.trim();
  if (!reason)
    throw new Error(
      `${where}: "not run by the docs test" needs its reason: "# not run by the docs test: WHY"`,
    );
  return reason;
}

/** The files a page shows under their name: fenced blocks whose first line is `# NAME.EXT`. */
export function pageFiles(page: string, text: string): DocFile[] {
  const out: DocFile[] = [];
  for (const m of text.matchAll(ANY_BLOCK)) {
    const named = /^(?:#|\/\/) ([\w./-]+\.(?:ya?ml|json|ts|js|csv))\n/.exec(m[1]);
    if (named && !named[1].startsWith("/") && !named[1].includes(".."))
      out.push({ page, path: named[1], content: m[1].slice(named[0].length) });
  }
  return out;
}
