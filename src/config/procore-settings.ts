import { z } from 'zod';
import { PROCORE_ENVIRONMENTS, PROCORE_ENVIRONMENT_NAMES, type ProcoreEnvironment } from '../procore/hosts';
import { ConfigError } from './config-error';
import { httpUrl, integer, problemsFrom, withoutEmptyValues } from './fields';

/**
 * The Procore part of the configuration contract: the variables the web app and the `procore`
 * command-line tool both read, with the same rules and messages.
 */
export const procoreEnvShape = {
  PROCORE_ENV: z
    .enum(PROCORE_ENVIRONMENT_NAMES as [ProcoreEnvironment, ...ProcoreEnvironment[]], {
      message: `PROCORE_ENV must be one of ${PROCORE_ENVIRONMENT_NAMES.join(', ')}`,
    })
    .default('production'),
  PROCORE_LOGIN_URL: httpUrl('PROCORE_LOGIN_URL').optional(),
  PROCORE_API_URL: httpUrl('PROCORE_API_URL').optional(),
  PROCORE_WEB_URL: httpUrl('PROCORE_WEB_URL').optional(),
  PROCORE_CLIENT_ID: z.string().trim().optional(),
  PROCORE_CLIENT_SECRET: z.string().trim().optional(),
  PROCORE_TIMEOUT_MS: integer('PROCORE_TIMEOUT_MS', 100, 120_000).default(10_000),
};

const procoreEnvSchema = z.object(procoreEnvShape);
type ProcoreEnvValues = z.infer<typeof procoreEnvSchema>;

export interface ProcoreSettings {
  readonly environment: ProcoreEnvironment;
  /** Login (OAuth) host without a trailing slash; PROCORE_LOGIN_URL overrides the environment's. */
  readonly loginUrl: string;
  /** API host without a trailing slash; PROCORE_API_URL overrides the environment's. */
  readonly apiUrl: string;
  /**
   * Procore's web app (where "Open in Procore" links go) without a trailing slash; PROCORE_WEB_URL
   * overrides the environment's. Overriding the login or API URL alone does not move it.
   */
  readonly webUrl: string;
  /** PROCORE_WEB_URL was set: links ignore each company's zone (`company_base_url`) and use `webUrl`. */
  readonly webUrlFixed: boolean;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly timeoutMs: number;
}

export interface LoadProcoreSettingsOptions {
  /** Default true: the client id and secret must be set. */
  requireCredentials?: boolean;
}

/** The missing-credential problems, in the words both readers use. */
export function credentialProblems(
  values: Pick<ProcoreEnvValues, 'PROCORE_CLIENT_ID' | 'PROCORE_CLIENT_SECRET'>,
  requireCredentials: boolean,
): string[] {
  const problems: string[] = [];
  if (requireCredentials && !values.PROCORE_CLIENT_ID)
    problems.push("PROCORE_CLIENT_ID is required: copy it from your app in Procore's Developer Portal");
  if (requireCredentials && !values.PROCORE_CLIENT_SECRET)
    problems.push("PROCORE_CLIENT_SECRET is required: copy it from your app in Procore's Developer Portal");
  return problems;
}

/** Resolves the hosts of the chosen environment, with the URL overrides applied. */
export function procoreSettingsFrom(values: ProcoreEnvValues): ProcoreSettings {
  const hosts = PROCORE_ENVIRONMENTS[values.PROCORE_ENV];
  return {
    environment: values.PROCORE_ENV,
    loginUrl: values.PROCORE_LOGIN_URL ?? hosts.loginUrl,
    apiUrl: values.PROCORE_API_URL ?? hosts.apiUrl,
    webUrl: values.PROCORE_WEB_URL ?? hosts.webUrl,
    webUrlFixed: values.PROCORE_WEB_URL !== undefined,
    clientId: values.PROCORE_CLIENT_ID ?? '',
    clientSecret: values.PROCORE_CLIENT_SECRET ?? '',
    timeoutMs: values.PROCORE_TIMEOUT_MS,
  };
}

/**
 * Reads only the Procore variables (for tools that do not run the web app, like the `procore`
 * command). Reports every problem together; throws ConfigError, never exits.
 */
export function loadProcoreSettings(env: NodeJS.ProcessEnv, options: LoadProcoreSettingsOptions = {}): ProcoreSettings {
  const cleaned = withoutEmptyValues(env);
  const parsed = procoreEnvSchema.safeParse(cleaned);
  const problems = parsed.success ? [] : problemsFrom(parsed.error);
  // The credential fields are plain strings that always parse: list their problems in any case.
  problems.push(
    ...credentialProblems(
      {
        PROCORE_CLIENT_ID: cleaned.PROCORE_CLIENT_ID?.trim(),
        PROCORE_CLIENT_SECRET: cleaned.PROCORE_CLIENT_SECRET?.trim(),
      },
      options.requireCredentials ?? true,
    ),
  );
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(procoreSettingsFrom(parsed.data));
}
