/**
 * Stable keys for child resources. A child's logical name comes only from a key the user gives or
 * one derived from a count (`1`, `2`, ...), never from a list position, so adding an IP creates one
 * resource and touches none of the others.
 *
 * @module
 */
import type { FieldIssue } from "../../core/errors";
import { show } from "../../core/errors";

/** Characters a key may use: they end up in logical names and URNs. */
export const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/** Keys `"1"` … `"n"`: the keys a plain count stands for. Growing the count adds keys at the end. */
export function countKeys(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(i + 1));
}

/**
 * Checks user-given keys: each matches {@link KEY_PATTERN} and none repeats. Returns the issues found
 * (empty when the keys are fine); `field` is the argument name used in each issue path.
 */
export function keyIssues(keys: readonly string[], field: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  keys.forEach((key, i) => {
    if (typeof key !== "string" || !KEY_PATTERN.test(key)) {
      issues.push({
        path: `${field}[${i}]`,
        value: key,
        message: `${show(key)} is not a valid key: use 1-63 letters, digits, "_", "." or "-", starting with a letter or digit`,
      });
    } else if (seen.has(key)) {
      issues.push({
        path: `${field}[${i}]`,
        value: key,
        message: `key ${show(key)} appears twice: keys name resources and must be unique`,
      });
    }
    seen.add(key);
  });
  return issues;
}

/**
 * The keys of a set of children given either as explicit keys or as a count. When both are given the
 * count must equal the number of keys. Returns the keys and any issues (named after the fields).
 */
export function resolveKeys(args: {
  keys?: readonly string[];
  count?: number;
  keysField: string;
  countField: string;
  defaultCount: number;
}): { keys: string[]; issues: FieldIssue[] } {
  const { keys, count, keysField, countField, defaultCount } = args;
  if (keys !== undefined) {
    const issues = keyIssues(keys, keysField);
    if (count !== undefined && count !== keys.length) {
      issues.push({
        path: countField,
        value: count,
        message: `${count} does not match the ${keys.length} keys in ${keysField}; give one of the two, or make them agree`,
      });
    }
    return { keys: [...keys], issues };
  }
  const n = count ?? defaultCount;
  if (!Number.isInteger(n) || n < 0) {
    return {
      keys: [],
      issues: [{ path: countField, value: n, message: `${show(n)} is not a whole number of 0 or more` }],
    };
  }
  // No NAT gateway holds more than a few dozen addresses; refuse before allocating a key per count.
  if (n > MAX_COUNT) {
    return {
      keys: [],
      issues: [
        {
          path: countField,
          value: n,
          message: `${show(n)} is far more addresses than any NAT gateway holds; give the number of IPs you need (at most ${MAX_COUNT})`,
        },
      ],
    };
  }
  return { keys: countKeys(n), issues: [] };
}

/** Counts above this are refused outright (every cloud limit is far lower and checked later). */
const MAX_COUNT = 1000;
