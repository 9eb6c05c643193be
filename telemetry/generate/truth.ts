/**
 * The connections a generated sample really had: what the sample's log writers (VPC Flow Logs,
 * VNet flow logs) write down and what its truth file states.
 *
 * @module
 */
import type { ObservedClose } from "../reconstruct/connections";

/** One generated connection as it really happened (times in unix seconds, whole seconds). */
export interface TruthConnection {
  address: string;
  port: number;
  protocol: "tcp" | "udp";
  start: number;
  /** Last packet (the close for fin/rst; the last traffic before the idle timeout for idle). */
  end: number;
  close: ObservedClose;
  failed: boolean;
  /** Index of the gateway IP (-1 for a failure). */
  ip: number;
  /** SNAT port on the gateway (0 for a failure). */
  snatPort: number;
  /** The client's address and port. */
  clientAddress: string;
  clientPort: number;
}
