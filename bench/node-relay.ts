/**
 * The floor under bench:media's relay comparison: the least a Node.js
 * process can do to relay RTP with one dgram socket per leg (what Hotline's
 * engine does): every datagram received on one leg's socket is sent on at
 * once from the other leg's socket to the party behind it, unparsed, with no
 * jitter buffer, clock or codec. bench/media.ts forks it and measures its
 * CPU beside Hotline's and rtpengine's.
 *
 * IPC: { type: 'setup', host, peerPorts } -> { type: 'ready', ports } (the
 * port each peer socket sends to); { type: 'teardown' } -> { type: 'closed' }.
 */
import { createSocket, type Socket } from 'node:dgram';

export type RelayCommand = { type: 'setup'; host: string; peerPorts: number[] } | { type: 'teardown' };
export type RelayMessage = { type: 'ready'; ports: number[] } | { type: 'closed' };

let sockets: Socket[] = [];

async function setup(host: string, peerPorts: number[]): Promise<number[]> {
  sockets = [];
  for (let i = 0; i < peerPorts.length; i++) {
    const s = createSocket({ type: 'udp4', recvBufferSize: 128 * 1024, sendBufferSize: 128 * 1024, lookup: (h, _o, cb) => cb(null, h, 4) });
    await new Promise<void>((r) => s.bind(0, host, r));
    sockets.push(s);
  }
  for (let i = 0; i < sockets.length; i++) {
    const other = sockets[i ^ 1]!;
    const to = peerPorts[i ^ 1]!;
    sockets[i]!.on('message', (m) => other.send(m, to, host));
  }
  return sockets.map((s) => s.address().port);
}

process.on('message', (m: RelayCommand) => {
  if (m.type === 'setup') void setup(m.host, m.peerPorts).then((ports) => process.send!({ type: 'ready', ports } satisfies RelayMessage));
  else {
    for (const s of sockets) s.close();
    sockets = [];
    process.send!({ type: 'closed' } satisfies RelayMessage);
  }
});
