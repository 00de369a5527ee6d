/**
 * Addresses in Procore's web app, for "Open in Procore" links. `webUrl` is the environment's browser
 * host (ProcoreSettings.webUrl: app.procore.com in production) or PROCORE_WEB_URL.
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
  company(companyId: number): string;
  project(companyId: number, projectId: number): string;
}

export function procoreWebLinks(webUrl: string): ProcoreWebLinks {
  const base = webUrl.replace(/\/+$/, '');
  return {
    company: (companyId) => `${base}/${companyId}/company/home/list`,
    project: (companyId, projectId) => `${base}/webclients/host/companies/${companyId}/projects/${projectId}/tools/projecthome`,
  };
}
