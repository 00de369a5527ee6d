import { createServer, STATUS_CODES, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { RequestListener } from 'node:http';

/** The statuses Node answers a request it could not parse with (see answerClientError). */
export type ClientErrorStatus = 400 | 408 | 431;

export interface ListenOptions {
  /**
   * The page (HTML) to answer a request Node's parser refused with, instead of Node's bare status
   * line: headers too large (431, e.g. a 20,000-character address), a request not sent in time
   * (408), anything else malformed (400).
   */
  clientErrorPage?: (status: ClientErrorStatus) => string;
}

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  /** Stops accepting connections and waits for in-flight requests, at most `graceMs`; then cuts the rest. */
  close(graceMs?: number): Promise<void>;
}

/** Node's own choice of status for a parse error (lib/_http_server.js), answered with `page`. */
export function answerClientError(
  error: NodeJS.ErrnoException & { bytesParsed?: number },
  socket: Socket,
  page: (status: ClientErrorStatus) => string,
): void {
  // A reset or half-written socket has no one to answer.
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status: ClientErrorStatus =
    error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = Buffer.from(page(status), 'utf8');
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Content-Type: text/html; charset=utf-8',
    `Content-Length: ${body.length}`,
    'Cache-Control: no-store',
    'X-Content-Type-Options: nosniff',
    "Content-Security-Policy: default-src 'self'; frame-ancestors 'none'",
    'Connection: close',
  ].join('\r\n');
  socket.end(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body]));
}

export async function listen(
  handler: RequestListener,
  port: number,
  host?: string,
  options: ListenOptions = {},
): Promise<RunningServer> {
  const server = createServer(handler);
  const { clientErrorPage } = options;
  if (clientErrorPage)
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) =>
      answerClientError(error, socket, clientErrorPage),
    );
  // Slightly above typical load-balancer idle timeouts so the proxy closes first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = host && host !== '0.0.0.0' && host !== '::' ? host : 'localhost';
  return {
    server,
    port: address.port,
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${address.port}`,
    close(graceMs = 10_000) {
      return new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
