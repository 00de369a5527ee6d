/**
 * Procore's environments and their hosts. Tokens and credentials are not valid across environments.
 * `webUrl` is the browser host of Procore's web app, where people open companies and projects: Procore's
 * "Sandbox Environments" page (developers.procore.com/documentation/development-environments) names
 * sandbox.procore.com for the developer sandbox's browser access and api-sandbox-monthly.procore.com
 * for the monthly sandbox's.
 */
export const PROCORE_ENVIRONMENTS = {
  production: {
    loginUrl: 'https://login.procore.com',
    apiUrl: 'https://api.procore.com',
    webUrl: 'https://app.procore.com',
  },
  sandbox: {
    loginUrl: 'https://login-sandbox.procore.com',
    apiUrl: 'https://sandbox.procore.com',
    webUrl: 'https://sandbox.procore.com',
  },
  'monthly-sandbox': {
    loginUrl: 'https://login-sandbox-monthly.procore.com',
    apiUrl: 'https://api-monthly.procore.com',
    webUrl: 'https://api-sandbox-monthly.procore.com',
  },
  /**
   * Procore for U.S. government customers (the Federal Zone); Procore documents no sandbox there.
   * The web host follows the production pattern (app.); PROCORE_WEB_URL overrides it.
   */
  federal: {
    loginUrl: 'https://login.procoregov.com',
    apiUrl: 'https://api.procoregov.com',
    webUrl: 'https://app.procoregov.com',
  },
} as const;

export type ProcoreEnvironment = keyof typeof PROCORE_ENVIRONMENTS;

export const PROCORE_ENVIRONMENT_NAMES = Object.keys(PROCORE_ENVIRONMENTS) as ProcoreEnvironment[];

/** The redirect URI Procore documents for installed apps: the code is shown to the user to paste. */
export const OUT_OF_BAND_REDIRECT_URI = 'urn:ietf:wg:oauth:2.0:oob';
