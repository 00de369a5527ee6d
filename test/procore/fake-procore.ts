import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { ProcoreError } from '../../src/procore/errors';
import { sendHugeBody, type HugeBody } from '../support/huge-body';

/** What the fake Procore saw. */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A scripted answer. `hang` never answers; `destroy` cuts the connection. */
export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string;
  delayMs?: number;
  hang?: boolean;
  destroy?: boolean;
  /** Streams a body of this size instead (see test/support/huge-body.ts). */
  huge?: HugeBody;
}

export type Handler = (request: ReceivedRequest, index: number) => ScriptedReply | Promise<ScriptedReply>;

export interface FakeProcore {
  url: string;
  requests: ReceivedRequest[];
  /** Highest number of requests being handled at the same time. */
  maxInFlight: number;
  /** Bytes of `huge` bodies written since the last reset, once their writing ended (the client stopping early keeps this small). */
  hugeBytesSent(): Promise<number>;
  /** Sets how to answer; default is 404 `{}`. */
  handle(handler: Handler): void;
  /** Answers the next requests with these replies in order; the last one repeats. */
  script(...replies: ScriptedReply[]): void;
  reset(): void;
  close(): Promise<void>;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function send(res: ServerResponse, reply: ScriptedReply): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let body = reply.body ?? '';
  if (reply.json !== undefined) {
    body = JSON.stringify(reply.json);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  res.writeHead(reply.status ?? 200, headers);
  res.end(body);
}

/** A real HTTP server on a free port that records every request and answers from a script. */
export async function startFakeProcore(): Promise<FakeProcore> {
  let handler: Handler = () => ({ status: 404, json: {} });
  let inFlight = 0;
  let hugeWrites: Array<Promise<number>> = [];

  const fake: FakeProcore = {
    url: '',
    requests: [],
    maxInFlight: 0,
    hugeBytesSent: async () => (await Promise.all(hugeWrites)).reduce((sum, bytes) => sum + bytes, 0),
    handle(next) {
      handler = next;
    },
    script(...replies) {
      handler = (_request, index) => replies[Math.min(index, replies.length - 1)] ?? { status: 500 };
    },
    reset() {
      fake.requests = [];
      fake.maxInFlight = 0;
      hugeWrites = [];
      handler = () => ({ status: 404, json: {} });
    },
    close: () => closeServer(server),
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake.invalid');
      const received: ReceivedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const index = fake.requests.length;
      fake.requests.push(received);
      inFlight++;
      fake.maxInFlight = Math.max(fake.maxInFlight, inFlight);
      const done = () => {
        inFlight--;
      };
      void (async () => {
        try {
          const reply = await handler(received, index);
          if (reply.delayMs) await delay(reply.delayMs);
          if (reply.hang) {
            res.on('close', done);
            return;
          }
          if (reply.destroy) {
            done();
            req.socket.destroy();
            return;
          }
          if (reply.huge) {
            const writing = sendHugeBody(res, reply.status ?? 200, reply.headers ?? {}, reply.huge);
            hugeWrites.push(writing);
            await writing;
          } else send(res, reply);
          done();
        } catch (error) {
          done();
          res.writeHead(500);
          res.end(String(error));
        }
      })();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** One fake Procore for a test file: started before its tests, reset before each, closed after them. Read `.server` inside tests. */
export function fakeProcoreForThisFile(): { readonly server: FakeProcore } {
  const holder = { server: undefined as FakeProcore | undefined };
  beforeAll(async () => {
    holder.server = await startFakeProcore();
  });
  afterAll(() => holder.server?.close());
  beforeEach(() => holder.server?.reset());
  return {
    get server(): FakeProcore {
      if (!holder.server) throw new Error('the fake Procore is started in beforeAll');
      return holder.server;
    },
  };
}

/** A port nothing listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A sleep that records what it was asked and does not wait. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms: number) => {
      waits.push(ms);
      return Promise.resolve();
    },
  };
}

/** Awaits a call that must fail, and returns its ProcoreError (failing the test otherwise). */
export async function expectProcoreError(promise: Promise<unknown>): Promise<ProcoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProcoreError);
  return error as ProcoreError;
}
