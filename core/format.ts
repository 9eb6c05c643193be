/**
 * Number and word formatting shared by messages and reports: thousands separators that do not
 * depend on the locale, and singular or plural nouns ("1 IP", "2 IPs").
 *
 * @module
 */

/** Formats a whole number with thousands separators (locale-independent); non-finite as is. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** `1 IP`, `2 IPs`, `55,000 connections`: a formatted count and its noun, plural unless the count is 1. */
export function plural(n: number, word: string): string {
  return `${fmt(n)} ${word}${Math.round(n) === 1 ? "" : "s"}`;
}

/** `holds` for 1, `hold` otherwise: the verb agreeing with a count ("1 IP holds", "2 IPs hold"). */
export function verb(n: number, singular: string, pluralForm: string): string {
  return Math.round(n) === 1 ? singular : pluralForm;
}
