/**
 * What a flow-log record says about a 5-tuple's connections, and the one order-independent rule that
 * splits a 5-tuple's records, taken in sorted order, into connections:
 * - TCP flag bits and the direction of a record within its flow;
 * - {@link compareRecords}: the total order records are taken in (start, end, direction, flags,
 *   bytes), the same whatever order the files delivered them in;
 * - {@link startsConnection} and {@link startsNewAttempt}: where the next connection starts.
 *
 * @module
 */

/** TCP flag bits as VPC Flow Logs log them (the OR over the window). */
export const TCP_FIN = 1;
/** SYN. */
export const TCP_SYN = 2;
/** RST. */
export const TCP_RST = 4;
/** ACK, logged only together with SYN (SYN-ACK 18). */
export const TCP_ACK = 16;

/** Direction of a record within its flow: towards the remote side (0) or back from it (1). */
export const FORWARD = 0;
/** The reply direction. */
export const BACKWARD = 1;

/** True when the flags mark an opening: SYN without ACK (the client's SYN, not the server's SYN-ACK). */
export function isOpening(flags: number): boolean {
  return flags >= 0 && (flags & TCP_SYN) !== 0 && (flags & TCP_ACK) === 0;
}

/** True when the flags hold FIN or RST. */
export function isClosing(flags: number): boolean {
  return flags > 0 && (flags & (TCP_FIN | TCP_RST)) !== 0;
}

/** Grows a typed array to `capacity`, keeping its contents. */
export function grown<T extends Float64Array | Float32Array | Int32Array | Int16Array | Uint8Array>(
  a: T,
  capacity: number,
): T {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a);
  return b;
}

/**
 * Orders two records of one 5-tuple by start, end, direction, flags and bytes (NaN bytes as 0): a
 * total order on what a record says, so records are taken in the same order for any delivery order
 * (equal records are duplicates).
 */
export function compareRecords(
  startA: number,
  endA: number,
  dirA: number,
  flagsA: number,
  bytesA: number,
  startB: number,
  endB: number,
  dirB: number,
  flagsB: number,
  bytesB: number,
): number {
  return startA - startB || endA - endB || dirA - dirB || flagsA - flagsB || (bytesA || 0) - (bytesB || 0);
}

/**
 * Seconds a client retransmits an unanswered SYN at most: Linux's default `tcp_syn_retries` (6)
 * backs off 1, 2, 4, … 64 s, 127 s in all (ip-sysctl, tcp_syn_retries). A SYN later than this
 * after an attempt that got no answer is a new attempt on the same port.
 */
export const SYN_RETRY_SECONDS = 127;

/**
 * True when a record of a 5-tuple, taken in {@link compareRecords} order, starts a new connection:
 * it begins more than `idleSeconds` after the latest packet of the records before it (the gateway
 * has forgotten the flow), or it is a forward opening (SYN without ACK) right after a record with FIN
 * or RST, or more than {@link SYN_RETRY_SECONDS} after the latest packet (no retransmission of an
 * earlier SYN: the gateway reused a port it had freed at an idle timeout logged a second short).
 * The printed Athena query applies the same rule to gateway flows (telemetry/queries/queries.ts).
 *
 * @param last latest end among the records before
 * @param prevFlags flags of the record just before (-1 for none)
 */
export function startsConnection(
  start: number,
  forwardOpening: boolean,
  last: number,
  prevFlags: number,
  idleSeconds: number,
): boolean {
  return (
    start > last + idleSeconds ||
    (forwardOpening && (isClosing(prevFlags) || start > last + SYN_RETRY_SECONDS))
  );
}

/**
 * On a client's flow, true when a forward opening in an attempt no backward record has answered
 * yet is no retransmission of its SYN: later than {@link SYN_RETRY_SECONDS} after the attempt's
 * first SYN, or than the next retransmission (TCP doubles the wait after each unanswered SYN,
 * RFC 6298 §5.5: a SYN last sent `e` s after the first is next sent about `2e + 1` s after it; 1 s
 * of timestamp rounding allowed) — a failed attempt, then a new one on its port.
 *
 * @param attemptStart start of the attempt's first record
 * @param lastForward latest end of the attempt's forward records
 */
export function startsNewAttempt(start: number, attemptStart: number, lastForward: number): boolean {
  return start - attemptStart > Math.min(SYN_RETRY_SECONDS, 2 * (lastForward - attemptStart) + 2);
}
