/** Injected faults (InjectedFault) and added latency. */
import type { Request, RequestHandler, Response } from 'express';
import type { InjectedFault } from './contracts';
import { RATE_LIMIT_MESSAGE } from './rate-limit';
import { genericError } from './responses';

interface PendingFault {
  fault: InjectedFault;
  remaining: number;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const STATUS_MESSAGES: Record<number, string> = {
  429: RATE_LIMIT_MESSAGE,
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export class FaultQueue {
  private pending: PendingFault[] = [];

  add(fault: InjectedFault): void {
    const times = fault.times ?? 1;
    if (times > 0) this.pending.push({ fault, remaining: times });
  }

  clear(): void {
    this.pending = [];
  }

  /** Takes one use of the first fault matching `METHOD /path`. */
  take(method: string, path: string): InjectedFault | undefined {
    const key = `${method} ${path}`;
    const index = this.pending.findIndex(({ fault }) =>
      typeof fault.match === 'string'
        ? key.startsWith(fault.match)
        : new RegExp(fault.match.source, fault.match.flags.replace(/[gy]/g, '')).test(key),
    );
    const entry = this.pending[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.pending.splice(index, 1);
    return entry.fault;
  }
}

/** Lets the real handler run, then destroys the socket instead of sending what it answered. */
function dropAnswer(req: Request, res: Response): void {
  const drop = (): void => {
    req.socket.destroy();
  };
  res.writeHead = function writeHead() {
    return res;
  };
  res.write = function write() {
    drop();
    return false;
  };
  res.end = function end() {
    drop();
    return res;
  };
}

export function injectFaults(queue: FaultQueue): RequestHandler {
  return (req, res, next) => {
    const fault = queue.take(req.method, req.path);
    if (!fault) {
      next();
      return;
    }
    void (async () => {
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.dropConnection) {
        if (fault.afterHandling) {
          dropAnswer(req, res);
          next();
        } else {
          req.socket.destroy();
        }
        return;
      }
      if (fault.status !== undefined) {
        if (fault.retryAfterSeconds !== undefined) res.set('Retry-After', String(fault.retryAfterSeconds));
        if (fault.status === 429) res.set('X-Rate-Limit-Remaining', '0');
        genericError(
          res,
          req.path,
          fault.status,
          STATUS_MESSAGES[fault.status] ?? `Injected fault (HTTP ${fault.status})`,
        );
        return;
      }
      next();
    })().catch(next);
  };
}

/** While the token endpoint is down, every POST /oauth/token answers 503 (token info and revoke still work). */
export function tokenEndpointOutage(outage: { tokenEndpointDown: boolean }): RequestHandler {
  return (req, res, next) => {
    if (outage.tokenEndpointDown && req.method === 'POST' && req.path === '/oauth/token')
      genericError(res, req.path, 503, STATUS_MESSAGES[503]!);
    else next();
  };
}

/** Procore's token endpoint and REST API can be slow; tests set this to exercise timeouts. */
export function addLatency(latency: { tokenMs: number; apiMs: number }): RequestHandler {
  return (req, _res, next) => {
    const ms =
      req.path === '/oauth/token' || req.path.startsWith('/oauth/token/')
        ? latency.tokenMs
        : req.path.startsWith('/rest/')
          ? latency.apiMs
          : 0;
    if (ms > 0) setTimeout(() => next(), ms);
    else next();
  };
}
