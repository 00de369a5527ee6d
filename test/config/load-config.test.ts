import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig, loadProcoreSettings } from '../../src/config';

const strongSecret = (): string => randomBytes(48).toString('base64');
const strongKey = (): string => randomBytes(32).toString('base64');

/** A production environment that passes every check. */
function production(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'production',
    APP_URL: 'https://dashboard.example.com',
    PROCORE_CLIENT_ID: 'client-id',
    PROCORE_CLIENT_SECRET: 'client-secret',
    SESSION_SECRET: strongSecret(),
    TOKEN_ENCRYPTION_KEY: strongKey(),
    REDIS_URL: 'redis://redis:6379',
    TRUST_PROXY: '1',
    ...overrides,
  };
}

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig reports every problem at once', () => {
  it('when many variables are wrong, then one ConfigError lists each of them with how to fix it', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      PORT: 'eighty',
      APP_URL: 'http://dashboard.example.com',
      PROCORE_ENV: 'staging',
      PROCORE_TIMEOUT_MS: '5',
      REDIS_URL: 'http://redis:6379',
      REDIS_SENTINELS: 'sentinel-a:26379,nonsense',
      SESSION_SECRET: 'changeme',
      TOKEN_ENCRYPTION_KEY: 'short',
      AUTH_RATE_LIMIT_PER_MINUTE: '0',
      METRICS_PORT: '70000',
      LOG_LEVEL: 'loud',
    });
    const expectations: Array<[RegExp, RegExp?]> = [
      [/^PORT must be a whole number/],
      [/APP_URL must be https when NODE_ENV=production/],
      [/PROCORE_ENV must be one of/],
      [/PROCORE_TIMEOUT_MS must be at least 100/],
      [/REDIS_URL must start with redis:\/\/ or rediss:\/\//],
      [/REDIS_SENTINELS entries must look like host:port \(got "nonsense"\)/],
      [/PROCORE_CLIENT_ID is required/, /Developer Portal/],
      [/PROCORE_CLIENT_SECRET is required/, /Developer Portal/],
      [/SESSION_SECRET entry 1 is too weak/, /openssl rand/],
      [/TOKEN_ENCRYPTION_KEY entry 1 must be 32 random bytes in base64/, /randomBytes\(32\)/],
      [/AUTH_RATE_LIMIT_PER_MINUTE must be at least 1/],
      [/METRICS_PORT must be at most 65535/],
      [/LOG_LEVEL/],
    ];
    for (const [pattern, fix] of expectations) {
      const problem = problems.find((text) => pattern.test(text));
      expect(problem, `${pattern} in:\n${problems.join('\n')}`).toBeDefined();
      if (fix) expect(problem).toMatch(fix);
    }
    expect(problems.length).toBeGreaterThanOrEqual(expectations.length);
  });

  it('when the error is printed, then its message names the count and lists every problem on its own line', () => {
    try {
      loadConfig({ NODE_ENV: 'production' });
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/^Configuration is not valid \(\d+ problems\):\n/);
      expect(message.split('\n').filter((line) => line.startsWith('  - ')).length).toBe(
        (error as ConfigError).problems.length,
      );
      expect(message).not.toMatch(/\s+at\s+/);
    }
  });
});

describe('production start-up checks', () => {
  it('when everything is strong and https, then the config loads', () => {
    const config = loadConfig(production());
    expect(config.isProduction).toBe(true);
    expect(config.secureCookies).toBe(true);
    expect(config.session.cookieName).toBe('__Host-procore-dashboard.sid');
    expect(config.redirectUri).toBe('https://dashboard.example.com/auth/callback');
  });

  it.each([
    ['missing', undefined, /SESSION_SECRET is required when NODE_ENV=production/],
    ['a documented default', 'keyboard cat', /too weak/],
    ['short', 'x7Kp2', /too weak/],
    ['long but repetitive', 'a'.repeat(64), /too weak/],
    ['one good and one weak entry (rotation)', `${strongSecret()},changeme`, /SESSION_SECRET entry 2 is too weak/],
  ])('when SESSION_SECRET is %s, then production refuses to start', (_name, value, message) => {
    expect(problemsOf(production({ SESSION_SECRET: value })).join('\n')).toMatch(message);
  });

  it.each([
    ['missing', undefined, /TOKEN_ENCRYPTION_KEY is required when NODE_ENV=production/],
    ['not base64 of 32 bytes', 'not-a-key', /must be 32 random bytes in base64/],
    ['16 bytes', randomBytes(16).toString('base64'), /must be 32 random bytes in base64/],
    ['all zero bytes', Buffer.alloc(32).toString('base64'), /is not random/],
  ])('when TOKEN_ENCRYPTION_KEY is %s, then production refuses to start', (_name, value, message) => {
    expect(problemsOf(production({ TOKEN_ENCRYPTION_KEY: value })).join('\n')).toMatch(message);
  });

  it('when APP_URL is http, then production refuses to start and says why', () => {
    expect(problemsOf(production({ APP_URL: 'http://dashboard.example.com' }))).toEqual([
      'APP_URL must be https when NODE_ENV=production: session cookies must only travel over TLS',
    ]);
  });

  it.each([
    ['not set', undefined],
    ['empty', ''],
    ['false', 'false'],
    ['0 hops', '0'],
  ])(
    'when APP_URL is https and TRUST_PROXY is %s, then production refuses to start and names TRUST_PROXY',
    (_name, value) => {
      const problems = problemsOf(production({ TRUST_PROXY: value }));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^TRUST_PROXY is required when NODE_ENV=production and APP_URL is https/);
      expect(problems[0]).toMatch(/X-Forwarded-Proto/);
      expect(problems[0]).toMatch(/TRUST_PROXY=1/);
    },
  );

  it('when other variables are wrong too and TRUST_PROXY is missing, then the TRUST_PROXY problem is listed with the others', () => {
    const problems = problemsOf(production({ TRUST_PROXY: undefined, SESSION_SECRET: 'changeme' }));
    expect(problems.some((problem) => problem.startsWith('TRUST_PROXY is required'))).toBe(true);
    expect(problems.some((problem) => problem.startsWith('SESSION_SECRET entry 1 is too weak'))).toBe(true);
  });

  it('when outside production with an https APP_URL and no TRUST_PROXY, then the config loads (tests and local tools)', () => {
    expect(
      loadConfig({ APP_URL: 'https://dashboard.example', PROCORE_CLIENT_ID: 'id', PROCORE_CLIENT_SECRET: 'secret' })
        .trustProxy,
    ).toBe(false);
  });

  it('when outside production, then secrets may be missing (random ones are generated) and http is fine', () => {
    const config = loadConfig({ PROCORE_CLIENT_ID: 'id', PROCORE_CLIENT_SECRET: 'secret' });
    expect(config.nodeEnv).toBe('development');
    expect(config.session.secrets[0]!.length).toBeGreaterThanOrEqual(32);
    expect(config.tokenEncryptionKeys[0]!.length).toBe(32);
    expect(config.session.cookieName).toBe('procore-dashboard.sid');
    expect(config.secureCookies).toBe(false);
  });
});

describe('settings this issue relies on', () => {
  it.each([
    [undefined, false],
    ['false', false],
    ['true', true],
    ['1', 1],
    ['2', 2],
    ['loopback, 10.0.0.0/8', 'loopback, 10.0.0.0/8'],
  ])('when TRUST_PROXY is %s, then Express gets %s', (value, expected) => {
    const env =
      value === undefined || value === 'false'
        ? production({ TRUST_PROXY: value, NODE_ENV: 'test' })
        : production({ TRUST_PROXY: value });
    expect(loadConfig(env).trustProxy).toEqual(expected);
  });

  it('when Redis is given as a single URL, Sentinels or Cluster nodes, then the mode follows', () => {
    expect(loadConfig(production()).redis).toMatchObject({
      mode: 'single',
      url: 'redis://redis:6379',
      keyPrefix: 'pd:',
    });
    expect(
      loadConfig(production({ REDIS_SENTINELS: 's1:26379, [::1]:26380', REDIS_SENTINEL_NAME: 'mymaster' })).redis,
    ).toMatchObject({
      mode: 'sentinel',
      name: 'mymaster',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: '::1', port: 26380 },
      ],
    });
    expect(
      loadConfig(production({ REDIS_CLUSTER_NODES: 'n1:7000,n2:7001', REDIS_KEY_PREFIX: 'dash:' })).redis,
    ).toMatchObject({
      mode: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
      keyPrefix: 'dash:',
    });
    expect(problemsOf(production({ REDIS_SENTINELS: 's1:26379' }))).toContain(
      'REDIS_SENTINEL_NAME is required with REDIS_SENTINELS (the master group name, e.g. mymaster)',
    );
    expect(
      problemsOf(production({ REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'm', REDIS_CLUSTER_NODES: 'n1:7000' })),
    ).toContain('Set either REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both');
  });

  it('when rate limit, metrics port and log level are set, then they are used; empty values mean "not set"', () => {
    const config = loadConfig(production({ AUTH_RATE_LIMIT_PER_MINUTE: '12', METRICS_PORT: '0', LOG_LEVEL: 'warn' }));
    expect(config.authRateLimitPerMinute).toBe(12);
    expect(config.metricsPort).toBe(0);
    expect(config.logLevel).toBe('warn');
    const defaults = loadConfig(
      production({
        NODE_ENV: 'test',
        AUTH_RATE_LIMIT_PER_MINUTE: '',
        METRICS_PORT: '',
        LOG_LEVEL: '',
        TRUST_PROXY: '',
      }),
    );
    expect(defaults.authRateLimitPerMinute).toBe(30);
    expect(defaults.metricsPort).toBe(9464);
    expect(defaults.logLevel).toBe('info');
    expect(defaults.trustProxy).toBe(false);
  });

  it('when a variable is left out, then its default is exactly what the same value written out would give (zod 4 defaults skip the parsing)', () => {
    const secrets = {
      SESSION_SECRET: strongSecret(),
      TOKEN_ENCRYPTION_KEY: strongKey(),
      PROCORE_CLIENT_ID: 'id',
      PROCORE_CLIENT_SECRET: 'secret',
    };
    const leftOut = loadConfig({ NODE_ENV: 'development', ...secrets });
    const writtenOut = loadConfig({
      NODE_ENV: 'development',
      ...secrets,
      PORT: '3000',
      APP_URL: 'http://localhost:3000/',
      PROCORE_ENV: 'production',
      PROCORE_TIMEOUT_MS: '10000',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: 'pd:',
      SESSION_IDLE_MINUTES: '120',
      SESSION_MAX_HOURS: '12',
      PROJECTS_CACHE_SECONDS: '60',
      AUTH_RATE_LIMIT_PER_MINUTE: '30',
      METRICS_PORT: '9464',
      METRICS_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    expect(leftOut).toEqual(writtenOut);
    expect(leftOut.port).toBe(3000);
    expect(leftOut.procore.timeoutMs).toBe(10_000);
  });

  it('when PROJECTS_CACHE_SECONDS or a PROCORE_*_URL is empty (compose passes `${VAR:-}` for a value left out of .env), then the default and the hosts of PROCORE_ENV are used', () => {
    const empty = {
      PROJECTS_CACHE_SECONDS: '',
      PROCORE_LOGIN_URL: '',
      PROCORE_API_URL: '',
      PROCORE_WEB_URL: '',
      PROCORE_ENV: 'sandbox',
    };
    const config = loadConfig(production(empty));
    expect(config.projectsCacheSeconds).toBe(60);
    const sandbox = {
      environment: 'sandbox',
      loginUrl: 'https://login-sandbox.procore.com',
      apiUrl: 'https://sandbox.procore.com',
      webUrl: 'https://sandbox.procore.com',
    };
    expect(config.procore).toMatchObject(sandbox);
    // The `procore` command reads the same variables the same way.
    expect(loadProcoreSettings({ ...empty, PROCORE_CLIENT_ID: 'id', PROCORE_CLIENT_SECRET: 'secret' })).toMatchObject(
      sandbox,
    );
    const set = loadConfig(production({ PROJECTS_CACHE_SECONDS: '0', PROCORE_API_URL: 'http://127.0.0.1:4000/' }));
    expect(set.projectsCacheSeconds).toBe(0);
    expect(set.procore).toMatchObject({ apiUrl: 'http://127.0.0.1:4000', loginUrl: 'https://login.procore.com' });
  });

  it('when ADMIN_USER_IDS, METRICS_HOST and PROCORE_ENV=federal are set, then operators, the metrics address and the Federal Zone hosts are used', () => {
    const config = loadConfig(
      production({ ADMIN_USER_IDS: ' 7100001, 42 ,', METRICS_HOST: '0.0.0.0', PROCORE_ENV: 'federal' }),
    );
    expect(config.adminUserIds).toEqual([7100001, 42]);
    expect(config.metricsHost).toBe('0.0.0.0');
    expect(config.procore).toMatchObject({
      environment: 'federal',
      loginUrl: 'https://login.procoregov.com',
      apiUrl: 'https://api.procoregov.com',
    });
    const defaults = loadConfig(production({ ADMIN_USER_IDS: '', METRICS_HOST: '' }));
    expect(defaults.adminUserIds).toEqual([]);
    expect(defaults.metricsHost).toBe('127.0.0.1');
  });

  it('when ADMIN_USER_IDS or METRICS_HOST are wrong, then every bad entry is reported together with the other problems', () => {
    const problems = problemsOf(
      production({ ADMIN_USER_IDS: '7100001,abc,-3,0', METRICS_HOST: 'not a host', PORT: 'x' }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'ADMIN_USER_IDS entries must be Procore user ids (whole numbers), got "abc"',
        'ADMIN_USER_IDS entries must be Procore user ids (whole numbers), got "-3"',
        'ADMIN_USER_IDS entries must be Procore user ids (whole numbers), got "0"',
        expect.stringMatching(/^METRICS_HOST must be an address or host name/),
        expect.stringMatching(/^PORT must be a whole number/),
      ]),
    );
  });

  it('when loaded, then the config is frozen', () => {
    const config = loadConfig(production());
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.redis)).toBe(true);
    expect(Object.isFrozen(config.session.secrets)).toBe(true);
  });

  it('the configuration contract lists every variable this issue documents', () => {
    for (const name of [
      'ADMIN_USER_IDS',
      'METRICS_HOST',
      'TRUST_PROXY',
      'REDIS_URL',
      'REDIS_SENTINELS',
      'REDIS_SENTINEL_NAME',
      'REDIS_CLUSTER_NODES',
      'REDIS_KEY_PREFIX',
      'AUTH_RATE_LIMIT_PER_MINUTE',
      'METRICS_PORT',
      'LOG_LEVEL',
      'SESSION_SECRET',
      'TOKEN_ENCRYPTION_KEY',
      'APP_URL',
      'NODE_ENV',
    ]) {
      expect(CONFIG_VARIABLES).toContain(name);
    }
  });
});
