/**
 * TEL-2: the Fastify app (API, web UI, /api/v1/events) served a second time
 * over TLS on --https-port. Browsers grant getUserMedia only to a secure
 * context, so a softphone page loaded from another machine needs https.
 * The app keeps its own plain HTTP server; this node:https server hands each
 * request to the app's router and each WebSocket upgrade to the listeners
 * the app registered on its own server (the event stream), so both ports
 * serve the same routes, hooks and streams.
 */
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface HttpsListener {
  readonly port: number;
  close(): Promise<void>;
}

export async function listenHttps(app: FastifyInstance, o: { host: string; port: number; key: string; cert: string }): Promise<HttpsListener> {
  await app.ready();
  const sockets = new Set<Socket>();
  const server: Server = createServer({ key: o.key, cert: o.cert, minVersion: 'TLSv1.2' }, (req, res) => app.routing(req, res));
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req, socket, head) => {
    if (app.server.listenerCount('upgrade') === 0) return void socket.destroy();
    app.server.emit('upgrade', req, socket, head);
  });
  server.on('tlsClientError', (err) => app.log.debug({ err }, 'https: TLS handshake failed'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: o.host, port: o.port, ipv6Only: false }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => app.log.error({ err }, 'https server error'));
  const a = server.address();
  const port = a !== null && typeof a === 'object' ? a.port : o.port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
