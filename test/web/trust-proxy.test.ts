import express from 'express';
import { describe, expect, it } from 'vitest';
import { trustProxySetting } from '../../src/web/trust-proxy';

/** The client address and protocol Express works out for a request from `socket` through the proxies in X-Forwarded-For. */
function seenBy(setting: ReturnType<typeof trustProxySetting>, socket: string, forwardedFor: string) {
  const app = express();
  app.set('trust proxy', setting);
  const req = Object.create(app.request) as express.Request;
  Object.assign(req, {
    app,
    headers: { 'x-forwarded-for': forwardedFor, 'x-forwarded-proto': 'https' },
    socket: { remoteAddress: socket, encrypted: false },
  });
  return { ip: req.ip, ips: req.ips, secure: req.secure };
}

describe('TRUST_PROXY', () => {
  it('when it lists addresses, then Express trusts exactly those proxies, also when asked again for the same addresses', () => {
    const setting = trustProxySetting('loopback, 10.0.0.0/8');
    for (let round = 0; round < 2; round += 1) {
      expect(seenBy(setting, '127.0.0.1', '203.0.113.9, 10.1.2.3')).toEqual({
        ip: '203.0.113.9',
        ips: ['203.0.113.9', '10.1.2.3'],
        secure: true,
      });
      expect(seenBy(setting, '192.0.2.50', '203.0.113.9')).toEqual({ ip: '192.0.2.50', ips: [], secure: false });
      expect(seenBy(setting, '::ffff:127.0.0.1', '198.51.100.7')).toMatchObject({ ip: '198.51.100.7', secure: true });
    }
  });

  it('when more addresses come by than it remembers, then the answers stay right', () => {
    const setting = trustProxySetting('10.0.0.0/8');
    for (let i = 0; i < 2_500; i += 1) {
      const inside = `10.0.${Math.floor(i / 250)}.${i % 250}`;
      const outside = `192.0.2.${i % 250}`;
      expect(seenBy(setting, inside, '203.0.113.1').ip).toBe('203.0.113.1');
      expect(seenBy(setting, outside, '203.0.113.1').ip).toBe(outside);
    }
  });

  it('when it is true, a hop count or off, then Express gets it as it is', () => {
    expect(trustProxySetting(true)).toBe(true);
    expect(trustProxySetting(2)).toBe(2);
    expect(trustProxySetting(false)).toBe(false);
  });
});
