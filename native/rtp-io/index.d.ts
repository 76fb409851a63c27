/**
 * Hotline's RTP socket I/O (native, Linux). Sockets are plain file
 * descriptors owned by the thread that opened them; nothing here touches
 * the event loop. Addresses are IPv4 as unsigned 32-bit numbers in network
 * order read as big-endian (1.2.3.4 is 0x01020304).
 */
declare namespace rtpIo {
  /** Opens a non-blocking UDP socket bound to address:port (port 0: any) with the given buffer sizes; kernel receive times on. Throws an Error with `code` (EADDRINUSE ...). */
  function open(address: string, port: number, recvBufferBytes: number, sendBufferBytes: number): number;
  /** The local port a socket is bound to. */
  function localPort(fd: number): number;
  /** Connects the socket to address:port (the kernel then drops datagrams from other sources). Throws on failure. */
  function connect(fd: number, address: string, port: number): void;
  /**
   * Undoes connect. Linux then forgets an ephemeral local port (one bound
   * as port 0): disconnect only sockets bound to a port of their own, and
   * connect again directly to move a connected socket to a new peer.
   */
  function disconnect(fd: number): void;
  function close(fd: number): void;
  /**
   * Sends `length` octets of `data` as one datagram to the address whose
   * upper and lower 16 bits are addrHi and addrLo (small integers: a 32-bit
   * address would be a heap-allocated number in JavaScript on every call)
   * and port, or to the connected peer when port is 0. Returns the octets
   * sent, or minus the errno (-11 EAGAIN: send buffer full, the datagram was
   * not sent).
   */
  function send(fd: number, data: Uint8Array, length: number, addrHi: number, addrLo: number, port: number): number;
  /**
   * Reads up to `max` waiting datagrams without blocking (one recvmmsg).
   * Datagram i is copied to slab[i * slot ...] with slot = slab.length / max;
   * meta[i * 4 ...] gets its length (negative when it did not fit the slot),
   * source address, source port, and its age in ms (now minus the kernel's
   * receive time). Returns how many were read (0 when none wait), or minus the
   * errno of a pending socket error (-111 ECONNREFUSED on a connected socket).
   */
  function recv(fd: number, slab: Uint8Array, meta: Float64Array, max: number): number;
  /**
   * Sends up to 64 datagrams from one socket with one sendmmsg: datagram i
   * is slab[i * slot ...], meta[i * 4 ...] its length, destination address
   * and port (the fourth number is unused). Returns how many were sent (a
   * full send buffer stops the batch early), or minus the errno.
   */
  function sendMany(fd: number, slab: Uint8Array, meta: Float64Array, count: number, slot: number): number;
  /**
   * Sets the calling thread's nice value (Linux keeps it per thread; lower
   * runs first). Returns 0, or minus the errno (-13 EACCES: raising the
   * priority needs CAP_SYS_NICE or an RLIMIT_NICE that allows it).
   */
  function setThreadNice(nice: number): number;
  /** The calling thread's nice value. */
  function threadNice(): number;
  /**
   * Moves the calling thread to SCHED_FIFO at `priority` (1-99), or back to
   * the ordinary policy, its nice value kept, when `priority` is 0. Returns
   * 0, or minus the errno (-1 EPERM: real-time scheduling needs
   * CAP_SYS_NICE or an RLIMIT_RTPRIO that allows it).
   */
  function setThreadRealtime(priority: number): number;
  /** The calling thread's real-time (SCHED_FIFO or SCHED_RR) priority; 0 under the ordinary policy. */
  function threadRealtime(): number;
  /** Lets the calling thread run on `cpu` alone, or on every configured CPU when `cpu` is -1. Returns 0, or minus the errno (-22 EINVAL: no such CPU). */
  function setThreadCpu(cpu: number): number;
  /** The CPUs the calling thread may run on, ascending. */
  function threadCpus(): number[];
  /** A paced sender (senderStart): a thread that sends committed batches of datagrams at their due time. */
  interface Sender {
    readonly __sender: unique symbol;
  }
  /**
   * Starts a paced sender thread at SCHED_FIFO `rtPriority` (0: ordinary
   * scheduling) on `cpu` (-1: any); failures to get either are reported by
   * senderStats, the thread runs regardless. It stops when the thread that
   * started it exits (or senderStop).
   */
  function senderStart(rtPriority: number, cpu: number): Sender;
  /**
   * Copies one datagram into the batch being built (as `send` takes it:
   * port 0 sends to the connected peer). Returns 0, or -1 when it is too
   * large for a batch (512 octets) or memory ran out: send it directly.
   */
  function senderPut(sender: Sender, fd: number, data: Uint8Array, length: number, addrHi: number, addrLo: number, port: number): number;
  /** Closes `fd` once the batch being built, and every batch before it, is sent. */
  function senderClose(sender: Sender, fd: number): void;
  /** Hands the batch being built to the thread, to be sent at `dueMs` on the monotonic clock (monotonicMs); a batch already due goes at once. */
  function senderCommit(sender: Sender, dueMs: number): void;
  /**
   * [sent, dropped (send buffer full, refused), errors, batches, batches with
   * a datagram sent over 10 ms after their due time, the latest datagram's
   * lateness (ms), errno of the real-time request, errno of the CPU request,
   * datagrams sent over 10 ms after their due time].
   */
  function senderStats(sender: Sender): [number, number, number, number, number, number, number, number, number];
  /** Sends what is committed without waiting for its time, closes the retired descriptors and ends the thread. */
  function senderStop(sender: Sender): void;
  /** CLOCK_MONOTONIC in ms: the clock of senderCommit's due times. */
  function monotonicMs(): number;
  /** The errno constants the results use. */
  const EAGAIN: number;
  const ECONNREFUSED: number;
  const ENOBUFS: number;
}
export = rtpIo;
