import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { describe, expect, it } from 'vitest';
import { listen } from '../../src/http/listen';
import type { ProcoreApiClient } from '../../src/procore/contracts';
import type { ProcoreProject } from '../../src/procore/types';
import { procoreWebLinks } from '../../src/procore/web-links';
import { RedisLock } from '../../src/procore-auth';
import { ProjectCatalog } from '../../src/projects/project-catalog';
import { HttpError } from '../../src/web/http-error';
import { createProjectsExportRoutes } from '../../src/web/projects/export-routes';
import { useTestRedis } from '../support/test-redis';

const testRedis = useTestRedis();

describe('downloading a list that is still loading', () => {
  it('when Procore is still sending the list after the wait, then the download answers 503 with Retry-After, and once loaded it is the file', async () => {
    let release: () => void = () => undefined;
    const loaded = new Promise<void>((resolve) => {
      release = resolve;
    });
    const project = {
      id: 11,
      name: 'Slow Tower',
      project_number: null,
      active: true,
      stage: 'Bidding',
    } as ProcoreProject;
    const api = {
      companies: () => Promise.resolve([{ id: 1, name: 'Slow Co', is_active: true }]),
      companyBaseUrl: () => Promise.reject(new Error('no zone here')),
      allProjects: async () => {
        await loaded;
        return [project];
      },
    } as unknown as ProcoreApiClient;
    const catalog = new ProjectCatalog({
      redis: testRedis.redis,
      api,
      keyPrefix: testRedis.prefix,
      lock: new RedisLock(testRedis.redis),
      cacheSeconds: 60,
    });
    // A signed-in person, as requireSignIn leaves them.
    const signedIn: RequestHandler = (req, res, next) => {
      (req as unknown as { session: object }).session = { auth: { user: { id: 7 } } };
      res.locals.procore = { call: (operation: (token: string) => Promise<unknown>) => operation('token') } as never;
      next();
    };
    const errors: HttpError[] = [];
    const onError: ErrorRequestHandler = (error, _req, res, _next) => {
      errors.push(error as HttpError);
      res
        .status((error as HttpError).status)
        .set('Retry-After', String((error as HttpError).options.retryAfterSeconds))
        .end();
    };
    const app = express()
      .use(
        '/projects.csv',
        signedIn,
        createProjectsExportRoutes({
          catalog,
          links: procoreWebLinks({ webUrl: 'https://app.procore.com' }),
          loadWaitMs: 50,
        }),
      )
      .use(onError);
    const server = await listen(app, 0, '127.0.0.1');
    try {
      const waiting = await fetch(`${server.url}/projects.csv?company_id=1`);
      expect(waiting.status).toBe(503);
      expect(waiting.headers.get('retry-after')).toBe('5');
      expect(errors[0]).toBeInstanceOf(HttpError);
      expect(errors[0]!.title).toBe('The list is still loading');
      expect(errors[0]!.options.retryHref).toBe('/projects.csv?company_id=1');

      release();
      const file = await fetch(`${server.url}/projects.csv?company_id=1`);
      expect(file.status).toBe(200);
      expect((await file.text()).split('\r\n')[1]).toMatch(/^11,,Slow Tower,Bidding,Active,/);
    } finally {
      await server.close();
    }
  });
});
