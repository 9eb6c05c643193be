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
 * another segment of constant load that the engine and the planners walk through. Enough for a day
 * imported from flow logs at 60 s for 20 destinations × 3 streams (86,400 steps); every per-step
 * walk is incremental, so 100,000 steps validate, analyze and simulate in seconds.
 */
export const MAX_SCHEDULE_STEPS = 100_000;

/**
 * Most work one workload may ask of natcap's analysis, in units: one per destination, per traffic
 * stream and per schedule step (validation, the load sweep and the analytic path each cost a
 * bounded amount per unit, and no more than linear in them). Not a count of destinations: an
 * organisation's gateway talks to thousands of endpoints, and 10,000 destinations with a stream each
 * (20,000 units) validate and analyze in seconds. The simulator is bounded by its work budget
 * (attempts, {@link DEFAULT_MAX_ATTEMPTS}) on top.
 */
export const MAX_ANALYTIC_WORK = 250_000;

/**
 * Largest peak expectation (`peakConnections`) of one destination: five times the 2,000,000
 * connections a whole Azure NAT gateway supports, far past what any NAT gateway holds for one
 * endpoint. Keeps the peak planners' work bounded. (Traffic is bounded by
 * {@link MAX_PORTS_HELD_PER_DESTINATION}.)
 */
export const MAX_CONNECTIONS_PER_DESTINATION = 10_000_000;

/**
 * Most ports one destination's traffic may hold, counted fill-aware: the smaller of its peak offered
 * load (rate × multiplier × seconds each port is held) and the attempts the whole run makes (ports
 * held never exceed connections made). 100,000,000 is past what the planners' 1,000-IP search covers
 * (1,000 × 65,536 ports), so a load beyond that search is answered with its marker rather than
 * refused, and every planner's work stays bounded (Erlang-B costs O(√load) there).
 */
export const MAX_PORTS_HELD_PER_DESTINATION = 100_000_000;

/** Most IPs a capacity check may be asked about (no NAT gateway holds more). */
export const MAX_IPS = 1_000;

/**
 * Most steps in `gateway.ipChanges`: each adds at most a few IP slots and two segment boundaries
 * (the change and the end of a drain), so the engine's and the analytic path's work stays bounded.
 */
export const MAX_IP_CHANGES = 100;
