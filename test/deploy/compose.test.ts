import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config';
import { createEmulator } from '../../emulator';
import {
  compose,
  defaultOf,
  environment,
  FIXED_BY_COMPOSE,
  fromDotEnv,
  NOT_APPLICABLE,
  productionEnv,
  read,
  ROOT,
  services,
} from './compose-file';

const production = Object.entries(services).filter(([, service]) => service.profiles?.includes('production'));
const appServices = Object.entries(services).filter(
  ([, service]) =>
    service.build !== undefined && !(Array.isArray(service.command) && service.command.join(' ').includes('emulator')),
);
const productionApps = appServices.filter(([, service]) => service.profiles?.includes('production'));

describe('docker-compose.yml against the configuration contract', () => {
  it('every variable given to an app service is one the app reads (no typos, no dead settings)', () => {
    expect(appServices.length).toBeGreaterThanOrEqual(3);
    for (const [name, service] of appServices) {
      for (const key of Object.keys(environment(service))) {
        expect(CONFIG_VARIABLES, `${name}: ${key}`).toContain(key);
      }
    }
  });

  it('the quick start (no profile) keeps working: redis, emulator and the demo app have no profile', () => {
    for (const name of ['redis', 'emulator', 'app']) {
      expect(services[name], name).toBeDefined();
      expect(services[name]!.profiles).toBeUndefined();
    }
  });

  it('the production profile has two app instances, a reverse proxy and a persistent Redis', () => {
    const names = production.map(([name]) => name).sort();
    expect(names).toEqual(['app-1', 'app-2', 'proxy', 'redis-prod']);
    expect(productionApps.map(([name]) => name).sort()).toEqual(['app-1', 'app-2']);
  });

  it('both instances run in production mode with the same Redis, key prefix and secrets, behind one trusted proxy hop', () => {
    const [first, second] = productionApps.map(([, service]) => environment(service));
    expect(first).toEqual(second);
    const env = first!;
    expect(env.NODE_ENV).toBe('production');
    expect(env.TRUST_PROXY).toBe('1');
    expect(defaultOf(env.APP_URL!)).toMatch(/^https:\/\//);
    expect(env.REDIS_URL).toBe('redis://redis-prod:6379');
    // Secrets come from .env / the shell, never from the file itself.
    for (const secret of ['SESSION_SECRET', 'TOKEN_ENCRYPTION_KEY', 'PROCORE_CLIENT_SECRET', 'PROCORE_CLIENT_ID']) {
      expect(env[secret], secret).toMatch(/^\$\{[A-Z_]+(:-)?\}$/);
    }
    expect(env.METRICS_PORT).toBe('9464');
    // Metrics bind to every interface of the container, which sits on internal networks only.
    expect(env.METRICS_HOST).toBe('0.0.0.0');
    expect(env.ADMIN_USER_IDS).toBe('${ADMIN_USER_IDS:-}');
  });

  it('only the proxy is published; apps and Redis stay on internal networks', () => {
    expect(services.proxy!.ports).toEqual(expect.arrayContaining(['80:80', '443:443']));
    for (const name of ['app-1', 'app-2', 'redis-prod']) expect(services[name]!.ports, name).toBeUndefined();
    expect(compose.networks?.backend?.internal).toBe(true);
    expect(services['redis-prod']!.networks).toEqual(['backend']);
    expect(services.proxy!.networks).toEqual(['frontend']);
  });

  it('Redis persists: append-only file, snapshots, a named volume, no eviction of sessions', () => {
    const redis = services['redis-prod']!;
    const command = (Array.isArray(redis.command) ? redis.command : String(redis.command).split(/\s+/)).join(' ');
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--save \S/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
    expect(redis.volumes).toEqual(['redis-prod-data:/data']);
    expect(compose.volumes).toHaveProperty('redis-prod-data');
  });

  it('health: apps are checked on /readyz, the proxy waits for healthy apps, shutdown has time to drain', () => {
    for (const [name, service] of productionApps) {
      expect(service.healthcheck?.test?.join(' '), name).toContain('/readyz');
      expect(service.stop_grace_period, name).toBe('15s');
      expect(service.depends_on).toMatchObject({ 'redis-prod': { condition: 'service_healthy' } });
    }
    expect(services.proxy!.depends_on).toMatchObject({
      'app-1': { condition: 'service_healthy' },
      'app-2': { condition: 'service_healthy' },
    });
  });

  it('the proxy configuration exists and balances over both instances with /readyz health checks', () => {
    const mount = services.proxy!.volumes!.find((volume) => volume.includes('Caddyfile'))!;
    const file = mount.split(':')[0]!.replace(/^\.\//, '');
    expect(existsSync(path.join(ROOT, file))).toBe(true);
    const caddyfile = read(file);
    expect(caddyfile).toMatch(/reverse_proxy\s+app-1:3000\s+app-2:3000/);
    expect(caddyfile).toMatch(/health_uri\s+\/readyz/);
    expect(caddyfile).toMatch(/respond\s+\/metrics\s+404/);
  });

  it('the example .env names only variables the app or compose reads', () => {
    const example = read('deploy/production.env.example');
    const names = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]!);
    expect(names).toEqual(
      expect.arrayContaining([
        'APP_URL',
        'SESSION_SECRET',
        'TOKEN_ENCRYPTION_KEY',
        'PROCORE_CLIENT_ID',
        'PROCORE_CLIENT_SECRET',
      ]),
    );
    for (const name of names) expect([...CONFIG_VARIABLES, 'SITE_ADDRESS'], name).toContain(name);
  });
});

describe('docker-compose.yml: .env reaches the production instances', () => {
  it('when an operator sets any variable the app reads in .env, then the instances get it, unless the compose file fixes it', () => {
    expect(Object.keys(productionEnv).sort()).toEqual(
      CONFIG_VARIABLES.filter((name) => !NOT_APPLICABLE.includes(name)).sort(),
    );
    expect(fromDotEnv.map(([name]) => name).sort()).toEqual(
      CONFIG_VARIABLES.filter((name) => ![...FIXED_BY_COMPOSE, ...NOT_APPLICABLE].includes(name)).sort(),
    );
    for (const [name, value] of fromDotEnv) {
      // ${PROCORE_API_URL:-}, not ${PROCORE_LOGIN_URL:-} under another name.
      expect(value, name).toMatch(new RegExp(`^\\$\\{${name}(:-[^}]*)?\\}$`));
    }
    for (const name of ['PROJECTS_CACHE_SECONDS', 'PROCORE_LOGIN_URL', 'PROCORE_API_URL', 'PROCORE_WEB_URL']) {
      expect(
        fromDotEnv.map(([key]) => key),
        name,
      ).toContain(name);
    }
  });

  it('when a variable is missing from .env or left empty, then the app behaves as with its own default', () => {
    const base = {
      NODE_ENV: 'test',
      SESSION_SECRET: 'a-test-secret-that-is-long-enough-0123456789',
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    };
    const expected = loadConfig(base, { requireCredentials: false });
    for (const [name, value] of fromDotEnv) {
      // APP_URL is a placeholder every deployment sets; the secrets are required in production.
      if (name === 'APP_URL' || name in base) continue;
      expect(
        loadConfig({ ...base, [name]: defaultOf(value) }, { requireCredentials: false }),
        `${name}=${defaultOf(value)}`,
      ).toEqual(expected);
      expect(loadConfig({ ...base, [name]: '' }, { requireCredentials: false }), `${name}=`).toEqual(expected);
    }
  });
});

describe('docker-compose.yml: images and health checks', () => {
  const built = Object.entries(services).filter(([, service]) => service.build !== undefined);

  it('when the demo or the production profile starts, then the app image is built once and every app service runs it', () => {
    expect(built.map(([name]) => name).sort()).toEqual(['app', 'app-1', 'app-2', 'emulator']);
    for (const [name, service] of built.filter(([name]) => name !== 'emulator')) {
      // Compose builds per image name: one name means one build, whichever services are started.
      expect(service.image, name).toBe('procore-dashboard:local');
      expect(service.build, name).toEqual(services.app!.build);
    }
  });

  it("when the demo starts, then the emulator runs from the Dockerfile's demo target and the runtime image holds no emulator", () => {
    const emulator = services.emulator!;
    expect(emulator.image).toBe('procore-dashboard:demo');
    expect(emulator.build).toEqual({ context: '.', target: 'demo' });
    expect(read('Dockerfile')).toMatch(/^FROM build AS demo$/m);
    const runtimeStage = read('Dockerfile')
      .split(/^FROM /m)
      .at(-1)!;
    expect(runtimeStage).toMatch(/ AS runtime$/m);
    expect(runtimeStage.replace(/^#.*$/gm, '')).not.toMatch(/emulator|demo/i);
    const build = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
    expect(build.include).toEqual(['src']);
    expect(existsSync(path.join(ROOT, 'src', 'emulator'))).toBe(false);
  });

  it("when the emulator runs, then its health check probes the emulator's port, not the app's inherited one", () => {
    const emulator = services.emulator!;
    const check = emulator.healthcheck?.test ?? [];
    expect(check.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(check[3]).toContain('EMULATOR_PORT');
    expect(check[3]).not.toMatch(/healthz|readyz|\bPORT\b|3000/);
    expect(environment(emulator).EMULATOR_PORT).toBe('4000');
    // The demo app waits for an emulator that answers, not one that merely started.
    expect(services.app!.depends_on).toMatchObject({ emulator: { condition: 'service_healthy' } });
  });

  it('when the emulator answers, then its health check passes; when nothing listens, then it fails', async () => {
    const env = environment(services.emulator!);
    const emulator = createEmulator({
      clientId: env.PROCORE_CLIENT_ID,
      clientSecret: env.PROCORE_CLIENT_SECRET,
      redirectUris: env.EMULATOR_REDIRECT_URIS!.split(','),
    });
    const running = await emulator.listen(0, '127.0.0.1');
    const port = new URL(running.url).port;
    const run = (): Promise<unknown> =>
      promisify(execFile)(process.execPath, ['-e', services.emulator!.healthcheck!.test![3]!], {
        env: { ...process.env, ...env, EMULATOR_PORT: port },
        timeout: 20_000,
      });
    try {
      await expect(run()).resolves.toBeDefined();
      expect(emulator.stats.requests.at(-1)).toMatchObject({ method: 'GET', path: '/oauth/authorize', status: 200 });
    } finally {
      await running.close();
    }
    await expect(run()).rejects.toMatchObject({ code: 1 });
  }, 60_000);
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM\s+/m).slice(1);
  const finalStage = stages.at(-1)!;

  it('is multi-stage: builds with dev dependencies, ships only production ones', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]).toMatch(/npm ci/);
    expect(stages[0]).toMatch(/npm run build/);
    expect(finalStage).toMatch(/npm ci --omit=dev/);
    expect(finalStage).toMatch(/COPY --from=\S+ \/app\/dist/);
  });

  it('when the image, .nvmrc, package.json engines and CI name a Node version, then they name one LTS major (even), the one the tests run on', () => {
    const image = /ARG NODE_IMAGE=node:(\d+)/.exec(dockerfile) ?? /^FROM\s+node:(\d+)/m.exec(dockerfile);
    expect(image).not.toBeNull();
    const major = Number(image![1]);
    expect(major % 2).toBe(0);
    expect(Number(read('.nvmrc').trim())).toBe(major);
    // engines admits that major and nothing older: ">=24", or ">=24.x" for a minimum minor.
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    expect(engines).toMatch(new RegExp(`^>=${major}(\\.\\d+){0,2}$`));
    // CI takes its Node from .nvmrc rather than naming a version of its own.
    const ci = read('.ci/run');
    expect(ci).toContain('.nvmrc');
    expect(ci).not.toMatch(/node@\d/);
    // The tests run on it, and so do the processes they start by name (`npx tsx …` finds `node` on PATH).
    expect(
      Number(process.versions.node.split('.')[0]),
      'the Node running the tests: use the one in .nvmrc (README, Quick start)',
    ).toBe(major);
    expect(
      execFileSync('node', ['-p', 'process.versions.node'], { encoding: 'utf8' }).split('.')[0],
      'the node on PATH',
    ).toBe(String(major));
  });

  it('runs as a non-root user with NODE_ENV=production', () => {
    const user = /^USER\s+(\S+)/m.exec(finalStage)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(finalStage).toMatch(/ENV NODE_ENV=production/);
  });

  it('CMD and the compose commands point at files `npm run build` produces', () => {
    const build = JSON.parse(read('tsconfig.build.json')) as { compilerOptions: { rootDir: string; outDir: string } };
    const toSource = (output: string): string =>
      output
        .replace(new RegExp(`^${build.compilerOptions.outDir}/`), `${build.compilerOptions.rootDir}/`)
        .replace(/\.js$/, '.ts');
    const cmd = JSON.parse(/^CMD\s+(\[.*\])\s*$/m.exec(finalStage)![1]!) as string[];
    expect(cmd[0]).toBe('node');
    const script = cmd.slice(1).find((arg) => !arg.startsWith('-'))!;
    expect(existsSync(path.join(ROOT, toSource(script))), script).toBe(true);
    for (const [name, service] of Object.entries(services)) {
      if (!Array.isArray(service.command) || service.command[0] !== 'node') continue;
      expect(existsSync(path.join(ROOT, toSource(service.command[1]!))), `${name}: ${service.command[1]}`).toBe(true);
    }
    // The runtime image has the views and static files the app serves.
    expect(finalStage).toMatch(/COPY views \.\/views/);
    expect(finalStage).toMatch(/COPY public \.\/public/);
  });

  it('when the container starts the app, then Node gets the same command line as npm start', () => {
    const cmd = JSON.parse(/^CMD\s+(\[.*\])\s*$/m.exec(finalStage)![1]!) as string[];
    const start = (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start;
    expect(cmd.join(' ')).toBe(start);
  });

  it('exposes the app and metrics ports and checks health', () => {
    expect(finalStage).toMatch(/EXPOSE 3000 9464/);
    expect(finalStage).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
  });
});
