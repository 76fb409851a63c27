// Test harness: the smallest honest SIP UAS for one call over UDP. It answers
// an INVITE with 200 OK carrying the SDP answer it is given (the engine leg's
// address and port, made by the project's SDP negotiator), takes the ACK and
// answers BYE. No SIP switch exists yet; this stands in for the signalling
// only, never for media.
import { createSocket, type Socket } from 'node:dgram';

export interface TinyUas {
  port: number;
  /** Resolves with the INVITE's SDP offer; the caller returns the answer SDP. */
  onInvite(answer: (offer: string) => Promise<string>): void;
  bye: Promise<void>;
  close(): void;
}

function header(msg: string, name: string): string[] {
  return msg.split('\r\n').filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
}

function response(req: string, status: string, body = '', toTag = 'hotline-e2e'): string {
  const to = header(req, 'To')[0]!;
  const lines = [`SIP/2.0 ${status}`, ...header(req, 'Via'), header(req, 'From')[0]!, to.includes('tag=') ? to : `${to};tag=${toTag}`, header(req, 'Call-ID')[0]!, header(req, 'CSeq')[0]!];
  if (body) lines.push('Contact: <sip:media@127.0.0.1>', 'Content-Type: application/sdp');
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`, '', body);
  return lines.join('\r\n');
}

export function startTinyUas(): Promise<TinyUas> {
  const sock: Socket = createSocket('udp4');
  let answerFn: ((offer: string) => Promise<string>) | undefined;
  let byeResolve!: () => void;
  const bye = new Promise<void>((r) => (byeResolve = r));
  let answered: string | undefined;
  sock.on('message', (buf, rinfo) => {
    const msg = buf.toString();
    const send = (s: string) => sock.send(s, rinfo.port, rinfo.address);
    const method = msg.split(' ', 1)[0];
    if (method === 'INVITE') {
      if (answered) return send(answered); // retransmission
      const offer = msg.slice(msg.indexOf('\r\n\r\n') + 4);
      send(response(msg, '100 Trying'));
      void answerFn!(offer).then((sdp) => {
        answered = response(msg, '200 OK', sdp);
        send(answered);
      });
    } else if (method === 'BYE') {
      send(response(msg, '200 OK'));
      byeResolve();
    }
  });
  return new Promise((resolve) => {
    sock.bind(0, '127.0.0.1', () =>
      resolve({
        port: sock.address().port,
        onInvite: (fn) => (answerFn = fn),
        bye,
        close: () => sock.close(),
      }),
    );
  });
}
