import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * With Secure session cookies (an https APP_URL), express-session silently sends no cookie on a
 * request Express sees as plain http: behind a TLS proxy that is not trusted (TRUST_PROXY), every
 * sign-in then ends in "we couldn't verify this sign-in". The first time a session with data was
 * left without its cookie, this says so in the log, naming TRUST_PROXY. Mounted after the session
 * middleware; costs one `req.secure` check per request.
 */
export function warnOnFirstRefusedCookie(logger: Logger, cookieName: string): RequestHandler {
  let warned = false;
  return (req, res, next) => {
    if (warned || req.secure) {
      next();
      return;
    }
    res.once('finish', () => {
      if (warned) return;
      const hadCookie = (req.headers.cookie ?? '').includes(`${cookieName}=`);
      const hasData = req.session !== undefined && Object.keys(req.session).some((key) => key !== 'cookie');
      const setCookies = res.getHeader('set-cookie');
      const sent = [setCookies ?? []].flat().some((cookie) => String(cookie).startsWith(`${cookieName}=`));
      if (hadCookie || !hasData || sent) return;
      warned = true;
      logger.warn(
        { protocol: req.protocol, forwardedProto: req.get('x-forwarded-proto') ?? null, path: req.path },
        'session cookie not sent: the request came over plain http and the cookie is Secure (APP_URL is https). ' +
          'Behind a TLS proxy, set TRUST_PROXY (e.g. 1 for one hop) so X-Forwarded-Proto is believed; otherwise sign-in cannot work',
      );
    });
    next();
  };
}
