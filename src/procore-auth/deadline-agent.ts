import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';

/** The error a connection is destroyed with when it outlives its deadline (or, the subclass, brings more than its byte cap). */
export class ConnectionDeadlineError extends Error {
  override readonly name = 'ConnectionDeadlineError';
}
export class ConnectionCapError extends ConnectionDeadlineError {}

/**
 * An HTTP(S) agent whose one-request connections are destroyed `timeoutMs` after they opened, in whatever state: the
 * request fails with that error (passport-oauth2's `InternalOAuthError`). An agent's own `timeout` only reports idle
 * sockets, it does not end the request. The class must match the URL's protocol.
 */
export function createDeadlineAgent(url: string, timeoutMs: number, maxBytes: number): http.Agent {
  const Base: typeof http.Agent = new URL(url).protocol === 'https:' ? https.Agent : http.Agent;

  class DeadlineAgent extends Base {
    override createConnection(
      options: http.ClientRequestArgs,
      callback?: (error: Error | null, stream: Duplex) => void,
    ): Duplex | null | undefined {
      const socket = super.createConnection(options, callback);
      if (socket) {
        const deadline = setTimeout(() => {
          socket.destroy(
            new ConnectionDeadlineError(
              `No complete answer from ${options.host ?? 'the server'} within ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
        deadline.unref();
        socket.once('close', () => clearTimeout(deadline));
        let received = 0; // node-oauth reads a whole answer before looking at it: past `maxBytes` (headers too) the connection is cut
        socket.on(
          'data',
          (chunk: Buffer) =>
            (received += chunk.length) > maxBytes &&
            socket.destroy(new ConnectionCapError(`More than ${maxBytes} bytes from ${options.host ?? 'the server'}`)),
        );
      }
      return socket;
    }
  }

  // No keep-alive: each token request gets a connection (and so a deadline) of its own.
  return new DeadlineAgent({ keepAlive: false });
}
