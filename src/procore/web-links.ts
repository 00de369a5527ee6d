/**
 * Addresses in Procore's web app, for "Open in Procore" links. Procore routes each company to a zone
 * with a web host of its own (`GET /rest/v1.0/company_base_url` answers it: https://us02.procore.com
 * for US02), so a link goes to the company's `webUrl` when it is known, else to the environment's
 * browser host (app.procore.com in production). PROCORE_WEB_URL, when set, wins over both.
 *
 * - A company's home: `<web>/<COMPANY ID>/company/home/list`, as Procore's guide "Using the OAuth 2.0
 *   Client Credentials Grant Type" (developers.procore.com/documentation/oauth-client-credentials) shows it.
 * - A project's home: `<web>/webclients/host/companies/<COMPANY ID>/projects/<PROJECT ID>/tools/projecthome`.
 *   Procore's pages link project tools in this form, `…/webclients/host/companies/<C>/projects/<P>/tools/<tool>`
 *   (procore/documentation agents/how_to_create_and_run_agent.md links the Copilot playground this way;
 *   support.procore.com's "What is the RFI Manager role?" lists `…/projects/<P>/tools/rfis/settings`);
 *   `projecthome` is the project Home tool. Both ids are in the address, so the link opens the project
 *   in the right company even for people in several companies.
 */
export interface ProcoreWebLinks {
  company(company: LinkedCompany): string;
  project(company: LinkedCompany, projectId: number): string;
}

/** A company as links need it: its id and, when known, its zone's web host. */
export interface LinkedCompany {
  id: number;
  webUrl?: string;
}

export interface WebLinkHosts {
  /** The environment's browser host, or PROCORE_WEB_URL. */
  webUrl: string;
  /** PROCORE_WEB_URL was set: every link uses `webUrl`, whatever a company's zone. */
  webUrlFixed?: boolean;
}

export function procoreWebLinks(hosts: WebLinkHosts): ProcoreWebLinks {
  const base = (company: LinkedCompany) => ((!hosts.webUrlFixed && company.webUrl) || hosts.webUrl).replace(/\/+$/, '');
  return {
    company: (company) => `${base(company)}/${company.id}/company/home/list`,
    project: (company, projectId) =>
      `${base(company)}/webclients/host/companies/${company.id}/projects/${projectId}/tools/projecthome`,
  };
}
