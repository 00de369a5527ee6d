/**
 * The route of a Procore URL for logs and metrics: the path only (a query string may hold codes
 * or ids we do not want as labels) with every purely numeric segment replaced by `:id`.
 */
export function routeOf(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => (/^\d+$/.test(segment) ? ':id' : segment))
    .join('/');
}

/** Replaces every occurrence of each secret in `text` (tokens, codes, client secret). */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length > 0) result = result.split(secret).join('[redacted]');
  }
  return result;
}
