import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadProcoreSettings } from '../../src/config';

const credentials = { PROCORE_CLIENT_ID: 'id', PROCORE_CLIENT_SECRET: 'secret' };

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('reading only the Procore settings', () => {
  it('when only credentials are set, then the production hosts and the default timeout are used', () => {
    expect(loadProcoreSettings(credentials)).toEqual({
      environment: 'production',
      loginUrl: 'https://login.procore.com',
      apiUrl: 'https://api.procore.com',
      webUrl: 'https://app.procore.com',
      webUrlFixed: false,
      clientId: 'id',
      clientSecret: 'secret',
      timeoutMs: 10_000,
    });
  });

  it('when web-only production settings are missing, then the Procore settings still load', () => {
    const settings = loadProcoreSettings({ ...credentials, NODE_ENV: 'production', PROCORE_ENV: 'sandbox' });
    expect(settings.loginUrl).toBe('https://login-sandbox.procore.com');
    expect(settings.apiUrl).toBe('https://sandbox.procore.com');
  });

  it('when URL overrides have a trailing slash, then it is removed', () => {
    const settings = loadProcoreSettings({
      ...credentials,
      PROCORE_LOGIN_URL: 'http://127.0.0.1:4000/',
      PROCORE_API_URL: 'http://127.0.0.1:4001//',
    });
    expect(settings.loginUrl).toBe('http://127.0.0.1:4000');
    expect(settings.apiUrl).toBe('http://127.0.0.1:4001');
  });

  it('when several variables are wrong, then every problem is listed with the same words as the web app uses', () => {
    const env = {
      PROCORE_ENV: 'staging',
      PROCORE_API_URL: 'ftp://x',
      PROCORE_TIMEOUT_MS: '5',
      PROCORE_CLIENT_SECRET: ' ',
    };
    const problems = problemsOf(() => loadProcoreSettings(env));
    expect(problems).toEqual([
      'PROCORE_ENV must be one of production, sandbox, monthly-sandbox, federal',
      'PROCORE_API_URL must be an absolute http(s) URL, e.g. https://dashboard.example.com',
      'PROCORE_TIMEOUT_MS must be at least 100',
      "PROCORE_CLIENT_ID is required: copy it from your app in Procore's Developer Portal",
      "PROCORE_CLIENT_SECRET is required: copy it from your app in Procore's Developer Portal",
    ]);
    expect(problemsOf(() => loadConfig(env))).toEqual(problems);
  });

  it('when credentials are not required, then their absence is not a problem', () => {
    expect(loadProcoreSettings({}, { requireCredentials: false }).clientId).toBe('');
  });

  it('when the web app loads its configuration, then its Procore section equals what the command-line tool reads', () => {
    const env = { ...credentials, PROCORE_ENV: 'monthly-sandbox', PROCORE_TIMEOUT_MS: '2500' };
    expect(loadConfig(env).procore).toEqual(loadProcoreSettings(env));
  });
});
