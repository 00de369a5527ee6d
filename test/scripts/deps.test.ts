import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDeprecated, lockedPackages, outdatedReport, pinReasons } from '../../scripts/deps';

const read = (file: string): string => readFileSync(path.join(__dirname, '..', '..', file), 'utf8');

/** A registry that knows two manifests, one of them deprecated, and records what was asked. */
let registry: Server;
let registryUrl: string;
const asked: string[] = [];

beforeAll(async () => {
  registry = createServer((request, response) => {
    asked.push(request.url!);
    const manifests: Record<string, object> = {
      '/left-pad/1.3.0': { name: 'left-pad', version: '1.3.0', deprecated: 'use String.prototype.padStart()' },
      '/@scope%2fkept/2.0.0': { name: '@scope/kept', version: '2.0.0' },
    };
    const manifest = manifests[request.url!];
    response.writeHead(manifest ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify(manifest ?? { error: 'Not found' }));
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((resolve) => registry.close(() => resolve())));

describe('npm run deps', () => {
  it('when package-lock.json lists a package in several places, then each name@version is checked once and linked folders are left out', () => {
    const lock = JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': { name: 'procore-dashboard' },
        'node_modules/left-pad': { version: '1.3.0' },
        'node_modules/a/node_modules/left-pad': {
          version: '1.3.0',
          resolved: 'https://registry.example/left-pad/-/left-pad-1.3.0.tgz',
        },
        'node_modules/a/node_modules/@scope/kept': { version: '2.0.0' },
        'node_modules/local': { resolved: 'packages/local', link: true },
        'node_modules/from-git': { version: '1.0.0', resolved: 'git+ssh://git@example.com/from-git.git#abc' },
      },
    });
    expect(lockedPackages(lock)).toEqual([
      { name: '@scope/kept', version: '2.0.0' },
      { name: 'left-pad', version: '1.3.0' },
    ]);
  });

  it("when the registry marks an installed version deprecated, then it is listed with the author's message and the others are not", async () => {
    const progress: number[] = [];
    const result = await findDeprecated(
      [
        { name: '@scope/kept', version: '2.0.0' },
        { name: 'left-pad', version: '1.3.0' },
        { name: 'private-thing', version: '0.1.0' },
      ],
      { registry: registryUrl, onProgress: (done) => progress.push(done) },
    );
    expect(result).toEqual({
      checked: 3,
      deprecated: [{ name: 'left-pad', version: '1.3.0', message: 'use String.prototype.padStart()' }],
    });
    expect(asked).toContain('/@scope%2fkept/2.0.0');
    expect(progress).toEqual([1, 2, 3]);
  });

  it('when the registry cannot be reached, then the check says so in one line instead of failing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const packages = Array.from({ length: 40 }, (_, index) => ({ name: `package-${index}`, version: '1.0.0' }));
    const result = await findDeprecated(packages, { registry: url });
    expect(result).toEqual({ unreachable: `${url} did not answer (ECONNREFUSED)` });
  });

  it('when a package is outdated, then a new major comes first and a pinned one shows the README reason instead of an upgrade command', () => {
    const pins = new Map([['ejs', 'views rely on its strict mode']]);
    const lines = outdatedReport(
      {
        eslint: { current: '10.15.0', wanted: '10.16.0', latest: '10.16.0', type: 'devDependencies' },
        ejs: { current: '3.1.10', wanted: '3.1.10', latest: '7.0.2', type: 'dependencies' },
        commander: { current: '14.0.3', wanted: '14.0.3', latest: '15.1.0', type: 'dependencies' },
      },
      pins,
    );
    expect(lines.map((line) => line.split(/\s{2,}/))).toEqual([
      ['package', 'installed', 'in range', 'latest'],
      ['commander', '14.0.3', '14.0.3', '15.1.0', 'new major: read its changelog, then npm install commander@15'],
      ['ejs', '3.1.10', '3.1.10', '7.0.2', 'pinned: views rely on its strict mode'],
      ['eslint (dev)', '10.15.0', '10.16.0', '10.16.0', 'npm update'],
    ]);
    expect(outdatedReport({}, pins)).toEqual(['Every dependency is on its latest version.']);
  });

  it("when the README pins a package, then package.json depends on it, so the report's reasons stay true", () => {
    const pins = pinReasons(read('README.md'));
    expect([...pins.keys()]).toEqual(expect.arrayContaining(['connect-redis', 'ejs']));
    const manifest = JSON.parse(read('package.json')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const name of pins.keys())
      expect({ ...manifest.dependencies, ...manifest.devDependencies }, name).toHaveProperty([name]);
  });
});
