/**
 * SIP over TLS (RFC 3261 section 26.2, OPS-1): the shared stream machinery
 * over node:tls. Server key and certificate come from options (see
 * tls-cert.ts for a self-signed pair); connections we open to peers (trunks)
 * verify the peer's certificate unless `rejectUnauthorized` is false.
 * Default port 5061.
 */
import { isIP, type Server, type Socket } from 'node:net';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { StreamTransport, type StreamTransportOptions } from './stream-transport.ts';
import type { Endpoint } from './transport.ts';

export interface TlsTransportOptions extends StreamTransportOptions {
  /** PEM private key and certificate chain presented by the server (and as client certificate). */
  key: string | Buffer;
  cert: string | Buffer;
  /** Trusted CAs for peers (defaults to Node's root store). */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Verify the certificate of peers we connect to. Default true. */
  rejectUnauthorized?: boolean;
  /** Ask connecting clients for a certificate and refuse those without a valid one (mutual TLS). Default false. */
  requireClientCert?: boolean;
}

export class TlsTransport extends StreamTransport {
  readonly protocol = 'tls' as const;
  private readonly tlsOpts: TlsTransportOptions;

  constructor(opts: TlsTransportOptions) {
    super(opts, 5061, 'tls');
    this.tlsOpts = opts;
  }

  protected createServer(onSocket: (socket: Socket) => void): Server {
    const o = this.tlsOpts;
    const server = createServer(
      {
        key: o.key,
        cert: o.cert,
        ...(o.ca === undefined ? {} : { ca: o.ca }),
        requestCert: o.requireClientCert ?? false,
        rejectUnauthorized: o.requireClientCert ?? false,
        handshakeTimeout: this.connectTimeoutMs,
        minVersion: 'TLSv1.2',
      },
      (socket: TLSSocket) => onSocket(socket),
    );
    // refuse over-limit peers before spending a handshake on them (OPS-2)
    server.on('connection', (raw: Socket) => {
      if (!this.admits(raw.remoteAddress)) raw.destroy();
    });
    server.on('tlsClientError', (err, socket) => this.log.debug({ err, remote: socket.remoteAddress }, 'TLS handshake failed'));
    return server;
  }

  protected connectSocket(remote: Endpoint, started: (socket: Socket) => void): Promise<Socket> {
    const o = this.tlsOpts;
    return new Promise((resolve, reject) => {
      const socket = connect({
        host: remote.address,
        port: remote.port,
        ...(isIP(remote.address) === 0 ? { servername: remote.address } : {}),
        key: o.key,
        cert: o.cert,
        ...(o.ca === undefined ? {} : { ca: o.ca }),
        rejectUnauthorized: o.rejectUnauthorized ?? true,
        minVersion: 'TLSv1.2',
      });
      started(socket);
      const fail = (err?: Error): void => reject(err ?? new Error('closed during the TLS handshake'));
      socket.once('error', fail);
      socket.once('close', () => fail());
      socket.once('secureConnect', () => {
        socket.off('error', fail);
        socket.removeAllListeners('close');
        resolve(socket);
      });
    });
  }
}
