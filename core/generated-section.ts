/**
 * Generated sections of the docs: a page keeps a generated table between two HTML-comment markers,
 * and the generator replaces what lies between them (core/limits-doc.ts, core/prices-doc.ts).
 *
 * @module
 */

/**
 * The page with the text between `start` and `end` replaced by `body` (placed right after `start`,
 * with `end` and the rest of the page following it).
 *
 * @param missing the error message when the page lacks the markers
 * @throws {Error} when the markers are absent or out of order
 */
export function withGeneratedSection(
  page: string,
  start: string,
  end: string,
  body: string,
  missing: string,
): string {
  const a = page.indexOf(start);
  const b = page.indexOf(end);
  if (a < 0 || b < a) throw new Error(missing);
  return `${page.slice(0, a + start.length)}${body}${page.slice(b)}`;
}
