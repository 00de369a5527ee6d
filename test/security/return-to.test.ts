import { describe, expect, it } from 'vitest';
import { safeReturnTo } from '../../src/procore-auth/return-to';
import { LOCAL_PATHS, OPEN_REDIRECT_CORPUS } from './open-redirect-corpus';

/** What a browser would do with this Location relative to our origin: it must stay on our origin. */
function staysLocal(location: string): boolean {
  const resolved = new URL(location, 'https://dashboard.example');
  return resolved.origin === 'https://dashboard.example' && location.startsWith('/') && !/^\/[/\\]/.test(location);
}

describe('safeReturnTo', () => {
  it.each(OPEN_REDIRECT_CORPUS.map((payload) => [JSON.stringify(payload), payload]))(
    'when given %s, then it falls back to the home page',
    (_name, payload) => {
      expect(safeReturnTo(payload)).toBe('/');
    },
  );

  it.each(LOCAL_PATHS)('when given the local path %s, then it keeps it as %s', (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
    expect(staysLocal(safeReturnTo(input))).toBe(true);
  });

  it('when given something that is not a string (arrays from ?next=a&next=b, objects from next[x]=y), then home', () => {
    expect(safeReturnTo(['/projects', '//evil.example'])).toBe('/');
    expect(safeReturnTo({ x: '/projects' })).toBe('/');
    expect(safeReturnTo(undefined)).toBe('/');
    expect(safeReturnTo(42)).toBe('/');
  });

  it('when fed random mixtures of slashes, backslashes, dots, encodings and control characters, then whatever comes out stays on the site', () => {
    const pieces = [
      '/',
      '\\',
      '.',
      '%2f',
      '%2F',
      '%5c',
      '%2e',
      '%09',
      '%252f',
      '\t',
      'evil.example',
      ':',
      '@',
      'http',
      '?',
      '#',
      ' ',
    ];
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 5000; round += 1) {
      let payload = '';
      const length = 1 + Math.floor(random() * 6);
      for (let index = 0; index < length; index += 1) payload += pieces[Math.floor(random() * pieces.length)];
      const result = safeReturnTo(payload);
      expect(staysLocal(result), `${JSON.stringify(payload)} → ${JSON.stringify(result)}`).toBe(true);
    }
  });
});
