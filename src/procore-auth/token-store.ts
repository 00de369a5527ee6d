import { randomBytes } from 'node:crypto';
import type { TokenSet } from '../procore/token-set';
import { callRedis, type RedisClient } from './redis-unavailable';
import type { TokenCipher } from './token-cipher';

/** A token set plus whose it is. */
export interface StoredTokens extends TokenSet {
  ownerId: number;
}

/** Where token sets live, apart from the session blob (which express-session rewrites wholesale). */
export interface TokenStore {
  newId(): string;
  get(id: string): Promise<StoredTokens | undefined>;
  put(id: string, tokens: StoredTokens): Promise<void>; // Writes access and refresh token together, in one command.
  delete(id: string): Promise<void>;
  /** The key of the lock under which token set `id` is refreshed or signed out (the store names its own keys). */
  lockKeyFor(id: string): string;
}

/** Token sets live at most as long as a session may (`ttlMs`) and are deleted when it ends; not touched per request. */
export class RedisTokenStore implements TokenStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly cipher: TokenCipher,
    private readonly options: { keyPrefix: string; ttlMs: number },
  ) {}

  newId(): string {
    return randomBytes(18).toString('base64url');
  }

  /** Shares a Redis Cluster hash tag (`{id}`) with the token set, so both always live on one node. */
  lockKeyFor(id: string): string {
    return `${this.options.keyPrefix}refresh-lock:{${id}}`;
  }

  private keyFor(id: string): string {
    return `${this.options.keyPrefix}tokens:{${id}}`;
  }

  async get(id: string): Promise<StoredTokens | undefined> {
    const sealed = await callRedis(this.redis, () => this.redis.get(this.keyFor(id)));
    if (!sealed) return undefined;
    const plaintext = this.cipher.decrypt(sealed, id);
    if (!plaintext) return undefined; // a rotated-out key or tampering: treat as signed out
    return JSON.parse(plaintext) as StoredTokens;
  }

  async put(id: string, tokens: StoredTokens): Promise<void> {
    const sealed = this.cipher.encrypt(JSON.stringify(tokens), id);
    await callRedis(this.redis, () => this.redis.set(this.keyFor(id), sealed, 'PX', this.options.ttlMs));
  }

  async delete(id: string): Promise<void> {
    await callRedis(this.redis, () => this.redis.del(this.keyFor(id)));
  }
}
