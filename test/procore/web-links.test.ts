import { describe, expect, it } from 'vitest';
import { loadProcoreSettings } from '../../src/config';
import { procoreWebLinks } from '../../src/procore/web-links';

const credentials = { PROCORE_CLIENT_ID: 'id', PROCORE_CLIENT_SECRET: 'secret' };

describe("links into Procore's web app", () => {
  it("when PROCORE_ENV picks an environment, then links go to that environment's browser host", () => {
    expect(loadProcoreSettings(credentials).webUrl).toBe('https://app.procore.com');
    expect(loadProcoreSettings({ ...credentials, PROCORE_ENV: 'sandbox' }).webUrl).toBe('https://sandbox.procore.com');
    expect(loadProcoreSettings({ ...credentials, PROCORE_ENV: 'monthly-sandbox' }).webUrl).toBe(
      'https://api-sandbox-monthly.procore.com',
    );
  });

  it('when only the login and API hosts are overridden, then links still follow PROCORE_ENV; PROCORE_WEB_URL moves them', () => {
    const overridden = {
      ...credentials,
      PROCORE_ENV: 'sandbox',
      PROCORE_LOGIN_URL: 'http://127.0.0.1:4000',
      PROCORE_API_URL: 'http://127.0.0.1:4000',
    };
    expect(loadProcoreSettings(overridden).webUrl).toBe('https://sandbox.procore.com');
    expect(loadProcoreSettings({ ...overridden, PROCORE_WEB_URL: 'http://127.0.0.1:4000/' }).webUrl).toBe(
      'http://127.0.0.1:4000',
    );
  });

  it('when PROCORE_WEB_URL is not an http(s) URL, then start-up names the variable', () => {
    expect(() => loadProcoreSettings({ ...credentials, PROCORE_WEB_URL: 'app.procore.com' })).toThrow(
      /PROCORE_WEB_URL must be an absolute http\(s\) URL/,
    );
  });

  it('when a company or project is linked, then the address carries its ids in the forms Procore uses', () => {
    const links = procoreWebLinks({ webUrl: 'https://app.procore.com' });
    expect(links.company({ id: 5_000_000_001 })).toBe('https://app.procore.com/5000000001/company/home/list');
    expect(links.project({ id: 5_000_000_001 }, 6_000_000_042)).toBe(
      'https://app.procore.com/webclients/host/companies/5000000001/projects/6000000042/tools/projecthome',
    );
  });

  it("when a company's zone has a web host of its own, then its links go there; PROCORE_WEB_URL still wins over it", () => {
    const us02 = { id: 5_000_000_003, webUrl: 'https://us02.procore.com/' };
    expect(procoreWebLinks({ webUrl: 'https://app.procore.com' }).company(us02)).toBe(
      'https://us02.procore.com/5000000003/company/home/list',
    );
    const settings = loadProcoreSettings({ ...credentials, PROCORE_WEB_URL: 'https://procore.example.test' });
    expect(settings.webUrlFixed).toBe(true);
    expect(procoreWebLinks(settings).project(us02, 6_000_000_001)).toBe(
      'https://procore.example.test/webclients/host/companies/5000000003/projects/6000000001/tools/projecthome',
    );
    expect(loadProcoreSettings(credentials).webUrlFixed).toBe(false);
  });
});
