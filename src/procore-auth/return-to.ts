const HOME = '/';
const BASE = 'http://return-to.invalid';

/** A local path ("/projects?company_id=1") to return to after signing in; anything else (other hosts, "//x",
 * backslashes, "javascript:", control characters, their encodings) gives the home page. */
export function safeReturnTo(candidate: unknown): string {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 2048) return HOME;
  let decoded = candidate;
  // Decode repeatedly so "%2F%2Fevil" and double-encoded forms are judged as a browser might.
  for (let round = 0; round < 3; round += 1) {
    try {
      const next = decodeURIComponent(decoded);
      if (next === decoded) break;
      decoded = next;
    } catch {
      return HOME;
    }
  }
  for (const form of [candidate, decoded]) {
    if (!form.startsWith('/')) return HOME;
    if (form.startsWith('//') || form.startsWith('/\\')) return HOME;
    // eslint-disable-next-line no-control-regex -- control characters (C0, DEL) in a return path are exactly what this refuses
    if (/[\u0000-\u001f\u007f\\]/.test(form)) return HOME;
  }
  let url: URL;
  try {
    url = new URL(candidate, BASE);
  } catch {
    return HOME;
  }
  if (url.origin !== BASE) return HOME;
  // Never bounce back into the sign-in machinery itself.
  if (/^\/(auth\/|logout\b)/i.test(url.pathname)) return HOME;
  const result = `${url.pathname}${url.search}${url.hash}`;
  // Normalising dot segments can produce a scheme-relative path: "/.//evil.example" → "//evil.example".
  if (!result.startsWith('/') || /^\/[/\\]/.test(result) || /^\/%(?:2f|5c)/i.test(result)) return HOME;
  return result;
}
