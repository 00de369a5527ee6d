/** One link of an RFC 8288 `Link` header. */
export interface LinkValue {
  /** The target, resolved against `base` when one was given. */
  url: string;
  /** Relation types, lower-cased (`rel="next last"` gives both). */
  rel: string[];
  /** Every parameter, names lower-cased; the first occurrence wins. */
  params: Record<string, string>;
}

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

/**
 * Parses a `Link` header such as `<https://x/a?page=2>; rel="next", <https://x/a?page=9>; rel=last`.
 * Tolerant: commas inside `<…>` or quoted strings are fine; a malformed link is skipped, not fatal.
 */
export function parseLinkHeader(header: string | null | undefined, base?: string): LinkValue[] {
  if (!header) return [];
  const links: LinkValue[] = [];
  const n = header.length;
  let i = 0;

  const skipSpace = (): void => {
    while (i < n && isSpace(header[i])) i++;
  };
  /** Skips to just after the next top-level comma (outside quotes). */
  const skipToNextLink = (): void => {
    let quoted = false;
    while (i < n) {
      const ch = header[i];
      if (quoted) {
        if (ch === '\\') i++;
        else if (ch === '"') quoted = false;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') {
        i++;
        return;
      }
      i++;
    }
  };

  while (i < n) {
    skipSpace();
    if (header[i] === ',') {
      i++;
      continue;
    }
    if (i >= n) break;
    if (header[i] !== '<') {
      skipToNextLink();
      continue;
    }
    const close = header.indexOf('>', i + 1);
    if (close === -1) break;
    const target = header.slice(i + 1, close).trim();
    i = close + 1;

    const params: Record<string, string> = {};
    let malformed = false;
    for (;;) {
      skipSpace();
      if (i >= n || header[i] === ',') break;
      if (header[i] !== ';') {
        malformed = true;
        skipToNextLink();
        break;
      }
      i++;
      skipSpace();
      let name = '';
      while (i < n && !isSpace(header[i]) && header[i] !== '=' && header[i] !== ';' && header[i] !== ',')
        name += header[i++];
      skipSpace();
      let value = '';
      if (header[i] === '=') {
        i++;
        skipSpace();
        if (header[i] === '"') {
          i++;
          while (i < n && header[i] !== '"') {
            if (header[i] === '\\' && i + 1 < n) i++;
            value += header[i++];
          }
          i++; // closing quote
        } else {
          while (i < n && header[i] !== ';' && header[i] !== ',' && !isSpace(header[i])) value += header[i++];
        }
      }
      const key = name.toLowerCase();
      if (key !== '' && !(key in params)) params[key] = value;
    }

    if (malformed) continue;
    let url = target;
    if (base !== undefined) {
      try {
        url = new URL(target, base).toString();
      } catch {
        continue;
      }
    }
    const rel = (params.rel ?? '')
      .split(/\s+/)
      .filter((r) => r !== '')
      .map((r) => r.toLowerCase());
    links.push({ url, rel, params });
    if (header[i] === ',') i++;
  }
  return links;
}

/** The first link with relation `rel`, if any. */
export function findLink(header: string | null | undefined, rel: string, base?: string): string | undefined {
  const wanted = rel.toLowerCase();
  return parseLinkHeader(header, base).find((link) => link.rel.includes(wanted))?.url;
}
