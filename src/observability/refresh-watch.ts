import type { Logger } from 'pino';
import type { RefreshDetail, RefreshOutcome } from '../procore-auth';

/** Procore refused this app's own credentials on a refresh: the operators' problem, not a person's. */
export interface CredentialsRefusal {
  /** invalid_client or unauthorized_client. */
  cause: string;
  /** When a refresh was first refused, and last (epoch ms). */
  since: number;
  lastAt: number;
}

const APP_CREDENTIALS_CAUSES = new Set(['invalid_client', 'unauthorized_client']);
/** One log line per grant and cause (and one error line for refused credentials) per this long. */
const LOG_EVERY_MS = 60_000;

/**
 * Watches sign-in's refresh outcomes (its `events.refresh`): logs failed refreshes and Procore's
 * refusals, one line per grant and cause a minute, and keeps whether Procore refuses this app's
 * credentials (invalid_client / unauthorized_client, e.g. a secret rotated in the Developer Portal
 * but not here) for /admin and /readyz, until a refresh works again. Never carries a token.
 */
export class RefreshWatch {
  private refusal: CredentialsRefusal | undefined;
  private readonly loggedAt = new Map<string, number>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  credentialsRefused(): CredentialsRefusal | undefined {
    return this.refusal && { ...this.refusal };
  }

  observe(outcome: RefreshOutcome, detail: RefreshDetail): void {
    const at = this.now();
    if (outcome === 'refreshed' && this.refusal) {
      this.logger.info(
        { cause: this.refusal.cause },
        "Procore accepts this app's client credentials again: refreshes work",
      );
      this.refusal = undefined;
    }
    if (outcome !== 'failed') return;
    const cause = detail.cause ?? 'error';
    const fields = {
      tokenSetId: detail.tokenSetId,
      userId: detail.ownerId,
      status: detail.status,
      cause,
      signedOut: detail.fatal === true,
    };
    if (APP_CREDENTIALS_CAUSES.has(cause)) {
      this.refusal = { cause, since: this.refusal?.since ?? at, lastAt: at };
      if (this.due('credentials', at)) {
        this.logger.error(
          fields,
          `Procore refused this app's client credentials (${cause}) on a refresh: check PROCORE_CLIENT_ID and PROCORE_CLIENT_SECRET against the Developer Portal. Nobody is signed out; pages whose access token has run out answer 502 until Procore accepts them`,
        );
      }
      return;
    }
    if (this.due(`${detail.tokenSetId}:${cause}`, at)) {
      this.logger.warn(
        fields,
        detail.fatal
          ? `Procore refused a refresh (${cause}): that person is signed out`
          : `a token refresh failed (${cause}); the grant is kept and tried again shortly`,
      );
    }
  }

  /** True once per LOG_EVERY_MS for `key`; forgets keys older than that. */
  private due(key: string, at: number): boolean {
    const last = this.loggedAt.get(key);
    if (last !== undefined && at - last < LOG_EVERY_MS) return false;
    for (const [old, when] of this.loggedAt) if (at - when >= LOG_EVERY_MS) this.loggedAt.delete(old);
    this.loggedAt.set(key, at);
    return true;
  }
}
