import { describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, NORTHWIND_COMPANY_ID } from '../../emulator';
import { procoreWebLinks } from '../../src/procore/web-links';
import { start } from './helpers';

describe("the emulator's stand-ins for Procore's web app", () => {
  it('when a company or project link of the dashboard is opened, then a page names that company or project', async () => {
    const { url, emulator } = await start();
    const links = procoreWebLinks(url);
    const acme = emulator.companies.find((company) => company.id === ACME_COMPANY_ID)!;

    const home = await fetch(links.company(ACME_COMPANY_ID));
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await home.text()).toContain(`<h1 id="procore-company" data-company-id="${ACME_COMPANY_ID}">${acme.name}</h1>`);

    const project = await fetch(links.project(ACME_COMPANY_ID, 6_000_000_001));
    expect(project.status).toBe(200);
    expect(await project.text()).toMatch(/<h1 id="procore-project" data-company-id="5000000001" data-project-id="6000000001">[^<]+<\/h1>/);
  });

  it('when the ids do not belong together, then the stand-in answers 404', async () => {
    const { url } = await start();
    const links = procoreWebLinks(url);
    expect((await fetch(links.project(NORTHWIND_COMPANY_ID, 6_000_000_001))).status).toBe(404);
    expect((await fetch(links.company(1))).status).toBe(404);
  });
});
