import type { EmulatorCompanySpec, EmulatorServiceAccount, EmulatorUser } from './contracts';

/** The client the emulator registers unless told otherwise. */
export const EMULATOR_CLIENT_ID = 'demo-client-id';
export const EMULATOR_CLIENT_SECRET = 'demo-client-secret';

export const DEFAULT_REDIRECT_URIS: readonly string[] = ['http://localhost:3000/auth/callback'];

/** Procore's documented lifetimes. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 5400;
export const DEFAULT_CODE_LIFETIME_SECONDS = 600;

/** Procore's default budget: 3600 requests per hour (per token). Tests add a spike window where they need one. */
export const DEFAULT_RATE_LIMIT = { limit: 3600, windowSeconds: 3600 } as const;

/**
 * What `npm run emulator` and the demo run with: Procore's hourly budget and a realistic spike
 * window (Procore's own example shows 25 per 10 s), so the app's pacing is seen at work.
 */
export const DEMO_RATE_LIMIT = { limit: 3600, windowSeconds: 3600, spikeLimit: 50, spikeWindowSeconds: 10 } as const;

/** Company ids above 2^32, as real Procore ids can be. */
export const ACME_COMPANY_ID = 5_000_000_001;
export const NORTHWIND_COMPANY_ID = 5_000_000_002;
export const SUMMIT_COMPANY_ID = 5_000_000_003;
/** A free company: Procore lists it only when asked with include_free_companies=true. */
export const PINE_STREET_COMPANY_ID = 5_000_000_004;

export const DEFAULT_COMPANIES: readonly EmulatorCompanySpec[] = [
  { id: ACME_COMPANY_ID, name: 'Acme Builders', projectCount: 250, projectShape: 'published' },
  // The demo mixes both shapes: Acme and Summit answer as Procore's published reference, Northwind as the older v1.0 example.
  { id: NORTHWIND_COMPANY_ID, name: 'Northwind Civil Group', projectCount: 40, projectShape: 'v1-string-stage' },
  // Summit lives in another zone (US02): its links go to that zone's web host.
  { id: SUMMIT_COMPANY_ID, name: 'Summit Ridge Contractors', projectCount: 6, projectShape: 'published', zone: 'US02' },
  {
    id: PINE_STREET_COMPANY_ID,
    name: 'Pine Street Remodeling',
    projectCount: 3,
    projectShape: 'published',
    free: true,
  },
];

/** The documented demo account; it sees every default company. */
export const DEMO_USER: EmulatorUser = {
  id: 7_100_001,
  login: 'demo@example.com',
  name: 'Dana Demo',
  password: 'procore-demo',
  companyIds: [ACME_COMPANY_ID, NORTHWIND_COMPANY_ID, SUMMIT_COMPANY_ID, PINE_STREET_COMPANY_ID],
};

/** A second person with fewer companies: Acme and Northwind are foreign to them (403). */
export const OTHER_USER: EmulatorUser = {
  id: 7_100_002,
  login: 'sam@example.com',
  name: 'Sam Subcontractor',
  password: 'procore-sam',
  companyIds: [SUMMIT_COMPANY_ID],
};

export const DEFAULT_USERS: readonly EmulatorUser[] = [DEMO_USER, OTHER_USER];

/** The user behind client-credentials (DMSA) tokens; installed in every company by default. */
export const DEFAULT_SERVICE_ACCOUNT: EmulatorServiceAccount = {
  id: 7_199_001,
  login: 'dmsa-demo-client@procore-emulator.local',
  name: 'Dashboard Service Account',
};
