import type { Request } from 'express';
import { summarizeUserAgent, type RequestContext } from '../operators';

/** The client address as TRUST_PROXY sees it; an IPv4 client on a dual-stack socket (::ffff:a.b.c.d) as a.b.c.d. */
export function clientIp(req: Request): string | undefined {
  return req.ip?.replace(/^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/, '$1');
}

/** Who made a request, as the audit trail records it: address as TRUST_PROXY sees it, a browser summary, the request id. */
export function requestContext(req: Request): RequestContext {
  const id = (req as { id?: unknown }).id;
  return {
    ip: clientIp(req),
    browser: summarizeUserAgent(req.get('user-agent')),
    requestId: typeof id === 'string' ? id : undefined,
  };
}
