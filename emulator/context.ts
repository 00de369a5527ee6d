/** What every route of one emulator instance shares. */
import type { PaginationLimits } from './pagination';
import type { EmulatorServiceAccount, EmulatorStats, EmulatorUser } from './contracts';
import type { EmulatorData } from './data';
import type { IssuedTokens } from './issued-tokens';

export interface EmulatorContext {
  clientId: string;
  clientSecret: string;
  redirectUris: readonly string[];
  users: readonly EmulatorUser[];
  serviceAccount: EmulatorServiceAccount;
  data: EmulatorData;
  /** Codes, access and refresh tokens handed out, and which of them still work. */
  issued: IssuedTokens;
  stats: EmulatorStats;
  now: () => number;
  latency: { tokenMs: number; apiMs: number };
  /** `per_page` limits of the project list (Procore's strict v1.0 reading: 100 at most). */
  projectsPagination: PaginationLimits;
  /** Switched on until switched off (Emulator.setTokenEndpointDown, the control endpoint). */
  outage: { tokenEndpointDown: boolean };
}

/** Who a token acts for. */
export interface Principal {
  kind: 'user' | 'service';
  id: number;
  login: string;
  name: string;
  companyIds: readonly number[];
}

export function findUserByLogin(context: EmulatorContext, login: string): EmulatorUser | undefined {
  const wanted = login.trim().toLowerCase();
  return context.users.find((user) => user.login.toLowerCase() === wanted);
}

export function principalFor(context: EmulatorContext, kind: 'user' | 'service', id: number): Principal | undefined {
  if (kind === 'service') {
    const account = context.serviceAccount;
    if (account.id !== id) return undefined;
    return {
      kind,
      id: account.id,
      login: account.login,
      name: account.name,
      companyIds: account.companyIds ?? context.data.companies.map((company) => company.id),
    };
  }
  const user = context.users.find((candidate) => candidate.id === id);
  return user ? { kind, id: user.id, login: user.login, name: user.name, companyIds: user.companyIds } : undefined;
}
