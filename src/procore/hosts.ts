/** Procore's environments and their hosts. Tokens and credentials are not valid across environments. */
export const PROCORE_ENVIRONMENTS = {
  production: { loginUrl: 'https://login.procore.com', apiUrl: 'https://api.procore.com' },
  sandbox: { loginUrl: 'https://login-sandbox.procore.com', apiUrl: 'https://sandbox.procore.com' },
  'monthly-sandbox': { loginUrl: 'https://login-sandbox-monthly.procore.com', apiUrl: 'https://api-monthly.procore.com' },
} as const;

export type ProcoreEnvironment = keyof typeof PROCORE_ENVIRONMENTS;

export const PROCORE_ENVIRONMENT_NAMES = Object.keys(PROCORE_ENVIRONMENTS) as ProcoreEnvironment[];

/** The redirect URI Procore documents for installed apps: the code is shown to the user to paste. */
export const OUT_OF_BAND_REDIRECT_URI = 'urn:ietf:wg:oauth:2.0:oob';
