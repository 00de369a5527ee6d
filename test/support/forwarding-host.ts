import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ForwardingHost {
  url: string;
  /** `METHOD /path` of every request it received, in order. */
  paths: string[];
  close(): Promise<void>;
}

/**
 * A pass-through in front of another server (the emulator), standing in for one of Procore's
 * hosts. `intercept` may answer a request itself (return true); everything else is forwarded.
 */
export async function startForwardingHost(
  target: string,
  intercept: (req: IncomingMessage, res: ServerResponse, route: string) => boolean = () => false,
): Promise<ForwardingHost> {
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    const route = `${req.method} ${new URL(req.url!, 'http://x').pathname}`;
    paths.push(route);
    if (intercept(req, res, route)) return;
    const upstream = httpRequest(new URL(req.url!, target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
