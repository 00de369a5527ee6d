import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
/** GCM's full tag. Told nothing, Node also accepts a tag cut to 4 bytes, which is far easier to forge. */
const GCM = { authTagLength: 16 } as const;

/**
 * AES-256-GCM for token sets at rest. Encrypts with the first key, decrypts with whichever key
 * wrote the value (several keys allow rotation). `context` (the token set id) is bound as
 * additional authenticated data, so a blob copied under another session's key will not decrypt.
 */
export class TokenCipher {
  private readonly keys: ReadonlyArray<{ id: string; key: Buffer }>;

  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0) throw new Error('TokenCipher needs at least one key');
    this.keys = keys.map((key) => {
      if (key.length !== 32) throw new Error('TokenCipher keys must be 32 bytes (AES-256)');
      return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
    });
  }

  encrypt(plaintext: string, context: string): string {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, GCM);
    cipher.setAAD(Buffer.from(context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      id,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  /** Returns undefined for anything that does not decrypt (unknown key, tampering, wrong context). */
  decrypt(sealed: string, context: string): string | undefined {
    const [version, keyId, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined) return undefined;
    const entry = this.keys.find((candidate) => candidate.id === keyId);
    const [ivBytes, tagBytes] = [Buffer.from(iv, 'base64url'), Buffer.from(tag, 'base64url')];
    if (!entry || ivBytes.length !== IV_BYTES || tagBytes.length !== GCM.authTagLength) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', entry.key, ivBytes, GCM);
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
