import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../emulator';
import { startForwardingHost as forwardingHost } from '../support/forwarding-host';
import { HttpClient } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let login: Awaited<ReturnType<typeof forwardingHost>>;
let api: Awaited<ReturnType<typeof forwardingHost>>;

beforeAll(async () => {
  // One emulator, two front doors: the app must send OAuth calls to one and REST calls to the other.
  const probe = await startStack();
  login = await forwardingHost(probe.procore.url);
  api = await forwardingHost(probe.procore.url);
  stack = probe;
  const app = await stack.startAnotherApp({ PROCORE_LOGIN_URL: login.url, PROCORE_API_URL: api.url });
  stack.app = app;
});

afterAll(async () => {
  await stack?.close();
  await login?.close();
  await api?.close();
});

describe('when the login and API hosts differ (as they do at Procore)', () => {
  it('then the browser and token calls go to the login host and REST calls to the API host', async () => {
    const client = new HttpClient();
    const page = await client.signIn(stack.app.url, DEMO_USER);
    expect(page.status).toBe(200);
    expect((await client.get(`${stack.app.url}/account`)).status).toBe(200);
    expect(login.paths.length).toBeGreaterThan(0);
    expect(api.paths.length).toBeGreaterThan(0);
    expect(login.paths.every((path) => path.includes(' /oauth/'))).toBe(true);
    expect(api.paths.every((path) => path.includes(' /rest/v1.0/'))).toBe(true);
    expect(login.paths).toContain('POST /oauth/token');
    expect(login.paths).toContain('GET /oauth/token/info');
    expect(api.paths).toContain('GET /rest/v1.0/projects');
  });
});
