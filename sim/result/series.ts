/**
 * Time series of one simulation run, for charts: per destination, samples at evenly spaced times.
 *
 * @module
 */

/** Samples of one destination; every array has one entry per sample time. */
export interface DestinationSeries {
  /** Destination name. */
  name: string;
  /** `address:port/protocol`. */
  endpoint: string;
  /** Ports held (open plus hold-down) on each IP: one array per IP. */
  portsHeldPerIp: number[][];
  /** Ports held across all IPs. */
  portsHeld: number[];
  /** Connections open. */
  openConnections: number[];
  /** Port-allocation errors since the previous sample. */
  errors: number[];
}

/** The series of a run. */
export interface SimulationSeries {
  /** Sample times in seconds from the start of the run. */
  times: number[];
  /** One entry per destination, in workload order. */
  destinations: DestinationSeries[];
}

/** Samples per run the engine aims for. */
export const SERIES_SAMPLES = 500;
