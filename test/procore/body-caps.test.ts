import { describe, expect, it } from 'vitest';
import { createProcoreApiClient } from '../../src/procore/api-client';
import { LIST_PAGE_MAX_BYTES, SMALL_BODY_MAX_BYTES } from '../../src/procore/body';
import type { ProcoreClientOptions } from '../../src/procore/contracts';
import { createProcoreOAuthClient } from '../../src/procore/oauth-client';
import { MIB } from '../support/huge-body';
import { expectProcoreError as failure, fakeProcoreForThisFile } from './fake-procore';

const HUGE = 150 * MIB;
/** What the server gets to write before the client's stop reaches it: the cap plus the sockets' buffers on both sides. */
const READ_AT_MOST = LIST_PAGE_MAX_BYTES + 24 * MIB;
const ONE_PROJECT_NAMED = '[{"id":1,"name":"';
const auth = { accessToken: 'access-TOKEN', companyId: 5 };
const fake = fakeProcoreForThisFile();

function options(): ProcoreClientOptions {
  return {
    loginUrl: fake.server.url,
    apiUrl: fake.server.url,
    clientId: 'id',
    clientSecret: 'secret',
    timeoutMs: 20_000,
    sleep: () => Promise.resolve(),
  };
}
const api = () => createProcoreApiClient(options());
const oauth = () => createProcoreOAuthClient(options());

describe('Procore bodies are read up to a cap per endpoint', () => {
  it('when a page of projects is 150 MB (one project with a huge name, no Content-Length), then the call fails bad_response without reading it all', async () => {
    fake.server.script({ huge: { bytes: HUGE, prefix: ONE_PROJECT_NAMED, suffix: '"}]' } });
    const error = await failure(api().allProjects(auth));
    expect(error.code).toBe('bad_response');
    expect(error.message).toContain('longer than this app reads');
    expect(fake.server.requests).toHaveLength(1);
    expect(await fake.server.hugeBytesSent()).toBeLessThan(READ_AT_MOST);
  });

  it('when a page says Content-Length: 150 MB of invalid JSON, then it is refused before the body is read', async () => {
    fake.server.script({ huge: { bytes: HUGE, prefix: '[{', declareLength: true } });
    const error = await failure(api().projectsPage(auth, { page: 1, perPage: 300 }));
    expect(error.code).toBe('bad_response');
    expect(await fake.server.hugeBytesSent()).toBeLessThan(READ_AT_MOST);
  });

  it('when /me answers 150 MB, then it fails bad_response without reading it all', async () => {
    fake.server.script({ huge: { bytes: HUGE, prefix: '{"id":1,"login":"' } });
    const error = await failure(api().me({ accessToken: 'access-TOKEN' }));
    expect(error.code).toBe('bad_response');
    expect(await fake.server.hugeBytesSent()).toBeLessThan(READ_AT_MOST);
  });

  it('when an error answer (500) carries 150 MB, then it is bad_response at once: neither read whole nor retried', async () => {
    fake.server.script({ status: 500, huge: { bytes: HUGE, prefix: '{"error":"' } });
    const error = await failure(api().project(auth, 7));
    expect(error.code).toBe('bad_response');
    expect(error.status).toBe(500);
    expect(fake.server.requests).toHaveLength(1);
    expect(await fake.server.hugeBytesSent()).toBeLessThan(READ_AT_MOST);
  });

  it('when the token endpoint answers a refresh with 150 MB, then the refresh fails bad_response', async () => {
    fake.server.script({ huge: { bytes: HUGE, prefix: '{"access_token":"' } });
    const error = await failure(oauth().refresh('refresh-TOKEN'));
    expect(error.code).toBe('bad_response');
    expect(await fake.server.hugeBytesSent()).toBeLessThan(READ_AT_MOST);
  });

  it('when /me or the token endpoint answer more than 64 KiB, then that is too much for them, though a list page of that size is fine', async () => {
    const padding = 'p'.repeat(SMALL_BODY_MAX_BYTES);
    fake.server.script({ json: { id: 1, login: 'a@example.com', name: 'A', padding } });
    expect((await failure(api().me({ accessToken: 'access-TOKEN' }))).code).toBe('bad_response');
    fake.server.reset();
    fake.server.script({ json: { access_token: 'a', expires_in: 5400, padding } });
    expect((await failure(oauth().refresh('refresh-TOKEN'))).code).toBe('bad_response');
    fake.server.reset();
    fake.server.script({ json: [{ id: 1, name: 'A', padding }], headers: { Total: '1' } });
    expect(await api().allProjects(auth)).toHaveLength(1);
  });

  it('when a page is large but under the cap (2 MB) or carries a byte-order mark, then it is read as before', async () => {
    const projects = Array.from({ length: 300 }, (_, index) => ({
      id: index + 1,
      name: `Project ${index + 1}`,
      description: 'd'.repeat(6_000),
    }));
    fake.server.script({ json: projects, headers: { Total: '300', 'Per-Page': '300' } });
    expect(await api().allProjects(auth)).toHaveLength(300);
    fake.server.reset();
    fake.server.script({
      body: `\uFEFF${JSON.stringify({ id: 9, login: 'a@example.com', name: 'A' })}`,
      headers: { 'content-type': 'application/json' },
    });
    expect((await api().me({ accessToken: 'access-TOKEN' })).id).toBe(9);
  });
});
