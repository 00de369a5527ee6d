import { describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, NORTHWIND_COMPANY_ID, SUMMIT_COMPANY_ID } from '../../emulator';
import { procoreWebLinks } from '../../src/procore/web-links';
import { start } from './helpers';

describe("the emulator's stand-ins for Procore's web app", () => {
  it('when a company or project link of the dashboard is opened, then a page names that company or project', async () => {
    const { url, emulator } = await start();
    const links = procoreWebLinks({ webUrl: url });
    const acme = emulator.companies.find((company) => company.id === ACME_COMPANY_ID)!;

    const home = await fetch(links.company({ id: ACME_COMPANY_ID }));
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await home.text()).toContain(
      `<h1 id="procore-company" data-company-id="${ACME_COMPANY_ID}">${acme.name}</h1>`,
    );

    const project = await fetch(links.project({ id: ACME_COMPANY_ID }, 6_000_000_001));
    expect(project.status).toBe(200);
    expect(await project.text()).toMatch(
      /<h1 id="procore-project" data-company-id="5000000001" data-project-id="6000000001">[^<]+<\/h1>/,
    );
  });

  it('when the ids do not belong together, then the stand-in answers 404', async () => {
    const { url } = await start();
    const links = procoreWebLinks({ webUrl: url });
    expect((await fetch(links.project({ id: NORTHWIND_COMPANY_ID }, 6_000_000_001))).status).toBe(404);
    expect((await fetch(links.company({ id: 1 }))).status).toBe(404);
  });

  it("when a company of another zone is opened, then only its zone's host (company_base_url's web_base_url) has it", async () => {
    const { url } = await start();
    const answer = await fetch(`${url}/rest/v1.0/company_base_url`, {
      headers: { 'Procore-Company-Id': String(SUMMIT_COMPANY_ID) },
    });
    expect(await answer.json()).toEqual({ zone: 'US02', web_base_url: `${url}/us02` });
    const links = procoreWebLinks({ webUrl: url });
    expect((await fetch(links.company({ id: SUMMIT_COMPANY_ID, webUrl: `${url}/us02` }))).status).toBe(200);
    expect((await fetch(links.company({ id: SUMMIT_COMPANY_ID }))).status).toBe(404);
    expect((await fetch(links.company({ id: ACME_COMPANY_ID, webUrl: `${url}/us02` }))).status).toBe(404);
  });
});
