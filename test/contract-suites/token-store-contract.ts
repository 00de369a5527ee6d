import { describe, expect, it } from 'vitest';
import type { StoredTokens, TokenStore } from '../../src/procore-auth/token-store';

/** One token store implementation as the contract sees it. */
export interface TokenStoreSubject {
  store: TokenStore;
  /** For a store that encrypts at rest: a token set's raw stored form. */
  readAtRest?: (id: string) => Promise<string | undefined>;
}

/** What sets a store apart, known before its tests run. */
export interface TokenStoreTraits {
  /** Tokens at rest are encrypted (`readAtRest` shows the raw form). */
  encryptsAtRest: boolean;
  /** A single token set (the CLI's token file): `newId` gives the same id every time. */
  holdsOneSet: boolean;
}

const tokens = (suffix: string, withRefresh = true): StoredTokens => ({
  accessToken: `access-token-${suffix}`,
  ...(withRefresh ? { refreshToken: `refresh-token-${suffix}` } : {}),
  expiresAt: 1_767_225_600_000 + 5_400_000,
  issuedAt: 1_767_225_600_000,
  ownerId: 4242,
});

/** What every TokenStore does, run against Redis, the CLI's token file and the in-memory store. */
export function describeTokenStoreContract(
  name: string,
  traits: TokenStoreTraits,
  subject: () => TokenStoreSubject | Promise<TokenStoreSubject>,
): void {
  describe(`${name} keeps the TokenStore contract`, () => {
    it('when nothing was stored under an id, then get answers undefined', async () => {
      const { store } = await subject();
      expect(await store.get(store.newId())).toBeUndefined();
    });

    it('when a token set is put, then get returns it as it was, with or without a refresh token', async () => {
      const { store } = await subject();
      const id = store.newId();
      await store.put(id, tokens('a'));
      expect(await store.get(id)).toEqual(tokens('a'));
      await store.put(id, tokens('b', false));
      expect(await store.get(id)).toEqual(tokens('b', false));
    });

    it('when a token set is put again, then access and refresh token are replaced together', async () => {
      const { store } = await subject();
      const id = store.newId();
      await store.put(id, tokens('old'));
      await store.put(id, tokens('new'));
      expect(await store.get(id)).toMatchObject({ accessToken: 'access-token-new', refreshToken: 'refresh-token-new' });
    });

    it('when a token set is deleted, then get answers undefined, and deleting again is fine', async () => {
      const { store } = await subject();
      const id = store.newId();
      await store.put(id, tokens('a'));
      await store.delete(id);
      expect(await store.get(id)).toBeUndefined();
      await expect(store.delete(id)).resolves.toBeUndefined();
    });

    it('when asked for the lock key of a token set, then it is the same every time', async () => {
      const { store } = await subject();
      const id = store.newId();
      expect(store.lockKeyFor(id)).toBe(store.lockKeyFor(id));
      expect(store.lockKeyFor(id)).toEqual(expect.any(String));
    });

    if (traits.holdsOneSet) {
      it('when the store holds one token set, then newId names that one set every time', async () => {
        const { store } = await subject();
        expect(store.newId()).toBe(store.newId());
      });
    } else {
      it('when the store holds many token sets, then each id is new and has its own set and lock key', async () => {
        const { store } = await subject();
        const [first, second] = [store.newId(), store.newId()];
        expect(second).not.toBe(first);
        expect(store.lockKeyFor(second)).not.toBe(store.lockKeyFor(first));
        await store.put(first, tokens('first'));
        await store.put(second, tokens('second'));
        await store.delete(first);
        expect(await store.get(second)).toEqual(tokens('second'));
      });
    }

    if (traits.encryptsAtRest) {
      it('when tokens are at rest, then neither token is readable in what the store keeps', async () => {
        const { store, readAtRest } = await subject();
        const id = store.newId();
        await store.put(id, tokens('secret'));
        const raw = await readAtRest!(id);
        expect(raw).toEqual(expect.any(String));
        expect(raw).not.toContain('access-token-secret');
        expect(raw).not.toContain('refresh-token-secret');
      });
    }
  });
}
