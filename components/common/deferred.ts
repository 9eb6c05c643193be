/**
 * Checks of values that may be unknown during preview. What is known now is checked at construction;
 * a value that is an Output is checked inside `apply`, when it becomes known. The returned Output
 * carries the same value and fails when the check throws, so a component passes it into the resource
 * that needs the value and the deployment stops there with the check's error.
 *
 * @module
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * Runs `check` on `value` now when it is a plain value, otherwise once the Output resolves (never
 * during preview while it is unknown). Returns an Output of the same value that rejects when the
 * check throws.
 */
export function checkWhenKnown<T>(value: pulumi.Input<T>, check: (v: T) => void): pulumi.Output<T> {
  if (!pulumi.Output.isInstance(value) && !(value instanceof Promise)) {
    check(value as T);
    return pulumi.output(value) as unknown as pulumi.Output<T>;
  }
  return pulumi.output(value).apply((v) => {
    check(v as T);
    return v;
  }) as unknown as pulumi.Output<T>;
}

/** True when `value` is a plain value (not an Output or a Promise), i.e. known at construction. */
export function isKnownNow<T>(value: pulumi.Input<T> | undefined): value is T {
  return value !== undefined && !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}
