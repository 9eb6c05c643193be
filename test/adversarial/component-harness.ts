// The harness of the component refusal suites: Pulumi's mocks counting registered resources, and a
// runner asserting that each case throws at construction, before any resource is registered, an
// error of the right class whose message says what the case expects, and that its fix is accepted.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type { NatcapError } from "../../core/errors";

/** Builds a component with some arguments. */
export type Build = () => unknown;

/** One refusal: absurd arguments, the error they must raise, and the arguments with the fix applied. */
export interface ComponentCase {
  name: string;
  build: Build;
  /** The arguments with the fix applied: must construct without an error. */
  fixed?: Build;
  error: abstract new (...args: never[]) => NatcapError;
  /** Patterns the message must contain: the component, the argument, the value. */
  says: (string | RegExp)[];
}

let registered = 0;

/** Installs Pulumi's mocks (preview mode) for the file, counting every registered resource. */
export function countingMocks(project: string): void {
  beforeAll(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered++;
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      project,
      "test",
      true,
    );
  });
}

/** What `build` throws, or undefined. */
export function thrown(build: Build): unknown {
  try {
    build();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** A test per case, under `title`. */
export function refusalSuite(title: string, cases: readonly ComponentCase[], more?: () => void): void {
  describe(title, () => {
    it.each(cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
      const before = registered;
      const e = thrown(c.build);
      expect(e, `${c.name}: no error`).toBeInstanceOf(c.error);
      const message = (e as Error).message;
      for (const s of c.says) expect(message).toMatch(s);
      // A message, not a trace; nothing registered before the refusal.
      expect(message).not.toMatch(/\n\s+at /);
      expect(registered).toBe(before);
      if (c.fixed) expect(thrown(c.fixed), `${c.name}: the fix is refused`).toBeUndefined();
    });
    more?.();
  });
}
