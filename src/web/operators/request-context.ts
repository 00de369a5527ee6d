import type { Request } from 'express';
import { summarizeUserAgent, type RequestContext } from '../../operators';

/** Who made a request, as the audit trail records it: address as TRUST_PROXY sees it, a browser summary, the request id. */
export function requestContext(req: Request): RequestContext {
  const id = (req as { id?: unknown }).id;
  return {
    // An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d: show the address people know.
    ip: req.ip?.replace(/^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/, '$1'),
    browser: summarizeUserAgent(req.get('user-agent')),
    requestId: typeof id === 'string' ? id : undefined,
  };
}
