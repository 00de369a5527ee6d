/**
 * What `npm run demo` keeps between runs, so restarting it keeps everyone signed in: the app's
 * generated development secrets (a new SESSION_SECRET would void every session cookie, a new
 * TOKEN_ENCRYPTION_KEY every stored token) and the tokens the emulator issued (the app's stored
 * tokens would otherwise be unknown to it). In `.demo/` at the top of the repository (git-ignored;
 * DEMO_STATE_DIR moves it), readable by this user only. Development secrets only: never production.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { IssuedTokensSnapshot } from './issued-tokens';

export const DEFAULT_DEMO_STATE_DIR = path.resolve(__dirname, '..', '.demo');

export interface DemoSecrets {
  SESSION_SECRET: string;
  TOKEN_ENCRYPTION_KEY: string;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    // Missing or unreadable: start afresh (the demo's state is a convenience, never a requirement).
    return undefined;
  }
}

/** Written whole or not at all: a demo stopped mid-write keeps the previous file. */
function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(value)}\n`, { mode: 0o600 });
  renameSync(partial, file);
}

export class DemoState {
  constructor(readonly dir: string) {}

  /** The secrets of the last run, or new ones (then saved). */
  secrets(): DemoSecrets {
    const file = path.join(this.dir, 'secrets.json');
    const saved = readJson(file) as Partial<DemoSecrets> | undefined;
    if (typeof saved?.SESSION_SECRET === 'string' && typeof saved.TOKEN_ENCRYPTION_KEY === 'string') {
      return { SESSION_SECRET: saved.SESSION_SECRET, TOKEN_ENCRYPTION_KEY: saved.TOKEN_ENCRYPTION_KEY };
    }
    const fresh = {
      SESSION_SECRET: randomBytes(48).toString('base64url'),
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    };
    try {
      writeJson(file, fresh);
    } catch (error) {
      process.stderr.write(
        `Could not keep the demo's secrets in ${this.dir} (${error instanceof Error ? error.message : String(error)}): a restart will sign everyone out.\n`,
      );
    }
    return fresh;
  }

  issuedTokens(): IssuedTokensSnapshot | undefined {
    const saved = readJson(path.join(this.dir, 'emulator-tokens.json')) as IssuedTokensSnapshot | undefined;
    return Array.isArray(saved?.accessTokens) && Array.isArray(saved.refreshTokens) ? saved : undefined;
  }

  saveIssuedTokens(snapshot: IssuedTokensSnapshot): void {
    writeJson(path.join(this.dir, 'emulator-tokens.json'), snapshot);
  }
}
