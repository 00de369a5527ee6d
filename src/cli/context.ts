import path from 'node:path';
import type { LockTiming } from '../procore-auth/lock';
import { ProcoreAccess } from '../procore-auth/procore-access';
import { refreshLockTiming, TokenRefresher } from '../procore-auth/token-refresher';
import { loadProcoreSettings, type ProcoreSettings } from '../config/procore-settings';
import { createProcoreApiClient } from '../procore/api-client';
import type { ProcoreApiClient, ProcoreClientOptions, ProcoreOAuthClient } from '../procore/contracts';
import { createProcoreOAuthClient } from '../procore/oauth-client';
import { describeRefusedItem } from '../procore/refused-item';
import type { RefusedItem } from '../procore/types';
import { ClientCredentialsSession } from './client-credentials';
import { FileLock } from './file-lock';
import { clientCredentialsCachePath, tokenFilePath } from './paths';
import { FileTokenStore, TOKEN_FILE_ID } from './token-file';

/** Where the command reads and writes: the process's streams and environment, or a test's. */
export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: { write(chunk: string): unknown };
  /** `isTTY`: a terminal, which gets progress lines. */
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** Runs a Procore call with some access token (user or service account), renewing it once on a 401. */
export interface Caller {
  call<T>(operation: (accessToken: string) => Promise<T>): Promise<T>;
}

/**
 * Everything a command needs, built lazily from the environment so `--help` and usage errors
 * never read configuration or touch files.
 */
export class CliContext {
  private settingsCache: ProcoreSettings | undefined;
  private oauthCache: ProcoreOAuthClient | undefined;
  private apiCache: ProcoreApiClient | undefined;
  private storeCache: FileTokenStore | undefined;

  constructor(
    readonly io: CliIo,
    private readonly clientOverrides: Partial<ProcoreClientOptions> = {},
    /** The one clock of the command: token expiries, the lock, the service-account cache. */
    readonly now: () => number = Date.now,
  ) {}

  /** The Procore variables, validated (throws ConfigError listing every problem). */
  get settings(): ProcoreSettings {
    return (this.settingsCache ??= loadProcoreSettings(this.io.env));
  }

  get tokenFile(): string {
    return tokenFilePath(this.io.env);
  }

  private get clientOptions(): ProcoreClientOptions {
    const { loginUrl, apiUrl, clientId, clientSecret, timeoutMs } = this.settings;
    const onRefusedItem = (item: RefusedItem) => this.io.stderr.write(`procore: ${describeRefusedItem(item)}\n`);
    return {
      loginUrl,
      apiUrl,
      clientId,
      clientSecret,
      timeoutMs,
      now: this.now,
      onRefusedItem,
      ...this.clientOverrides,
    };
  }

  get oauth(): ProcoreOAuthClient {
    return (this.oauthCache ??= createProcoreOAuthClient(this.clientOptions));
  }

  get api(): ProcoreApiClient {
    return (this.apiCache ??= createProcoreApiClient(this.clientOptions));
  }

  get tokenStore(): FileTokenStore {
    return (this.storeCache ??= new FileTokenStore({
      path: this.tokenFile,
      loginUrl: this.settings.loginUrl,
      clientId: this.settings.clientId,
    }));
  }

  /** The lock that keeps two `procore` processes from refreshing the same token file at once. */
  get refreshLock(): FileLock {
    return new FileLock({ directory: path.dirname(this.tokenFile), now: this.now });
  }

  /** The refresh lock's timings, as the web app uses them. */
  get lockTiming(): LockTiming {
    return refreshLockTiming(this.settings.timeoutMs);
  }

  /** The web app's TokenRefresher over the token file and its lock file. */
  createRefresher(): TokenRefresher {
    return new TokenRefresher({
      store: this.tokenStore,
      oauth: this.oauth,
      lock: this.refreshLock,
      lockTiming: this.lockTiming,
      now: this.now,
    });
  }

  /** The stored user login, refreshed first when its access token is (about to be) expired. */
  async userSession(): Promise<ProcoreAccess> {
    const refresher = this.createRefresher();
    const tokens = await refresher.fresh(TOKEN_FILE_ID);
    return new ProcoreAccess(TOKEN_FILE_ID, refresher, { knownTokens: tokens });
  }

  clientCredentialsSession(): ClientCredentialsSession {
    return new ClientCredentialsSession({
      path: clientCredentialsCachePath(this.tokenFile),
      loginUrl: this.settings.loginUrl,
      clientId: this.settings.clientId,
      clientSecret: this.settings.clientSecret,
      oauth: this.oauth,
      now: this.now,
    });
  }

  async caller(options: { clientCredentials?: boolean }): Promise<Caller> {
    return options.clientCredentials ? this.clientCredentialsSession() : this.userSession();
  }
}
