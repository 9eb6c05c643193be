/**
 * The records of flows still open, kept until a flow is final so that its connections are rebuilt
 * from its records sorted by time, whatever order the files delivered them in:
 * - {@link RecordPool}: one slot per record (times, flags, direction, bytes, where it was read),
 *   chained per flow, slots reused through a free list;
 * - {@link sortedRecords} and {@link segmentStarts}: the order-independent rule that splits one
 *   5-tuple's records into connections.
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

/** Records of live flows, one slot each, chained per flow through `next` (-1 ends a chain). */
export class RecordPool {
  /** Whole seconds from the reader's first record (VPC Flow Logs times are whole seconds). */
  start = new Int32Array(1024);
  end = new Int32Array(1024);
  /** tcp-flags, -1 when not logged (or UDP). */
  flags = new Int16Array(1024);
  /** {@link FORWARD} or {@link BACKWARD}. */
  dir = new Uint8Array(1024);
  /** Bytes of the record (NaN when not logged), as a 32-bit float: enough to tell records apart and to sum. */
  bytes = new Float32Array(1024);
  /** Index of the file the record was read from, and its line (for reports). */
  file = new Int32Array(1024);
  line = new Int32Array(1024);
  next = new Int32Array(1024);
  private freeHead = -1;
  private used = 0;
  /** Records held. */
  size = 0;

  /** A new record chained before `next`. */
  alloc(
    start: number,
    end: number,
    flags: number,
    dir: number,
    bytes: number,
    file: number,
    line: number,
    next: number,
  ): number {
    let i = this.freeHead;
    if (i >= 0) this.freeHead = this.next[i];
    else {
      i = this.used++;
      if (i === this.start.length) this.grow(i * 2);
    }
    this.start[i] = start;
    this.end[i] = end;
    this.flags[i] = flags;
    this.dir[i] = dir;
    this.bytes[i] = bytes;
    this.file[i] = file;
    this.line[i] = line;
    this.next[i] = next;
    this.size++;
    return i;
  }

  /** Gives record `i` back. */
  release(i: number): void {
    this.next[i] = this.freeHead;
    this.freeHead = i;
    this.size--;
  }

  /** True when the chain from `head` holds a record equal to the one given (the same window delivered twice). */
  holds(head: number, start: number, end: number, flags: number, dir: number, bytes: number): boolean {
    bytes = Math.fround(bytes);
    for (let i = head; i >= 0; i = this.next[i]) {
      if (
        this.start[i] === start &&
        this.end[i] === end &&
        this.flags[i] === flags &&
        this.dir[i] === dir &&
        (this.bytes[i] === bytes || (Number.isNaN(bytes) && Number.isNaN(this.bytes[i])))
      )
        return true;
    }
    return false;
  }

  private grow(capacity: number): void {
    this.start = grown(this.start, capacity);
    this.end = grown(this.end, capacity);
    this.flags = grown(this.flags, capacity);
    this.dir = grown(this.dir, capacity);
    this.bytes = grown(this.bytes, capacity);
    this.file = grown(this.file, capacity);
    this.line = grown(this.line, capacity);
    this.next = grown(this.next, capacity);
  }
}

/** Orders two records by start, end, direction, flags, bytes: a total order on what a record says. */
function compare(p: RecordPool, a: number, b: number): number {
  return (
    p.start[a] - p.start[b] ||
    p.end[a] - p.end[b] ||
    p.dir[a] - p.dir[b] ||
    p.flags[a] - p.flags[b] ||
    (p.bytes[a] || 0) - (p.bytes[b] || 0)
  );
}

/** The records of the chain from `head`, sorted by {@link compare} (the same for any delivery order). */
export function sortedRecords(p: RecordPool, head: number): number[] {
  const ids: number[] = [];
  for (let i = head; i >= 0; i = p.next[i]) ids.push(i);
  if (ids.length < 24) {
    for (let k = 1; k < ids.length; k++) {
      const v = ids[k];
      let j = k - 1;
      while (j >= 0 && compare(p, ids[j], v) > 0) {
        ids[j + 1] = ids[j];
        j--;
      }
      ids[j + 1] = v;
    }
  } else ids.sort((a, b) => compare(p, a, b));
  return ids;
}

/**
 * Seconds a client retransmits an unanswered SYN at most: Linux's default `tcp_syn_retries` (6)
 * backs off 1, 2, 4, … 64 s, 127 s in all (ip-sysctl, tcp_syn_retries). A SYN later than this
 * after an attempt that got no answer is a new attempt on the same port.
 */
export const SYN_RETRY_SECONDS = 127;

/**
 * Positions in `ids` (sorted records of one 5-tuple) where a connection starts: the first record;
 * a forward record opening (SYN without ACK) right after a record with FIN or RST, or more than
 * {@link SYN_RETRY_SECONDS} after the latest packet (no retransmission of an earlier SYN: the
 * gateway reused a port it had freed at an idle timeout logged a second short); any record more
 * than `idleSeconds` after the latest packet of the records before it (the gateway has forgotten
 * the flow). With `retrySeconds` (client flows), also a forward opening in an attempt no backward
 * record has answered yet that is no retransmission of its SYN: later than `retrySeconds` after
 * the attempt's first SYN, or than the next retransmission (TCP doubles the wait after each
 * unanswered SYN, RFC 6298 §5.5: a SYN last sent `e` s after the first is next sent about `2e + 1` s
 * after it; 1 s of timestamp rounding allowed) — a failed attempt, then a new one on its port.
 * The printed Athena query applies the same rule to gateway flows (telemetry/queries/queries.ts).
 */
export function segmentStarts(
  p: RecordPool,
  ids: readonly number[],
  idleSeconds: number,
  retrySeconds = Number.POSITIVE_INFINITY,
): number[] {
  const starts: number[] = [];
  let last = Number.NEGATIVE_INFINITY;
  let prevFlags = -1;
  let segmentStart = 0;
  let answered = false;
  let lastForward = 0;
  for (let k = 0; k < ids.length; k++) {
    const i = ids[k];
    const opening = p.dir[i] === FORWARD && isOpening(p.flags[i]);
    if (
      k === 0 ||
      p.start[i] > last + idleSeconds ||
      (opening && (isClosing(prevFlags) || p.start[i] > last + SYN_RETRY_SECONDS)) ||
      (opening &&
        !answered &&
        retrySeconds < Number.POSITIVE_INFINITY &&
        p.start[i] - segmentStart > Math.min(retrySeconds, 2 * (lastForward - segmentStart) + 2))
    ) {
      starts.push(k);
      segmentStart = p.start[i];
      lastForward = p.start[i];
      answered = false;
    }
    if (p.dir[i] === FORWARD && p.end[i] > lastForward) lastForward = p.end[i];
    if (p.dir[i] === BACKWARD) answered = true;
    if (p.end[i] > last) last = p.end[i];
    prevFlags = p.flags[i];
  }
  return starts;
}
