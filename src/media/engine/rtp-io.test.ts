import { readFileSync } from 'node:fs';
import { createSocket, type Socket } from 'node:dgram';
import rtpIo from 'hotline-rtp-io';
import { afterEach, describe, expect, it } from 'vitest';
import { ipv4Number } from './rtp-leg.ts';

/**
 * hotline-rtp-io, the media workers' socket addon (native/rtp-io), against
 * node:dgram sockets on loopback as the far end: what it reads and sends is
 * what a plain UDP peer sees (issue 3, TEL-3).
 */
const LOOPBACK = ipv4Number('127.0.0.1');
const [HI, LO] = [LOOPBACK >>> 16, LOOPBACK & 0xffff];
const fds: number[] = [];
const peers: Socket[] = [];

async function peer(): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  peers.push(s);
  return s;
}

function open(port = 0): number {
  const fd = rtpIo.open('127.0.0.1', port, 65536, 65536);
  fds.push(fd);
  return fd;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(() => {
  for (const fd of fds.splice(0)) rtpIo.close(fd);
  for (const s of peers.splice(0)) s.close();
});

describe('hotline-rtp-io: batched, poll-free UDP for the media clock - TEL-3', () => {
  it('reads every waiting datagram in order with its source and age, in batches, and 0 when none waits', async () => {
    const fd = open();
    const port = rtpIo.localPort(fd);
    expect(port).toBeGreaterThan(0);
    const p = await peer();
    const slab = new Uint8Array(4 * 256);
    const meta = new Float64Array(4 * 4);
    expect(rtpIo.recv(fd, slab, meta, 4)).toBe(0);
    // sent (each callback comes after its send call, when the kernel has taken the datagram), then 50 ms waited
    await Promise.all(Array.from({ length: 6 }, (_, i) => new Promise<void>((r, j) => p.send(Buffer.from([i, i, i, 0xab].slice(0, 2 + (i % 3))), port, '127.0.0.1', (e) => (e ? j(e) : r())))));
    await sleep(50);
    const first = rtpIo.recv(fd, slab, meta, 4);
    expect(first).toBe(4);
    for (let i = 0; i < 4; i++) {
      expect(meta[i * 4]).toBe(2 + (i % 3));
      expect(slab[i * 256]).toBe(i);
      expect(meta[i * 4 + 1]).toBe(LOOPBACK);
      expect(meta[i * 4 + 2]).toBe(p.address().port);
      // the kernel's receive time: at least the 50 ms waited, not the time of this read
      expect(meta[i * 4 + 3]).toBeGreaterThanOrEqual(40);
      expect(meta[i * 4 + 3]).toBeLessThan(5000);
    }
    expect(rtpIo.recv(fd, slab, meta, 4)).toBe(2);
    expect(slab[0]).toBe(4);
    expect(rtpIo.recv(fd, slab, meta, 4)).toBe(0);
  });

  it('marks a datagram larger than its slot with a negative length instead of passing a truncated one', async () => {
    const fd = open();
    const p = await peer();
    p.send(Buffer.alloc(300, 7), rtpIo.localPort(fd), '127.0.0.1');
    await sleep(30);
    const meta = new Float64Array(8);
    expect(rtpIo.recv(fd, new Uint8Array(2 * 128), meta, 2)).toBe(1);
    expect(meta[0]).toBe(-300);
  });

  it('sends from the bound port to an address, or to the connected peer', async () => {
    const fd = open();
    const p = await peer();
    const got: Array<{ data: number[]; port: number }> = [];
    p.on('message', (m, r) => got.push({ data: [...m], port: r.port }));
    const data = Uint8Array.of(1, 2, 3, 4, 5);
    expect(rtpIo.send(fd, data, 3, HI, LO, p.address().port)).toBe(3);
    rtpIo.connect(fd, '127.0.0.1', p.address().port);
    expect(rtpIo.send(fd, data, 5, 0, 0, 0)).toBe(5);
    await sleep(30);
    expect(got).toEqual([
      { data: [1, 2, 3], port: rtpIo.localPort(fd) },
      { data: [1, 2, 3, 4, 5], port: rtpIo.localPort(fd) },
    ]);
  });

  it('a connected socket hears only its peer; disconnect opens it again (a socket bound to a port of its own)', async () => {
    const probe = open();
    const own = rtpIo.localPort(probe);
    rtpIo.close(fds.pop()!);
    const fd = open(own);
    const a = await peer();
    const b = await peer();
    rtpIo.connect(fd, '127.0.0.1', a.address().port);
    const port = rtpIo.localPort(fd);
    a.send(Buffer.from([1]), port, '127.0.0.1');
    b.send(Buffer.from([2]), port, '127.0.0.1');
    await sleep(30);
    const slab = new Uint8Array(4 * 64);
    const meta = new Float64Array(16);
    expect(rtpIo.recv(fd, slab, meta, 4)).toBe(1);
    expect(meta[2]).toBe(a.address().port);
    rtpIo.disconnect(fd);
    b.send(Buffer.from([3]), port, '127.0.0.1');
    await sleep(30);
    expect(rtpIo.recv(fd, slab, meta, 4)).toBe(1);
    expect(meta[2]).toBe(b.address().port);
  });

  it('a connected socket whose peer is gone reports ECONNREFUSED once, then reads on', async () => {
    const gone = await peer();
    const port = gone.address().port;
    gone.close();
    peers.splice(peers.indexOf(gone), 1);
    const fd = open();
    rtpIo.connect(fd, '127.0.0.1', port);
    expect(rtpIo.send(fd, Uint8Array.of(1), 1, 0, 0, 0)).toBe(1);
    await sleep(30);
    const slab = new Uint8Array(64);
    const meta = new Float64Array(4);
    expect(rtpIo.recv(fd, slab, meta, 1)).toBe(-rtpIo.ECONNREFUSED);
    expect(rtpIo.recv(fd, slab, meta, 1)).toBe(0);
  });

  it('sendMany sends a batch from one socket to several destinations', async () => {
    const fd = open();
    const a = await peer();
    const b = await peer();
    const seen: string[] = [];
    a.on('message', (m) => seen.push(`a${m[0]}:${m.length}`));
    b.on('message', (m) => seen.push(`b${m[0]}:${m.length}`));
    const slot = 32;
    const slab = new Uint8Array(3 * slot);
    const meta = new Float64Array(3 * 4);
    [
      [a, 10, 4],
      [b, 20, 7],
      [a, 30, 1],
    ].forEach(([s, v, len], i) => {
      slab[i * slot] = v as number;
      meta.set([len as number, LOOPBACK, (s as Socket).address().port, 0], i * 4);
    });
    expect(rtpIo.sendMany(fd, slab, meta, 3, slot)).toBe(3);
    await sleep(30);
    expect(seen.sort()).toEqual(['a10:4', 'a30:1', 'b20:7']);
  });

  it('answers bad arguments and OS errors with typed errors, and closes what it opened', async () => {
    const fd = open();
    const port = rtpIo.localPort(fd);
    expect(() => rtpIo.open('127.0.0.1', port, 0, 0)).toThrow(expect.objectContaining({ code: 'EADDRINUSE' }));
    expect(() => rtpIo.open('not-an-address', 0, 0, 0)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG' }));
    expect(() => rtpIo.send(fd, new Uint8Array(4), 5, HI, LO, 9)).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(() => rtpIo.recv(fd, new Uint8Array(64), new Float64Array(1), 4)).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(() => rtpIo.recv(fd, new Uint8Array(64), new Float32Array(16) as unknown as Float64Array, 1)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG' }));
    expect(() => rtpIo.localPort(-1)).toThrow(expect.objectContaining({ code: 'EBADF' }));
    // a port freed by close can be bound again
    rtpIo.close(fds.pop()!);
    fds.push(rtpIo.open('127.0.0.1', port, 0, 0));
  });

  it('sets the calling thread\'s nice value (a lower one where the process may)', () => {
    const before = rtpIo.threadNice();
    expect(rtpIo.setThreadNice(before + 1)).toBe(0); // lowering one's own priority is always allowed
    expect(rtpIo.threadNice()).toBe(before + 1);
    const raised = rtpIo.setThreadNice(before);
    // raising it back needs root or CAP_SYS_NICE (CI runs as root)
    if (process.getuid?.() === 0) expect(raised).toBe(0);
    else expect([0, -13, -1]).toContain(raised);
  });

  it('moves the calling thread to real-time scheduling and back, keeping its nice value', () => {
    const nice = rtpIo.threadNice();
    expect(rtpIo.threadRealtime()).toBe(0);
    const r = rtpIo.setThreadRealtime(7);
    if (process.getuid?.() !== 0) {
      expect([0, -1]).toContain(r); // EPERM without CAP_SYS_NICE or an RLIMIT_RTPRIO
      if (r !== 0) return;
    }
    expect(r).toBe(0);
    expect(rtpIo.threadRealtime()).toBe(7);
    // the kernel's own view of this thread: SCHED_FIFO is policy 1
    expect(readFileSync('/proc/thread-self/sched', 'utf8')).toMatch(/^policy\s*:\s*1$/m);
    expect(rtpIo.setThreadRealtime(0)).toBe(0);
    expect(rtpIo.threadRealtime()).toBe(0);
    expect(readFileSync('/proc/thread-self/sched', 'utf8')).toMatch(/^policy\s*:\s*0$/m);
    expect(rtpIo.threadNice()).toBe(nice);
    expect(rtpIo.setThreadRealtime(100)).toBe(-22); // EINVAL: beyond SCHED_FIFO's 1-99
  });

  it('pins the calling thread to one CPU and lets it go again', () => {
    const all = rtpIo.threadCpus();
    expect(all.length).toBeGreaterThan(0);
    const last = all[all.length - 1]!;
    expect(rtpIo.setThreadCpu(last)).toBe(0);
    expect(rtpIo.threadCpus()).toEqual([last]);
    expect(readFileSync('/proc/thread-self/status', 'utf8')).toMatch(new RegExp(`^Cpus_allowed_list:\\s*${last}$`, 'm'));
    expect(rtpIo.setThreadCpu(-1)).toBe(0);
    expect(rtpIo.threadCpus()).toEqual(all);
    expect(rtpIo.setThreadCpu(100000)).toBe(-22);
  });
});

describe('hotline-rtp-io: the paced sender (MediaEngineOptions.sendAhead) - TEL-3', () => {
  const received = async (fd: number, want: number) => {
    const slab = new Uint8Array(4 * 64);
    const meta = new Float64Array(4 * 4);
    const got: { byte: number; length: number; atWallMs: number }[] = [];
    for (let i = 0; i < 200 && got.length < want; i++) {
      await sleep(10);
      const n = rtpIo.recv(fd, slab, meta, 4);
      const now = Date.now();
      // the kernel's receive time on the wall clock: now less the datagram's age
      for (let k = 0; k < n; k++) got.push({ byte: slab[k * 64]!, length: meta[k * 4]!, atWallMs: now - meta[k * 4 + 3]! });
    }
    return got;
  };

  it('sends each batch in order and never before its due time, counts what it sent, and closes a retired socket only once the datagrams queued before it are out', async () => {
    const from = rtpIo.open('127.0.0.1', 0, 65536, 65536); // retired through the sender below, so not in `fds`
    const to = open();
    const toPort = rtpIo.localPort(to);
    const sender = rtpIo.senderStart(0, -1);
    try {
      const wallMinusMono = Date.now() - rtpIo.monotonicMs();
      const due = rtpIo.monotonicMs() + 150;
      expect(rtpIo.senderPut(sender, from, Uint8Array.of(1), 1, HI, LO, toPort)).toBe(0);
      rtpIo.senderCommit(sender, due);
      expect(rtpIo.senderPut(sender, from, Uint8Array.of(2, 2, 2), 3, HI, LO, toPort)).toBe(0);
      rtpIo.senderClose(sender, from);
      rtpIo.senderCommit(sender, due + 50);
      expect(rtpIo.localPort(from)).toBeGreaterThan(0); // open while a datagram naming it waits
      const got = await received(to, 2);
      expect(got.map((g) => [g.byte, g.length])).toEqual([
        [1, 1],
        [2, 3],
      ]);
      // 2 ms for reading two clocks (Date.now() is whole milliseconds)
      expect(got[0]!.atWallMs).toBeGreaterThanOrEqual(due + wallMinusMono - 2);
      expect(got[1]!.atWallMs).toBeGreaterThanOrEqual(due + 50 + wallMinusMono - 2);
      for (let i = 0; i < 100; i++) {
        try {
          rtpIo.localPort(from);
        } catch {
          break;
        }
        await sleep(10);
      }
      expect(() => rtpIo.localPort(from)).toThrow(expect.objectContaining({ code: 'EBADF' }));
      const [sent, dropped, errors, batches] = rtpIo.senderStats(sender);
      expect([sent, dropped, errors, batches]).toEqual([2, 0, 0, 2]);
    } finally {
      rtpIo.senderStop(sender);
    }
  });

  it('counts every datagram it sends over 10 ms after its due time, and the batches that had one', async () => {
    const from = open();
    const to = open();
    const toPort = rtpIo.localPort(to);
    const sender = rtpIo.senderStart(0, -1);
    // a batch whose tick ran 50 ms past it (three datagrams), then one due in a minute (two), sent early by stop
    for (let i = 0; i < 3; i++) expect(rtpIo.senderPut(sender, from, Uint8Array.of(i), 1, HI, LO, toPort)).toBe(0);
    rtpIo.senderCommit(sender, rtpIo.monotonicMs() - 50);
    for (let i = 3; i < 5; i++) expect(rtpIo.senderPut(sender, from, Uint8Array.of(i), 1, HI, LO, toPort)).toBe(0);
    rtpIo.senderCommit(sender, rtpIo.monotonicMs() + 60_000);
    expect((await received(to, 3)).map((g) => g.byte)).toEqual([0, 1, 2]);
    rtpIo.senderStop(sender);
    expect((await received(to, 2)).map((g) => g.byte)).toEqual([3, 4]);
    const [sent, , , batches, lateBatches, maxLateMs, , , lateDatagrams] = rtpIo.senderStats(sender);
    expect([sent, batches, lateBatches, lateDatagrams]).toEqual([5, 2, 1, 3]);
    expect(maxLateMs).toBeGreaterThanOrEqual(50);
  });

  it('on stop sends what is committed at once, closes what was retired, and leaves a datagram too large for a batch to the caller', async () => {
    const from = open();
    const to = open();
    const toPort = rtpIo.localPort(to);
    const retired = rtpIo.open('127.0.0.1', 0, 65536, 65536);
    const sender = rtpIo.senderStart(0, -1);
    expect(rtpIo.senderPut(sender, from, new Uint8Array(600), 600, HI, LO, toPort)).toBe(-1);
    expect(rtpIo.senderPut(sender, from, Uint8Array.of(7), 1, HI, LO, toPort)).toBe(0);
    rtpIo.senderCommit(sender, rtpIo.monotonicMs() + 60_000);
    rtpIo.senderClose(sender, retired); // in a batch never committed: closed on stop
    rtpIo.senderStop(sender);
    const got = await received(to, 1);
    expect(got.map((g) => g.byte)).toEqual([7]);
    expect(() => rtpIo.localPort(retired)).toThrow(expect.objectContaining({ code: 'EBADF' }));
    expect(rtpIo.senderStats(sender).slice(0, 3)).toEqual([1, 0, 0]);
  });
});
