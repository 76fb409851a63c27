/**
 * SIP over TCP (RFC 3261 section 18): the shared stream machinery over
 * node:net. Default port 5060.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { StreamTransport, type StreamTransportOptions } from './stream-transport.ts';
import type { Endpoint } from './transport.ts';

export type TcpTransportOptions = StreamTransportOptions;

export class TcpTransport extends StreamTransport {
  readonly protocol = 'tcp' as const;

  constructor(opts: TcpTransportOptions) {
    super(opts, 5060, 'tcp');
  }

  protected createServer(onSocket: (socket: Socket) => void): Server {
    return createServer({ noDelay: true }, onSocket);
  }

  protected connectSocket(remote: Endpoint, started: (socket: Socket) => void): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: remote.address, port: remote.port, noDelay: true });
      started(socket);
      const fail = (err?: Error): void => reject(err ?? new Error('closed while connecting'));
      socket.once('error', fail);
      socket.once('close', () => fail());
      socket.once('connect', () => {
        socket.off('error', fail);
        socket.removeAllListeners('close');
        resolve(socket);
      });
    });
  }
}
