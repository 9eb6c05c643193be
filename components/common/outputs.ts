/**
 * Output registration of the components: each component lists the properties it registers as
 * outputs in one constant next to its class, and registers them with {@link outputsOf}. To add an
 * output, declare the property (schema inference reads it) and add its name to that list.
 *
 * @module
 */

/** The named properties of a component, as the object `registerOutputs` takes. */
export function outputsOf<C extends object, K extends keyof C & string>(
  component: C,
  names: readonly K[],
): Record<K, C[K]> {
  return Object.fromEntries(names.map((n) => [n, component[n]])) as Record<K, C[K]>;
}
