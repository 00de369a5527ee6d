import type { Stack } from './stack';

/** Every secret-ish value the emulator saw or issued, plus the app's own secrets and `extra`. */
export function collectSecrets(stack: Stack, extra: Iterable<string>): Set<string> {
  const secrets = new Set<string>(extra);
  for (const request of stack.emulator.stats.requests) {
    const authorization = String(request.headers.authorization ?? '');
    const bearer = /^Bearer (.+)$/.exec(authorization)?.[1];
    if (bearer) secrets.add(bearer);
    const basic = /^Basic (.+)$/.exec(authorization)?.[1];
    if (basic) secrets.add(basic);
    for (const field of ['code', 'refresh_token', 'token', 'client_secret', 'state']) {
      const value = request.body[field] ?? request.query[field];
      if (typeof value === 'string' && value.length >= 6) secrets.add(value);
    }
  }
  const config = stack.app.running.config;
  secrets.add(config.procore.clientSecret);
  for (const secret of config.session.secrets) secrets.add(secret);
  for (const key of config.tokenEncryptionKeys) secrets.add(key.toString('base64'));
  return secrets;
}

/** Any 12-character stretch of a secret found in `text` ("not even partly"), described without the secret. */
export function secretFragmentsIn(text: string, secrets: Iterable<string>, window = 12): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    for (let start = 0; start + window <= Math.max(secret.length, window); start += 1) {
      const stretch = secret.slice(start, start + window);
      // Digits only are a time, not part of a secret: the sign-out notice cookie ends in its
      // sign-in time in ms, which an audit entry of the same hundredth of a second also shows.
      if (/^\d+$/.test(stretch)) continue;
      if (text.includes(stretch)) {
        found.push(`characters ${start}-${start + window} of a ${secret.length}-character secret`);
        break;
      }
    }
  }
  return found;
}
