/** Request recording and counters (EmulatorStats). */
import type { RequestHandler } from 'express';
import { bodyObject } from './body';
import type { EmulatorStats, RecordedRequest } from './contracts';

export function emptyStats(): EmulatorStats {
  return {
    grants: { authorization_code: 0, refresh_token: 0, client_credentials: 0 },
    tokenRequests: { authorization_code: 0, refresh_token: 0, client_credentials: 0, other: 0 },
    revocations: 0,
    restCalls: {},
    requests: [],
  };
}

/** Resets in place, so references held by callers stay live. */
export function resetStats(stats: EmulatorStats): void {
  const fresh = emptyStats();
  stats.grants = fresh.grants;
  stats.tokenRequests = fresh.tokenRequests;
  stats.revocations = 0;
  stats.restCalls = fresh.restCalls;
  stats.requests = fresh.requests;
}

/**
 * Records every request at arrival; its status is filled in when the head is written (0 when the
 * connection is dropped without an answer) and its body once parsed.
 */
export function recordRequests(stats: EmulatorStats, now: () => number): RequestHandler {
  return (req, res, next) => {
    const record: RecordedRequest = {
      method: req.method,
      path: req.path,
      query: { ...(req.query as Record<string, unknown>) },
      headers: { ...req.headers },
      body: {},
      status: 0,
      at: now(),
    };
    stats.requests.push(record);
    if (req.path.startsWith('/rest/')) {
      const key = `${req.method} ${req.path}`;
      stats.restCalls[key] = (stats.restCalls[key] ?? 0) + 1;
    }
    const originalWriteHead = res.writeHead.bind(res) as (...args: unknown[]) => typeof res;
    res.writeHead = function writeHead(...args: unknown[]) {
      record.status = typeof args[0] === 'number' ? args[0] : res.statusCode;
      record.body = bodyObject(req);
      return originalWriteHead(...args);
    } as typeof res.writeHead;
    res.on('close', () => {
      record.body = bodyObject(req);
    });
    next();
  };
}
