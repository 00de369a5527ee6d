import { HttpClient } from '../../test/support/http-client';

/**
 * Signs the demo user in to an app that runs as if behind a TLS proxy (APP_URL https, requests
 * carry X-Forwarded-Proto: https): the emulator redirects to https://…/auth/callback, which we
 * call over plain http with the same header. Returns the session cookie header.
 */
export async function signInBehindProxy(
  appUrl: string,
  credentials: { email: string; password: string },
): Promise<string> {
  const client = new HttpClient();
  const proxy = { 'x-forwarded-proto': 'https' };
  const start = await client.request('GET', `${appUrl}/auth/procore`, { headers: proxy, follow: false });
  const authorize = start.headers.get('location');
  if (!authorize) throw new Error(`/auth/procore answered ${start.status} without a redirect`);
  const loginPage = await client.get(authorize);
  const action = /<form[^>]*action="([^"]+)"/.exec(loginPage.body)?.[1];
  if (!action) throw new Error('no sign-in form on the emulator page');
  const fields: Record<string, string> = {};
  for (const match of loginPage.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[match[1]!] = match[2]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  }
  const approved = await client.request('POST', new URL(action, loginPage.url).toString(), {
    form: { ...fields, email: credentials.email, password: credentials.password, action: 'allow' },
    follow: false,
  });
  const callback = approved.headers.get('location');
  if (!callback?.includes('/auth/callback'))
    throw new Error(`the emulator did not redirect to the callback (status ${approved.status})`);
  const done = await client.request('GET', callback.replace(/^https:/, 'http:'), { headers: proxy, follow: false });
  if (done.status !== 303 && done.status !== 302) throw new Error(`the callback answered ${done.status}`);
  const cookies = [...client.cookies(appUrl)].map(([name, value]) => `${name}=${value}`).join('; ');
  if (!cookies) throw new Error('no session cookie after signing in');
  return cookies;
}
