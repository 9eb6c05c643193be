/**
 * Helpers both component families (AWS and Azure) use: the capacity check at construction, message
 * formatting of limit findings, argument checks, component names and type tokens, stable child
 * keys, checks deferred until a value is known, and resource-option defaults.
 *
 * @module
 */
export * from "./argChecks";
export * from "./capacity";
export * from "./deferred";
export * from "./expectation";
export * from "./findings";
export * from "./identity";
export * from "./keys";
export * from "./options";
export * from "./outputs";
