/**
 * natcap's own bounds on inputs: not cloud limits (those live in ./limits) but the ranges outside
 * which a workload is meaningless or the work to answer it is unbounded. Each bound is documented
 * in docs/workload-format.md; every check that refuses an input names the bound it used.
 *
 * @module
 */

/** Simulated attempts `natcap simulate` runs by default before refusing (CLI `--max-attempts`). */
export const DEFAULT_MAX_ATTEMPTS = 2_000_000_000;

/** Largest workload file read, in bytes (10 MB); bigger files are refused before parsing. */
export const MAX_WORKLOAD_BYTES = 10 * 1024 * 1024;

/** Longest simulated run, and longest hold or peak duration, in seconds (one year). */
export const MAX_SECONDS = 365 * 24 * 3600;

/** Largest lognormal sigma: beyond it the sample mean of any feasible run does not approach the mean. */
export const MAX_LOGNORMAL_SIGMA = 5;

/** Most new connections per second one traffic stream may state. */
export const MAX_CONNECTIONS_PER_SECOND = 1_000_000_000;

/** Largest schedule multiplier. */
export const MAX_MULTIPLIER = 1_000_000;

/**
 * Most schedule steps in one workload, across all its traffic streams: every step cuts the run into
 * another segment of constant load that the engine and the planners walk through.
 */
export const MAX_SCHEDULE_STEPS = 1_000;

/** Most destinations, and most traffic streams, in one workload. */
export const MAX_ENTRIES = 1_000;

/**
 * Most connections (ports held) one destination may be expected or offered to hold: five times the
 * 2,000,000 connections a whole Azure NAT gateway supports, far past what any NAT gateway holds for
 * one endpoint. Keeps every planner's work bounded.
 */
export const MAX_CONNECTIONS_PER_DESTINATION = 10_000_000;

/** Most IPs a capacity check may be asked about (no NAT gateway holds more). */
export const MAX_IPS = 1_000;
