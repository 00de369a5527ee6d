import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenCipher } from '../../src/procore-auth/token-cipher';

describe('encrypting token sets at rest', () => {
  const secret = JSON.stringify({ accessToken: 'access-123', refreshToken: 'refresh-456' });

  it('when a token set is sealed, then the stored text contains no token and opens again with the same key and context', () => {
    const cipher = new TokenCipher([randomBytes(32)]);
    const sealed = cipher.encrypt(secret, 'set-1');
    expect(sealed).not.toContain('access-123');
    expect(sealed).not.toContain('refresh-456');
    expect(cipher.decrypt(sealed, 'set-1')).toBe(secret);
  });

  it('when the same value is sealed twice, then the ciphertexts differ (fresh IV each time)', () => {
    const cipher = new TokenCipher([randomBytes(32)]);
    expect(cipher.encrypt(secret, 'set-1')).not.toBe(cipher.encrypt(secret, 'set-1'));
  });

  it('when a sealed value is moved to another token set id, then it does not open', () => {
    const cipher = new TokenCipher([randomBytes(32)]);
    expect(cipher.decrypt(cipher.encrypt(secret, 'set-1'), 'set-2')).toBeUndefined();
  });

  it('when one byte of the ciphertext is changed, then it does not open', () => {
    const cipher = new TokenCipher([randomBytes(32)]);
    const parts = cipher.encrypt(secret, 'set-1').split('.');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString('base64url');
    expect(cipher.decrypt(parts.join('.'), 'set-1')).toBeUndefined();
  });

  it.each([12, 8, 4])(
    'when the GCM tag is cut to %i bytes, then it does not open (Node would accept a short tag unless told its length)',
    (bytes) => {
      const cipher = new TokenCipher([randomBytes(32)]);
      const parts = cipher.encrypt(secret, 'set-1').split('.');
      parts[3] = Buffer.from(parts[3]!, 'base64url').subarray(0, bytes).toString('base64url');
      expect(cipher.decrypt(parts.join('.'), 'set-1')).toBeUndefined();
    },
  );

  it('when the IV is not 12 bytes, then it does not open', () => {
    const cipher = new TokenCipher([randomBytes(32)]);
    const parts = cipher.encrypt(secret, 'set-1').split('.');
    for (const iv of [randomBytes(16), randomBytes(8), Buffer.alloc(0)]) {
      expect(
        cipher.decrypt([...parts.slice(0, 2), iv.toString('base64url'), ...parts.slice(3)].join('.'), 'set-1'),
      ).toBeUndefined();
    }
  });

  it('when keys are rotated, then values sealed with the old key still open and new ones use the new key', () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const sealedWithOld = new TokenCipher([oldKey]).encrypt(secret, 'set-1');
    const rotated = new TokenCipher([newKey, oldKey]);
    expect(rotated.decrypt(sealedWithOld, 'set-1')).toBe(secret);
    const sealedWithNew = rotated.encrypt(secret, 'set-1');
    expect(new TokenCipher([newKey]).decrypt(sealedWithNew, 'set-1')).toBe(secret);
    expect(new TokenCipher([oldKey]).decrypt(sealedWithNew, 'set-1')).toBeUndefined();
  });

  it('when a key is not 32 bytes, then the cipher refuses it', () => {
    expect(() => new TokenCipher([randomBytes(16)])).toThrow(/32 bytes/);
    expect(() => new TokenCipher([])).toThrow(/at least one key/);
  });
});
