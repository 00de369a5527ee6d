import type { ServerResponse } from 'node:http';

/** A body far larger than anything Procore sends: `prefix`, then `bytes` of filler, then `suffix`. */
export interface HugeBody {
  bytes: number;
  /** E.g. `[{"id":1,"name":"` so the filler is one project's name. */
  prefix?: string;
  suffix?: string;
  /** Send Content-Length (the client can refuse before reading); else the body is chunked. */
  declareLength?: boolean;
}

export const MIB = 1024 * 1024;

/**
 * Streams a huge body without holding it: 64 KiB at a time, waiting for the socket to drain, and
 * stopping when the client goes away (as a client that gives up early does). Resolves with the
 * bytes written.
 */
export async function sendHugeBody(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: HugeBody,
): Promise<number> {
  const prefix = Buffer.from(body.prefix ?? '');
  const suffix = Buffer.from(body.suffix ?? '');
  const length = prefix.length + body.bytes + suffix.length;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    ...headers,
    ...(body.declareLength ? { 'content-length': String(length) } : {}),
  });
  const filler = Buffer.alloc(64 * 1024, 'x');
  let closed = false;
  res.once('close', () => (closed = true));
  let written = 0;
  const write = async (chunk: Buffer): Promise<void> => {
    if (closed) return;
    written += chunk.length;
    if (!res.write(chunk))
      // Wait for drain or close, and take back the listener that did not fire: a 150 MB body
      // waits thousands of times and would pile 'close' listeners onto the response.
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.once('drain', done);
        res.once('close', done);
      });
  };
  await write(prefix);
  for (let left = body.bytes; left > 0 && !closed; left -= filler.length)
    await write(left >= filler.length ? filler : filler.subarray(0, left));
  await write(suffix);
  if (!closed) res.end();
  return written;
}
