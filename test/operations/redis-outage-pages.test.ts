import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../emulator';
import { HttpClient } from '../support/http-client';
import { startOwnedRedis, type OwnedRedis } from '../support/redis-server';
import { startStack, type Stack } from '../support/stack';

let redis: OwnedRedis;
let stack: Stack;
let cookie: string;

beforeAll(async () => {
  redis = await startOwnedRedis();
  stack = await startStack({ redisUrl: redis.url });
  stack.redis.on('error', () => undefined); // the test's own inspection client loses Redis too
  const client = new HttpClient();
  expect((await client.signIn(stack.app.url, DEMO_USER)).status).toBe(200);
  cookie = [...client.cookies(stack.app.url)].map(([name, value]) => `${name}=${value}`).join('; ');
});

afterAll(async () => {
  redis?.resume();
  await redis?.start().catch(() => undefined); // so the stack can clean its keys
  await stack?.close();
  await redis?.destroy();
});

interface Answer {
  status: number;
  location: string | undefined;
  body: string;
  ms: number;
}

/** A GET sent exactly as written (fetch would turn `/\x` into `//x` before sending it). */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const { port } = new URL(stack.app.url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          location: response.headers.location,
          body,
          ms: performance.now() - started,
        }),
      );
    });
    request.on('error', reject);
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const hrefsIn = (body: string): string[] =>
  [...body.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!.replace(/&#3[49];/g, "'"));

/** Where a browser on the app's origin would go when the link is followed. */
const originOf = (href: string): string => new URL(href, 'http://app.invalid').origin;

describe('pages while Redis is down', () => {
  it.each(['//evil.example', '/\\evil.example', '///evil.example', '//evil.example/projects', '/%2F%2Fevil.example'])(
    'when a signed-in browser asks for %s while Redis is stopped, then the 503 page links only within the app',
    async (path) => {
      await redis.stop({ save: true });
      const answer = await rawGet(path, { cookie });
      expect(answer.status).toBe(503);
      expect(answer.body).toContain('Temporarily unavailable');
      const hrefs = hrefsIn(answer.body);
      expect(hrefs.length).toBeGreaterThan(0);
      for (const href of hrefs) expect(originOf(href), href).toBe('http://app.invalid');
      expect(answer.body).not.toContain('evil.example');
    },
  );

  it('when a signed-in browser asks for a real page while Redis is stopped, then "Try again" leads back to that page', async () => {
    await redis.stop({ save: true });
    const answer = await rawGet('/projects?company_id=5000000001&page=2', { cookie });
    expect(answer.status).toBe(503);
    expect(answer.body).toContain('id="retry" href="/projects?company_id=5000000001&amp;page=2"');
  });
});

describe('pages while Redis is hung', () => {
  /** Pages must give up on a Redis that takes no more commands well before a person gives up on them. */
  const ANSWER_WITHIN_MS = 2_500;

  it('when Redis stops answering (frozen, connections open), then pages, sign-out, sign-in and /readyz answer 503 within 2.5 s, and work again once it answers', async () => {
    await redis.start();
    await waitFor(async () => (await rawGet('/readyz')).status === 200);
    expect((await rawGet('/account', { cookie })).status).toBe(200);
    redis.pause();
    try {
      const answers = {
        account: await rawGet('/account', { cookie }),
        projects: await rawGet('/projects', { cookie }),
        signInAgain: await rawGet('/auth/procore', { cookie }),
        // No cookie: nothing to load, but the new sign-in's state cannot be saved, so no trip to Procore.
        newSignIn: await rawGet('/auth/procore'),
        readyz: await rawGet('/readyz'),
      };
      for (const [name, answer] of Object.entries(answers)) {
        expect(answer.status, name).toBe(503);
        expect(answer.ms, name).toBeLessThan(ANSWER_WITHIN_MS);
      }
      const { port } = new URL(stack.app.url);
      const started = performance.now();
      const logout = await fetch(`http://127.0.0.1:${port}/logout`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: '_csrf=x',
        redirect: 'manual',
      });
      await logout.text();
      expect(logout.status).toBe(503);
      expect(performance.now() - started).toBeLessThan(ANSWER_WITHIN_MS);
      expect((await rawGet('/healthz')).status).toBe(200);
      console.info(
        `hung redis: ${Object.entries(answers)
          .map(([name, answer]) => `${name} ${Math.round(answer.ms)} ms`)
          .join(', ')}`,
      );
    } finally {
      redis.resume();
    }
    expect((await rawGet('/account', { cookie })).status).toBe(200);
  });
});
