import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import {
  MAX_PENDING_SIGN_INS,
  PendingSignIns,
  SIGN_IN_LIFETIME_MS,
  type SignInContext,
} from '../../src/procore-auth/pending-sign-ins';

/** Just what the store uses of a request: its session (cookie and save; saving fails with `saveError`) and query. */
function browser(query: Record<string, string> = {}, saveError?: Error): Request {
  const session = { cookie: { maxAge: 7_200_000 }, save: (done: (error?: unknown) => void) => done(saveError) };
  return { session, query } as unknown as Request;
}

function start(store: PendingSignIns, req: Request, next?: string): string {
  let state: string | undefined;
  (req as { query: Record<string, string> }).query = next === undefined ? {} : { next };
  store.store(req, {}, (error, issued) => {
    expect(error).toBeNull();
    state = issued;
  });
  return state!;
}

function finish(store: PendingSignIns, req: Request, state: string): { ok: boolean; info: unknown } {
  let outcome: { ok: boolean; info: unknown } | undefined;
  store.verify(req, state, {}, (error, ok, info) => {
    expect(error).toBeNull();
    outcome = { ok, info };
  });
  return outcome!;
}

describe('pending sign-ins (the OAuth state store)', () => {
  it('when two sign-ins are started in one browser, then each state is accepted once, in either order, with its own return path', () => {
    const store = new PendingSignIns({ now: () => 1_000_000 });
    const req = browser();
    const first = start(store, req, '/projects?company_id=2');
    const second = start(store, req);
    expect(first).not.toBe(second);
    expect(first.length).toBeGreaterThanOrEqual(32);

    expect(finish(store, req, second)).toEqual({ ok: true, info: { returnTo: '/' } satisfies SignInContext });
    expect(finish(store, req, first)).toEqual({
      ok: true,
      info: { returnTo: '/projects?company_id=2' } satisfies SignInContext,
    });
    expect(req.session.pendingSignIns).toBeUndefined();
  });

  it('when a state is used twice, then the second time is refused', () => {
    const store = new PendingSignIns({ now: () => 1_000_000 });
    const req = browser();
    const state = start(store, req);
    expect(finish(store, req, state).ok).toBe(true);
    expect(finish(store, req, state).ok).toBe(false);
  });

  it('when a state is older than Procore’s 10-minute code lifetime, then it is refused; just inside it, it is accepted', () => {
    let clock = Date.UTC(2026, 0, 1);
    const store = new PendingSignIns({ now: () => clock });
    const req = browser();
    const late = start(store, req);
    clock += SIGN_IN_LIFETIME_MS - 1;
    const onTime = start(store, req);
    expect(finish(store, req, late).ok).toBe(true);

    const expired = start(store, req);
    clock += SIGN_IN_LIFETIME_MS;
    const refused = finish(store, req, expired);
    expect(refused.ok).toBe(false);
    expect((refused.info as { message: string }).message).toContain('10 minutes');
    expect(finish(store, req, onTime).ok).toBe(false);
    expect(req.session.pendingSignIns).toBeUndefined();
  });

  it('when more sign-ins are started than the bound, then only the newest five are kept', () => {
    let clock = 1_000_000;
    const store = new PendingSignIns({ now: () => clock++ });
    const req = browser();
    const states = Array.from({ length: MAX_PENDING_SIGN_INS + 2 }, () => start(store, req));
    expect(req.session.pendingSignIns).toHaveLength(MAX_PENDING_SIGN_INS);
    expect(finish(store, req, states[0]!).ok).toBe(false);
    expect(finish(store, req, states[1]!).ok).toBe(false);
    for (const state of states.slice(2)) expect(finish(store, req, state).ok).toBe(true);
  });

  it('when the state is forged, missing, or from another browser, then it is refused and the real one still works', () => {
    const store = new PendingSignIns({ now: () => 1_000_000 });
    const req = browser();
    const state = start(store, req);
    const other = browser();
    start(store, other);
    expect(finish(store, req, `${state}x`).ok).toBe(false);
    expect(finish(store, req, undefined as unknown as string).ok).toBe(false);
    expect(finish(store, other, state).ok).toBe(false);
    expect(finish(store, req, state).ok).toBe(true);
  });

  it('when the next path is not local, then the sign-in returns home', () => {
    const store = new PendingSignIns({ now: () => 1_000_000 });
    const req = browser();
    const state = start(store, req, 'https://evil.example/');
    expect(finish(store, req, state).info).toEqual({ returnTo: '/' });
  });

  it('when a browser that is not signed in starts a sign-in, then its session lives as long as a sign-in may (10 minutes), not the idle timeout; a signed-in one keeps its own', () => {
    const store = new PendingSignIns({ now: () => 1_000_000 });
    const anonymous = browser();
    start(store, anonymous);
    expect(anonymous.session.cookie.maxAge).toBe(SIGN_IN_LIFETIME_MS);
    expect(SIGN_IN_LIFETIME_MS).toBeLessThanOrEqual(900_000);
    const signedIn = browser();
    (signedIn.session as { auth?: unknown }).auth = { tokenSetId: 't' };
    start(store, signedIn);
    expect(signedIn.session.cookie.maxAge).toBe(7_200_000);
  });

  it('when the session cannot be saved, then the sign-in fails instead of sending the browser to Procore with a state that will never come back', () => {
    const store = new PendingSignIns({ now: () => 1_000_000 });
    const outage = new Error('Redis is unavailable');
    let failed: unknown;
    store.store(browser({}, outage), {}, (error) => (failed = error));
    expect(failed).toBe(outage);
  });
});
