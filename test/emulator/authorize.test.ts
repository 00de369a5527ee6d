import { describe, expect, it } from 'vitest';
import { DEMO_USER, EMULATOR_CLIENT_ID } from '../../emulator';
import { exchangeCode, getCode, OOB, REDIRECT_URI, start, submitLogin } from './helpers';

function authorizeUrl(base: string, params: Record<string, string>): string {
  return `${base}/oauth/authorize?${new URLSearchParams(params).toString()}`;
}

describe('GET /oauth/authorize', () => {
  it('when a registered client asks with its registered redirect URI, then an accessible login form carrying the OAuth parameters is shown', async () => {
    const { url } = await start();
    const res = await fetch(
      authorizeUrl(url, {
        response_type: 'code',
        client_id: EMULATOR_CLIENT_ID,
        redirect_uri: REDIRECT_URI,
        state: 's<1>',
      }),
      {
        redirect: 'manual',
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<label for="email">Email<\/label>\s*<input id="email" name="email"/);
    expect(html).toMatch(
      /<label for="password">Password<\/label>\s*<input id="password" name="password" type="password"/,
    );
    expect(html).toMatch(/<button type="submit" name="action" value="allow">Sign in<\/button>/);
    expect(html).toMatch(/<button type="submit" name="action" value="deny"[^>]*>Deny<\/button>/);
    expect(html).toContain(`<input type="hidden" name="client_id" value="${EMULATOR_CLIENT_ID}">`);
    expect(html).toContain(`<input type="hidden" name="redirect_uri" value="${REDIRECT_URI}">`);
    expect(html).toContain('<input type="hidden" name="state" value="s&lt;1&gt;">');
    expect(html).toContain(DEMO_USER.login);
    expect(html).toContain(DEMO_USER.password);
  });

  it('when the client_id is unknown, then a 400 HTML error page is shown instead of a redirect', async () => {
    const { url } = await start();
    const res = await fetch(
      authorizeUrl(url, { response_type: 'code', client_id: 'someone-else', redirect_uri: REDIRECT_URI }),
      { redirect: 'manual' },
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('invalid_client');
  });

  it('when the redirect URI differs from the registered one only by a trailing slash, then it is refused with 400 and never redirected to', async () => {
    const { url } = await start();
    const res = await fetch(
      authorizeUrl(url, { response_type: 'code', client_id: EMULATOR_CLIENT_ID, redirect_uri: `${REDIRECT_URI}/` }),
      {
        redirect: 'manual',
      },
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('invalid_redirect_uri');

    const posted = await submitLogin(url, { redirectUri: 'https://evil.example/callback' });
    expect(posted.status).toBe(400);
    expect(posted.headers.get('location')).toBeNull();
  });

  it('when response_type is not code, then the client is sent back with unsupported_response_type and its state', async () => {
    const { url } = await start();
    const res = await fetch(
      authorizeUrl(url, {
        response_type: 'token',
        client_id: EMULATOR_CLIENT_ID,
        redirect_uri: REDIRECT_URI,
        state: 'abc',
      }),
      {
        redirect: 'manual',
      },
    );
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe('unsupported_response_type');
    expect(location.searchParams.get('state')).toBe('abc');
  });
});

describe('POST /oauth/authorize', () => {
  it('when the person clicks Deny, then they are redirected with error=access_denied, a description and the state', async () => {
    const { url, emulator } = await start();
    const res = await submitLogin(url, { action: 'deny', state: 'xyz', password: '' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('error_description')).toMatch(/denied/);
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.has('code')).toBe(false);
    expect(emulator.stats.requests.at(-1)?.status).toBe(302);
  });

  it('when the password is wrong, then the form is shown again with an error and 401 and no code is issued', async () => {
    const { url } = await start();
    const res = await submitLogin(url, { password: 'wrong', state: 'keep-me' });
    expect(res.status).toBe(401);
    expect(res.headers.get('location')).toBeNull();
    const html = await res.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('Invalid email or password.');
    expect(html).toContain(`value="${DEMO_USER.login}"`);
    expect(html).toContain('<input type="hidden" name="state" value="keep-me">');
  });

  it('when the credentials are right, then the browser is redirected to the redirect URI with a code and the state', async () => {
    const { url } = await start();
    const res = await submitLogin(url, { state: 'opaque-state' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('state')).toBe('opaque-state');
    expect(location.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('when the email differs only in letter case, then the person is still signed in', async () => {
    const { url } = await start();
    const res = await submitLogin(url, { email: DEMO_USER.login.toUpperCase() });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location') ?? '').searchParams.get('code')).toBeTruthy();
  });

  it('when the redirect URI is out-of-band, then the code is shown on /oauth/authorize/<CODE> in #authorization-code and can be exchanged', async () => {
    const { url } = await start();
    const res = await submitLogin(url, { redirectUri: OOB });
    expect(res.status).toBe(302);
    const location = res.headers.get('location') ?? '';
    expect(location).toMatch(/^\/oauth\/authorize\/[A-Za-z0-9_-]+$/);

    const page = await fetch(new URL(location, url), { redirect: 'manual' });
    expect(page.status).toBe(200);
    const shown = /<code id="authorization-code">([^<]+)<\/code>/.exec(await page.text())?.[1];
    expect(shown).toBe(location.split('/').pop());

    const token = await exchangeCode(url, shown ?? '', OOB);
    expect(token.status).toBe(200);
    expect(((await token.json()) as { access_token: string }).access_token).toBeTruthy();
  });

  it('when an out-of-band code page is requested for a code that does not exist, then 404 is answered', async () => {
    const { url } = await start();
    await getCode(url, DEMO_USER, OOB);
    const res = await fetch(`${url}/oauth/authorize/not-a-real-code`, { redirect: 'manual' });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('authorization-code"');
  });
});
