import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

const WARNING = 'session cookie not sent';

describe('a Secure session cookie refused over plain http is reported once, naming TRUST_PROXY', () => {
  it('when an https app gets sign-in starts over plain http without TRUST_PROXY, then the log says once that the cookie was not sent and names TRUST_PROXY', async () => {
    const app = await stack.startAnotherApp({ APP_URL: 'https://dashboard.example', TRUST_PROXY: 'false' });
    for (let i = 0; i < 3; i += 1) {
      const response = await fetch(`${app.url}/auth/procore`, {
        redirect: 'manual',
        headers: { 'X-Forwarded-Proto': 'https' },
      });
      expect(response.status).toBe(302);
      expect(response.headers.get('set-cookie')).toBeNull();
    }
    const warnings = app.logs.lines.filter((line) => line.includes(WARNING));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('TRUST_PROXY');
    expect(JSON.parse(warnings[0]!)).toMatchObject({
      level: 40,
      protocol: 'http',
      forwardedProto: 'https',
      path: '/auth/procore',
    });
  });

  it('when the proxy is trusted and says https, then the cookie is sent and nothing is reported', async () => {
    const app = await stack.startAnotherApp({ APP_URL: 'https://dashboard.example', TRUST_PROXY: 'true' });
    const response = await fetch(`${app.url}/auth/procore`, {
      redirect: 'manual',
      headers: { 'X-Forwarded-Proto': 'https' },
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('set-cookie')).toContain('__Host-procore-dashboard.sid=');
    expect(app.logs.text).not.toContain(WARNING);
  });
});
